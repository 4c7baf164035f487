"""The `.keras` archive and `.weights.h5` files: round trips, Keras's layout, bad files, safety."""

from __future__ import annotations

import io
import json
import os
import pathlib
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.saving import object_tree, saving_lib

layers = keras.layers


def _mlp(compiled: bool = True):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.BatchNormalization(),
                              layers.Dense(2)])
    if compiled:
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


def _data(n: int = 16, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 4)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def _trained():
    model = _mlp()
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    return model, x, y


def _h5_layout(data: bytes) -> dict:
    found = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(lambda name, node: found.__setitem__(name, tuple(node.shape))
                     if isinstance(node, h5py.Dataset) else None)
    return found


# -- round trips ---------------------------------------------------------------------------

def test_keras_file_round_trip_keeps_predictions_and_optimizer_state(tmp_path):
    model, x, y = _trained()
    path = tmp_path / "m.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    assert restored.optimizer.iterations.numpy() == 4
    for a, b in zip(restored.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # The next step is the same: the optimizer's moments and the compile config came back.
    np.testing.assert_allclose(restored.train_on_batch(x, y), model.train_on_batch(x, y), rtol=1e-6)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_archive_members_and_weights_layout_are_keras(tmp_path):
    model, _, _ = _trained()
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        layout = _h5_layout(archive.read("model.weights.h5"))
    assert sorted(metadata) == ["date_saved", "keras_version"]
    assert config["class_name"] == "Sequential" and config["build_config"] == {"input_shape": [None, 4]}
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert config["compile_config"]["loss"] == "mse" and config["compile_config"]["metrics"] == ["mae"]
    # Keras's paths: the class-named list of layers, then the optimizer (iterations, learning
    # rate, then m and v per trainable variable).
    expected = {"layers/dense/vars/0": (4, 3), "layers/dense/vars/1": (3,),
                "layers/batch_normalization/vars/0": (3,), "layers/batch_normalization/vars/1": (3,),
                "layers/batch_normalization/vars/2": (3,), "layers/batch_normalization/vars/3": (3,),
                "layers/dense_1/vars/0": (3, 2), "layers/dense_1/vars/1": (2,),
                "optimizer/vars/0": (), "optimizer/vars/1": ()}
    for i, shape in enumerate([(4, 3), (3,), (3,), (3,), (3, 2), (2,)]):
        expected[f"optimizer/vars/{2 + 2 * i}"] = shape
        expected[f"optimizer/vars/{3 + 2 * i}"] = shape
    assert layout == expected


def test_paths_follow_attributes_of_a_subclassed_model():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.stack = [layers.Dense(2), layers.Dense(2), [layers.Dense(2)]]

        def call(self, x):
            return self.stack[2][0](self.stack[1](self.stack[0](x)))

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.head = layers.Dense(1)
            self.body = Block()
            self._private = layers.Dense(1)

        def call(self, x):
            return self.head(self.body(x)) + self._private(x)

    net = Net()
    net(np.zeros((1, 3), "float32"))
    # Sorted attributes, private last; the model's `layers` property ([head, body, _private])
    # is one of them, and reaches `_private` first, as the second Dense in that list.
    assert [path for path, _ in object_tree.walk(net)] == [
        "", "body", "body/stack/dense", "body/stack/dense_1", "body/stack/container/dense", "head",
        "layers/dense_1"]


def test_shared_layer_is_saved_once_at_its_first_path():
    shared = layers.Dense(2)
    a, b = keras.Input((2,)), keras.Input((2,))
    model = keras.Model([a, b], layers.Add()([shared(a), shared(b)]))
    paths = [path for path, _ in object_tree.walk(model)]
    assert paths == ["", "layers/input_layer", "layers/input_layer_1", "layers/dense", "layers/add"]


def test_functional_nested_and_multi_io_round_trip(tmp_path):
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, layers.Dense(4, activation="tanh")(inner_in), name="inner")
    a, b = keras.Input((3,), name="a"), keras.Input((5,), name="b")
    merged = layers.Concatenate()([inner(a), layers.Dense(2)(b)])
    model = keras.Model({"a": a, "b": b}, {"y": layers.Dense(1, name="y")(merged),
                                           "z": layers.Dense(2, name="z")(merged)})
    x = {"a": np.ones((2, 3), "float32"), "b": np.full((2, 5), 0.5, "float32")}
    path = tmp_path / "multi.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert restored.get_layer("inner").name == "inner"
    got, want = restored.predict(x, verbose=0), model.predict(x, verbose=0)
    for key in ("y", "z"):
        np.testing.assert_array_equal(got[key], want[key])


def test_file_objects_and_path_like(tmp_path):
    model, x, _ = _trained()
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(keras.models.load_model(buffer).predict(x, verbose=0), model.predict(x, verbose=0))
    model.save(pathlib.Path(tmp_path) / "p.keras")
    with open(tmp_path / "p.keras", "rb") as f:
        np.testing.assert_array_equal(keras.models.load_model(f).predict(x, verbose=0), model.predict(x, verbose=0))


def test_compile_false_gives_an_uncompiled_model(tmp_path):
    model, _, _ = _trained()
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert not restored.compiled and restored.optimizer is None


def test_weights_file_round_trip_and_keras_file_as_weights(tmp_path):
    model, x, _ = _trained()
    model.save_weights(tmp_path / "w.weights.h5")
    model.save(tmp_path / "m.keras")
    for source in ("w.weights.h5", "m.keras"):
        other = _mlp(compiled=False)  # a compiled one warns, as Keras: its optimizer is not built yet
        other.load_weights(tmp_path / source)
        np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))
    with h5py.File(tmp_path / "w.weights.h5", "r") as f:
        assert f["layers/dense/vars"].attrs["name"] == model.layers[0].name


def test_lookup_vocabulary_travels_as_an_asset(tmp_path):
    vectorize = layers.TextVectorization(max_tokens=10, output_mode="tf_idf")
    vectorize.adapt(["the cat sat", "the dog", "a cat and a dog"])
    inputs = keras.Input((1,), dtype="string")
    model = keras.Model(inputs, layers.Dense(2)(vectorize(inputs)))
    model.save(tmp_path / "text.keras")
    with zipfile.ZipFile(tmp_path / "text.keras") as archive:
        assert "assets/layers/text_vectorization/vocabulary.txt" in archive.namelist()
    restored = keras.models.load_model(tmp_path / "text.keras")
    assert restored.layers[1].get_vocabulary() == vectorize.get_vocabulary()
    data = tf.constant([["the cat"], ["zebra dog and a"]])
    np.testing.assert_allclose(restored(data).numpy(), model(data).numpy(), rtol=1e-6)


# -- custom objects --------------------------------------------------------------------------

class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _scaled_model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, Scale(3.0)(inputs))


def test_custom_layer_needs_custom_objects_or_a_scope(tmp_path):
    model = _scaled_model()
    model.layers[1].w.assign([1.0, 2.0, 3.0])
    model.save(tmp_path / "s.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Scale'"):
        keras.models.load_model(tmp_path / "s.keras")
    x = np.ones((1, 3), "float32")
    restored = keras.models.load_model(tmp_path / "s.keras", custom_objects={"Scale": Scale})
    np.testing.assert_array_equal(restored.predict(x, verbose=0), [[3.0, 6.0, 9.0]])
    with keras.saving.custom_object_scope({"Scale": Scale}):
        np.testing.assert_array_equal(keras.models.load_model(tmp_path / "s.keras").predict(x, verbose=0),
                                      [[3.0, 6.0, 9.0]])


# -- safety ---------------------------------------------------------------------------------

def _lambda_model():
    model = keras.Sequential([keras.Input((2,)), layers.Lambda(lambda t: t * 3.0)])
    return model


def test_lambda_bytecode_is_refused_unless_safe_mode_is_off(tmp_path):
    _lambda_model().save(tmp_path / "l.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "l.keras")
    restored = keras.models.load_model(tmp_path / "l.keras", safe_mode=False)
    np.testing.assert_array_equal(restored.predict(np.ones((1, 2), "float32"), verbose=0), [[3.0, 3.0]])


def test_a_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    model, _, _ = _trained()
    path = tmp_path / "m.keras"
    model.save(path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(object_tree, "save_state", crash)
    for save in (lambda: model.save(path), lambda: model.save_weights(tmp_path / "w.weights.h5")):
        with pytest.raises(OSError, match="disk full"):
            save()
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]  # no temporary file left, no partial weights file


@pytest.mark.parametrize("damage", ["truncated", "random", "no_config", "bad_json", "bad_weights"])
def test_damaged_keras_file_gives_a_clear_error(tmp_path, damage):
    model, _, _ = _trained()
    good = tmp_path / "good.keras"
    model.save(good)
    path = tmp_path / "bad.keras"
    data = good.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[:len(data) // 2])
    elif damage == "random":
        path.write_bytes(np.random.default_rng(0).bytes(2000))
    else:
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
            for name in src.namelist():
                content = src.read(name)
                if name == "config.json" and damage == "no_config":
                    continue
                if name == "config.json" and damage == "bad_json":
                    content = content[:-10]
                if name == "model.weights.h5" and damage == "bad_weights":
                    content = b"not an hdf5 file" * 10
                dst.writestr(name, content)
    with pytest.raises(ValueError, match="bad.keras"):
        keras.models.load_model(path)


def test_damaged_weights_file_gives_a_clear_error_and_keeps_the_weights(tmp_path):
    model, _, _ = _trained()
    model.save_weights(tmp_path / "w.weights.h5")
    data = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "bad.weights.h5").write_bytes(data[:len(data) // 3])
    before = model.get_weights()
    with pytest.raises(ValueError, match="bad.weights.h5"):
        model.load_weights(tmp_path / "bad.weights.h5")
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_shape_mismatch_names_the_layer_and_both_shapes_and_changes_nothing(tmp_path):
    model, _, _ = _trained()
    model.save_weights(tmp_path / "w.weights.h5")
    other = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.BatchNormalization(),
                              layers.Dense(5)])
    before = other.get_weights()
    with pytest.raises(ValueError, match=r"'dense_3'.*'sequential_1/dense_3/kernel' has shape \(3, 5\), but the "
                                         r"file holds shape \(3, 2\)"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(other.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="A total of 1 objects could not be loaded"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    for a, b in zip(other.get_weights()[:6], model.get_weights()[:6]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(other.layers[2].get_weights()[0], before[6])


def test_weights_file_with_a_link_is_refused(tmp_path):
    model, _, _ = _trained()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink("/etc/passwd", "/x")
    with pytest.raises(ValueError, match="Not allowed"):
        model.load_weights(path)


# -- argument errors -------------------------------------------------------------------------

def test_extensions_are_checked(tmp_path):
    model, _, _ = _trained()
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(tmp_path / "m.pt")
    with pytest.raises(ValueError, match=r"must end in `.weights.h5`. Received: filepath=.*w.pt"):
        model.save_weights(tmp_path / "w.pt")
    with pytest.raises(ValueError, match="File format not supported"):
        keras.models.load_model(tmp_path / "m.pt")
    with pytest.raises(ValueError, match="File not found"):
        keras.models.load_model(tmp_path / "missing.keras")
    with pytest.raises(ValueError, match="`by_name` only supports loading legacy"):
        model.load_weights(tmp_path / "w.weights.h5", by_name=True)
    with pytest.raises(ValueError, match="not yet been built"):
        keras.Sequential([layers.Dense(2)]).save_weights(tmp_path / "w.weights.h5")


def test_overwrite_false_asks_first(tmp_path, monkeypatch):
    model, _, _ = _trained()
    path = tmp_path / "m.keras"
    path.write_bytes(b"keep me")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    model.save(path, overwrite=False)
    assert path.read_bytes() == b"keep me"


# -- torch interop ---------------------------------------------------------------------------

def test_state_dict_keys_map_to_keras_paths_and_load_into_a_twin():
    model, x, _ = _trained()
    paths = keras.saving.variable_paths(model)
    assert paths == {"0.kernel": "sequential/dense/kernel", "0.bias": "sequential/dense/bias",
                     "1.gamma": "sequential/batch_normalization/gamma",
                     "1.beta": "sequential/batch_normalization/beta",
                     "1.moving_mean": "sequential/batch_normalization/moving_mean",
                     "1.moving_variance": "sequential/batch_normalization/moving_variance",
                     "2.kernel": "sequential/dense_1/kernel", "2.bias": "sequential/dense_1/bias"}
    twin = _mlp(compiled=False)
    twin.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(twin.predict(x, verbose=0), model.predict(x, verbose=0))


def test_functional_state_dict_lists_each_variable_once():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(layers.Dense(4)(inputs)))
    # Run order: the inner Dense(4), created second, is `dense_1`.
    assert list(model.state_dict()) == ["_graph_layers.dense_1.kernel", "_graph_layers.dense_1.bias",
                                        "_graph_layers.dense.kernel", "_graph_layers.dense.bias"]
    assert saving_lib.KERAS_VERSION.startswith("3.")
