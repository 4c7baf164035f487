"""Tests for sorting and selection: `tf.sort`, `tf.argsort`, `tf.math.top_k`, `tf.math.in_top_k`,
`tf.unique` and `tf.unique_with_counts`.

Expected values, dtypes and error messages were printed by TF 2.21 ("# from TF 2.21").
"""

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

X = [[1, 5, 3], [4, 2, 6]]
NAN, INF = np.nan, np.inf
SCORES = [[0.1, 0.5, 0.5, 0.2], [0.3, 0.3, 0.2, 0.1]]


_check = assert_tensor

# -- top_k ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, kwargs, values, indices, dtype", [
    (X, {}, [[5], [6]], [[1], [2]], tf.int32),
    ([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], {"k": 2}, [[5.0, 3.0], [6.0, 4.0]], [[1, 2], [2, 0]], tf.float32),
    ([1, 3, 3, 2, 3], {"k": 3}, [3, 3, 3], [1, 2, 4], tf.int32),
    ([1.0, NAN, 2.0], {"k": 2}, [NAN, 2.0], [1, 2], tf.float32),
    (X, {"k": 0}, np.zeros((2, 0)), np.zeros((2, 0)), tf.int32),
    (X, {"k": tf.constant(2)}, [[5, 3], [6, 4]], [[1, 2], [2, 0]], tf.int32),
    (np.array([1, 2], np.uint8), {}, [2], [1], tf.uint8),
], ids=["default", "floats", "ties_lower_index_first", "nan_largest", "k0", "tensor_k", "uint8"])
def test_top_k(value, kwargs, values, indices, dtype):
    # from TF 2.21
    result = tf.math.top_k(value, **kwargs)
    assert type(result).__name__ == "TopKV2"
    _check(result.values, values, dtype)
    _check(result.indices, indices, tf.int32)


def test_top_k_index_type():
    # from TF 2.21
    _check(tf.math.top_k(X, 2, index_type=tf.int64).indices, [[1, 2], [2, 0]], tf.int64)


@pytest.mark.parametrize("value, kwargs, match", [
    (X, {"k": 4}, r"^\{\{function_node __wrapped__TopKV2_device_.*\}\} input must have at least k columns. "
     r"Had 3, needed 4 \[Op:TopKV2\] name: $"),
    (X, {"k": -1}, "Need k >= 0, got -1"),
    (3, {}, r"input must be >= 1-D, got shape \[\]"),
    ([True], {}, "^Value for attr 'T' of bool is not in the list of allowed values: float, double, int32, uint8, "
     r"int16, int8, int64, bfloat16, uint16, half, uint32, uint64\n\t; NodeDef: \{\{node TopKV2\}\}; "
     r"Op<name=TopKV2; signature=input:T, k:Tk -> values:T, indices:index_type; attr=sorted:bool,default=true; "),
    ([1.0], {"index_type": tf.float32}, "^Value for attr 'index_type' of float is not in the list of allowed "
     "values: int16, int32, int64"),
], ids=["k_too_large", "k_negative", "scalar", "bool", "index_type"])
def test_top_k_errors(value, kwargs, match):
    # from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        tf.math.top_k(value, **kwargs)


# -- in_top_k ------------------------------------------------------------------------

@pytest.mark.parametrize("targets, scores, k, expected", [
    ([1, 2], SCORES, 1, [True, False]),
    ([2, 0], SCORES, 1, [True, True]),
    ([3, 1], SCORES, 3, [True, True]),
    ([4, -1], SCORES, 3, [False, False]),
    ([0, 1], [[0.1, 0.5, 0.5, 0.2], [0.3, 0.3, NAN, 0.1]], 4, [True, False]),
    (np.array([1, 1], np.int64), SCORES, 2, [True, True]),
    ([1, 1], SCORES, 0, [False, False]),
    ([1, 1], SCORES, tf.constant(2), [True, True]),
], ids=["ties_count", "both", "k3", "out_of_range", "nan_row", "int64", "k0", "tensor_k"])
def test_in_top_k(targets, scores, k, expected):
    # from TF 2.21: a tie with the target counts for it; a row holding NaN is never in the top k.
    _check(tf.math.in_top_k(targets, tf.constant(scores), k), expected, tf.bool)


@pytest.mark.parametrize("targets, scores, match", [
    ([1, 1], np.array(SCORES), r"^cannot compute InTopKV2 as input #0\(zero-based\) was expected to be a float "
     r"tensor but is a double tensor \[Op:InTopKV2\] name: $"),
    ([1.0, 1.0], SCORES, "^Value for attr 'T' of float is not in the list of allowed values: int32, int64"),
    ([1], SCORES, "First dimension of predictions 2 must match length of targets 1"),
], ids=["float64_scores", "float_targets", "lengths"])
def test_in_top_k_errors(targets, scores, match):
    # from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        tf.math.in_top_k(tf.constant(targets), tf.constant(scores), 2)


# -- sort / argsort -------------------------------------------------------------------

@pytest.mark.parametrize("value, kwargs, expected", [
    (X, {}, [[1, 3, 5], [2, 4, 6]]),
    (X, {"axis": 0}, [[1, 2, 3], [4, 5, 6]]),
    (X, {"axis": -2}, [[1, 2, 3], [4, 5, 6]]),
    (X, {"direction": "DESCENDING"}, [[5, 3, 1], [6, 4, 2]]),
    ([3.0, NAN, 1.0, -INF], {}, [-INF, 1.0, 3.0, NAN]),
    (np.array([1, 2], np.uint8), {"direction": "DESCENDING"}, [2, 1]),
    (np.zeros((1, 0), np.float32), {}, np.zeros((1, 0))),
], ids=["last_axis", "axis0", "negative_axis", "descending", "nan_last", "uint8", "empty"])
def test_sort(value, kwargs, expected):
    # from TF 2.21
    value = tf.constant(value)
    _check(tf.sort(value, **kwargs), expected, value.dtype)


@pytest.mark.parametrize("value, kwargs, expected", [
    ([3.0, NAN, 1.0, -INF], {}, [3, 2, 0, 1]),
    ([3, 1, 3, 1, 2], {}, [1, 3, 4, 0, 2]),
    ([3, 1, 3, 1, 2], {"direction": "DESCENDING"}, [0, 2, 4, 1, 3]),
    ([3, 1, 3, 1, 2], {"direction": "DESCENDING", "stable": True}, [0, 2, 4, 1, 3]),
    (X, {"axis": 0}, [[0, 1, 0], [1, 0, 1]]),
    (np.array([1, 2], np.uint8), {}, [0, 1]),
], ids=["nan", "stable_ties", "descending_ties", "stable", "axis0", "uint8"])
def test_argsort(value, kwargs, expected):
    # from TF 2.21: equal values keep their input order.
    _check(tf.argsort(value, **kwargs), expected, tf.int32)


@pytest.mark.parametrize("fn, value, kwargs, error, match", [
    (tf.sort, X, {"direction": "descending"}, ValueError,
     "^Argument `direction` should be one of ASCENDING, DESCENDING. Received: direction=descending$"),
    (tf.argsort, X, {"direction": "X"}, ValueError, "Received: direction=X$"),
    (tf.sort, X, {"axis": 2}, tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__StridedSlice_device_.*\}\} slice index 2 of dimension 0 out of bounds. "
     r"\[Op:StridedSlice\] name: strided_slice/$"),
    (tf.sort, X, {"axis": -3}, tf.errors.InvalidArgumentError, "slice index -1 of dimension 0 out of bounds"),
    (tf.argsort, 3, {}, tf.errors.InvalidArgumentError, "slice index -1 of dimension 0 out of bounds"),
    (tf.sort, [True, False], {}, tf.errors.InvalidArgumentError, r"(?s)of bool .*\{\{node Neg\}\}"),
    (tf.sort, [True, False], {"direction": "DESCENDING"}, tf.errors.InvalidArgumentError,
     r"(?s)of bool .*\{\{node TopKV2\}\}"),
    (tf.sort, [1 + 1j], {}, tf.errors.InvalidArgumentError, r"(?s)of complex128 .*\{\{node TopKV2\}\}"),
    (tf.sort, ["b", "a"], {}, tf.errors.InvalidArgumentError, r"(?s)of string .*\{\{node Neg\}\}"),
], ids=["lower_case", "unknown", "axis", "negative_axis", "scalar", "bool", "bool_descending", "complex",
        "string"])
def test_sort_errors(fn, value, kwargs, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        fn(value, **kwargs)


# -- unique --------------------------------------------------------------------------

@pytest.mark.parametrize("value, y, idx", [
    ([1, 1, 2, 4, 4, 4, 7, 8, 8], [1, 2, 4, 7, 8], [0, 0, 1, 2, 2, 2, 3, 4, 4]),
    ([4, 1, 4, 2, 1], [4, 1, 2], [0, 1, 0, 2, 1]),
    ([True, False, True], [True, False], [0, 1, 0]),
    ([0.0, -0.0], [0.0], [0, 0]),
    (np.array([], np.int32), np.zeros(0), np.zeros(0)),
], ids=["sorted_input", "first_appearance", "bool", "signed_zero", "empty"])
def test_unique(value, y, idx):
    # from TF 2.21
    value = tf.constant(value)
    result = tf.unique(value)
    assert type(result).__name__ == "Unique"
    _check(result.y, y, value.dtype)
    _check(result.idx, idx, tf.int32)


def test_unique_nan_strings_and_out_idx():
    # from TF 2.21: every NaN is its own value.
    result = tf.unique(tf.constant([NAN, NAN, 1.0]))
    _check(result.y, [NAN, NAN, 1.0], tf.float32)
    _check(result.idx, [0, 1, 2], tf.int32)
    result = tf.unique(tf.constant(["b", "a", "b"]))
    _check(result.y, [b"b", b"a"], tf.string)
    _check(tf.unique(tf.constant([4.0, 1.0, 4.0]), out_idx=tf.int64).idx, [0, 1, 0], tf.int64)


def test_unique_with_counts():
    # from TF 2.21
    y, idx, count = tf.unique_with_counts(tf.constant([4, 1, 4, 2, 1]))
    _check(y, [4, 1, 2], tf.int32)
    _check(idx, [0, 1, 0, 2, 1], tf.int32)
    _check(count, [2, 2, 1], tf.int32)
    y, idx, count = tf.unique_with_counts(tf.constant(["b", "a", "b"]), out_idx=tf.int64)
    _check(y, [b"b", b"a"], tf.string)
    _check(count, [2, 1], tf.int64)


@pytest.mark.parametrize("value", [[[1, 2], [1, 2]], 1], ids=["matrix", "scalar"])
def test_unique_needs_a_vector(value):
    # from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^\{\{function_node __wrapped__Unique_device_.*\}\} unique expects a 1D vector. "
                             r"\[Op:Unique\] name: $"):
        tf.unique(tf.constant(value))


def test_gradients_follow_the_selected_entries():
    # from TF 2.21
    v = tf.Variable([[1.0, -2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        top = tf.reduce_sum(tf.math.top_k(v, 1).values)
        ordered = tf.reduce_sum(tf.sort(v) * tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(tape.gradient(top, v).numpy(), [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(tape.gradient(ordered, v).numpy(), [[2.0, 1.0], [1.0, 2.0]])
