"""Activation layers: Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax.

Expected values and error messages were read from TF 2.21 / Keras 3.15 running the same
code, or derived by hand from Keras's formulas.
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer, unbuilt

L = keras.layers


HARNESS = [
    ("activation", lambda: unbuilt(L.Activation("tanh")), (2, 3), {}),
    ("relu", lambda: unbuilt(L.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2)), (2, 3, 4), {}),
    ("leaky_relu", lambda: unbuilt(L.LeakyReLU(0.2)), (2, 5), {}),
    ("prelu", lambda: L.PReLU(alpha_initializer="ones"), (2, 3, 4), {}),
    ("prelu_shared", lambda: L.PReLU(alpha_initializer="ones", shared_axes=[1, 2]), (2, 3, 3, 2), {}),
    ("elu", lambda: unbuilt(L.ELU(0.5)), (2, 5), {}),
    ("softmax", lambda: unbuilt(L.Softmax(axis=1)), (2, 3, 4), {}),
    ("softmax_mask", lambda: unbuilt(L.Softmax()), (2, 3),
     {"mask": tf.constant([[True, False, True], [False, True, True]])}),
]


@pytest.mark.parametrize(("make", "shape", "kwargs"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape, kwargs):
    check_layer(make, shape, call_kwargs=kwargs)


@pytest.mark.parametrize(("layer", "keys"), [
    (L.Activation("relu"), ["activation", "dtype", "name", "trainable"]),
    (L.ReLU(), ["dtype", "max_value", "name", "negative_slope", "threshold", "trainable"]),
    (L.LeakyReLU(), ["dtype", "name", "negative_slope", "trainable"]),
    (L.PReLU(), ["alpha_constraint", "alpha_initializer", "alpha_regularizer", "dtype", "name", "shared_axes",
                 "trainable"]),
    (L.ELU(), ["alpha", "dtype", "name", "trainable"]),
    (L.Softmax(), ["axis", "dtype", "name", "trainable"]),
], ids=["activation", "relu", "leaky_relu", "prelu", "elu", "softmax"])
def test_config_keys_are_keras_keys(layer, keys):
    assert sorted(layer.get_config()) == keys


def test_weightless_layers_are_built_at_creation_and_pass_masks():
    x = tf.constant([[-1.0, 2.0], [3.0, -4.0]])
    x._keras_mask = tf.constant([True, False])
    for layer in (L.Activation("relu"), L.ReLU(), L.LeakyReLU(), L.ELU(), L.Softmax(), L.PReLU()):
        assert layer.built == (not isinstance(layer, L.PReLU))
        np.testing.assert_array_equal(layer(x)._keras_mask, [True, False])


# -- Activation, ReLU, LeakyReLU, ELU --------------------------------------------------

X = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], "float32")


@pytest.mark.parametrize(("layer", "want"), [
    (L.Activation("relu"), [0.0, 0.0, 0.0, 5.0, 10.0]),
    (L.Activation(None), X),
    (L.ReLU(max_value=10, negative_slope=0.5), [-5.0, -2.5, 0.0, 5.0, 10.0]),
    (L.ReLU(max_value=8, threshold=5), [0.0, 0.0, 0.0, 0.0, 8.0]),
    (L.ReLU(max_value=6.0), [0.0, 0.0, 0.0, 5.0, 6.0]),
    (L.LeakyReLU(negative_slope=0.5), [-5.0, -2.5, 0.0, 5.0, 10.0]),
    (L.LeakyReLU(), [-3.0, -1.5, 0.0, 5.0, 10.0]),
    (L.ELU(alpha=0.5), 0.5 * np.expm1(np.minimum(X, 0)) + np.maximum(X, 0)),
], ids=["activation_relu", "activation_linear", "relu_slope", "relu_threshold", "relu6", "leaky_half",
        "leaky_default", "elu_alpha"])
def test_values(layer, want):
    np.testing.assert_allclose(layer(X), want, rtol=1e-6)


def test_integer_inputs_follow_keras():
    ints = np.array([[-1, 2, 3]])
    relu = L.ReLU(max_value=2)(ints)
    assert relu.dtype == tf.int64
    np.testing.assert_array_equal(relu, [[0, 2, 2]])
    assert L.Activation("relu")(ints).dtype == tf.int64
    leaky = L.LeakyReLU()(ints)
    assert leaky.dtype == tf.float32
    np.testing.assert_allclose(leaky, [[-0.3, 2.0, 3.0]])
    # TF raises InvalidArgumentError from its Sigmoid kernel; the activations family raises TypeError.
    with pytest.raises(TypeError, match="`sigmoid` expects a floating point input"):
        L.Activation("sigmoid")(ints)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.ReLU(max_value=-1), "max_value of a ReLU layer cannot be a negative value. Received: max_value=-1"),
    (lambda: L.ReLU(negative_slope=-10),
     "negative_slope of a ReLU layer cannot be None or a negative value. Received: negative_slope=-10"),
    (lambda: L.ReLU(threshold=None),
     "threshold of a ReLU layer cannot be None or a negative value. Received: threshold=None"),
    (lambda: L.LeakyReLU(-0.1), "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                                "Expected a float. Received: negative_slope=-0.1"),
], ids=["relu_max_value", "relu_negative_slope", "relu_threshold", "leaky_relu"])
def test_argument_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


def test_leaky_relu_alpha_is_deprecated():
    with pytest.warns(UserWarning, match="Argument `alpha` is deprecated. Use `negative_slope` instead."):
        layer = L.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1 and "alpha" not in layer.get_config()


def test_activation_serializes_its_function():
    config = L.Activation(keras.activations.gelu).get_config()
    assert config["activation"] == "gelu"
    assert L.Activation.from_config(config).activation is keras.activations.gelu


# -- PReLU ------------------------------------------------------------------------------

def test_prelu_shared_axes_shape_and_formula():
    layer = L.PReLU(shared_axes=(1, 2))
    x = np.random.default_rng(0).standard_normal((2, 10, 5, 3)).astype("float32")
    layer(x)
    assert [tuple(w.shape.as_list()) for w in layer.weights] == [(1, 1, 3)]
    assert layer.weights[0].path.endswith("/alpha")
    alpha = np.array([[[0.1, 0.2, 0.3]]], "float32")
    layer.set_weights([alpha])
    np.testing.assert_allclose(layer(x), np.where(x > 0, x, alpha * x), rtol=1e-6)
    assert L.PReLU(shared_axes=1).shared_axes == [1]


def test_prelu_default_alpha_is_zero_and_input_spec_pins_unshared_axes():
    layer = L.PReLU(shared_axes=[1])
    out = layer(np.array([[[-1.0, 2.0]], [[3.0, -4.0]]], "float32"))
    np.testing.assert_array_equal(out, [[[0.0, 2.0]], [[3.0, 0.0]]])
    layer(np.ones((2, 7, 2), "float32"))  # the shared axis may change
    with pytest.raises(ValueError, match="expected axis 2 of input shape to have value 2"):
        layer(np.ones((2, 1, 3), "float32"))


def test_prelu_gradient_at_zero_is_zero_as_in_keras():
    layer = L.PReLU(alpha_initializer="ones")
    x = tf.constant([[0.0, -1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(layer(x))
    np.testing.assert_array_equal(tape.gradient(y, x), [[0.0, 1.0, 1.0]])


# -- Softmax ----------------------------------------------------------------------------

def test_softmax_values():
    out = L.Softmax()(np.array([[1.0, 2.0, 1.0]], "float32"))
    np.testing.assert_allclose(out, [[0.21194157, 0.5761169, 0.21194157]], rtol=1e-6)
    two = L.Softmax(axis=(1, 2))(np.arange(8, dtype="float32").reshape(1, 2, 4))
    np.testing.assert_allclose(two, np.exp(np.arange(8)).reshape(1, 2, 4) / np.exp(np.arange(8)).sum(), rtol=1e-5)


def test_softmax_mask_keeps_true_or_above_half_and_zeroes_the_rest():
    x = np.array([[1.0, 2.0, 5.0, 1.0], [1.0, 1.0, 1.0, 1.0], [3.0, 1.0, 2.0, 4.0]], "float32")
    mask = np.array([[True, True, False, False], [False] * 4, [True] * 4])
    out = L.Softmax()(x, mask=mask)
    np.testing.assert_allclose(out, [[0.268941, 0.731059, 0.0, 0.0], [0.0] * 4,
                                     [0.236883, 0.032059, 0.087144, 0.643914]], atol=1e-6)  # 6 digits given
    soft = L.Softmax()(np.array([[1.0, 2.0, 3.0]], "float32"), mask=np.array([[1.0, 0.4, 0.6]], "float32"))
    np.testing.assert_allclose(soft, [[0.11920291, 0.0, 0.880797]], rtol=1e-6)
    np.testing.assert_allclose(soft._keras_mask, [[1.0, 0.4, 0.6]])
    broadcast = L.Softmax()(np.array([[1.0, 2.0, 1.0], [3.0, 4.0, 5.0]], "float32"), mask=np.array([1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(np.asarray(broadcast)[:, 1], [0.0, 0.0])


def test_softmax_float16_mask_stays_finite():
    out = L.Softmax(dtype="float16")(np.array([[1.0, 2.0, 3.0]], "float16"), mask=np.array([[True, False, True]]))
    assert out.dtype == tf.float16
    np.testing.assert_allclose(np.asarray(out, "float32"), [[0.1192, 0.0, 0.8808]], atol=1e-3)


@pytest.mark.parametrize(("x", "mask", "message"), [
    ((1, 3), (2, 3), "The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the "
                     "corresponding input dimension. Received: inputs.shape=(1, 3), mask.shape=(2, 3)"),
    ((1, 3), (1, 1, 3), "The `mask` must be broadcastable to `inputs` and must not have more dimensions. "
                        "Received: inputs.shape=(1, 3), mask.shape=(1, 1, 3)"),
], ids=["larger_axis", "more_axes"])
def test_softmax_mask_errors(x, mask, message):
    with pytest.raises(ValueError) as info:
        L.Softmax()(np.ones(x, "float32"), mask=np.ones(mask, bool))
    assert str(info.value) == message


def test_softmax_refuses_a_timestep_mask_on_features_as_keras_does():
    x = tf.constant(np.arange(6, dtype="float32").reshape(1, 2, 3))
    x._keras_mask = tf.constant([[True, False]])
    with pytest.raises(ValueError, match=r"inputs.shape=\(1, 2, 3\), mask.shape=\(1, 2\)"):
        L.Softmax()(x)
