"""Legacy `.h5` files: round trips, weights-only files (by position, by name), damaged files, safe mode,
and the conversion of Keras 2 configs and optimizer state (the snippets are tf_keras 2.21's output)."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

from kerastorch import keras
from kerastorch.keras.saving import legacy_h5, legacy_h5_config, legacy_h5_training

layers = keras.layers


def _rng(seed: int = 0):
    return np.random.default_rng(seed)


def _sequential():
    model = keras.Sequential([keras.Input((5,)), layers.Dense(8, activation="relu"),
                              layers.Dense(3, activation="softmax")], name="seq")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = _rng().normal(size=(16, 5)).astype("float32")
    return model, x, (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0).astype("int32")


def _multi_io():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = layers.Dense(3, activation="tanh", name="shared")
    hidden = layers.Dense(6, activation="relu")(layers.Concatenate()([shared(a), shared(b)]))
    model = keras.Model({"a": a, "b": b}, {"cls": layers.Dense(2, activation="softmax", name="cls")(hidden),
                                           "reg": layers.Dense(1, name="reg")(hidden)})
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]})
    rng = _rng(1)
    x = {"a": rng.normal(size=(16, 4)).astype("float32"), "b": rng.normal(size=(16, 4)).astype("float32")}
    return model, x, {"cls": (x["a"][:, 0] > 0).astype("int32"), "reg": x["b"][:, :1]}


def _nested():
    """A functional model called twice and a Sequential one inside a functional model."""
    inner_in = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner_f")
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="seq_dense"),
                            layers.BatchNormalization(name="seq_bn")], name="inner_s")
    x = keras.Input((4,), name="x")
    model = keras.Model(x, [seq(inner(x)), inner(layers.Dense(4, name="pre")(x))], name="outer")
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse")
    data = _rng(2).normal(size=(16, 4)).astype("float32")
    return model, data, [data[:, :2], data[:, :3]]


def _batchnorm():
    model = keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(3, 3, padding="same"),
                              layers.BatchNormalization(), layers.ReLU(), layers.Flatten(), layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = _rng(3).normal(size=(16, 6, 6, 1)).astype("float32")
    return model, x, (x.mean(axis=(1, 2, 3)) > 0).astype("int32")


def _rnn():
    tokens = keras.Input((7,), dtype="int32")
    x = layers.Embedding(20, 4, mask_zero=True)(tokens)
    x = layers.Bidirectional(layers.LSTM(3, return_sequences=True))(x)
    model = keras.Model(tokens, layers.Dense(1, activation="sigmoid")(layers.GRU(2)(x)))
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="binary_crossentropy")
    seq = _rng(4).integers(1, 20, (16, 7))
    seq[::2, 4:] = 0
    return model, seq.astype("int32"), (seq[:, 0] > 10).astype("float32")[:, None]


BUILDERS = {"sequential": _sequential, "multi_io": _multi_io, "nested": _nested, "batchnorm": _batchnorm,
            "rnn": _rnn}


def _trained(builder):
    model, x, y = builder()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    return model, x, y


def _flat(prediction) -> list:
    if isinstance(prediction, dict):
        return [prediction[k] for k in sorted(prediction)]
    return list(prediction) if isinstance(prediction, list) else [prediction]


# -- whole models --------------------------------------------------------------------------

@pytest.mark.parametrize("builder", BUILDERS.values(), ids=BUILDERS.keys())
def test_round_trip_keeps_predictions_weights_and_optimizer_state(tmp_path, builder):
    model, x, y = _trained(builder)
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5")
    restored = legacy_h5.load_model_from_h5(tmp_path / "m.h5")
    for a, b in zip(_flat(restored.predict(x, verbose=0)), _flat(model.predict(x, verbose=0))):
        np.testing.assert_array_equal(a, b)
    assert int(restored.optimizer.iterations.numpy()) == 4
    for a, b in zip(restored.optimizer.variables, model.optimizer.variables, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # One more step from the restored state is the step the original takes.
    restored.train_on_batch(x, y)
    model.train_on_batch(x, y)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_file_layout_is_keras(tmp_path):
    model, _, _ = _trained(_sequential)
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert sorted(f.attrs) == ["backend", "keras_version", "model_config", "training_config"]
        assert f.attrs["keras_version"] == "3.15.1"
        config = json.loads(f.attrs["model_config"])
        assert config["class_name"] == "Sequential"
        assert [entry["class_name"] for entry in config["config"]["layers"]] == ["InputLayer", "Dense", "Dense"]
        assert all(sorted(entry) == ["class_name", "config"] for entry in config["config"]["layers"])
        training = json.loads(f.attrs["training_config"])
        assert training["optimizer_config"]["class_name"] == "Adam"
        assert training["loss"] == "sparse_categorical_crossentropy" and training["metrics"] == ["accuracy"]
        group = f["model_weights"]
        assert list(group.attrs["layer_names"]) == ["dense", "dense_1"]
        assert list(group["dense"].attrs["weight_names"]) == ["seq/dense/kernel", "seq/dense/bias"]
        assert group["dense/seq/dense/kernel"].shape == (5, 8)
        assert group["top_level_model_weights"].attrs["weight_names"].shape == (0,)
        names = list(f["optimizer_weights"].attrs["weight_names"])
        assert names[:3] == ["adam/iteration", "adam/learning_rate", "adam/seq_dense_kernel_momentum"]
        assert f["optimizer_weights/adam/iteration"].dtype == np.int64


def test_include_optimizer_false_and_compile_false(tmp_path):
    model, x, _ = _trained(_sequential)
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5", include_optimizer=False)
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert "training_config" not in f.attrs and "optimizer_weights" not in f
    with pytest.warns(UserWarning, match=r"No training configuration found in the save file"):
        restored = legacy_h5.load_model_from_h5(tmp_path / "m.h5")
    assert not restored.compiled
    legacy_h5.save_model_to_h5(model, tmp_path / "full.h5")
    uncompiled = legacy_h5.load_model_from_h5(tmp_path / "full.h5", compile=False)
    assert not uncompiled.compiled
    np.testing.assert_array_equal(uncompiled.predict(x, verbose=0), model.predict(x, verbose=0))


def test_lambda_needs_safe_mode_off(tmp_path):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Lambda(lambda t: t * 2.0 + 1.0)])
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5")
    with pytest.raises(ValueError, match=r"safe_mode=False"):
        legacy_h5.load_model_from_h5(tmp_path / "m.h5", compile=False)
    restored = legacy_h5.load_model_from_h5(tmp_path / "m.h5", compile=False, safe_mode=False)
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


# -- weights only --------------------------------------------------------------------------

def _pair(names=("a", "b"), units=(3, 2), bias=(True, True)):
    model = keras.Sequential([keras.Input((4,))] + [layers.Dense(u, use_bias=b, name=n)
                                                    for n, u, b in zip(names, units, bias)])
    model.set_weights([_rng(i).normal(size=w.shape).astype("float32") for i, w in enumerate(model.weights)])
    return model


def test_weights_file_round_trip_and_model_file_as_weights(tmp_path):
    source = _pair()
    legacy_h5.save_weights_to_h5(source, tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5", "r") as f:
        assert list(f.attrs["layer_names"]) == ["a", "b"] and "model_weights" not in f
    target = _pair()
    target.set_weights([np.zeros(w.shape, "float32") for w in target.weights])
    legacy_h5.load_weights_from_h5(target, tmp_path / "w.h5")
    for a, b in zip(target.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(a, b)
    legacy_h5.save_model_to_h5(source, tmp_path / "m.h5")
    other = _pair()
    legacy_h5.load_weights_from_h5(other, tmp_path / "m.h5")  # reads the file's `model_weights` group
    np.testing.assert_array_equal(other.get_weights()[0], source.get_weights()[0])


def test_by_name_matches_layers_by_name(tmp_path):
    source = _pair()
    legacy_h5.save_weights_to_h5(source, tmp_path / "w.h5")
    target = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="a"), layers.Dense(5, name="extra"),
                               layers.Dense(2, name="c")])
    before = target.get_layer("extra").get_weights()
    legacy_h5.load_weights_from_h5(target, tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(target.get_layer("a").get_weights()[0], source.get_layer("a").get_weights()[0])
    np.testing.assert_array_equal(target.get_layer("extra").get_weights()[0], before[0])


def test_shape_mismatch_raises_naming_layer_and_shapes_and_assigns_nothing(tmp_path):
    legacy_h5.save_weights_to_h5(_pair(), tmp_path / "w.h5")
    target = _pair(units=(3, 5))
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"Shape mismatch in layer #1 \(named b\) for weight sequential_\d+/b/kernel\. "
                                         r"Weight expects shape \(3, 5\)\. Received saved weight with shape \(3, 2\)"):
        legacy_h5.load_weights_from_h5(target, tmp_path / "w.h5")
    for a, b in zip(target.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_skip_mismatch_warns_and_loads_the_rest(tmp_path):
    source = _pair()
    legacy_h5.save_weights_to_h5(source, tmp_path / "w.h5")
    target = _pair(units=(3, 5))
    with pytest.warns(UserWarning, match=r"Skipping loading weights for layer #1 \(named b\) due to mismatch in "
                                         r"shape"):
        legacy_h5.load_weights_from_h5(target, tmp_path / "w.h5", skip_mismatch=True)
    np.testing.assert_array_equal(target.get_layer("a").get_weights()[0], source.get_layer("a").get_weights()[0])


def test_count_mismatches(tmp_path):
    legacy_h5.save_weights_to_h5(_pair(), tmp_path / "w.h5")
    with pytest.raises(ValueError, match=r"Layer count mismatch when loading weights from file\. Model expected 3 "
                                         r"layers, found 2 saved layers\."):
        legacy_h5.load_weights_from_h5(_pair(names=("a", "b", "c"), units=(3, 2, 2), bias=(1, 1, 1)),
                                       tmp_path / "w.h5")
    no_bias = _pair(bias=(True, False))
    with pytest.raises(ValueError, match=r"Weight count mismatch for layer #1 \(named b\)\. Layer expects 1 "
                                         r"weight\(s\)\. Received 2 saved weight\(s\)"):
        legacy_h5.load_weights_from_h5(no_bias, tmp_path / "w.h5", by_name=True)
    with pytest.warns(UserWarning, match=r"Skipping loading of weights for layer #1 \(named b\) due to mismatch in "
                                         r"number of weights"):
        legacy_h5.load_weights_from_h5(no_bias, tmp_path / "w.h5", by_name=True, skip_mismatch=True)


def test_long_name_lists_are_split_over_attributes(tmp_path):
    names = [f"layer_{i:05d}_{'x' * 200}".encode() for i in range(400)]
    with h5py.File(tmp_path / "a.h5", "w") as f:
        legacy_h5._write_names(f, "layer_names", names)
        assert "layer_names" not in f.attrs and "layer_names1" in f.attrs
    with legacy_h5._H5(tmp_path / "a.h5") as f:
        assert f.names(f.file, "layer_names") == [n.decode() for n in names]


# -- bad files -----------------------------------------------------------------------------

def test_random_bytes_missing_and_truncated_files_raise_value_errors(tmp_path):
    junk = tmp_path / "junk.h5"
    junk.write_bytes(_rng().integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(ValueError, match=r"Could not read .*junk\.h5: it is not a valid HDF5 file"):
        legacy_h5.load_model_from_h5(junk)
    with pytest.raises(ValueError, match=r"File not found: filepath=.*missing\.h5"):
        legacy_h5.load_model_from_h5(tmp_path / "missing.h5")
    model, _, _ = _trained(_sequential)
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5")
    data = (tmp_path / "m.h5").read_bytes()
    for size in (len(data) // 2, len(data) - 100):
        cut = tmp_path / f"cut_{size}.h5"
        cut.write_bytes(data[:size])
        with pytest.raises(ValueError, match=rf"Could not read .*cut_{size}\.h5"):
            legacy_h5.load_model_from_h5(cut)


def test_weights_file_given_to_load_model(tmp_path):
    legacy_h5.save_weights_to_h5(_pair(), tmp_path / "w.h5")
    with pytest.raises(ValueError, match=r"No model config found in the file at .*w\.h5\."):
        legacy_h5.load_model_from_h5(tmp_path / "w.h5")


def test_foreign_h5_files(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f.create_dataset("data", data=np.arange(3))
        f.attrs["model_config"] = "{not json"
    with pytest.raises(ValueError, match=r"`model_config` attribute is not valid JSON"):
        legacy_h5.load_model_from_h5(tmp_path / "other.h5")
    with pytest.raises(ValueError, match=r"other\.h5 is not a legacy Keras weights file"):
        legacy_h5.load_weights_from_h5(_pair(), tmp_path / "other.h5")


# -- Keras 2 configs -----------------------------------------------------------------------

def _dense(name: str, units: int) -> dict:
    return {"class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
                                              "activation": "linear", "use_bias": True}}


def _keras2_nested() -> dict:
    """tf_keras's config of `_nested()` (a functional model called twice, a Sequential with an input)."""
    inner = {"name": "inner_f", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                "name": "inner_in"}, "name": "inner_in", "inbound_nodes": []},
        {**_dense("inner_dense", 3), "name": "inner_dense", "inbound_nodes": [[["inner_in", 0, 0, {}]]]}],
        "input_layers": [["inner_in", 0, 0]], "output_layers": [["inner_dense", 0, 0]]}
    seq = {"name": "inner_s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "i"}},
        _dense("seq_dense", 2)]}
    return {"class_name": "Functional", "config": {"name": "outer", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "x"},
         "name": "x", "inbound_nodes": []},
        {"class_name": "Functional", "config": inner, "name": "inner_f",
         "inbound_nodes": [[["x", 0, 0, {}]], [["pre", 0, 0, {}]]]},
        {**_dense("pre", 4), "name": "pre", "inbound_nodes": [[["x", 0, 0, {}]]]},
        {"class_name": "Sequential", "config": seq, "name": "inner_s", "inbound_nodes": [[["inner_f", 1, 0, {}]]]}],
        "input_layers": [["x", 0, 0]], "output_layers": [["inner_s", 1, 0], ["inner_f", 2, 0]]}}


def _history(value) -> list:
    return value["config"]["keras_history"]


def test_keras2_nested_models_count_their_calls_from_one():
    converted = legacy_h5_config.from_legacy(_keras2_nested(), keras2=True)
    config = converted["config"]
    assert config["output_layers"] == [["inner_s", 0, 0], ["inner_f", 2, 0]]  # Keras 3: functional from 1
    inner_s = config["layers"][3]
    assert _history(inner_s["inbound_nodes"][0]["args"][0]) == ["inner_f", 0, 0]
    model = keras.saving.deserialize_keras_object(converted)  # the converted config rebuilds the graph
    assert [layer.name for layer in model.layers] == ["x", "inner_f", "pre", "inner_s"]
    assert [tuple(o.shape) for o in model.outputs] == [(None, 2), (None, 3)]


def test_keras2_functional_models_named_model_and_custom_layers(tmp_path):
    config = _keras2_nested()
    config["class_name"] = "Model"  # tf.keras 2.0-2.3
    assert legacy_h5_config.from_legacy(config, keras2=True)["class_name"] == "Functional"

    class Scale(layers.Layer):
        def call(self, x):
            return x * 3.0

    model = keras.Sequential([keras.Input((2,)), Scale(name="scale")])
    legacy_h5.save_model_to_h5(model, tmp_path / "m.h5")
    with pytest.raises(ValueError, match=r"Unknown layer: 'Scale'"):
        legacy_h5.load_model_from_h5(tmp_path / "m.h5", compile=False)
    with open(tmp_path / "m.h5", "rb") as file:  # a file object works as well as a path
        restored = legacy_h5.load_model_from_h5(file, custom_objects={"Scale": Scale}, compile=False)
    assert isinstance(restored.layers[0], Scale)


def test_keras3_nested_functional_output_index_counts_from_one():
    """Keras 3's numbering passes through: the functional config reader counts functional models from 1."""
    config = _keras2_nested()
    config["config"]["output_layers"] = [["inner_s", 0, 0], ["inner_f", 2, 0]]
    converted = legacy_h5_config.from_legacy(config, keras2=False)["config"]
    assert converted["output_layers"] == [["inner_s", 0, 0], ["inner_f", 2, 0]]


def test_keras2_call_kwargs_tensors_become_references():
    node = [["layer_normalization", 0, 0, {"value": ["embedding", 0, 0]}]]
    converted = legacy_h5_config._Reader.node(node, {}, {"embedding", "layer_normalization"}, set())
    assert _history(converted["args"][0]) == ["layer_normalization", 0, 0]
    assert _history(converted["kwargs"]["value"]) == ["embedding", 0, 0]
    merge = legacy_h5_config._Reader.node([["a", 0, 0, {}], ["b", 0, 0, {}]], {}, {"a", "b"}, set())
    assert [_history(t) for t in merge["args"][0]] == [["a", 0, 0], ["b", 0, 0]]


@pytest.mark.parametrize(("class_name", "given", "expected"), [
    ("InputLayer", {"batch_input_shape": [None, 3], "name": "i"}, {"batch_shape": [None, 3], "name": "i"}),
    ("BatchNormalization", {"axis": [3]}, {"axis": 3}),
    ("LSTM", {"units": 2, "time_major": False, "implementation": 2}, {"units": 2, "implementation": 2}),
    ("Dense", {"dtype": {"class_name": "Policy", "config": {"name": "mixed_float16"}}}, {"dtype": "mixed_float16"}),
    ("Embedding", {"input_dim": 5, "input_length": 10}, {"input_dim": 5}),
    ("LeakyReLU", {"alpha": 0.2}, {"negative_slope": 0.2}),
    ("MultiHeadAttention", {"num_heads": 2, "query_shape": [None, 6, 8], "softmax_robust_masking": False},
     {"num_heads": 2}),
], ids=["input_layer", "axis_list", "time_major", "policy", "input_length", "leaky_alpha", "mha_shapes"])
def test_keras2_layer_arguments(class_name, given, expected):
    converted = legacy_h5_config.from_legacy({"class_name": class_name, "config": given}, keras2=True)
    assert converted["config"] == expected
    assert converted["module"] == "keras.layers"


def test_keras2_lambda_bytecode_is_refused_in_safe_mode():
    config = {"class_name": "Lambda", "config": {"name": "lambda", "function": ["4wEAAAAA\n", None, None],
                                                 "function_type": "lambda", "module": "__main__",
                                                 "output_shape": None, "output_shape_type": "raw",
                                                 "output_shape_module": None, "arguments": {}}}
    converted = legacy_h5_config.from_legacy(config, keras2=True)
    assert converted["config"]["function"] == {"class_name": "__lambda__",
                                               "config": {"code": "4wEAAAAA\n", "defaults": None, "closure": None}}
    assert "module" not in converted["config"] and "function_type" not in converted["config"]
    with pytest.raises(ValueError, match=r"safe_mode=False"):
        keras.saving.deserialize_keras_object(converted)


def test_keras2_lambda_of_a_named_function_needs_it_in_custom_objects():
    def double(x):
        return x * 2.0

    config = {"class_name": "Lambda", "config": {"name": "lambda", "function": "double", "function_type": "function",
                                                 "module": "__main__", "output_shape": None,
                                                 "output_shape_type": "raw", "arguments": {}}}
    with pytest.raises(ValueError, match=r"Unknown function 'double' in Lambda layer 'lambda'"):
        legacy_h5_config.from_legacy(config, keras2=True)
    converted = legacy_h5_config.from_legacy(config, keras2=True, custom_objects={"double": double})
    layer = keras.saving.deserialize_keras_object(converted, custom_objects={"double": double})
    assert layer.function is double


def test_keras2_time_major_and_unknown_layers_are_refused():
    with pytest.raises(ValueError, match=r"saved with `time_major=True`"):
        legacy_h5_config.from_legacy({"class_name": "GRU", "config": {"name": "g", "time_major": True}}, True)
    with pytest.raises(ValueError, match=r"Unknown layer: 'TFOpLambda'"):
        legacy_h5_config.from_legacy({"class_name": "TFOpLambda", "config": {"name": "op"}}, True)


def test_mask_operations_are_left_to_mask_propagation():
    ref = {"class_name": "__keras_tensor__", "config": {"keras_history": ["not_equal", 0, 0]}}
    tokens = {"class_name": "__keras_tensor__", "config": {"keras_history": ["tokens", 0, 0]}}
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 5], "dtype": "int32", "name": "tokens"},
         "name": "tokens", "inbound_nodes": []},
        {"class_name": "NotEqual", "config": {"name": "not_equal"}, "name": "not_equal",
         "inbound_nodes": [{"args": [tokens, 0], "kwargs": {}}]},
        {"class_name": "GRU", "config": {"name": "gru", "units": 2}, "name": "gru",
         "inbound_nodes": [{"args": [tokens], "kwargs": {"mask": ref, "training": False, "initial_state": None}}]}],
        "input_layers": ["tokens", 0, 0], "output_layers": ["gru", 0, 0]}}
    converted = legacy_h5_config.from_legacy(config, keras2=False)["config"]
    assert [entry["name"] for entry in converted["layers"]] == ["tokens", "gru"]
    # The mask comes with the tensors; Keras replaces a recorded `training=False` by the call's own.
    assert converted["layers"][1]["inbound_nodes"][0]["kwargs"] == {"initial_state": None}


# -- Keras 2 training config and optimizer state -------------------------------------------

def test_keras2_training_config_compiles():
    model, x, y = _sequential()
    config = {"loss": {"class_name": "SparseCategoricalCrossentropy",
                       "config": {"reduction": "auto", "name": "sparse_categorical_crossentropy", "from_logits": False,
                                  "ignore_class": None, "fn": "sparse_categorical_crossentropy"}},
              "metrics": [[{"class_name": "MeanMetricWrapper",
                            "config": {"name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}}]],
              "weighted_metrics": None, "loss_weights": None,
              "optimizer_config": {"class_name": "Custom>Adam", "config": {
                  "name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False,
                  "is_legacy_optimizer": False, "learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999,
                  "epsilon": 1e-07, "amsgrad": False}}}
    args = legacy_h5_training.compile_args(config, model, keras2=True)
    assert type(args["optimizer"]).__name__ == "Adam" and args["optimizer"].name == "Adam"
    assert args["loss"].get_config()["reduction"] == "sum_over_batch_size"
    assert [(type(m).__name__, m.name) for m in args["metrics"]] == [("SparseCategoricalAccuracy", "accuracy")]
    model.compile(**args)
    assert sorted(model.evaluate(x, y, verbose=0, return_dict=True)) == ["accuracy", "loss"]


def test_keras2_optimizer_v2_config_and_per_output_metrics():
    model, x, y = _multi_io()
    config = {"loss": {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
              "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "cls_accuracy", "dtype": "float32",
                                                                          "fn": "sparse_categorical_accuracy"}}],
                          [{"class_name": "MeanMetricWrapper", "config": {"name": "reg_mae", "dtype": "float32",
                                                                          "fn": "mean_absolute_error"}}]],
              "loss_weights": {"cls": 1.0, "reg": 0.5},
              "optimizer_config": {"class_name": "RMSprop", "config": {
                  "name": "RMSprop", "lr": 0.001, "decay": 0.0, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07,
                  "centered": False}}}
    args = legacy_h5_training.compile_args(config, model, keras2=True)
    assert args["optimizer"].get_config()["learning_rate"] == pytest.approx(0.001)
    assert {k: [m.name for m in v] for k, v in args["metrics"].items()} == {"cls": ["accuracy"], "reg": ["mae"]}
    model.compile(**args)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(logs) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]


@pytest.mark.parametrize("saved", [
    [("Adam/iter:0", "iteration"), ("Adam/d/kernel/m:0", "s_d_kernel_momentum"),
     ("Adam/d/bias/m:0", "s_d_bias_momentum"), ("Adam/d/kernel/v:0", "s_d_kernel_velocity"),
     ("Adam/d/bias/v:0", "s_d_bias_velocity")],
    [("iteration:0", "iteration"), ("Adam/m/d/kernel:0", "s_d_kernel_momentum"),
     ("Adam/v/d/kernel:0", "s_d_kernel_velocity"), ("Adam/m/d/bias:0", "s_d_bias_momentum"),
     ("Adam/v/d/bias:0", "s_d_bias_velocity")],
], ids=["optimizer_v2", "tf_2_11"])
def test_keras2_optimizer_state_is_matched_by_slot_kind(saved):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, name="d")], name="s")
    shapes = {"iteration": (), "kernel": (2, 3), "bias": (3,)}
    values = [np.full(next(shape for key, shape in shapes.items() if key in target), i + 7, "float32")
              for i, (_, target) in enumerate(saved)]
    optimizer = keras.optimizers.Adam()
    legacy_h5_training.restore_optimizer(optimizer, model.trainable_variables, [n for n, _ in saved], values,
                                         keras2=True)
    state = {v.name: v.numpy() for v in optimizer.variables}
    for (_, target), value in zip(saved, values):
        np.testing.assert_array_equal(state[target], value)


def test_optimizer_state_that_does_not_fit_is_dropped_with_keras_warning():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, name="d")], name="s")
    optimizer = keras.optimizers.Nadam()
    names = ["Nadam/iter:0", "Nadam/d/kernel/m:0", "Nadam/d/bias/m:0", "Nadam/d/kernel/v:0", "Nadam/d/bias/v:0"]
    values = [np.int64(3), np.ones((2, 3)), np.ones(3), np.ones((2, 3)), np.ones(3)]
    with pytest.warns(UserWarning, match=r"Error in loading the saved optimizer state"):
        legacy_h5_training.restore_optimizer(optimizer, model.trainable_variables, names, values, keras2=True)
    assert int(optimizer.iterations.numpy()) == 0
    with pytest.warns(UserWarning, match=r"Error in loading the saved optimizer state"):
        legacy_h5_training.restore_optimizer(keras.optimizers.SGD(), model.trainable_variables,
                                             ["sgd/iteration", "sgd/learning_rate"], [np.int64(1), np.ones(2)],
                                             keras2=False)
