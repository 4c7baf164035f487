"""Mixed precision: policies, low-precision compute with float32 variables, training.

The dtypes below are Keras 3.15's (checked with TF 2.21): under `mixed_bfloat16` every
layer computes and outputs bfloat16, the model output included, unless a layer is given
`dtype="float32"`; variables, gradients and compiled losses stay float32.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras import dtype_policies, mixed_precision

L = keras.layers


@pytest.fixture(autouse=True)
def float32_afterwards():
    yield
    mixed_precision.set_global_policy("float32")


def test_namespace_aliases():
    assert mixed_precision.Policy is mixed_precision.DTypePolicy is keras.DTypePolicy
    assert mixed_precision.LossScaleOptimizer is keras.optimizers.LossScaleOptimizer
    assert mixed_precision.dtype_policy is mixed_precision.global_policy
    assert mixed_precision.set_dtype_policy is mixed_precision.set_global_policy


def test_global_policy_reaches_new_layers_only():
    before = L.Dense(2)
    mixed_precision.set_global_policy("mixed_bfloat16")
    assert repr(mixed_precision.global_policy()) == '<DTypePolicy "mixed_bfloat16">'
    after = L.Dense(2)
    assert (before.compute_dtype, after.compute_dtype, after.variable_dtype) == ("float32", "bfloat16", "float32")
    mixed_precision.set_global_policy(keras.DTypePolicy("float64"))
    assert L.Dense(2).dtype == "float64"


def test_reset_global_policy_goes_back_to_floatx():
    mixed_precision.set_global_policy("mixed_float16")
    dtype_policies.reset_global_policy()  # what Keras's clear_session does
    assert mixed_precision.global_policy() == keras.DTypePolicy(keras.config.floatx())


@pytest.mark.parametrize(("policy", "error", "message"), [
    (None, ValueError, "Invalid `policy` argument. Expected the string name of a policy (such as 'mixed_float16') "
                       "or a `DTypePolicy` instance. Received: policy=None (of type <class 'NoneType'>)"),
    ("float17", ValueError, "Cannot convert 'float17' to a mixed precision DTypePolicy."),
    ("mixed_float32", ValueError, "Cannot convert 'mixed_float32' to a mixed precision DTypePolicy."),
], ids=["none", "unknown_dtype", "unknown_mixed"])
def test_set_global_policy_errors(policy, error, message):
    with pytest.raises(error) as info:
        mixed_precision.set_global_policy(policy)
    assert str(info.value).startswith(message)


def test_float_dtype_policy_serializes_under_its_own_name():
    policy = dtype_policies.FloatDTypePolicy("mixed_float16")
    assert repr(policy) == '<DTypePolicy "mixed_float16">' and policy == keras.DTypePolicy("mixed_float16")
    config = dtype_policies.serialize(policy)
    assert config == {"module": "keras", "class_name": "FloatDTypePolicy", "config": {"name": "mixed_float16"},
                      "registered_name": None}
    assert type(dtype_policies.deserialize(config)) is dtype_policies.FloatDTypePolicy
    assert dtype_policies.get({"class_name": "Policy", "config": {"name": "mixed_bfloat16"}}).compute_dtype == \
        "bfloat16"  # tf.keras 2's files
    with pytest.raises(ValueError, match="does not support the dtype policy 'QuantizedDTypePolicy'"):
        dtype_policies.deserialize({"class_name": "QuantizedDTypePolicy", "config": {"mode": "int8"}})


def _mlp():
    return keras.Sequential([keras.Input((6,)), L.Dense(8, activation="relu"), L.Dense(3)])


def _cnn():
    return keras.Sequential([keras.Input((6, 6, 2)), L.Conv2D(4, 3, activation="relu"), L.BatchNormalization(),
                             L.MaxPooling2D(), L.Flatten(), L.Dense(3)])


def _lstm():
    return keras.Sequential([keras.Input((5,)), L.Embedding(10, 4), L.LSTM(6, return_sequences=True), L.GRU(3)])


_INPUTS = {"mlp": (6,), "cnn": (6, 6, 2), "lstm": (5,)}


def _input(kind: str, batch: int = 4):
    rng = np.random.default_rng(3)
    if kind == "lstm":
        return rng.integers(1, 10, (batch, 5))
    return rng.normal(size=(batch, *_INPUTS[kind])).astype("float32")


@pytest.mark.parametrize("build", [_mlp, _cnn, _lstm], ids=["mlp", "cnn", "lstm"])
def test_layers_compute_in_bfloat16_with_float32_variables(build):
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = build()
    x = _input(build.__name__[1:])
    h = x
    for layer in model.layers:
        h = layer(h)
        assert (layer.compute_dtype, h.dtype) == ("bfloat16", tf.bfloat16), layer.name
        assert {w.dtype for w in layer.weights} <= {tf.float32}, layer.name
    assert model(x).dtype == tf.bfloat16 and model.outputs[0].dtype == "bfloat16"


def test_a_float32_last_layer_gives_float32_outputs():
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = keras.Sequential([keras.Input((6,)), L.Dense(3), L.Activation("softmax", dtype="float32")])
    assert model(_input("mlp")).dtype == tf.float32 and model.outputs[0].dtype == "float32"
    assert model.layers[-1].dtype_policy == keras.DTypePolicy("float32")


def test_torch_inputs_are_cast_to_the_compute_dtype():
    dense = L.Dense(2, dtype="mixed_bfloat16")
    out = dense(torch.ones(3, 4))
    assert type(out) is torch.Tensor and out.dtype is torch.bfloat16
    assert dense.kernel._param.dtype is torch.float32


def test_gradients_and_compiled_loss_are_float32():
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = _mlp()
    x, y = _input("mlp"), np.zeros((4, 3), "float32")
    with tf.GradientTape() as tape:
        pred = model(x)
        loss = keras.losses.MeanSquaredError()(y, pred)
    assert (pred.dtype, loss.dtype) == (tf.bfloat16, tf.float32)
    assert {g.dtype for g in tape.gradient(loss, model.trainable_weights)} == {tf.float32}


@pytest.mark.parametrize("build", [_mlp, _cnn, _lstm], ids=["mlp", "cnn", "lstm"])
def test_fit_under_mixed_bfloat16_decreases_the_loss(build):
    mixed_precision.set_global_policy("mixed_bfloat16")
    keras.utils.set_random_seed(0)
    model = build()
    x = _input(build.__name__[1:], batch=32)
    y = np.random.default_rng(1).normal(size=(32, 3)).astype("float32")
    model.compile(keras.optimizers.Adam(0.01), "mse")
    assert type(model.optimizer) is keras.optimizers.Adam  # loss scaling is for float16 only
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert {w.dtype for w in model.weights} == {tf.float32}
    predicted = model.predict(x, verbose=0)
    # numpy has no bfloat16 (TF returns an ml_dtypes array): its values, exactly, in float32.
    assert predicted.dtype == np.float32 and predicted.shape == (32, 3)


def test_mixed_float16_compile_wraps_the_optimizer_and_fit_trains():
    mixed_precision.set_global_policy("mixed_float16")
    keras.utils.set_random_seed(0)
    model = _mlp()
    model.compile(keras.optimizers.SGD(0.05), "mse")
    assert type(model.optimizer) is keras.optimizers.LossScaleOptimizer
    assert (model.optimizer.name, model.optimizer.inner_optimizer.name) == ("loss_scale_optimizer", "sgd")
    x, y = _input("mlp", batch=32), np.ones((32, 3), "float32")
    history = model.fit(x, y, epochs=4, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(model.optimizer.iterations.numpy()) == 16 and float(model.optimizer.dynamic_scale.numpy()) == 2.0**15
    assert {w.dtype for w in model.weights} == {tf.float32} and model(x).dtype == tf.float16
    model.compile(keras.optimizers.SGD(0.05), "mse", auto_scale_loss=False)
    assert type(model.optimizer) is keras.optimizers.SGD


def test_fit_differentiates_the_loss_scaled_by_loss_scale_factor():
    def trained(factor):
        model = keras.Sequential([keras.Input((3,)), L.Dense(1, kernel_initializer="ones")])
        model.compile(keras.optimizers.SGD(0.1, loss_scale_factor=factor), "mse")
        model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), batch_size=2, verbose=0)
        return model.get_weights()

    for scaled, plain in zip(trained(64.0), trained(None)):
        np.testing.assert_array_equal(scaled, plain)



@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_a_graph_model_passes_its_inputs_in_the_input_dtype(functional):
    # Keras casts a Sequential / functional model's inputs to its Input's dtype, not to the
    # compute dtype: a float32 first layer under a mixed policy sees float32 values.
    mixed_precision.set_global_policy("mixed_bfloat16")
    first = L.Dense(1, dtype="float32", kernel_initializer="ones")
    if functional:
        inputs = keras.Input((3,))
        model = keras.Model(inputs, first(inputs))
    else:
        model = keras.Sequential([keras.Input((3,)), first])
    x = np.array([[1.001, 2.003, 3.007]], "float32")
    assert model.compute_dtype == "bfloat16"
    np.testing.assert_allclose(model(x).numpy(), [[6.011]], rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), [[6.011]], rtol=1e-6)
