"""Tests for `tf.keras.activations`: the facade functions, their torch twins, get/serialize.

Values against TF are in compat/test_families_parity.py; here the expected values are
hand-derived from Keras's formulas or printed by Keras 3.15 (said where so).
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import _serialization
from kerastorch.keras import activations as A

NAMES = sorted(A.ALL_OBJECTS_DICT)


def _call(fn, x):
    return fn(x, 0.5, -1.0) if fn is A.threshold else fn(x)


def test_public_names_are_keras_names():
    assert A.__all__ == sorted([*NAMES, "deserialize", "get", "serialize"])
    assert A.swish is A.silu and A.hard_swish is A.hard_silu


@pytest.mark.parametrize("name", NAMES)
def test_returns_tensor_of_input_dtype(name):
    fn = A.get(name)
    out = _call(fn, tf.constant([[-1.0, 0.5], [2.0, 4.0]]))
    assert isinstance(out, tf.Tensor)
    assert (out.dtype, out.shape) == (tf.float32, (2, 1) if name == "glu" else (2, 2))


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float64], ids=["f16", "bf16", "f64"])
@pytest.mark.parametrize("name", [n for n in NAMES if n != "linear"])
def test_keeps_float_dtypes(name, dtype):
    assert _call(A.get(name), tf.constant([[-1.0, 2.0]], dtype)).dtype == dtype


def test_accepts_numpy_python_and_variables():
    np.testing.assert_allclose(A.relu([-1.0, 2.0]).numpy(), [0.0, 2.0])
    assert A.sigmoid(np.array([0.0])).dtype == tf.float64  # numpy keeps its dtype, as in Keras
    assert A.tanh(tf.Variable([0.0])).numpy().tolist() == [0.0]


def test_linear_returns_its_input_itself():
    x = np.array([1, 2])
    assert A.linear(x) is x
    assert A.get(None) is A.linear


def test_integer_inputs():
    # Keras 3.15: relu/relu6 keep int32, exponential/tanh/leaky_relu give float32, others fail.
    assert A.relu(tf.constant([-1, 2])).numpy().tolist() == [0, 2]
    assert A.relu6(tf.constant([-1, 9])).dtype == tf.int32
    assert A.exponential(tf.constant([0])).dtype == tf.float32
    with pytest.raises(TypeError, match="^`sigmoid` expects a floating point input. Received: x.dtype=int32$"):
        A.sigmoid(tf.constant([1]))
    with pytest.raises(TypeError, match="x.dtype=bool"):
        A.relu(tf.constant([True]))


RELU_VARIANTS = [
    # hand-derived from Keras's formula on x = [-2, -0.5, 0, 0.5, 1, 3, 7]
    ({}, [0, 0, 0, 0.5, 1, 3, 7]),
    ({"negative_slope": 0.1}, [-0.2, -0.05, 0, 0.5, 1, 3, 7]),
    ({"max_value": 6.0}, [0, 0, 0, 0.5, 1, 3, 6]),
    ({"max_value": 2.5}, [0, 0, 0, 0.5, 1, 2.5, 2.5]),
    ({"threshold": 0.5}, [0, 0, 0, 0, 1, 3, 7]),
    ({"negative_slope": 0.1, "max_value": 4.0, "threshold": 0.5}, [-0.25, -0.1, -0.05, 0, 1, 3, 4]),
]


@pytest.mark.parametrize("kwargs, expected", RELU_VARIANTS, ids=["plain", "slope", "max6", "max", "threshold",
                                                                 "all"])
def test_relu_variants(kwargs, expected):
    out = A.relu(tf.constant([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0, 7.0]), **kwargs)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6, atol=1e-7)


TIE_GRADIENTS = [
    # TF's gradients at the tie points (printed by TF 2.21): where torch's fused kernel differs
    ("selu", 0.0, 1.0507010),
    ("hard_tanh", 1.0, 1.0),
    ("celu", 0.0, 2.0),
    ("relu6", 6.0, 0.0),
    ("relu6", 0.0, 0.0),
    ("hard_silu", 3.0, 1.0),
    ("hard_silu", -3.0, 0.0),
]


@pytest.mark.parametrize("name, at, expected", TIE_GRADIENTS, ids=[f"{n}@{a}" for n, a, _ in TIE_GRADIENTS])
def test_gradient_at_tie_points(name, at, expected):
    x = tf.constant([at])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = A.get(name)(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [expected], rtol=1e-6)


def test_softmax_axes():
    x = tf.constant(np.arange(6, dtype="float32").reshape(2, 3))
    np.testing.assert_allclose(A.softmax(x, axis=(0, 1)).numpy().sum(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(A.softmax(x, axis=None).numpy(), A.softmax(x, axis=(0, 1)).numpy())
    np.testing.assert_allclose(A.softmax(x, axis=0).numpy().sum(axis=0), [1.0, 1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(np.exp(A.log_softmax(x, axis=(1, 0)).numpy()), A.softmax(x, axis=None).numpy(),
                               rtol=1e-6)


def test_softmax_over_a_size_one_axis_warns():
    with pytest.warns(UserWarning, match=r"softmax over axis -1 of a tensor of shape \(2, 1\)"):
        out = A.softmax(tf.ones((2, 1)))
    assert out.numpy().tolist() == [[1.0], [1.0]]


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match=r"axis size must be divisible by 2. Received: x.shape=\(2, 3\)"):
        A.glu(tf.ones((2, 3)))


def test_raw_activation_is_the_torch_twin():
    twin = A.raw_activation(A.relu)
    raw = torch.tensor([-1.0, 2.0], requires_grad=True)
    out = twin(raw)
    assert type(out) is torch.Tensor and out.requires_grad  # no facade, graph kept
    assert A.raw_activation(A.linear)(raw) is raw
    assert A.raw_activation(A.gelu) is A.raw_activation(A.get("gelu"))


@pytest.mark.parametrize("fn", [tf.nn.relu, lambda t: t * 2.0], ids=["tf.nn.relu", "lambda"])
def test_raw_activation_of_foreign_callables(fn):
    out = A.raw_activation(fn)(torch.tensor([-1.0, 2.0]))
    assert type(out) is torch.Tensor
    np.testing.assert_allclose(out.numpy(), fn(tf.constant([-1.0, 2.0])).numpy())


def test_get():
    assert A.get("relu") is A.relu
    assert A.get("swish") is A.silu
    assert A.get(A.tanh) is A.tanh
    assert A.get({"module": "keras.activations", "class_name": "function", "config": "elu",
                  "registered_name": "elu"}) is A.elu
    assert A.get({"module": "builtins", "class_name": "function", "config": "relu",
                  "registered_name": "function"}) is A.relu
    with pytest.raises(ValueError, match="^Could not interpret activation function identifier: nope$"):
        A.get("nope")
    with pytest.raises(TypeError, match="Could not locate class 'nope'"):
        A.get({"class_name": "nope", "config": {}})


def test_serialize_and_deserialize():
    assert A.serialize(A.swish) == "silu"
    assert A.deserialize("hard_swish") is A.hard_silu
    assert A.deserialize("nope") == "nope"  # Keras hands unknown names back

    def custom(x):
        return x

    # printed by Keras 3.15 for a user function
    assert A.serialize(custom) == {"module": "builtins", "class_name": "function", "config": "custom",
                                   "registered_name": "function"}
    assert A.deserialize("custom", custom_objects={"custom": custom}) is custom


def test_registered_function_round_trip():
    @_serialization.register_keras_serializable(package="kt_tests")
    def doubled(x):
        return x * 2.0

    config = A.serialize(doubled)
    assert config["config"] == "kt_tests>doubled"
    assert A.deserialize(config) is doubled


def test_serializing_a_lambda_warns_and_needs_unsafe_mode():
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = _serialization.serialize_keras_object(lambda x: x + 1)
    with pytest.raises(ValueError, match="deserialization of a Python lambda"):
        _serialization.deserialize_keras_object(config)
    assert _serialization.deserialize_keras_object(config, safe_mode=False)(1) == 2


def test_foreign_raw_activation_keeps_the_graph_in_the_engine_context():
    from kerastorch.keras.engine.call_context import keep_graph

    raw = torch.tensor([-1.0, 2.0], requires_grad=True)
    with keep_graph():
        A.raw_activation(lambda t: tf.nn.relu(t) * 3.0)(raw).sum().backward()
    assert raw.grad.tolist() == [0.0, 3.0]
