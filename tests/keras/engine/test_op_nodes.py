"""Operation nodes (operators, `tf.*` calls) in functional model configs and `.keras` files."""

import json

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.engine import symbolic_ops, tf_op_layer

L = keras.layers
RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype("float32")
M = RNG.normal(size=(3, 3, 4)).astype("float32")


def _operation(model, name: str):
    """An operation node of a functional model by name (Keras 3 keeps operations out of `layers`)."""
    return next(layer for layer in model._layer_list if layer.name == name)


def _model():
    x, m = keras.Input((4,), name="x"), keras.Input((3, 4), name="m")
    hidden = L.Dense(4, name="dense")(x)
    outputs = {
        "constants": 2.0 - hidden * 3 + 1,
        "slices": m[..., 1:, ::-1] + m[:, :2, None, 0],
        "keras_op": tf.reduce_sum(tf.concat([hidden, x], axis=-1), axis=1, keepdims=True),
        "tf_only": tf.argmax(hidden, axis=1),
        "compare": tf.where(x > 0, x, -x) ** 2,
    }
    return keras.Model({"x": x, "m": m}, outputs)


def _predict(model) -> dict:
    return {k: v.numpy() for k, v in model({"x": X, "m": M}).items()}


def _assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for key in want:
        assert got[key].dtype == want[key].dtype, key
        np.testing.assert_allclose(got[key], want[key], rtol=1e-6, err_msg=key)


def test_get_config_writes_operations_as_keras_3_does():
    x = keras.Input((3, 4))
    model = keras.Model(x, [1 + x[:, 0], tf.reduce_mean(x, axis=[1, 2])])
    entries = {e["name"]: e for e in json.loads(json.dumps(model.get_config()))["layers"]}
    get_item, add, mean = entries["get_item"], entries["add"], entries["mean"]
    assert {k: get_item[k] for k in ("module", "class_name", "config")} == {
        "module": "keras.src.ops.numpy", "class_name": "GetItem", "config": {"name": "get_item"}}
    assert get_item["inbound_nodes"][0]["args"][1] == [
        {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}}, 0]
    assert add["inbound_nodes"][0]["args"][0] == 1  # Keras's order: `1 + x` is add(1, x)
    assert (mean["class_name"], mean["config"]) == ("Mean", {"name": "mean", "axis": [1, 2], "keepdims": False})


def test_from_config_rebuilds_operations_and_computes_the_same():
    model = _model()
    clone = type(model).from_config(json.loads(json.dumps(model.get_config())))
    clone.set_weights(model.get_weights())
    _assert_same(_predict(clone), _predict(model))


def test_keras_file_round_trip_keeps_operations(tmp_path):
    model = _model()
    model.save(tmp_path / "ops.keras")
    restored = keras.models.load_model(tmp_path / "ops.keras")
    _assert_same(_predict(restored), _predict(model))
    assert type(_operation(restored, "argmax")).__name__ == "TFOpLambda"


@pytest.mark.parametrize(("build", "class_name", "config"), [
    (lambda x: tf.concat([x, x], axis=1), "Concatenate", {"axis": 1}),
    (lambda x: tf.reduce_max(x, 1, keepdims=True), "Max", {"axis": 1, "keepdims": True, "initial": None}),
    (lambda x: tf.reshape(x, (-1, 2, 2)), "Reshape", {"newshape": [-1, 2, 2]}),
    (lambda x: tf.transpose(x), "Transpose", {"axes": None}),
    (lambda x: tf.cast(x, tf.int32), "Cast", {"dtype": "int32"}),
    (lambda x: tf.nn.softmax(x), "Softmax", {"axis": -1}),
    (lambda x: tf.clip_by_value(x, 0.0, 1.0), "Clip", {"x_min": 0.0, "x_max": 1.0}),
    (lambda x: tf.add(x, 1.0), "Add", {}),
    (lambda x: tf.matmul(x, x, transpose_b=True), "TFOpLambda", {"function": "linalg.matmul"}),
    (lambda x: tf.split(x, [1, 3], axis=1)[0], "TFOpLambda", {"function": "split"}),
    (lambda x: tf.reduce_mean(tf.cast(x, tf.int32)), "TFOpLambda", {"function": "math.reduce_mean"}),
], ids=["concat", "reduce_max", "reshape", "transpose", "cast", "softmax", "clip", "add", "matmul_flags",
        "split_sizes", "int_mean"])
def test_tf_functions_become_the_keras_operation_computing_the_same(build, class_name, config):
    op = build(keras.Input((4,)))._keras_history.operation
    got = {k: v for k, v in op.get_config().items() if k in config}
    assert (type(op).__name__, got) == (class_name, config)


@pytest.mark.parametrize(("build", "dtype"), [
    (lambda i, b: i / 2, "float32"),
    (lambda i, b: i + 1.5, "float32"),
    (lambda i, b: i * 2, "int32"),
    (lambda i, b: tf.reduce_sum(i, axis=1), "int32"),
    (lambda i, b: i > 1, "bool"),
    (lambda i, b: b & (i > 1), "bool"),
], ids=["int_div", "int_plus_float", "int_times_int", "int_sum", "compare", "logical_and"])
def test_operations_follow_keras_dtype_rules(build, dtype):
    i, b = keras.Input((4,), dtype="int32"), keras.Input((4,), dtype="bool")
    out = build(i, b)
    model = keras.Model([i, b], out)
    value = model([np.arange(8, dtype="int32").reshape(2, 4), np.ones((2, 4), bool)])
    assert (out.dtype, value.dtype.name) == (dtype, dtype)


def test_not_equal_operator_records_a_node():
    t = keras.Input((5,), dtype="int32")
    out = t != 0
    assert (type(out._keras_history.operation).__name__, out.dtype) == ("NotEqual", "bool")
    got = keras.Model(t, out)(np.array([[1, 0, 2, 0, 0]], "int32")).numpy()
    np.testing.assert_array_equal(got, [[True, False, True, False, False]])


def test_operations_drop_the_mask_silently_as_keras_does():
    tokens = keras.Input((4,), dtype="int32")
    embedding = L.Embedding(5, 2, mask_zero=True)
    out = L.GlobalAveragePooling1D()(embedding(tokens) * 2.0)
    embedding.set_weights([np.array([[0.0, 0.0]] + [[1.0, 1.0]] * 4, "float32")])
    got = keras.Model(tokens, out)(np.array([[1, 2, 0, 0]], "int32")).numpy()
    np.testing.assert_allclose(got, [[1.0, 1.0]])  # the padding counts: no mask reached the pooling


def test_operation_layers_hold_no_weights():
    x = keras.Input((4,))
    model = keras.Model(x, tf.nn.relu(x) * 2.0)
    assert model.count_params() == 0 and _operation(model, "relu").weights == []


def test_keras2_tf_op_lambda_configs_load():
    config = {"module": "kerastorch.keras.engine.tf_op_layer", "class_name": "TFOpLambda",
              "registered_name": "kerastorch>TFOpLambda",
              "config": {"name": "tf.math.reduce_sum", "trainable": True, "dtype": "float32",
                         "function": "math.reduce_sum"}}
    layer = L.deserialize(config)
    assert layer.name == "tf.math.reduce_sum"
    np.testing.assert_allclose(layer(X, axis=1).numpy(), X.sum(1), rtol=1e-6)
    spec = [{"start": None, "stop": None, "step": None}, {"class_name": "__ellipsis__"}, 0]
    getitem = tf_op_layer.SlicingOpLambda(function="__operators__.getitem")
    np.testing.assert_array_equal(getitem(M, slice_spec=spec).numpy(), M[:, ..., 0])


@pytest.mark.parametrize(("make", "match"), [
    (lambda: tf_op_layer.TFOpLambda(function="io.write_file"), "Unknown TF function"),
    (lambda: symbolic_ops.OPERATIONS["Sum"](axes=1), "unexpected keyword arguments"),
    (lambda: symbolic_ops.OPERATIONS["Cast"](), "missing required arguments"),
], ids=["unknown_function", "unknown_config_key", "missing_config_key"])
def test_bad_operation_configs_raise(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()
