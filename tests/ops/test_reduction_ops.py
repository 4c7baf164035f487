"""Tests for the reductions and scans: `tf.reduce_*`, `tf.argmax`, `tf.cumsum`, `tf.add_n`, …

Expected values, dtypes and error messages were printed by TF 2.21 ("# from TF 2.21").
"""

import functools

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

X = [[1, 5, 3], [4, 2, 6]]
F = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]
B = [[True, False], [True, True]]
NAN, INF = np.nan, np.inf


def _case_id(case) -> str:
    """`reduce_sum-axis=1`: the function and its keyword arguments, as a test id."""
    fn, _, kwargs = case[:3]
    return "-".join([fn.__name__] + [f"{k}={v}" for k, v in kwargs.items()])


_check = functools.partial(assert_tensor, rtol=1e-6)

# -- reduce_* --------------------------------------------------------------------------

REDUCE_CASES = [
    (tf.reduce_sum, X, {}, 21, tf.int32, ()),
    (tf.reduce_sum, X, {"axis": 1}, [9, 12], tf.int32, (2,)),
    (tf.reduce_sum, X, {"axis": -1, "keepdims": True}, [[9], [12]], tf.int32, (2, 1)),
    (tf.reduce_sum, X, {"axis": [0, 1]}, 21, tf.int32, ()),
    (tf.reduce_sum, X, {"axis": [-1, 0]}, 21, tf.int32, ()),
    (tf.reduce_sum, X, {"keepdims": True}, [[21]], tf.int32, (1, 1)),
    (tf.reduce_sum, X, {"axis": []}, X, tf.int32, (2, 3)),
    (tf.reduce_sum, X, {"axis": np.int64(1)}, [9, 12], tf.int32, (2,)),
    (tf.reduce_sum, np.array([200, 100], np.uint8), {}, 44, tf.uint8, ()),
    (tf.reduce_sum, [1.5, 2], {}, 3.5, tf.float32, ()),
    (tf.reduce_mean, X, {}, 3, tf.int32, ()),
    (tf.reduce_mean, X, {"axis": 0}, [2, 3, 4], tf.int32, (3,)),
    (tf.reduce_mean, [-1, -2], {}, -1, tf.int32, ()),
    (tf.reduce_mean, np.array([100, 100, -1], np.int8), {}, 66, tf.int8, ()),
    (tf.reduce_mean, np.array([255, 255], np.uint8), {}, 255, tf.uint8, ()),
    (tf.reduce_mean, np.array([], np.int32), {}, 0, tf.int32, ()),
    (tf.reduce_mean, F, {"axis": -2, "keepdims": True}, [[2.5, 3.5, 4.5]], tf.float32, (1, 3)),
    (tf.reduce_mean, np.array([], np.float32), {}, NAN, tf.float32, ()),
    (tf.reduce_max, X, {"axis": 1}, [5, 6], tf.int32, (2,)),
    (tf.reduce_max, F, {"axis": [1, 0], "keepdims": True}, [[6.0]], tf.float32, (1, 1)),
    (tf.reduce_max, [1.0, NAN], {}, NAN, tf.float32, ()),
    (tf.reduce_max, np.array([], np.float32), {}, -INF, tf.float32, ()),
    (tf.reduce_max, np.array([], np.int32), {}, -(2**31), tf.int32, ()),
    (tf.reduce_max, np.zeros((2, 0), np.float32), {"axis": 1}, [-INF, -INF], tf.float32, (2,)),
    (tf.reduce_max, np.zeros((2, 0), np.float32), {"axis": 0}, np.zeros(0), tf.float32, (0,)),
    (tf.reduce_min, X, {"axis": -2}, [1, 2, 3], tf.int32, (3,)),
    (tf.reduce_min, np.array([], np.uint8), {}, 255, tf.uint8, ()),
    (tf.reduce_prod, X, {"axis": 0}, [4, 10, 18], tf.int32, (3,)),
    (tf.reduce_prod, X, {}, 720, tf.int32, ()),
    (tf.reduce_prod, X, {"axis": [1, 0], "keepdims": True}, [[720]], tf.int32, (1, 1)),
    (tf.reduce_prod, np.ones((2, 3, 4), np.float32) * 2, {"axis": [0, 2]}, [256.0] * 3, tf.float32, (3,)),
    (tf.reduce_prod, np.array([], np.float32), {}, 1.0, tf.float32, ()),
    (tf.reduce_any, B, {"axis": 0}, [True, True], tf.bool, (2,)),
    (tf.reduce_any, np.array([], bool), {}, False, tf.bool, ()),
    (tf.reduce_all, B, {"keepdims": True}, [[False]], tf.bool, (1, 1)),
    (tf.reduce_all, B, {"axis": -1}, [False, True], tf.bool, (2,)),
    (tf.reduce_all, np.array([], bool), {}, True, tf.bool, ()),
    (tf.math.reduce_std, F, {"axis": 0}, [1.5, 1.5, 1.5], tf.float32, (3,)),
    (tf.math.reduce_variance, F, {"keepdims": True}, [[2.9166667]], tf.float32, (1, 1)),
    (tf.math.reduce_variance, [[1.0, 2.0], [3.0, 5.0]], {"axis": [-1, 0]}, 2.1875, tf.float32, ()),
    (tf.math.reduce_variance, [1 + 2j, 3j], {}, 0.5, tf.float64, ()),
    (tf.math.reduce_variance, F, {"axis": []}, np.zeros((2, 3)), tf.float32, (2, 3)),
    (tf.math.reduce_std, np.array([], np.float32), {}, NAN, tf.float32, ()),
    (tf.reduce_logsumexp, F, {"axis": 1}, [5.1429315, 6.1429315], tf.float32, (2,)),
    (tf.reduce_logsumexp, F, {"axis": 0, "keepdims": True}, [[4.0485873, 5.0485873, 6.0485873]],
     tf.float32, (1, 3)),
    (tf.reduce_logsumexp, [-INF, -INF], {}, -INF, tf.float32, ()),
    (tf.reduce_logsumexp, [INF, 1.0], {}, INF, tf.float32, ()),
    (tf.reduce_logsumexp, np.array([], np.float32), {}, -INF, tf.float32, ()),
    (tf.math.reduce_euclidean_norm, F, {"axis": 1}, [5.91608, 7.483315], tf.float32, (2,)),
    (tf.math.reduce_euclidean_norm, [[3, 4], [1, 1]], {"axis": -1}, [5, 1], tf.int32, (2,)),
    (tf.math.reduce_euclidean_norm, [-1, 4], {"axis": []}, [1, 4], tf.int32, (2,)),
    (tf.math.reduce_euclidean_norm, [3 + 4j], {}, 5 + 0j, tf.complex128, ()),
    (tf.math.count_nonzero, [[1, 0, 3], [0, 0, 6]], {}, 3, tf.int64, ()),
    (tf.math.count_nonzero, [[1.0, 0.0], [2.0, 3.0]], {"axis": -1, "keepdims": True}, [[1], [2]],
     tf.int64, (2, 1)),
    (tf.math.count_nonzero, ["a", ""], {}, 1, tf.int64, ()),
    (tf.math.count_nonzero, [True, False], {"dtype": tf.int32}, 1, tf.int32, ()),
]


@pytest.mark.parametrize("fn, value, kwargs, expected, dtype, shape", REDUCE_CASES,
                         ids=[_case_id(c) for c in REDUCE_CASES])
def test_reduce_values(fn, value, kwargs, expected, dtype, shape):
    # from TF 2.21
    _check(fn(value, **kwargs), expected, dtype, shape)


def test_reduce_axis_as_tensor():
    # from TF 2.21: axis tensors of int32 or int64 are accepted.
    _check(tf.reduce_sum(tf.constant(X), tf.constant([0])), [5, 7, 9], tf.int32, (3,))
    _check(tf.reduce_sum(tf.constant(X), tf.constant([1], tf.int64)), [9, 12], tf.int32, (2,))


def test_reduce_of_variable_axis_empty_is_a_copy():
    v = tf.Variable([1.0, 2.0])
    same = tf.reduce_sum(v, axis=[])
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(same.numpy(), [1.0, 2.0])


def test_reduce_sum_of_float16_overflows_like_tf():
    # from TF 2.21: [60000, 60000] in float16 sums to inf.
    assert np.isinf(tf.reduce_sum(tf.constant([60000.0, 60000.0], tf.float16)).numpy())


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.reduce_sum(tf.constant(X), 2), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Sum_device_/job:localhost/replica:0/task:0/device:(CPU|GPU):0\}\} "
     r"Invalid reduction dimension \(2 for input with 2 dimension\(s\) \[Op:Sum\] name: $"),
    (lambda: tf.reduce_sum(tf.constant(X), -3), tf.errors.InvalidArgumentError,
     r"Invalid reduction dimension \(-3 for input with 2 dimension\(s\)"),
    (lambda: tf.reduce_sum(tf.constant(5), 0), tf.errors.InvalidArgumentError,
     r"Invalid reduction dimension \(0 for input with 0 dimension\(s\)"),
    (lambda: tf.reduce_sum(tf.constant(X), [1, -1]), tf.errors.InvalidArgumentError,
     r"Invalid reduction arguments: Axes contains duplicate dimension: 1 \[Op:Sum\]$"),
    (lambda: tf.reduce_sum(tf.constant(X), 1.0), TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32"),
    (lambda: tf.reduce_sum(tf.constant(X), tf.constant(1.0)), tf.errors.InvalidArgumentError,
     "Value for attr 'Tidx' of float is not in the list of allowed values: int32, int64"),
    (lambda: tf.reduce_sum(tf.constant(B)), tf.errors.InvalidArgumentError,
     r"^Value for attr 'T' of bool is not in the list of allowed values: float, double, int32, uint8, int16, "
     r"int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
     r"uint32, uint64\n\t; NodeDef: \{\{node Sum\}\}; Op<name=Sum; signature=input:T, reduction_indices:Tidx "
     r"-> output:T; attr=keep_dims:bool,default=false; attr=T:type,allowed=\[DT_FLOAT, DT_DOUBLE, "),
    (lambda: tf.reduce_sum(tf.constant(["a"])), tf.errors.InvalidArgumentError, "attr 'T' of string"),
    (lambda: tf.reduce_mean(tf.constant(B)), tf.errors.InvalidArgumentError, r"\{\{node Mean\}\}"),
    (lambda: tf.reduce_max(tf.constant(B)), tf.errors.InvalidArgumentError,
     "of bool is not in the list of allowed values: float, double, int32, uint8, int16, int8, int64, "
     "bfloat16, uint16, half, uint32, uint64, qint8"),
    (lambda: tf.reduce_min(tf.constant([1 + 1j])), tf.errors.InvalidArgumentError, r"\[Op:Min\]"),
    (lambda: tf.reduce_prod(tf.constant(B)), tf.errors.InvalidArgumentError, r"\{\{node Prod\}\}"),
    (lambda: tf.reduce_any(tf.constant(X)), tf.errors.InvalidArgumentError,
     r"^cannot compute Any as input #0\(zero-based\) was expected to be a bool tensor but is a int32 "
     r"tensor \[Op:Any\] name: $"),
    (lambda: tf.reduce_all(tf.constant(F)), tf.errors.InvalidArgumentError,
     "cannot compute All as input #0.*but is a float tensor"),
    (lambda: tf.math.reduce_std(tf.constant(X)), TypeError,
     r"^Input must be either real or complex. Received integer type <dtype: 'int32'>.$"),
    (lambda: tf.math.reduce_variance(tf.constant([True])), tf.errors.InvalidArgumentError, r"\[Op:Mean\]"),
    (lambda: tf.reduce_logsumexp(tf.constant(X)), tf.errors.InvalidArgumentError,
     "Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, double"
     r"\n\t; NodeDef: \{\{node IsFinite\}\}"),
    (lambda: tf.math.reduce_euclidean_norm(tf.constant([True])), tf.errors.InvalidArgumentError,
     r"\{\{node EuclideanNorm\}\}"),
], ids=["axis_high", "axis_low", "scalar_axis", "duplicate_axes", "float_axis", "float_axis_tensor",
        "sum_bool", "sum_string", "mean_bool", "max_bool", "min_complex", "prod_bool", "any_int", "all_float",
        "std_int", "variance_bool", "logsumexp_int", "euclidean_bool"])
def test_reduce_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


# -- argmax / argmin -------------------------------------------------------------------

ARG_CASES = [
    (tf.argmax, X, {}, [1, 0, 1], (3,)),
    (tf.argmax, X, {"axis": 1}, [1, 2], (2,)),
    (tf.argmax, X, {"axis": -1}, [1, 2], (2,)),
    (tf.argmin, X, {"axis": 0}, [0, 1, 0], (3,)),
    (tf.argmax, [1, 3, 3, 1], {}, 1, ()),
    (tf.argmin, [1, 0, 0, 1], {}, 1, ()),
    (tf.argmax, [1.0, NAN, 3.0], {}, 2, ()),
    (tf.argmin, [1.0, NAN, 3.0], {}, 0, ()),
    (tf.argmax, [NAN, -INF], {}, 0, ()),
    (tf.argmax, [NAN, NAN], {}, 0, ()),
    (tf.argmin, [NAN, INF], {}, 0, ()),
    (tf.argmin, [2.0, NAN, 1.0], {}, 2, ()),
    (tf.argmax, [[NAN, 1.0], [NAN, NAN]], {"axis": 1}, [1, 0], (2,)),
    (tf.argmax, [True, False], {}, 0, ()),
    (tf.argmax, np.array([1, 2], np.uint8), {}, 1, ()),
    (tf.argmax, np.zeros((1, 0), np.float32), {"axis": 0}, np.zeros(0), (0,)),
]


@pytest.mark.parametrize("fn, value, kwargs, expected, shape", ARG_CASES,
                         ids=[f"{_case_id(c)}-{i}" for i, c in enumerate(ARG_CASES)])
def test_arg_extreme_values(fn, value, kwargs, expected, shape):
    # from TF 2.21: int64 by default; NaN is never picked unless all are NaN.
    _check(fn(value, **kwargs), expected, tf.int64, shape)


def test_argmax_output_type_and_tensor_axis():
    # from TF 2.21
    _check(tf.argmax(X, 1, output_type=tf.int32), [1, 2], tf.int32, (2,))
    _check(tf.argmax(tf.constant(X), tf.constant(1, tf.int64)), [1, 2], tf.int64, (2,))


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.argmax(X, 2), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__ArgMax_device_.*\}\} Expected dimension in the range \[-2, 2\), but got 2 "
     r"\[Op:ArgMax\] name: $"),
    (lambda: tf.argmax(3), tf.errors.InvalidArgumentError, r"in the range \[0, 0\), but got 0"),
    (lambda: tf.argmax(np.array([], np.float32)), tf.errors.InvalidArgumentError,
     r"Reduction axis 0 is empty in shape \[0\] \[Op:ArgMax\]"),
    (lambda: tf.argmax(X, [1]), TypeError, "^axis must be int or Tensor with integer datatype$"),
    (lambda: tf.argmax(X, 1.0), TypeError, "^axis must be int or Tensor with integer datatype$"),
    (lambda: tf.argmax(X, np.int64(1)), TypeError, "^axis tensor dtypes int64 is not supported$"),
    (lambda: tf.argmax(X, tf.constant([1])), tf.errors.InvalidArgumentError,
     r"dim must be a scalar, but received tensor of shape: \[1\]"),
    (lambda: tf.argmax(X, 1, output_type=tf.float32), tf.errors.InvalidArgumentError,
     "^Value for attr 'output_type' of float is not in the list of allowed values: int16, uint16, int32, "
     r"int64\n\t; NodeDef: \{\{node ArgMax\}\}"),
    (lambda: tf.argmin([1 + 1j]), tf.errors.InvalidArgumentError,
     r"(?s)Value for attr 'T' of complex128 .*\{\{node ArgMin\}\}"),
], ids=["axis_range", "scalar", "empty", "list_axis", "float_axis", "numpy_axis", "vector_axis",
        "output_type", "complex"])
def test_arg_extreme_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


# -- scans -----------------------------------------------------------------------------

@pytest.mark.parametrize("fn, kwargs, expected", [
    (tf.cumsum, {}, [[1, 5, 3], [5, 7, 9]]),
    (tf.cumsum, {"axis": 1, "exclusive": True}, [[0, 1, 6], [0, 4, 6]]),
    (tf.cumsum, {"axis": 1, "reverse": True}, [[9, 8, 3], [12, 8, 6]]),
    (tf.cumsum, {"axis": -1, "exclusive": True, "reverse": True}, [[8, 3, 0], [8, 6, 0]]),
    (tf.cumsum, {"axis": tf.constant(1)}, [[1, 6, 9], [4, 6, 12]]),
    (tf.math.cumprod, {"axis": 1}, [[1, 5, 15], [4, 8, 48]]),
    (tf.math.cumprod, {"axis": 1, "exclusive": True, "reverse": True}, [[15, 3, 1], [12, 6, 1]]),
], ids=["cumsum", "exclusive", "reverse", "both", "tensor_axis", "cumprod", "cumprod_both"])
def test_integer_scans(fn, kwargs, expected):
    # from TF 2.21
    _check(fn(tf.constant(X), **kwargs), expected, tf.int32, (2, 3))


def test_scans_of_floats_and_small_types():
    # from TF 2.21
    _check(tf.math.cumprod(F, 0), [[1.0, 5.0, 3.0], [4.0, 10.0, 18.0]], tf.float32, (2, 3))
    _check(tf.cumsum(np.array([200, 100], np.uint8)), [200, 44], tf.uint8, (2,))
    _check(tf.cumsum(np.zeros(0, np.float32), exclusive=True), np.zeros(0), tf.float32, (0,))
    _check(tf.math.cumulative_logsumexp(F, 1), [[1.0, 5.01815, 5.1429315], [4.0, 4.126928, 6.1429315]],
           tf.float32, (2, 3))
    _check(tf.math.cumulative_logsumexp(F, 1, exclusive=True), [[-INF, 1.0, 5.01815], [-INF, 4.0, 4.126928]],
           tf.float32, (2, 3))
    _check(tf.math.cumulative_logsumexp([1.0, 2.0], reverse=True, exclusive=True), [2.0, -INF],
           tf.float32, (2,))


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.cumsum(X, 2), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Cumsum_device_.*\}\} ScanOp: Expected scan axis in the range \[-2, 2\), "
     r"but got 2 \[Op:Cumsum\] name: $"),
    (lambda: tf.cumsum([1.0, 2.0], -2), tf.errors.InvalidArgumentError,
     r"in the range \[-1, 1\), but got -1"),
    (lambda: tf.cumsum(X, [1]), tf.errors.InvalidArgumentError,
     r"ScanOp: axis must be a scalar, not \[1\] \[Op:Cumsum\]$"),
    (lambda: tf.cumsum([1.0], 0.0), TypeError, "Cannot convert 0.0 to EagerTensor of dtype int32"),
    (lambda: tf.cumsum(B), tf.errors.InvalidArgumentError,
     r"(?s)of bool .*Op<name=Cumsum; signature=x:T, axis:Tidx -> out:T; attr=exclusive:bool,default=false; "
     r"attr=reverse:bool,default=false; attr=T:type"),
    (lambda: tf.math.cumprod(B), tf.errors.InvalidArgumentError, r"\{\{node Cumprod\}\}"),
    (lambda: tf.math.cumulative_logsumexp(X), tf.errors.InvalidArgumentError,
     r"(?s)of int32 .*\{\{node CumulativeLogsumexp\}\}"),
], ids=["axis_range", "negative_axis", "list_axis", "float_axis", "cumsum_bool", "cumprod_bool",
        "logsumexp_int"])
def test_scan_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


# -- add_n -----------------------------------------------------------------------------

@pytest.mark.parametrize("inputs, expected, dtype, shape", [
    ([X, X, X], [[3, 15, 9], [12, 6, 18]], tf.int32, (2, 3)),
    ([X], X, tf.int32, (2, 3)),
    ([1, 2], 3, tf.int32, ()),
    ([[1, 2], [3, 4]], [4, 6], tf.int32, (2,)),
    (tf.constant(X), [5, 7, 9], tf.int32, (3,)),
    ([np.array([1, 2], np.uint8)] * 2, [2, 4], tf.uint8, (2,)),
    ((tf.constant(F), tf.constant(F)), np.multiply(F, 2), tf.float32, (2, 3)),
], ids=["three", "one", "scalars", "nested_lists", "tensor_rows", "uint8", "tuple"])
def test_add_n(inputs, expected, dtype, shape):
    # from TF 2.21
    _check(tf.add_n(inputs), expected, dtype, shape)


@pytest.mark.parametrize("inputs, error, match", [
    ([], ValueError, "^Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype "
     "and shape.$"),
    ([tf.constant(X), tf.constant(F)], tf.errors.InvalidArgumentError,
     r"^cannot compute AddN as input #1\(zero-based\) was expected to be a int32 tensor but is a float tensor"),
    ([1.5, tf.constant(X)], tf.errors.InvalidArgumentError, "expected to be a float tensor but is a int32"),
    ([tf.constant(X), tf.constant([1, 2, 3])], tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__AddN_N_2_device_.*\}\} Inputs to operation AddN of type AddN must have "
     r"the same size and shape.  Input 0: \[2,3\] != input 1: \[3\] \[Op:AddN\] name: $"),
    ([tf.constant(B), tf.constant(B)], tf.errors.InvalidArgumentError,
     r"(?s)of bool .*uint64, variant\n\t; NodeDef: \{\{node AddN\}\}.*is_commutative=true; is_aggregate=true>"),
], ids=["empty", "dtypes", "python_float", "shapes", "bool"])
def test_add_n_errors(inputs, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        tf.add_n(inputs)


@pytest.mark.parametrize("fn, value, expected", [
    (lambda v: tf.reduce_max(v), [1.0, 1.0, 0.5], [0.5, 0.5, 0.0]),
    (lambda v: tf.reduce_mean(v), [1.0, 2.0], [0.5, 0.5]),
    (lambda v: tf.math.reduce_std(v), [[1.0, -2.0], [3.0, 4.0]],
     [[-0.054554469883441925, -0.3818812966346741], [0.16366341710090637, 0.27277234196662903]]),
    (lambda v: tf.reduce_prod(v, [0, 1]), [[1.0, -2.0], [3.0, 4.0]], [[-24.0, 12.0], [-8.0, -6.0]]),
    (lambda v: tf.reduce_sum(tf.cumsum(v, 1, exclusive=True, reverse=True)), [[1.0, -2.0], [3.0, 4.0]],
     [[0.0, 1.0], [0.0, 1.0]]),
    (lambda v: tf.reduce_sum(tf.add_n([v, v, v])), [1.0, 2.0], [3.0, 3.0]),
], ids=["max_ties_share", "mean", "std", "prod_two_axes", "cumsum_exclusive_reverse", "add_n"])
def test_gradients(fn, value, expected):
    # from TF 2.21
    v = tf.Variable(value)
    with tf.GradientTape() as tape:
        y = fn(v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), expected, rtol=1e-6)
