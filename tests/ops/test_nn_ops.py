"""Tests for `tf.nn`: activations, dropout, moments, normalization and logit losses.

Expected values were printed by TF 2.21 unless the comment says they are hand-derived.
"""

import numpy as np
import pytest

import kerastorch as tf

X = [-2.0, 0.0, 3.0, 7.0]

ACTIVATIONS = [
    # from TF 2.21
    (tf.nn.relu, [0.0, 0.0, 3.0, 7.0]),
    (tf.nn.relu6, [0.0, 0.0, 3.0, 6.0]),
    (tf.nn.elu, [-0.86466473, 0.0, 3.0, 7.0]),
    (tf.nn.selu, [-1.5201665, 0.0, 3.152103, 7.354907]),
    (tf.nn.gelu, [-0.04550026, 0.0, 2.9959502, 7.0]),
    (tf.nn.softplus, [0.126928, 0.6931472, 3.0485873, 7.0009117]),
    (tf.nn.softsign, [-0.6666667, 0.0, 0.75, 0.875]),
    (tf.nn.swish, [-0.23840584, 0.0, 2.8577223, 6.993623]),
    (tf.nn.silu, [-0.23840584, 0.0, 2.8577223, 6.993623]),
    (tf.nn.leaky_relu, [-0.4, 0.0, 3.0, 7.0]),
    (tf.nn.sigmoid, [0.11920292, 0.5, 0.95257413, 0.99908894]),
    (tf.nn.tanh, [-0.9640276, 0.0, 0.9950547, 0.99999833]),
    (tf.nn.softmax, [1.21067045e-04, 8.94571247e-04, 1.79679431e-02, 9.81016457e-01]),
    (tf.nn.log_softmax, [-9.019166, -7.019166, -4.019166, -0.01916604]),
]


@pytest.mark.parametrize("fn, expected", ACTIVATIONS, ids=[f.__name__ for f, _ in ACTIVATIONS])
def test_activation_values(fn, expected):
    out = fn(tf.constant(X))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float64], ids=["f16", "bf16", "f64"])
@pytest.mark.parametrize("fn", [f for f, _ in ACTIVATIONS], ids=[f.__name__ for f, _ in ACTIVATIONS])
def test_activation_keeps_float_dtype(fn, dtype):
    assert fn(tf.constant([-1.0, 2.0], dtype)).dtype == dtype


@pytest.mark.parametrize("fn", [tf.nn.elu, tf.nn.selu, tf.nn.softplus, tf.nn.softsign, tf.nn.softmax,
                                tf.nn.log_softmax, tf.nn.swish, tf.nn.l2_loss],
                         ids=lambda f: f.__name__)
def test_float_only_activations_refuse_integers(fn):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        fn(tf.constant([1, 2]))


def test_relu_keeps_integer_dtypes():
    out = tf.nn.relu6(tf.constant([-1, 2, 9], tf.int64))
    assert out.dtype == tf.int64
    assert out.numpy().tolist() == [0, 2, 6]
    with pytest.raises(tf.errors.InvalidArgumentError, match="of bool"):
        tf.nn.relu(tf.constant([True]))


def test_gelu_approximate_and_integer_error():
    # from TF 2.21
    out = tf.nn.gelu(tf.constant(X), approximate=True)
    np.testing.assert_allclose(out.numpy(), [-0.04540223, 0.0, 2.9963627, 7.0], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="`features.dtype` must be a floating point tensor"):
        tf.nn.gelu(tf.constant([1]))


def test_leaky_relu_alpha_and_integer_input():
    # from TF 2.21: integers are cast to float32
    out = tf.nn.leaky_relu(tf.constant([-2, 0, 3]), 0.1)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [-0.2, 0.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.leaky_relu(tf.constant([-1.0, 2.0]), 2.0).numpy(), [-2.0, 2.0])


def test_swish_beta():
    # from TF 2.21
    out = tf.nn.swish(tf.constant(X), 2.0)
    np.testing.assert_allclose(out.numpy(), [-0.03597242, 0.0, 2.992582, 6.9999943], rtol=1e-5)


def test_softmax_axis():
    # from TF 2.21
    out = tf.nn.softmax(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axis=0)
    np.testing.assert_allclose(out.numpy(), [[0.11920291, 0.04742587], [0.880797, 0.95257413]], rtol=1e-5)
    out = tf.nn.log_softmax(tf.zeros((1, 2, 1)), axis=1)
    np.testing.assert_allclose(out.numpy(), np.full((1, 2, 1), np.log(0.5)), rtol=1e-6)


def test_softmax_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`dim` must be in the range \[-2, 2\)"):
        tf.nn.softmax(tf.ones((2, 3)), axis=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="logits must have >= 1 dimension"):
        tf.nn.softmax(tf.constant(1.0))


def test_softmax_is_stable_for_large_logits():
    out = tf.nn.softmax(tf.constant([1000.0, 0.0]))
    np.testing.assert_allclose(out.numpy(), [1.0, 0.0])


# -- dropout ------------------------------------------------------------------------------

def test_dropout_scales_kept_values_and_drops_about_rate():
    tf.random.set_seed(1)
    out = tf.nn.dropout(tf.ones((200, 500)), 0.3).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.01


def test_dropout_rate_zero_returns_input_values():
    x = tf.constant([[1.0, 2.0]])
    np.testing.assert_array_equal(tf.nn.dropout(x, 0.0).numpy(), [[1.0, 2.0]])


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5, 1], ids=["one", "negative", "above", "int_one"])
def test_dropout_rejects_rate_outside_unit_interval(rate):
    with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the range \[0, 1\)"):
        tf.nn.dropout(tf.ones((2,)), rate)


def test_dropout_argument_errors():
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor"):
        tf.nn.dropout(tf.ones((3,), tf.int32), 0.5)
    with pytest.raises(ValueError, match="`rate` must be a scalar or scalar tensor. Received: rate=None"):
        tf.nn.dropout(tf.ones((3,)), None)
    with pytest.raises(ValueError, match="`x.dtype` must be compatible with `rate.dtype`"):
        tf.nn.dropout(tf.ones((3,)), tf.constant(0.5, tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be broadcastable"):
        tf.nn.dropout(tf.ones((4, 5)), 0.5, noise_shape=[3, 1])


def test_dropout_tensor_rate_and_noise_shape():
    tf.random.set_seed(2)
    out = tf.nn.dropout(tf.ones((50, 4)), tf.constant(0.5), noise_shape=[50, 1]).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert (out == out[:, :1]).all()  # one keep/drop decision per row
    out = tf.nn.dropout(tf.ones((2, 30)), 0.5, noise_shape=[None, 1]).numpy()
    assert (out == out[:, :1]).all()


def test_dropout_seed_is_reproducible():
    tf.random.set_seed(7)
    first = tf.nn.dropout(tf.ones((10, 10)), 0.5, seed=3).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(tf.nn.dropout(tf.ones((10, 10)), 0.5, seed=3).numpy(), first)


# -- moments and normalization -------------------------------------------------------

def test_moments_values():
    # from TF 2.21
    a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]])
    mean, variance = tf.nn.moments(a, axes=[0])
    np.testing.assert_allclose(mean.numpy(), [2.5, 3.5, 6.0])
    np.testing.assert_allclose(variance.numpy(), [2.25, 2.25, 9.0])
    mean, variance = tf.nn.moments(a, axes=[0, 1], keepdims=True)
    assert mean.shape == (1, 1)
    np.testing.assert_allclose(variance.numpy(), [[6.6666665]], rtol=1e-6)


def test_moments_integer_and_half_dtypes():
    # from TF 2.21: integer division truncates
    mean, variance = tf.nn.moments(tf.constant([[1, 2], [3, 6]]), axes=[0])
    assert mean.dtype == tf.int32 and variance.dtype == tf.int32
    assert mean.numpy().tolist() == [2, 4] and variance.numpy().tolist() == [1, 4]
    mean, variance = tf.nn.moments(tf.constant([-3, 1]), axes=[0])
    assert (int(mean), int(variance)) == (-1, 4)
    mean, variance = tf.nn.moments(tf.constant([[1, 2], [3, 6]], tf.float16), axes=0)
    assert mean.dtype == tf.float16
    np.testing.assert_allclose(variance.numpy(), [1.0, 4.0])


def test_moments_axis_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid reduction dimension"):
        tf.nn.moments(tf.ones((2, 3)), axes=[5])


def test_l2_normalize():
    # from TF 2.21
    a = tf.constant([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(tf.nn.l2_normalize(a, axis=1).numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.l2_normalize(a, 0).numpy(), [[1.0, 1.0], [0.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.l2_normalize(a).numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    out = tf.nn.l2_normalize(tf.constant([1e-7, 0.0]), epsilon=1e-6)
    np.testing.assert_allclose(out.numpy(), [1e-4, 0.0], rtol=1e-5)
    with pytest.raises(TypeError, match="Cannot convert 1e-12 to EagerTensor of dtype int32"):
        tf.nn.l2_normalize(tf.constant([3, 4]))


def test_l2_loss():
    # from TF 2.21
    assert float(tf.nn.l2_loss(tf.constant([[1.0, 2.0], [3.0, 4.0]]))) == 15.0
    assert tf.nn.l2_loss(tf.constant([1.0], tf.float64)).dtype == tf.float64


def test_bias_add_channels_last_and_first():
    v = tf.ones((2, 3, 4))
    out = tf.nn.bias_add(v, tf.constant([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(out.numpy()[1, 2], [2.0, 3.0, 4.0, 5.0])
    out = tf.nn.bias_add(v, tf.constant([1.0, 2.0, 3.0]), data_format="NCHW")
    np.testing.assert_array_equal(out.numpy()[0, :, 0], [2.0, 3.0, 4.0])
    out = tf.nn.bias_add(tf.ones((2, 2), tf.float64), [1.0, 2.0])
    assert out.dtype == tf.float64


@pytest.mark.parametrize("value, bias, kwargs, match", [
    (np.ones((2, 3, 4), np.float32), np.ones(3, np.float32), {}, "as many biases as the last dimension"),
    (np.ones((2, 3, 4), np.float32), np.ones((2, 2), np.float32), {}, r"Biases must be 1D: \[2,2\]"),
    (np.ones(3, np.float32), np.ones(3, np.float32), {}, r"Input tensor must be at least 2D: \[3\]"),
    (tf.ones((2, 3, 4)), tf.ones((4,), tf.float64), {}, "cannot compute BiasAdd"),
], ids=["size", "bias_rank", "value_rank", "dtype"])
def test_bias_add_errors(value, bias, kwargs, match):
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        tf.nn.bias_add(value, bias, **kwargs)


def test_bias_add_data_format_error():
    with pytest.raises(ValueError, match="`data_format` must be of the form"):
        tf.nn.bias_add(tf.ones((2, 3)), tf.ones((3,)), data_format="XYZ")


# -- losses ---------------------------------------------------------------------------

def test_sigmoid_cross_entropy_values_and_stability():
    # from TF 2.21
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([[1.0, 0.0], [0.3, 1.0]]),
                                                  logits=tf.constant([[1.0, -2.0], [0.5, 30.0]]))
    np.testing.assert_allclose(out.numpy(), [[0.3132617, 0.126928], [0.824077, 9.357623e-14]],
                               rtol=1e-5, atol=1e-6)
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 1.0], logits=[-100.0, -100.0])
    np.testing.assert_allclose(out.numpy(), [0.0, 100.0], atol=1e-6)


def test_sigmoid_cross_entropy_errors():
    with pytest.raises(ValueError, match=r"must have the same shape, received \(\(2, 2\) vs \(2,\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones((2,)), logits=tf.ones((2, 2)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute Mul"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones((2,), tf.float64), logits=tf.ones((2,)))
    with pytest.raises(ValueError, match="Both `labels` and `logits` must be provided"):
        tf.nn.sigmoid_cross_entropy_with_logits(logits=[0.0, 1.0])


def test_softmax_cross_entropy_values():
    # from TF 2.21
    labels = tf.constant([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]])
    logits = tf.constant([[2.0, 1.0, 0.1], [1000.0, 0.0, -5.0]])
    out = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(out.numpy(), [4.1702995e-01, 8.0250000e02], rtol=1e-5)
    out = tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]),
        logits=tf.constant([[2.0, 1.0, 0.1], [1.0, 0.0, -5.0]]), axis=0)
    np.testing.assert_allclose(out.numpy(), [0.31326166, 1.3132616, 5.106078], rtol=1e-5)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=[0.0, 1.0], logits=[2.0, 3.0])
    assert out.shape == () and abs(float(out) - 0.31326166) < 1e-6


def test_softmax_cross_entropy_dtypes_and_shapes():
    out = tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones((2, 2, 3)) / 3, logits=tf.ones((2, 2, 3)))
    assert out.shape == (2, 2)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones((1, 3), tf.float64) / 3,
                                                  logits=tf.ones((1, 3), tf.float16))
    assert out.dtype == tf.float16
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"logits_size=\[2,3\] labels_size=\[2,4\]"):
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones((2, 4)), logits=tf.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="of int32"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[0, 1]], logits=[[1, 2]])


def test_sparse_softmax_cross_entropy_values():
    # from TF 2.21
    logits = tf.constant([[2.0, 1.0, 0.1], [1000.0, 0.0, -5.0]])
    for labels in (tf.constant([0, 2]), tf.constant([0, 2], tf.int64), [0, 2]):
        out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        np.testing.assert_allclose(out.numpy(), [4.1702995e-01, 1.0050000e03], rtol=1e-5)
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([[0, 1]]), logits=tf.ones((1, 2, 3)))
    assert out.shape == (1, 2)
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0]), logits=tf.ones((1, 3), tf.float16))
    assert out.dtype == tf.float16


@pytest.mark.parametrize("labels, logits, error, match", [
    ([0, 3], np.zeros((2, 3), np.float32), tf.errors.InvalidArgumentError,
     r"Received a label value of 3 which is outside the valid range of \[0, 3\).  Label values: 0 3"),
    ([0, -1], np.zeros((2, 3), np.float32), tf.errors.InvalidArgumentError, "label value of -1"),
    (np.array([0.0, 1.0], np.float32), np.zeros((2, 3), np.float32), tf.errors.InvalidArgumentError,
     "attr 'Tlabels' of float"),
    ([[0, 1]], np.zeros((2, 3), np.float32), ValueError, r"`labels.shape.rank` must equal"),
    ([0, 1, 1], np.zeros((2, 3), np.float32), ValueError, r"except for the last dimension"),
    (0, np.float32(1.0), ValueError, "`logits` cannot be a scalar"),
], ids=["above", "negative", "float_labels", "rank", "shape", "scalar"])
def test_sparse_softmax_cross_entropy_errors(labels, logits, error, match):
    with pytest.raises(error, match=match):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def test_softmax_cross_entropy_gradient_is_softmax_minus_labels():
    logits = tf.constant([[1.0, 2.0, 3.0]])
    labels = tf.constant([[0.0, 1.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    # hand-derived: d loss / d logits = softmax(logits) - labels
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum() - [0.0, 1.0, 0.0]
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(), [expected], rtol=1e-5, atol=1e-7)


# from TF 2.21: the full message of a refused dtype, NodeDef and Op signature included
def test_refused_dtype_message_is_tfs():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.elu(tf.constant([1, 2]))
    assert str(info.value) == (
        "Value for attr 'T' of int32 is not in the list of allowed values: half, bfloat16, float, double\n\t; "
        "NodeDef: {{node Elu}}; Op<name=Elu; signature=features:T -> activations:T; "
        "attr=T:type,allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE]> [Op:Elu] name: ")
