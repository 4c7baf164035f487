"""Tests for the one-tensor rearranging ops (`kerastorch/ops/shape_ops.py`).

Expected values, dtypes and messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

InvalidArgument = tf.errors.InvalidArgumentError
X = np.arange(6, dtype=np.int32).reshape(2, 3)


check = assert_tensor

def x():
    return tf.constant(X)


# -- reshape -------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, expected_shape", [
    ([3, -1], (3, 2)),
    ((6,), (6,)),
    (tf.constant([3, 2]), (3, 2)),
    (tf.TensorShape([1, 6]), (1, 6)),
    ([tf.constant(2), 3], (2, 3)),
    (np.array([3, 2], np.int64), (3, 2)),
], ids=["minus_one", "tuple", "tensor", "tensorshape", "list_with_tensor", "numpy"])
def test_reshape(shape, expected_shape):
    check(tf.reshape(x(), shape), X.reshape(expected_shape))


def test_reshape_scalars_strings_and_zero_sizes():
    check(tf.reshape([5], []), np.int32(5))
    check(tf.reshape(tf.constant(["a", "b"]), [2, 1]), [[b"a"], [b"b"]], tf.string)
    # TF infers -1 from the non-zero dims when the shape holds a 0.
    assert tf.reshape(tf.zeros([0, 3]), [-1, 0]).shape == (3, 0)
    assert tf.reshape(tf.zeros([2, 0, 3]), [-1, 3, 0]).shape == (2, 3, 0)
    assert tf.reshape(tf.zeros([2, 0, 3]), [-1]).shape == (0,)


@pytest.mark.parametrize("shape, error, match", [
    ([4, 2], InvalidArgument, r"Input to reshape is a tensor with 6 values, but the requested shape has 8 "
                              r"\[Op:Reshape\]"),
    ([-1, -1], InvalidArgument, "Only one input size may be -1, not both 0 and 1"),
    ([-1, 4], InvalidArgument, "Input to reshape is a tensor with 6 values, but the requested shape "
                               "requires a multiple of 4"),
    ([-2, 3], InvalidArgument, "Size 0 must be non-negative, not -2"),
    ([2.0, 3.0], InvalidArgument, "Value for attr 'Tshape' of float is not in the list of allowed values"),
    ([[2, 3]], InvalidArgument, r"sizes input must be 1-D, not \[1,2\]"),
], ids=["count", "two_unknown", "multiple", "negative", "float", "matrix"])
def test_reshape_errors(shape, error, match):
    with pytest.raises(error, match=match):
        tf.reshape(x(), shape)


def test_views_of_a_variable_do_not_follow_it():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    outs = [tf.reshape(v, [-1]), tf.transpose(v), tf.expand_dims(v, 0), tf.slice(v, [0, 0], [1, 2]),
            tf.broadcast_to(v, [1, 2, 2])]
    v._param.data.add_(10.0)  # as an optimizer's in-place update does
    np.testing.assert_array_equal(outs[0].numpy(), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(outs[1].numpy(), [[1.0, 3.0], [2.0, 4.0]])
    np.testing.assert_array_equal(outs[2].numpy(), [[[1.0, 2.0], [3.0, 4.0]]])
    np.testing.assert_array_equal(outs[3].numpy(), [[1.0, 2.0]])
    np.testing.assert_array_equal(outs[4].numpy(), [[[1.0, 2.0], [3.0, 4.0]]])


# -- transpose, expand_dims, squeeze ----------------------------------------------------------

def test_transpose():
    check(tf.transpose(x()), X.T)
    assert tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 2]).shape == (3, 2, 4)
    assert tf.transpose(tf.zeros([2, 3, 4]), [-1, 0, 1]).shape == (4, 2, 3)
    assert tf.transpose(tf.zeros([2, 3]), tf.constant([1, 0])).shape == (3, 2)
    check(tf.transpose([1, 2]), [1, 2])
    check(tf.transpose(tf.constant(1), []), np.int32(1))
    check(tf.transpose(tf.constant([["a", "b"]])), [[b"a"], [b"b"]], tf.string)
    check(tf.transpose(tf.constant([[1 + 2j]]), conjugate=True), [[1 - 2j]], tf.complex128)
    check(tf.transpose(x(), conjugate=True), X.T)


@pytest.mark.parametrize("perm, match", [
    ([0, 0], r"^\{\{function_node __wrapped__Transpose_device_\S+\}\} 1 is missing from \{0,0\}. "
             r"\[Op:Transpose\]"),
    ([0], "transpose expects a vector of size 2. But input\\(1\\) is a vector of size 1"),
    ([0, 2], r"2 is out of range \[0 .. 2\)"),
    ([1.0, 0.0], "Value for attr 'Tperm' of float is not in the list"),
], ids=["duplicate", "length", "out_of_range", "float"])
def test_transpose_errors(perm, match):
    with pytest.raises(InvalidArgument, match=match):
        tf.transpose(x(), perm)


def test_expand_dims():
    assert tf.expand_dims(x(), 0).shape == (1, 2, 3)
    assert tf.expand_dims(x(), -1).shape == (2, 3, 1)
    assert tf.expand_dims(x(), 2).shape == (2, 3, 1)
    assert tf.expand_dims(x(), [0]).shape == (1, 2, 3)
    assert tf.expand_dims(x(), tf.constant(0, tf.int64)).shape == (1, 2, 3)
    check(tf.expand_dims(3, 0), [3])
    check(tf.expand_dims(tf.constant(["a"]), 0), [[b"a"]], tf.string)


@pytest.mark.parametrize("axis, error, match", [
    (3, InvalidArgument, "Tried to expand dim index 3 for tensor with 2 dimensions."),
    (-4, InvalidArgument, "Tried to expand dim index -4 for tensor with 2 dimensions."),
    ([0, 1], InvalidArgument, "'dim' must be a tensor with a single value"),
    (1.0, TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32"),
    (None, ValueError, r"Attempt to convert a value \(None\)"),
], ids=["too_big", "too_small", "two_values", "float", "none"])
def test_expand_dims_errors(axis, error, match):
    with pytest.raises(error, match=match):
        tf.expand_dims(x(), axis)


def test_squeeze():
    value = tf.zeros([1, 2, 1, 3])
    assert tf.squeeze(value).shape == (2, 3)
    assert tf.squeeze(value, 2).shape == (1, 2, 3)
    assert tf.squeeze(value, [0, -2]).shape == (2, 3)
    assert tf.squeeze(value, (0,)).shape == (2, 1, 3)
    assert tf.squeeze(value, np.int64(0)).shape == (2, 1, 3)
    check(tf.squeeze(tf.constant(1)), np.int32(1))
    check(tf.squeeze(np.zeros([1, 2])), [0.0, 0.0], tf.float64)
    check(tf.squeeze(tf.constant([["a"]])), b"a", tf.string)
    with pytest.raises(InvalidArgument, match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 2"):
        tf.squeeze(value, 1)
    with pytest.raises(InvalidArgument, match="Tried to squeeze dim index 4 for tensor with 4 dimensions."):
        tf.squeeze(value, 4)
    with pytest.raises(InvalidArgument, match="Tried to squeeze dim index -5 for tensor with 4 dimensions."):
        tf.squeeze(value, -5)
    with pytest.raises(TypeError, match="Expected list for 'axis' argument to 'squeeze' Op, not <tf.Tensor"):
        tf.squeeze(value, tf.constant([0]))


# -- broadcast_to, tile, reverse, slice ---------------------------------------------------------

def test_broadcast_to():
    check(tf.broadcast_to([1, 2, 3], [2, 3]), [[1, 2, 3], [1, 2, 3]])
    check(tf.broadcast_to(1.0, tf.constant([2])), [1.0, 1.0], tf.float32)
    check(tf.broadcast_to("a", [2]), [b"a", b"a"], tf.string)
    assert tf.broadcast_to(tf.zeros([0]), [2, 0]).shape == (2, 0)
    with pytest.raises(InvalidArgument, match=r"Incompatible shapes: \[3\] vs. \[2,2\] \[Op:BroadcastTo\]"):
        tf.broadcast_to([1, 2, 3], [2, 2])
    with pytest.raises(InvalidArgument, match=r"Rank of input \(2\) must be no greater than rank of output"):
        tf.broadcast_to(x(), [3])
    with pytest.raises(InvalidArgument, match="Dimension -1 must be >= 0"):
        tf.broadcast_to(1, [-1])


def test_tile():
    check(tf.tile(x(), [1, 2]), np.tile(X, [1, 2]))
    check(tf.tile(x(), tf.constant([2, 1])), np.tile(X, [2, 1]))
    check(tf.tile(tf.constant(["a"]), [2]), [b"a", b"a"], tf.string)
    check(tf.tile(tf.constant([True]), [2]), [True, True], tf.bool)
    check(tf.tile(x(), [0, 1]), np.zeros((0, 3), np.int32))
    check(tf.tile(tf.constant(1), []), np.int32(1))
    with pytest.raises(InvalidArgument, match="Expected multiples argument to be a vector of length 2"):
        tf.tile(x(), [2])
    with pytest.raises(InvalidArgument, match=r"Expected multiples\[1\] >= 0, but got -1"):
        tf.tile(x(), [1, -1])
    with pytest.raises(InvalidArgument, match="Value for attr 'Tmultiples' of float"):
        tf.tile(x(), [1.0, 2.0])


def test_reverse():
    check(tf.reverse(x(), [1]), X[:, ::-1])
    check(tf.reverse(x(), [-1, 0]), X[::-1, ::-1])
    check(tf.reverse(x(), tf.constant([0], tf.int64)), X[::-1])
    check(tf.reverse(x(), []), X)
    check(tf.reverse(tf.constant(["a", "b"]), [0]), [b"b", b"a"], tf.string)
    with pytest.raises(InvalidArgument, match="axis 1 specified more than once."):
        tf.reverse(x(), [1, -1])
    with pytest.raises(InvalidArgument, match=r"'axis'\[0\] = 2 is out of valid range \[0, 1"):
        tf.reverse(x(), [2])
    with pytest.raises(InvalidArgument, match="'dims' must be 1-dimension, not 0"):
        tf.reverse(x(), 1)
    with pytest.raises(InvalidArgument, match="Value for attr 'Tidx' of float"):
        tf.reverse(x(), [0.0])


def test_slice():
    check(tf.slice(x(), [0, 1], [2, 2]), X[:, 1:])
    check(tf.slice(x(), [1, 1], [-1, -1]), X[1:, 1:])
    check(tf.slice(x(), tf.constant([0, 1], tf.int64), tf.constant([1, 1])), [[1]])
    check(tf.slice(tf.constant(["a", "b"]), [1], [1]), [b"b"], tf.string)


@pytest.mark.parametrize("begin, size, match", [
    ([1, 1], [2, 1], r"Expected size\[0\] in \[0, 1\], but got 2"),
    ([-1, 0], [1, 1], r"Expected begin\[0\] in \[0, 2\], but got -1"),
    ([0], [1], r"Expected begin and size arguments to be 1-D tensors of size 2, but got shapes \[1\] and "
               r"\[1\] instead."),
    ([0, 0], [-2, 1], r"Expected size\[0\] in \[0, 2\], but got -2"),
    ([0.0, 1.0], [1, 1], "Value for attr 'Index' of float"),
], ids=["size", "begin", "length", "negative_size", "float"])
def test_slice_errors(begin, size, match):
    with pytest.raises(InvalidArgument, match=match):
        tf.slice(x(), begin, size)


# -- pad -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("paddings, mode, constant_values, expected", [
    ([[1, 0], [0, 1]], "CONSTANT", 0, [[0, 0, 0, 0], [0, 1, 2, 0], [3, 4, 5, 0]]),
    ([[1, 0], [0, 1]], "CONSTANT", 9, [[9, 9, 9, 9], [0, 1, 2, 9], [3, 4, 5, 9]]),
    ([[1, 0], [0, 0]], "constant", tf.constant(3), [[3, 3, 3], [0, 1, 2], [3, 4, 5]]),
    ([[1, 1], [2, 2]], "REFLECT", 0, [[5, 4, 3, 4, 5, 4, 3], [2, 1, 0, 1, 2, 1, 0],
                                      [5, 4, 3, 4, 5, 4, 3], [2, 1, 0, 1, 2, 1, 0]]),
    ([[1, 1], [2, 2]], "reflect", 0, [[5, 4, 3, 4, 5, 4, 3], [2, 1, 0, 1, 2, 1, 0],
                                      [5, 4, 3, 4, 5, 4, 3], [2, 1, 0, 1, 2, 1, 0]]),
    ([[1, 1], [2, 2]], "SYMMETRIC", 0, [[1, 0, 0, 1, 2, 2, 1], [1, 0, 0, 1, 2, 2, 1],
                                        [4, 3, 3, 4, 5, 5, 4], [4, 3, 3, 4, 5, 5, 4]]),
    ([[2, 0], [0, 0]], "SYMMETRIC", 0, [[3, 4, 5], [0, 1, 2], [0, 1, 2], [3, 4, 5]]),
    (tf.constant([[1, 0], [0, 0]]), "REFLECT", 3, [[3, 4, 5], [0, 1, 2], [3, 4, 5]]),
], ids=["zeros", "value", "tensor_value", "reflect", "lowercase", "symmetric", "symmetric_edge",
        "reflect_ignores_value"])
def test_pad(paddings, mode, constant_values, expected):
    check(tf.pad(x(), paddings, mode, constant_values), expected)


def test_pad_dtypes():
    check(tf.pad(tf.zeros([2]), [[1, 0]], constant_values=1.5), [1.5, 0.0, 0.0], tf.float32)
    check(tf.pad(tf.constant(["a"]), [[1, 0]]), [b"", b"a"], tf.string)
    check(tf.pad(tf.constant(["a"]), [[0, 1]], constant_values="z"), [b"a", b"z"], tf.string)
    check(tf.pad(tf.constant([True]), [[1, 0]]), [False, True], tf.bool)
    check(tf.pad(tf.constant(1), np.zeros([0, 2], np.int32)), np.int32(1))
    cube = tf.reshape(tf.range(8.0), [2, 2, 2])
    out = tf.pad(cube, [[0, 0], [1, 1], [1, 0]], "REFLECT")
    # from TF 2.21
    np.testing.assert_array_equal(out.numpy()[0], [[3, 2, 3], [1, 0, 1], [3, 2, 3], [1, 0, 1]])


@pytest.mark.parametrize("paddings, kwargs, error, match", [
    ([[1, 1], [2, 2]], {"mode": "EDGE"}, ValueError,
     'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". Received '
     '`mode` = EDGE'),
    ([[1, 1]], {}, InvalidArgument,
     r"The first dimension of paddings must be the rank of inputs\[1,2\] \[2,3\]"),
    ([[-1, 1], [0, 0]], {}, InvalidArgument, "Paddings must be non-negative: -1 1"),
    ([[2, 0], [0, 0]], {"mode": "REFLECT"}, InvalidArgument,
     "paddings must be less than the dimension size: 2, 0 not less than 2"),
    ([[3, 0], [0, 0]], {"mode": "SYMMETRIC"}, InvalidArgument,
     "paddings must be no greater than the dimension size: 3, 0 greater than 2"),
    ([[1, 0], [0, 0]], {"constant_values": 1.5}, TypeError,
     "Cannot convert 1.5 to EagerTensor of dtype int32"),
    ([[1, 0], [0, 0]], {"constant_values": tf.constant(3, tf.int64)}, InvalidArgument,
     r"cannot compute PadV2 as input #2\(zero-based\) was expected to be a int32 tensor but is a int64"),
    ([[1.0, 0], [0, 0]], {}, InvalidArgument, "Value for attr 'Tpaddings' of float"),
    ([1, 1], {}, InvalidArgument, r"paddings must be a matrix with 2 columns: \[2\]"),
], ids=["mode", "rank", "negative", "reflect_too_big", "symmetric_too_big", "float_value", "value_dtype",
        "float_paddings", "vector"])
def test_pad_errors(paddings, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.pad(x(), paddings, **kwargs)


def test_gradients_flow_through_the_rearranging_ops():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        padded = tf.pad(v, [[1, 0], [0, 0]], "REFLECT")  # rows v[1], v[0], v[1]
        out = tf.reshape(tf.transpose(tf.tile(padded, [1, 2])), [-1])
        picked = tf.slice(tf.reverse(out, [0]), [0], [3])
    # hand-derived: the last three entries of out are v[1, 1] (padded row 0), v[0, 1], v[1, 1]
    np.testing.assert_array_equal(tape.gradient(picked, v).numpy(), [[0.0, 1.0], [0.0, 2.0]])
