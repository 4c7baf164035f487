"""Operators and tf.* ops on KerasTensors become graph nodes (Keras 3 names; tf.* beyond Keras 3)."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras

L = keras.layers


@pytest.mark.parametrize(("build", "shape", "dtype", "name", "cls"), [
    (lambda x: x + 1, (None, 4), "float32", "add", "Add"),
    (lambda x: 1 + x, (None, 4), "float32", "add", "Add"),
    (lambda x: x - x, (None, 4), "float32", "subtract", "Subtract"),
    (lambda x: x * 2.0, (None, 4), "float32", "multiply", "Multiply"),
    (lambda x: x / 2.0, (None, 4), "float32", "true_divide", "TrueDivide"),
    (lambda x: -x, (None, 4), "float32", "negative", "Negative"),
    (lambda x: x[:, 0], (None,), "float32", "get_item", "GetItem"),
    (lambda x: x ** 2, (None, 4), "float32", "power", "Power"),
    (lambda x: x > 0, (None, 4), "bool", "greater", "Greater"),
    (lambda x: abs(x), (None, 4), "float32", "absolute", "Absolute"),
], ids=["add", "radd", "sub", "mul", "div", "neg", "getitem", "pow", "gt", "abs"])
def test_operators_record_keras_operations(build, shape, dtype, name, cls):
    y = build(keras.Input((4,)))
    op = y._keras_history.operation
    assert (y.shape, y.dtype, op.name, type(op).__name__) == (shape, dtype, name, cls)


def test_a_functional_model_replays_operators_and_tf_ops():
    x = keras.Input((4,))
    hidden = L.Dense(3, kernel_initializer="ones")(x)
    joined = tf.concat([hidden, x[:, :2] * 2.0], axis=-1)
    out = tf.reduce_sum(joined, axis=1, keepdims=True) + 1.0
    model = keras.Model(x, out)
    assert joined.shape == (None, 5) and out.shape == (None, 1)
    data = np.arange(8, dtype="float32").reshape(2, 4)
    expected = data.sum(1, keepdims=True) * 3 + data[:, :2].sum(1, keepdims=True) * 2 + 1
    np.testing.assert_allclose(model(data).numpy(), expected, rtol=1e-6)
    assert model.count_params() == 15


def test_dispatch_keeps_shared_names_identical_and_eager_ops_unchanged():
    keras.Input((2,))
    assert tf.math.reduce_sum is tf.reduce_sum and tf.linalg.matmul is tf.matmul
    np.testing.assert_array_equal(tf.concat([tf.ones(2), tf.zeros(1)], 0).numpy(), [1.0, 1.0, 0.0])


def test_models_with_ops_train():
    x = keras.Input((3,))
    out = L.Dense(1)(tf.concat([x, x * x], axis=-1))
    model = keras.Model(x, out)
    model.compile("sgd", "mse")
    data = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    target = data.sum(1, keepdims=True)
    first = model.evaluate(data, target, verbose=0)
    model.fit(data, target, epochs=5, verbose=0)
    assert model.evaluate(data, target, verbose=0) < first
