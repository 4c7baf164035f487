"""Tests for tensor creation, casting and shape queries (`kerastorch/ops/array_ops.py`).

Expected values, dtypes and messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

InvalidArgument = tf.errors.InvalidArgumentError


check = assert_tensor

# -- zeros, ones, fill -----------------------------------------------------------------

@pytest.mark.parametrize("shape, dtype, expected", [
    ([2, 3], None, np.zeros((2, 3), np.float32)),
    ((2,), tf.int32, [0, 0]),
    (tf.TensorShape([2]), None, [0.0, 0.0]),
    (tf.constant([2, 1]), None, [[0.0], [0.0]]),
    (3, None, [0.0, 0.0, 0.0]),
    ([1], "int64", [0]),
    ([2], tf.string, [b"", b""]),
], ids=["list", "tuple_int32", "tensorshape", "tensor", "int", "dtype_name", "string"])
def test_zeros(shape, dtype, expected):
    out = tf.zeros(shape) if dtype is None else tf.zeros(shape, dtype)
    check(out, expected, tf.float32 if dtype is None else tf.as_dtype(dtype))


def test_ones_and_fill():
    check(tf.ones([2], dtype=tf.bool), [True, True], tf.bool)
    check(tf.ones((1, 2)), [[1.0, 1.0]], tf.float32)
    check(tf.fill([2, 2], 7), [[7, 7], [7, 7]], tf.int32)
    check(tf.fill([2], 1.5), [1.5, 1.5], tf.float32)
    check(tf.fill([2], tf.constant(3, tf.int64)), [3, 3], tf.int64)
    check(tf.fill([2], np.float64(1.0)), [1.0, 1.0], tf.float64)
    check(tf.fill([2], "a"), [b"a", b"a"], tf.string)


@pytest.mark.parametrize("fn, error, match", [
    (lambda: tf.zeros([-1]), InvalidArgument,
     r"^\{\{function_node __wrapped__Fill_device_/job:localhost/replica:0/task:0/device:(CPU|GPU):0\}\} "
     r"Dimension -1 must be >= 0 \[Op:Fill\] name: $"),
    (lambda: tf.ones([2, -3]), InvalidArgument, "Dimension -3 must be >= 0"),
    (lambda: tf.zeros([2.5]), TypeError, r"Cannot convert \[2.5\] to EagerTensor of dtype int32"),
    (lambda: tf.ones([2], dtype=tf.string), TypeError, "Cannot convert 1 to EagerTensor of dtype string"),
    (lambda: tf.fill([2], [1, 2]), InvalidArgument, r"value must represent a scalar, got shape \[2\]"),
    (lambda: tf.fill([-2], 1), InvalidArgument, "Dimension -2 must be >= 0"),
    (lambda: tf.fill([2.0], 1), InvalidArgument, "Value for attr 'index_type' of float is not in the list"),
], ids=["zeros_negative", "ones_negative", "zeros_float", "ones_string", "fill_vector", "fill_negative",
        "fill_float_dims"])
def test_creation_errors(fn, error, match):
    with pytest.raises(error, match=match):
        fn()


def test_zeros_like_and_ones_like():
    x = tf.constant([1.0, 2.0])
    check(tf.zeros_like(x), [0.0, 0.0], tf.float32)
    check(tf.zeros_like(x, dtype=tf.int32), [0, 0], tf.int32)
    check(tf.zeros_like([1, 2]), [0, 0], tf.int32)
    check(tf.zeros_like(tf.constant(["a"])), [b""], tf.string)
    check(tf.zeros_like(["a"], dtype=tf.int32), [0], tf.int32)
    check(tf.zeros_like(tf.Variable([1.0])), [0.0], tf.float32)
    check(tf.ones_like(tf.constant([True])), [True], tf.bool)
    check(tf.ones_like(np.zeros(2)), [1.0, 1.0], tf.float64)
    with pytest.raises(InvalidArgument, match="Value for attr 'T' of string is not in the list"):
        tf.ones_like(tf.constant(["a"]))
    with pytest.raises(TypeError, match="Cannot convert 1 to EagerTensor of dtype string"):
        tf.ones_like([1], dtype=tf.string)


# -- range, linspace, eye ----------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, expected, dtype", [
    ((5,), {}, [0, 1, 2, 3, 4], tf.int32),
    ((5.0,), {}, [0.0, 1.0, 2.0, 3.0, 4.0], tf.float32),
    ((1, 10, 3), {}, [1, 4, 7], tf.int32),
    ((5, 1, -1), {}, [5, 4, 3, 2], tf.int32),
    ((1, 5, 0.5), {}, [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5], tf.float32),
    ((5,), {"dtype": tf.float64}, [0.0, 1.0, 2.0, 3.0, 4.0], tf.float64),
    ((0, 1, 0.3), {}, np.array([0.0, 0.3, 0.6, 0.90000004], np.float32), tf.float32),
    ((0.1, 0.4, 0.1), {"dtype": tf.float64}, [0.1, 0.2, 0.30000000000000004, 0.4], tf.float64),
    ((2**33, 2**33 + 2), {}, [2**33, 2**33 + 1], tf.int64),
    ((tf.constant(3, tf.int64),), {}, [0, 1, 2], tf.int64),
    ((tf.constant(1), tf.constant(5, tf.int64)), {}, [1, 2, 3, 4], tf.int64),
    ((3, 3), {}, np.zeros(0, np.int32), tf.int32),
], ids=["limit", "float_limit", "delta", "negative_delta", "float_delta", "dtype", "float32_steps",
        "float64_size", "int64_values", "int64_tensor", "widest_tensor", "empty"])
def test_range(args, kwargs, expected, dtype):
    check(tf.range(*args, **kwargs), expected, dtype)


def test_range_matches_tf_float32_rounding():
    # TF computes start + i * delta in float32 (torch.arange gives 0.4000000059604645 at 10).
    out = tf.range(-3.3, 7.1, 0.37).numpy()  # from TF 2.21
    assert out.shape == (29,)
    assert out[10].item() == 0.40000009536743164
    assert out[-1].item() == 7.060000419616699


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((5, 1), {}, InvalidArgument, r"Requires start <= limit when delta > 0: 5/1 \[Op:Range\]"),
    ((1, 5, 0), {}, InvalidArgument, "Requires delta != 0: 0"),
    ((1, 5, -1), {}, InvalidArgument, "Requires start >= limit when delta < 0: 1/5"),
    ((5.5, 1.0), {}, InvalidArgument, "Requires start <= limit when delta > 0: 5.5/1"),
    ((0.0, 3.0), {"dtype": tf.int32}, TypeError, "Cannot convert 0.0 to EagerTensor of dtype int32"),
    ((3,), {"dtype": tf.uint8}, InvalidArgument, "Value for attr 'Tidx' of uint8 is not in the list"),
    ((3,), {"dtype": tf.bool}, TypeError, "Cannot convert 0 to EagerTensor of dtype bool"),
    (("a",), {}, AssertionError, "string"),
], ids=["wrong_direction", "zero_delta", "negative_wrong_direction", "float_message", "float_to_int",
        "uint8", "bool", "string"])
def test_range_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.range(*args, **kwargs)


def test_linspace():
    check(tf.linspace(0.0, 1.0, 5), [0.0, 0.25, 0.5, 0.75, 1.0], tf.float32)
    check(tf.linspace(0, 10, 5), [0.0, 2.5, 5.0, 7.5, 10.0], tf.float64)
    check(tf.linspace(0.0, 1.0, 1), [0.0], tf.float32)
    check(tf.linspace(0.0, 1.0, 0), np.zeros(0, np.float32), tf.float32)
    check(tf.linspace(0.0, 1.0, tf.constant(3)), [0.0, 0.5, 1.0], tf.float32)
    check(tf.linspace(tf.constant(0, tf.float16), 1, 3), np.array([0, 0.5, 1], np.float16), tf.float16)
    check(tf.linspace([0.0, 1.0], [1.0, 3.0], 3), [[0.0, 1.0], [0.5, 2.0], [1.0, 3.0]], tf.float32)
    check(tf.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=-1), [[0.0, 0.5, 1.0], [1.0, 2.0, 3.0]], tf.float32)
    check(tf.linspace([0.0, 1.0], 2.0, 3), [[0.0, 1.0], [1.0, 1.5], [2.0, 2.0]], tf.float32)
    # TF's rounding: start + i * ((stop - start) / (num - 1)) in float32, last value exact.
    values = tf.linspace(0.1, 0.7, 7).numpy().tolist()
    assert values[1] == 0.19999998807907104 and values[-1] == 0.699999988079071


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((0.0, 1.0, 2.5), {}, TypeError, r"Argument `tensor` \(name: num\) must be of type integer"),
    ((0.0, 1.0, -1), {}, InvalidArgument, "Requires start <= limit when delta > 0: 1/-1"),
    ((tf.constant(0.0, tf.float64), tf.constant(1.0), 3), {}, ValueError,
     "stop: Tensor conversion requested dtype float64 for Tensor with dtype float32"),
    (([0.0, 1.0], 2.0, 3), {"axis": 2}, InvalidArgument,
     "Tried to expand dim index 2 for tensor with 1 dimensions"),
], ids=["float_num", "negative_num", "dtype_mismatch", "axis"])
def test_linspace_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.linspace(*args, **kwargs)


def test_eye():
    check(tf.eye(2), [[1.0, 0.0], [0.0, 1.0]], tf.float32)
    check(tf.eye(2, 3, dtype=tf.int32), [[1, 0, 0], [0, 1, 0]], tf.int32)
    check(tf.eye(2, dtype=tf.bool), [[True, False], [False, True]], tf.bool)
    check(tf.eye(tf.constant(2), dtype=tf.complex64), np.eye(2, dtype=np.complex64), tf.complex64)
    check(tf.eye(0), np.zeros((0, 0), np.float32), tf.float32)
    batch = tf.eye(2, 3, batch_shape=[2, 1])
    assert batch.shape == (2, 1, 2, 3)
    np.testing.assert_array_equal(batch.numpy()[1, 0], np.eye(2, 3))
    with pytest.raises(TypeError, match="Received: num_rows=2.0, num_columns=2.0"):
        tf.eye(2.0)
    with pytest.raises(InvalidArgument, match="Dimension -1 must be >= 0"):
        tf.eye(2, -1)
    with pytest.raises(TypeError, match="Cannot convert 1 to EagerTensor of dtype string"):
        tf.eye(2, dtype=tf.string)


# -- identity and cast -------------------------------------------------------------------

def test_identity():
    x = tf.constant([1, 2])
    out = tf.identity(x)
    assert out is not x
    check(out, [1, 2], tf.int32)
    check(tf.identity([1, 2]), [1, 2], tf.int32)
    check(tf.identity("a"), b"a", tf.string)
    check(tf.identity(np.float64(1.0)), 1.0, tf.float64)


@pytest.mark.parametrize("op", [tf.identity, lambda v: tf.cast(v, tf.float32)], ids=["identity", "cast"])
def test_snapshot_of_variable_does_not_follow_it(op):
    v = tf.Variable([1.0, 2.0])
    out = op(v)
    assert type(out) is tf.Tensor
    v.assign([5.0, 6.0])
    v._param.data.add_(1.0)  # as an optimizer's in-place update does
    check(out, [1.0, 2.0], tf.float32)


def test_cast_same_dtype_returns_the_tensor():
    x = tf.constant([1, 2])
    assert tf.cast(x, tf.int32) is x
    assert tf.cast(tf.constant(["a"]), tf.string).numpy().tolist() == [b"a"]


@pytest.mark.parametrize("value, dtype, expected", [
    ([1.7, -1.7, 2.5], tf.int32, np.array([1, -1, 2], np.int32)),
    ([0.0, 0.5, -1.0], tf.bool, [False, True, True]),
    ([True, False], tf.float32, np.array([1.0, 0.0], np.float32)),
    ([1.0, 2.0], tf.complex64, np.array([1, 2], np.complex64)),
    (tf.constant([1 + 2j]), tf.float32, np.array([1.0], np.float32)),
    (tf.constant([1.7 + 2j]), tf.int32, np.array([1], np.int32)),
    (tf.constant([1j, 0j]), tf.bool, [False, False]),
    ([300, -1], tf.uint8, np.array([44, 255], np.uint8)),
    ([300.0, -1.0, 2.7], tf.uint8, np.array([44, 255, 2], np.uint8)),
    (tf.constant([200]), tf.int8, np.array([-56], np.int8)),
    (2**40, tf.int32, np.int32(0)),
    ([70000.0], tf.float16, np.array([np.inf], np.float16)),
    (tf.constant([2.9, -2.9], tf.float16), tf.int32, np.array([2, -2], np.int32)),
    ([[0, 1], [2, 3]], "float16", np.array([[0, 1], [2, 3]], np.float16)),
], ids=["float_to_int_truncates", "to_bool", "bool_to_float", "to_complex", "complex_to_float",
        "complex_to_int", "complex_to_bool_uses_real", "int_wraps", "float_to_uint8_wraps", "int8_wraps",
        "python_int64", "float16_overflow", "half_to_int", "dtype_name"])
def test_cast_values(value, dtype, expected):
    check(tf.cast(value, dtype), expected, tf.as_dtype(dtype))


def test_cast_errors():
    unimplemented = tf.errors.UnimplementedError
    with pytest.raises(unimplemented, match=r"Cast string to int32 is not supported \[Op:Cast\]"):
        tf.cast(["1"], tf.int32)
    with pytest.raises(unimplemented, match="Cast int32 to string is not supported"):
        tf.cast([1], tf.string)
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 'foo'"):
        tf.cast([1], "foo")


# -- shape, shape_n, rank, size ------------------------------------------------------------

def test_shape_rank_size():
    x = tf.zeros([2, 3])
    check(tf.shape(x), np.array([2, 3], np.int32), tf.int32)
    check(tf.shape(x, out_type=tf.int64), [2, 3], tf.int64)
    check(tf.shape(x, out_type="int64"), [2, 3], tf.int64)
    check(tf.shape([[1, 2]]), np.array([1, 2], np.int32), tf.int32)
    check(tf.shape(1), np.zeros(0, np.int32), tf.int32)
    check(tf.shape(tf.constant(["a"])), np.array([1], np.int32), tf.int32)
    check(tf.shape(tf.Variable([1.0])), np.array([1], np.int32), tf.int32)
    check(tf.rank(x), np.int32(2), tf.int32)
    check(tf.rank([[1]]), np.int32(2), tf.int32)
    check(tf.rank(3.0), np.int32(0), tf.int32)
    check(tf.size(x), np.int32(6), tf.int32)
    check(tf.size(x, out_type=tf.int64), 6, tf.int64)
    check(tf.size(x, out_type=tf.float32), np.float32(6), tf.float32)
    check(tf.size(tf.constant(["a", "b"])), np.int32(2), tf.int32)
    assert repr(tf.shape(x)) == "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([2, 3], dtype=int32)>"


def test_shape_n():
    shapes = tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])
    assert len(shapes) == 2
    check(shapes[0], np.array([2, 3], np.int32), tf.int32)
    check(shapes[1], np.array([4], np.int32), tf.int32)
    check(tf.shape_n([tf.zeros([1])], out_type=tf.int64)[0], [1], tf.int64)


@pytest.mark.parametrize("fn, error, match", [
    (lambda: tf.shape([1], out_type=tf.float32), InvalidArgument,
     r"Value for attr 'out_type' of float is not in the list of allowed values: int32, int64 \[Op:Shape\]"),
    (lambda: tf.shape_n([tf.zeros([1])], out_type=tf.float32), InvalidArgument, "attr 'out_type' of float"),
    (lambda: tf.shape_n([tf.constant([1]), tf.zeros([1])]), InvalidArgument,
     r"cannot compute ShapeN as input #1\(zero-based\) was expected to be a int32 tensor but is a float"),
    (lambda: tf.size([1], out_type=tf.string), TypeError, "Cannot convert 1 to EagerTensor of dtype string"),
], ids=["shape_out_type", "shape_n_out_type", "shape_n_dtypes", "size_string"])
def test_shape_errors(fn, error, match):
    with pytest.raises(error, match=match):
        fn()
