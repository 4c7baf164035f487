"""Tests for `tf.gather`, `tf.gather_nd`, `tf.boolean_mask`, `tf.where` and `tf.one_hot`
(`kerastorch/ops/gather_ops.py`).

Expected values, dtypes and messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

InvalidArgument = tf.errors.InvalidArgumentError
X = np.arange(6, dtype=np.int32).reshape(2, 3)
P = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


check = assert_tensor

# -- gather --------------------------------------------------------------------------------------

@pytest.mark.parametrize("params, indices, kwargs, expected", [
    (X, [1, 0], {}, X[[1, 0]]),
    (X, [[2, 0]], {"axis": 1}, [[[2, 0]], [[5, 3]]]),
    (X, 1, {"axis": -1}, [1, 4]),
    (X, tf.constant([1], tf.int64), {}, X[[1]]),
    (X, tf.constant([0], tf.int16), {}, X[[0]]),
    (X, [[2], [0]], {"axis": 1, "batch_dims": 1}, [[2], [3]]),
    (X, [[2], [0]], {"axis": 1, "batch_dims": -1}, [[2], [3]]),
    (P, [[0, 3], [1, 2]], {"axis": 2, "batch_dims": 1},
     [[[0, 3], [4, 7], [8, 11]], [[13, 14], [17, 18], [21, 22]]]),
    (P[:, :2, :3], [[[2], [0]], [[1], [1]]], {"axis": 2, "batch_dims": 2}, [[[2], [4]], [[13], [17]]]),
    (X, [[1], [0]], {"axis": 0, "batch_dims": 1}, [[X[1]], [X[0]]]),
    (X, [0], {"validate_indices": True}, X[[0]]),
], ids=["rows", "axis1", "negative_axis", "int64", "int16", "batch", "negative_batch", "batch_axis2",
        "two_batch_dims", "axis0_drops_batch_dims", "validate_indices"])
def test_gather(params, indices, kwargs, expected):
    check(tf.gather(tf.constant(params), indices, **kwargs), expected)


def test_gather_strings_and_variables():
    check(tf.gather(tf.constant(["a", "b"]), [1, 1]), [b"b", b"b"], tf.string)
    check(tf.gather(tf.Variable([1.0, 2.0, 3.0]), [2, 0]), [3.0, 1.0], tf.float32)


@pytest.mark.parametrize("params, indices, kwargs, error, match", [
    (X, [-1], {}, InvalidArgument,
     r"^\{\{function_node __wrapped__GatherV2_device_\S+\}\} indices\[0\] = -1 is not in \[0, 2\) "
     r"\[Op:GatherV2\]"),
    (X, [2], {}, InvalidArgument, r"indices\[0\] = 2 is not in \[0, 2\)"),
    (P, [[0, 1], [1, 5]], {"axis": 2}, InvalidArgument, r"indices\[1,1\] = 5 is not in \[0, 4\)"),
    (X, [1.0], {}, InvalidArgument,
     "Value for attr 'Tindices' of float is not in the list of allowed values: int16, int32, int64"),
    (X, [0], {"axis": 2}, InvalidArgument, "Shape must be at least rank 3 but is rank 2"),
    (X, [0], {"axis": -3}, InvalidArgument, "Shape must be at least rank 3 but is rank 2"),
    (X, [0], {"axis": 1.0}, InvalidArgument, "Value for attr 'Taxis' of float"),
    (X, [[2], [0]], {"axis": 1, "batch_dims": 2}, InvalidArgument,
     r"batch_dims \(2\) must be less than rank\(params\) \(2\)."),
    (X, [[2], [0], [1]], {"axis": 1, "batch_dims": 1}, InvalidArgument,
     r"params.shape\[0\]: 2 should be equal to indices.shape\[0\]: 3"),
    (X, [1], {"axis": 1, "batch_dims": -2}, InvalidArgument,
     r"Expected batch_dims in the range \[-1, 1\], but got -2"),
    (1, [0], {}, InvalidArgument, "params must be at least 1 dimensional"),
    (np.zeros((0, 2)), [0], {}, InvalidArgument, r"indices\[0\] = 0 is not in \[0, 0\)"),
], ids=["negative", "too_big", "position_2d", "float", "axis", "negative_axis", "float_axis",
        "batch_dims_rank", "batch_shapes", "batch_dims_range", "scalar_params", "empty_axis"])
def test_gather_errors(params, indices, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.gather(tf.constant(params), indices, **kwargs)


# -- gather_nd -----------------------------------------------------------------------------------

@pytest.mark.parametrize("params, indices, batch_dims, expected", [
    (X, [[1, 2], [0, 0]], 0, [5, 0]),
    (X, [[1], [0]], 0, [X[1], X[0]]),
    (X, tf.constant([[0, 1]], tf.int16), 0, [1]),
    (X, np.zeros((0, 2), np.int32), 0, np.zeros(0, np.int32)),
    (X, np.zeros((2, 0), np.int32), 0, [X, X]),
    (X, [[2], [0]], 1, [2, 3]),
    (P, [[[0, 1]], [[2, 3]]], 1, [[1], [23]]),
    (P, [[1], [2]], 1, [P[0, 1], P[1, 2]]),
    (P, [[[1], [2], [3]], [[0], [0], [1]]], 2, [[1, 6, 11], [12, 16, 21]]),
], ids=["elements", "rows", "int16", "no_indices", "empty_index", "batch", "batch_3d", "batch_rows",
        "two_batch_dims"])
def test_gather_nd(params, indices, batch_dims, expected):
    check(tf.gather_nd(tf.constant(params), indices, batch_dims=batch_dims), expected)


def test_gather_nd_strings():
    check(tf.gather_nd(tf.constant([["a", "b"]]), [[0, 1]]), [b"b"], tf.string)


@pytest.mark.parametrize("params, indices, batch_dims, error, match", [
    (X, [[2, 0]], 0, InvalidArgument,
     r"^\{\{function_node __wrapped__GatherNd_device_\S+\}\} indices\[0\] = \[2, 0\] does not index into "
     r"param shape \[2,3\], node name: GatherNd \[Op:GatherNd\]"),
    (X, [[-1, 0]], 0, InvalidArgument, r"indices\[0\] = \[-1, 0\] does not index"),
    (P, [[[0, 0], [0, 1]], [[1, 1], [3, 0]]], 0, InvalidArgument,
     r"indices\[1,1\] = \[3, 0\] does not index into param shape \[2,3,4\]"),
    (X, [[0, 0, 0]], 0, InvalidArgument,
     "index innermost dimension length must be <= params rank; saw: 3 vs. 2"),
    (X, [[0.0, 1.0]], 0, InvalidArgument, "Value for attr 'Tindices' of float"),
    (X, 1, 0, InvalidArgument, "indices must be at least a vector"),
    (X, [[0]], -1, ValueError, "tf.gather_nd does not allow negative batch_dims."),
    (X, [[2], [0]], 2, ValueError, r"Argument `batch_dims` = 2 must be less than rank\(`indices`\) = 2"),
    (X, [[2], [0], [1]], 1, InvalidArgument, "batch dims"),
], ids=["too_big", "negative", "position_3d", "too_long", "float", "scalar", "negative_batch_dims",
        "batch_dims_rank", "batch_shapes"])
def test_gather_nd_errors(params, indices, batch_dims, error, match):
    with pytest.raises(error, match=match):
        tf.gather_nd(tf.constant(params), indices, batch_dims=batch_dims)


# -- boolean_mask --------------------------------------------------------------------------------

@pytest.mark.parametrize("tensor, mask, axis, expected", [
    (X, [[True, False, True], [False, False, True]], None, [0, 2, 5]),
    (X, [False, True], None, [X[1]]),
    (X, [True, False, True], 1, [[0, 2], [3, 5]]),
    (X, [1, 0], None, [X[0]]),
    (X, [1.0, 0.0], None, [X[0]]),
    (X, np.array([True, False]), None, [X[0]]),
    (P, [[True, False, True, False]] * 3, 1, P[:, np.array([[True, False, True, False]] * 3)]),
], ids=["full", "rows", "axis", "int_mask", "float_mask", "numpy_mask", "mask_2d_axis1"])
def test_boolean_mask(tensor, mask, axis, expected):
    check(tf.boolean_mask(tf.constant(tensor), mask, axis=axis), expected)


def test_boolean_mask_strings_and_errors():
    check(tf.boolean_mask(tf.constant(["a", "b"]), [True, False]), [b"a"], tf.string)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.boolean_mask(tf.constant(X), [True, False, True])
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        tf.boolean_mask(tf.constant(X), True)
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(3,\) are incompatible"):
        tf.boolean_mask(tf.constant(X), [True, False, True], axis=-1)


# -- where ---------------------------------------------------------------------------------------

def test_where_coordinates():
    check(tf.where([[True, False], [False, True]]), [[0, 0], [1, 1]], tf.int64)
    check(tf.where([1, 0, 2]), [[0], [2]], tf.int64)
    check(tf.where([1.0, 0.0]), [[0]], tf.int64)
    check(tf.where([False]), np.zeros((0, 1), np.int64), tf.int64)
    check(tf.where(tf.Variable([True, False])), [[0]], tf.int64)
    with pytest.raises(InvalidArgument, match=r"WhereOp : Unhandled input dimensions: 0 \[Op:Where\]"):
        tf.where(True)
    with pytest.raises(InvalidArgument, match="Value for attr 'T' of string is not in the list"):
        tf.where(["a", ""])


@pytest.mark.parametrize("cond, a, b, expected, dtype", [
    ([True, False], [1, 2], [3, 4], [1, 4], tf.int32),
    ([[True], [False]], [1, 2], 0, [[1, 2], [0, 0]], tf.int32),
    (True, 1, 2, np.int32(1), tf.int32),
    ([True, False], ["a", "b"], ["c", "d"], [b"a", b"d"], tf.string),
    ([True, False], 1, tf.constant([3, 4], tf.int64), [1, 4], tf.int64),
    ([True], tf.constant([1.0]), np.array([2.0]), [1.0], tf.float32),
    ([True], [1.5], [2], [1.5], tf.float32),
    (np.array([1, 0]), 1, 2, [1, 2], tf.int32),
], ids=["select", "broadcast", "scalars", "strings", "python_then_tensor", "numpy_cast", "python_lists",
        "numpy_condition"])
def test_where_select(cond, a, b, expected, dtype):
    check(tf.where(cond, a, b), expected, dtype)


@pytest.mark.parametrize("cond, a, b, error, match", [
    ([True, False], [1, 2], None, ValueError, "x and y must both be non-None or both be None."),
    ([True, False], [1, 2], [3.0, 4.0], TypeError,
     r"Cannot convert \[3.0, 4.0\] to EagerTensor of dtype int32"),
    ([True, False], tf.constant([1, 2]), tf.constant([3.0, 4.0]), InvalidArgument,
     r"cannot compute SelectV2 as input #2\(zero-based\) was expected to be a int32 tensor but is a float"),
    (tf.constant([1, 0]), 1, 2, InvalidArgument,
     r"cannot compute SelectV2 as input #0\(zero-based\) was expected to be a bool tensor but is a int32"),
    ([1.0, 0.0], 1, 2, TypeError, r"Cannot convert \[1.0, 0.0\] to EagerTensor of dtype bool"),
    ([True, False, True], [1, 2], [3, 4], InvalidArgument,
     r"condition \[3\], then \[2\], and else \[2\] must be broadcastable"),
    ([True, False], 1.0, tf.constant([3, 4], tf.int64), TypeError,
     "Cannot convert 1.0 to EagerTensor of dtype int64"),
], ids=["y_missing", "python_float", "tensor_dtypes", "int_condition", "float_condition", "broadcast",
        "python_float_before_tensor"])
def test_where_errors(cond, a, b, error, match):
    with pytest.raises(error, match=match):
        tf.where(cond, a, b)


# -- one_hot -------------------------------------------------------------------------------------

@pytest.mark.parametrize("indices, depth, kwargs, expected, dtype", [
    ([0, 2, -1, 5], 3, {}, [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], tf.float32),
    ([0, 2], 3, {"on_value": 5, "off_value": -1}, [[5, -1, -1], [-1, -1, 5]], tf.int32),
    ([0, 2], 3, {"on_value": 5.0}, [[5, 0, 0], [0, 0, 5]], tf.float32),
    ([0, 2], 3, {"dtype": tf.int64}, [[1, 0, 0], [0, 0, 1]], tf.int64),
    ([0, 2], 3, {"on_value": 2, "dtype": tf.float64}, [[2, 0, 0], [0, 0, 2]], tf.float64),
    ([0, 2], 3, {"axis": 0}, [[1, 0], [0, 0], [0, 1]], tf.float32),
    ([[0, 2]], 3, {"axis": 1}, [[[1, 0], [0, 0], [0, 1]]], tf.float32),
    (tf.constant([0, 2], tf.uint8), 3, {}, [[1, 0, 0], [0, 0, 1]], tf.float32),
    ([0], 0, {}, np.zeros((1, 0)), tf.float32),
    (1, tf.constant(3), {}, [0, 1, 0], tf.float32),
    ([0], 2, {"off_value": -1}, [[1, -1]], tf.int32),
    ([0], 2, {"on_value": tf.constant(1, tf.int64)}, [[1, 0]], tf.int64),
    ([1], 2, {"dtype": tf.complex64}, [[0, 1]], tf.complex64),
    ([0], 2, {"on_value": "a", "off_value": "b"}, [[b"a", b"b"]], tf.string),
], ids=["default", "on_off", "float_on", "dtype", "dtype_converts_on", "axis0", "axis1_2d", "uint8",
        "depth0", "scalar_tensor_depth", "off_only", "tensor_on", "complex", "strings"])
def test_one_hot(indices, depth, kwargs, expected, dtype):
    check(tf.one_hot(indices, depth, **kwargs), expected, dtype)


@pytest.mark.parametrize("indices, depth, kwargs, error, match", [
    ([0], 3, {"on_value": 5, "off_value": 0.0}, TypeError,
     "dtype <dtype: 'int32'> of on_value does not match dtype <dtype: 'float32'> of off_value"),
    ([0], 3, {"on_value": tf.constant(2), "dtype": tf.float64}, TypeError,
     "dtype <dtype: 'int32'> of on_value does not match dtype parameter <dtype: 'float64'>"),
    ([0], 3, {"on_value": 1.5, "dtype": tf.int32}, TypeError,
     "dtype <dtype: 'float32'> of on_value does not match dtype parameter <dtype: 'int32'>"),
    ([0], 3, {"axis": 2}, InvalidArgument, r"Expected axis to be -1 or between \[0, 2\).  But received: 2"),
    ([0], 3, {"axis": -2}, InvalidArgument, "But received: -2"),
    ([0.0], 3, {}, InvalidArgument,
     "Value for attr 'TI' of float is not in the list of allowed values: uint8, int8, int32, int64"),
    ([0], -1, {}, InvalidArgument, "depth must be non-negative, got: -1"),
    ([0], 2, {"dtype": tf.bool}, TypeError, "Cannot convert 1 to EagerTensor of dtype bool"),
    ([0], 3.0, {}, TypeError, "Cannot convert 3.0 to EagerTensor of dtype int32"),
], ids=["on_off_dtypes", "on_dtype", "python_on_dtype", "axis", "negative_axis", "float_indices",
        "negative_depth", "bool", "float_depth"])
def test_one_hot_errors(indices, depth, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.one_hot(indices, depth, **kwargs)


def test_gradients_flow_through_gather_and_where():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        rows = tf.gather(v, [1, 1, 0])
        picked = tf.gather_nd(rows, [[0, 0], [2, 1]])
        chosen = tf.where([True, False], picked, tf.zeros([2]))
    # hand-derived: chosen = [v[1, 0], 0]
    np.testing.assert_array_equal(tape.gradient(chosen, v).numpy(), [[0.0, 0.0], [1.0, 0.0]])
