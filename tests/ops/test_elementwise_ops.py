"""Tests for elementwise math: unary functions, `tf.maximum` and friends, and clipping.

Expected values, dtypes and error messages were printed by TF 2.21 ("# from TF 2.21");
float results are compared within float32 rounding (TF's and torch's kernels may differ
in the last bit).
"""

import functools

import numpy as np
import pytest

import kerastorch as tf
from tests.helpers import assert_tensor

NAN, INF = np.nan, np.inf
VALUES = [-1.5, 0.0, 0.5, 2.5]
F = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]
X = [[1, 5, 3], [4, 2, 6]]


_check = functools.partial(assert_tensor, rtol=2e-6, atol=1e-7)

# from TF 2.21, for VALUES (float32)
FLOAT_CASES = [
    (tf.sqrt, [NAN, 0.0, 0.70710677, 1.5811388]),
    (tf.math.rsqrt, [NAN, INF, 1.4142135, 0.6324555]),
    (tf.exp, [0.22313017, 1.0, 1.6487212, 12.182494]),
    (tf.math.log, [NAN, -INF, -0.6931472, 0.91629076]),
    (tf.math.log1p, [NAN, 0.0, 0.4054651, 1.252763]),
    (tf.math.expm1, [-0.77686983, 0.0, 0.6487213, 11.182494]),
    (tf.sin, [-0.997495, 0.0, 0.47942555, 0.5984721]),
    (tf.cos, [0.0707372, 1.0, 0.87758255, -0.8011436]),
    (tf.tan, [-14.10142, 0.0, 0.5463025, -0.74702233]),
    (tf.asin, [NAN, 0.0, 0.5235988, NAN]),
    (tf.acos, [NAN, 1.5707964, 1.0471976, NAN]),
    (tf.atan, [-0.98279375, 0.0, 0.4636476, 1.19029]),
    (tf.sinh, [-2.1292794, 0.0, 0.5210953, 6.0502048]),
    (tf.cosh, [2.3524096, 1.0, 1.127626, 6.1322894]),
    (tf.asinh, [-1.1947632, 0.0, 0.48121184, 1.6472312]),
    (tf.acosh, [NAN, NAN, NAN, 1.5667993]),
    (tf.atanh, [NAN, 0.0, 0.54930615, NAN]),
    (tf.tanh, [-0.9051483, 0.0, 0.46211714, 0.98661435]),
    (tf.sigmoid, [0.18242551, 0.5, 0.62245935, 0.9241418]),
    (tf.floor, [-2.0, 0.0, 0.0, 2.0]),
    (tf.math.ceil, [-1.0, 0.0, 1.0, 3.0]),
    (tf.round, [-2.0, 0.0, 0.0, 2.0]),
    (tf.math.rint, [-2.0, 0.0, 0.0, 2.0]),
    (tf.math.reciprocal, [-0.6666667, INF, 2.0, 0.4]),
    (tf.math.reciprocal_no_nan, [-0.6666667, 0.0, 2.0, 0.4]),
    (tf.square, [2.25, 0.0, 0.25, 6.25]),
    (tf.abs, [1.5, 0.0, 0.5, 2.5]),
    (tf.sign, [-1.0, 0.0, 1.0, 1.0]),
    (tf.math.erf, [-0.9661051, 0.0, 0.5204999, 0.99959296]),
    (tf.math.erfc, [1.9661051, 1.0, 0.47950011, 4.0695202e-04]),
    (tf.math.lgamma, [0.86004704, INF, 0.5723649, 0.28468287]),
    (tf.math.digamma, [0.7031568, NAN, -1.9635108, 0.7031568]),
    (tf.math.log_sigmoid, [-1.7014133, -0.6931472, -0.474077, -0.07888974]),
    (tf.math.real, VALUES),
    (tf.math.imag, [0.0, 0.0, 0.0, 0.0]),
    (tf.math.conj, VALUES),
]


@pytest.mark.parametrize("fn, expected", FLOAT_CASES, ids=[fn.__name__ for fn, _ in FLOAT_CASES])
def test_unary_float_values(fn, expected):
    # from TF 2.21
    _check(fn(tf.constant(VALUES)), expected, tf.float32)


@pytest.mark.parametrize("fn, expected, dtype", [
    (tf.math.is_nan, [False, True, False, False], tf.bool),
    (tf.math.is_inf, [False, False, True, True], tf.bool),
    (tf.math.is_finite, [True, False, False, False], tf.bool),
    (tf.sign, [1.0, NAN, 1.0, -1.0], tf.float32),
], ids=["is_nan", "is_inf", "is_finite", "sign_keeps_nan"])
def test_special_values(fn, expected, dtype):
    # from TF 2.21
    result = fn(tf.constant([1.0, NAN, INF, -INF]))
    assert result.dtype == dtype
    np.testing.assert_array_equal(result.numpy(), expected)


def test_round_is_bankers_rounding_and_keeps_integers():
    # from TF 2.21
    halves = [0.5, 1.5, 2.5, -0.5, -1.5]
    _check(tf.round(tf.constant(halves, tf.float64)), [0.0, 2.0, 2.0, -0.0, -2.0], tf.float64)
    _check(tf.round(tf.constant([-2, 0, 3])), [-2, 0, 3], tf.int32)
    _check(tf.round(tf.constant([1, 2], tf.uint8)), [1, 2], tf.uint8)


@pytest.mark.parametrize("fn, expected, dtype", [
    (tf.abs, [2, 0, 3], tf.int32),
    (tf.sign, [-1, 0, 1], tf.int32),
    (tf.square, [4, 0, 9], tf.int32),
    (tf.math.negative, [2, 0, -3], tf.int32),
    (tf.math.real, [-2, 0, 3], tf.int32),
    (tf.math.imag, [0, 0, 0], tf.int32),
], ids=["abs", "sign", "square", "negative", "real", "imag"])
def test_unary_integer_values(fn, expected, dtype):
    # from TF 2.21
    _check(fn(tf.constant([-2, 0, 3])), expected, dtype)


def test_complex_input():
    # from TF 2.21
    _check(tf.abs(tf.constant([3 + 4j])), [5.0], tf.float64)
    _check(tf.sign(tf.constant([1 + 1j, 0j])), [0.70710678 + 0.70710678j, 0j], tf.complex128)
    _check(tf.sigmoid(tf.constant([1 + 1j])), [0.78204157 + 0.20194823j], tf.complex128)
    _check(tf.math.expm1(tf.constant([1 + 1j])), [0.46869394 + 2.28735529j], tf.complex128)
    _check(tf.math.real(tf.constant([1 + 2j])), [1.0], tf.float64)
    _check(tf.math.imag(tf.constant([1 + 2j], tf.complex64)), [2.0], tf.float32)
    _check(tf.math.conj(tf.constant([1 + 2j])), [1 - 2j], tf.complex128)
    _check(tf.math.reciprocal_no_nan(tf.constant([0j, 2j])), [0j, -0.5j], tf.complex128)


def test_python_values_are_converted():
    # from TF 2.21
    _check(tf.sqrt([4.0, 9.0]), [2.0, 3.0], tf.float32)
    _check(tf.exp(np.array([0.0], np.float64)), [1.0], tf.float64)


def _allowed(op, types, signature="x:T -> y:T"):
    listed = ", ".join("DT_" + t.upper() for t in types.split(", "))
    return (f"Value for attr 'T' of int32 is not in the list of allowed values: {types}\n\t; NodeDef: "
            f"{{{{node {op}}}}}; Op<name={op}; signature={signature}; attr=T:type,allowed=[{listed}]> "
            f"[Op:{op}] name: ")


FLOAT_COMPLEX = "bfloat16, half, float, double, complex64, complex128"
FLOAT = "bfloat16, half, float, double"
# from TF 2.21: float-only ops refuse int32 input, no promotion.
INT_REFUSED = [
    (tf.sqrt, _allowed("Sqrt", FLOAT_COMPLEX)),
    (tf.math.rsqrt, _allowed("Rsqrt", FLOAT_COMPLEX)),
    (tf.exp, _allowed("Exp", FLOAT_COMPLEX)),
    (tf.math.log, _allowed("Log", FLOAT_COMPLEX)),
    (tf.math.log1p, _allowed("Log1p", FLOAT_COMPLEX)),
    (tf.math.expm1, _allowed("Expm1", FLOAT_COMPLEX)),
    (tf.sin, _allowed("Sin", FLOAT_COMPLEX)),
    (tf.cos, _allowed("Cos", FLOAT_COMPLEX)),
    (tf.tan, _allowed("Tan", FLOAT_COMPLEX)),
    (tf.asin, _allowed("Asin", FLOAT_COMPLEX)),
    (tf.acos, _allowed("Acos", FLOAT_COMPLEX)),
    (tf.atan, _allowed("Atan", FLOAT_COMPLEX)),
    (tf.sinh, _allowed("Sinh", FLOAT_COMPLEX)),
    (tf.cosh, _allowed("Cosh", FLOAT_COMPLEX)),
    (tf.asinh, _allowed("Asinh", FLOAT_COMPLEX)),
    (tf.acosh, _allowed("Acosh", FLOAT_COMPLEX)),
    (tf.atanh, _allowed("Atanh", FLOAT_COMPLEX)),
    (tf.tanh, _allowed("Tanh", FLOAT_COMPLEX)),
    (tf.sigmoid, _allowed("Sigmoid", FLOAT_COMPLEX)),
    (tf.floor, _allowed("Floor", FLOAT)),
    (tf.math.ceil, _allowed("Ceil", FLOAT)),
    (tf.math.rint, _allowed("Rint", FLOAT)),
    (tf.math.erf, _allowed("Erf", FLOAT)),
    (tf.math.erfc, _allowed("Erfc", FLOAT)),
    (tf.math.lgamma, _allowed("Lgamma", FLOAT)),
    (tf.math.digamma, _allowed("Digamma", FLOAT)),
    (tf.math.is_nan, _allowed("IsNan", FLOAT, "x:T -> y:bool")),
    (tf.math.is_inf, _allowed("IsInf", FLOAT, "x:T -> y:bool")),
    (tf.math.is_finite, _allowed("IsFinite", FLOAT, "x:T -> y:bool")),
    (tf.math.reciprocal_no_nan, _allowed("DivNoNan", "half, float, bfloat16, double, complex64, complex128",
                                         "x:T, y:T -> z:T")),
    (tf.math.log_sigmoid, _allowed("Softplus", "half, bfloat16, float, double", "features:T -> activations:T")),
]


@pytest.mark.parametrize("fn, message", INT_REFUSED, ids=[fn.__name__ for fn, _ in INT_REFUSED])
def test_float_only_ops_refuse_integers(fn, message):
    # from TF 2.21: the whole message, NodeDef and Op signature included.
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        fn(tf.constant([-2, 0, 3]))
    assert str(info.value) == message


@pytest.mark.parametrize("fn, value, error, match", [
    (tf.sqrt, 4, tf.errors.InvalidArgumentError, "attr 'T' of int32"),
    (tf.math.reciprocal, [-2, 0, 3], tf.errors.NotFoundError,
     r"^Could not find device for node: \{\{node Reciprocal\}\} = Reciprocal\[T=DT_INT32\]"),
    (tf.round, [1.5 + 2.5j], tf.errors.NotFoundError, r"Round\[T=DT_COMPLEX128\]"),
    (tf.round, [True], tf.errors.InvalidArgumentError, r"attr 'T' of bool .*\n\t; NodeDef: \{\{node Round\}\}"),
    (tf.abs, np.array([1], np.uint8), tf.errors.InvalidArgumentError,
     "of uint8 is not in the list of allowed values: bfloat16, half, float, double, int8, int16, int32, int64\n"),
    (tf.sign, np.array([1], np.uint8), tf.errors.InvalidArgumentError, r"\{\{node Sign\}\}"),
    (tf.square, [True], tf.errors.InvalidArgumentError, "uint8, uint16, uint32, uint64, complex64"),
    (tf.math.reciprocal_no_nan, [True], TypeError, "^Cannot convert 1 to EagerTensor of dtype bool$"),
    (tf.math.log_sigmoid, np.array([1], np.uint8), tf.errors.InvalidArgumentError, r"\{\{node Neg\}\}"),
    (tf.math.log_sigmoid, [1 + 1j], tf.errors.InvalidArgumentError, r"\{\{node Softplus\}\}"),
    (tf.math.real, ["a"], TypeError, "^input must be a numeric tensor, but got tensor with dtype <dtype: 'string'>$"),
    (tf.math.real, [True], TypeError, "dtype <dtype: 'bool'>"),
    (tf.math.conj, [True], TypeError, "^Expected numeric or variant tensor, got dtype tf.bool.$"),
    (tf.exp, ["a"], tf.errors.InvalidArgumentError, "attr 'T' of string"),
], ids=["python_int", "reciprocal_int", "round_complex", "round_bool", "abs_uint8", "sign_uint8", "square_bool",
        "reciprocal_no_nan_bool", "log_sigmoid_uint8", "log_sigmoid_complex", "real_string", "real_bool",
        "conj_bool", "exp_string"])
def test_unary_errors(fn, value, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        fn(value)


# -- binary --------------------------------------------------------------------------

@pytest.mark.parametrize("fn, x, y, expected, dtype", [
    (tf.maximum, X, 3, [[3, 5, 3], [4, 3, 6]], tf.int32),
    (tf.maximum, 3, tf.constant(X), [[3, 5, 3], [4, 3, 6]], tf.int32),
    (tf.maximum, F, tf.constant([[0.0], [10.0]]), [[1.0, 5.0, 3.0], [10.0, 10.0, 10.0]], tf.float32),
    (tf.maximum, [1.0, NAN], 0.0, [1.0, NAN], tf.float32),
    (tf.maximum, F, np.float64(2.5), [[2.5, 5.0, 3.0], [4.0, 2.5, 6.0]], tf.float32),
    (tf.maximum, np.array([1, 2], np.uint8), np.array([3, 0], np.uint8), [3, 2], tf.uint8),
    (tf.minimum, tf.constant([1.0, NAN]), tf.constant([NAN, 2.0]), [NAN, NAN], tf.float32),
    (tf.minimum, [1, 2], [3, 0], [1, 0], tf.int32),
    (tf.math.squared_difference, X, 2, [[1, 9, 1], [4, 0, 16]], tf.int32),
    (tf.math.squared_difference, tf.constant([1 + 1j]), tf.constant([0j]), [2 + 0j], tf.complex128),
    (tf.atan2, [1.0, 0.0, -1.0], [1.0, 0.0, 1.0], [0.7853982, 0.0, -0.7853982], tf.float32),
    (tf.math.xlogy, [0.0, 0.0, 0.0, 2.0], [NAN, INF, -1.0, NAN], [0.0, 0.0, 0.0, NAN], tf.float32),
    (tf.math.xlogy, tf.constant([1.0, 2.0]), 2.0, [0.6931472, 1.3862944], tf.float32),
    (tf.math.xdivy, [0.0, 0.0, 2.0], [NAN, 0.0, 0.0], [0.0, 0.0, INF], tf.float32),
    (tf.math.multiply_no_nan, [NAN, INF, 2.0], [0.0, 0.0, NAN], [0.0, 0.0, NAN], tf.float32),
    (tf.math.multiply_no_nan, tf.constant([1.0, 2.0]), 0.0, [0.0, 0.0], tf.float32),
    (tf.scalar_mul, 2, tf.constant(X), [[2, 10, 6], [8, 4, 12]], tf.int32),
    (tf.scalar_mul, tf.constant(2.0), tf.constant(F), np.multiply(F, 2), tf.float32),
], ids=["max_scalar", "max_scalar_left", "max_broadcast", "max_nan", "max_numpy_scalar", "max_uint8",
        "min_nan", "min_lists", "squared_difference", "squared_difference_complex", "atan2", "xlogy_zero",
        "xlogy_scalar", "xdivy", "multiply_no_nan", "multiply_no_nan_scalar", "scalar_mul", "scalar_mul_tensor"])
def test_binary_values(fn, x, y, expected, dtype):
    # from TF 2.21
    _check(fn(tf.constant(x) if isinstance(x, list) else x, y), expected, dtype)


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.maximum(tf.constant(X), 3.5), TypeError, "^Cannot convert 3.5 to EagerTensor of dtype int32$"),
    (lambda: tf.maximum(tf.constant(X), tf.constant(F)), tf.errors.InvalidArgumentError,
     r"^cannot compute Maximum as input #1\(zero-based\) was expected to be a int32 tensor but is a float "
     r"tensor \[Op:Maximum\] name: $"),
    (lambda: tf.maximum(tf.constant([True]), tf.constant([True])), tf.errors.InvalidArgumentError,
     "of bool is not in the list of allowed values: bfloat16, half, float, double, int8, uint8, int16, uint16, "
     r"int32, uint32, int64, uint64\n\t; NodeDef: \{\{node Maximum\}\}"),
    (lambda: tf.minimum(tf.constant(X), tf.constant([1, 2])), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Minimum_device_.*\}\} Incompatible shapes: \[2,3\] vs. \[2\] "
     r"\[Op:Minimum\] name: $"),
    (lambda: tf.math.squared_difference(tf.constant([True]), tf.constant([True])), tf.errors.InvalidArgumentError,
     r"is_commutative=true> \[Op:SquaredDifference\]"),
    (lambda: tf.atan2(tf.constant(X), tf.constant(X)), tf.errors.InvalidArgumentError,
     r"signature=y:T, x:T -> z:T"),
    (lambda: tf.math.xlogy(tf.constant(X), tf.constant(X)), tf.errors.InvalidArgumentError, r"\{\{node Xlogy\}\}"),
    (lambda: tf.math.xdivy(tf.constant(X), tf.constant(X)), tf.errors.InvalidArgumentError, r"\{\{node Xdivy\}\}"),
    (lambda: tf.math.multiply_no_nan(tf.constant(X), tf.constant(X)), tf.errors.InvalidArgumentError,
     r"\{\{node MulNoNan\}\}"),
    (lambda: tf.scalar_mul(2.5, tf.constant(X)), TypeError, "Cannot convert 2.5 to EagerTensor of dtype int32"),
    (lambda: tf.scalar_mul(tf.constant(F), tf.constant(F)), ValueError,
     r"^The input scalar must be a 0-D value. Received shape \(2, 3\).$"),
], ids=["max_float_scalar", "max_dtypes", "max_bool", "min_shapes", "squared_difference_bool", "atan2_int",
        "xlogy_int", "xdivy_int", "multiply_no_nan_int", "scalar_mul_float", "scalar_mul_not_scalar"])
def test_binary_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


# -- clipping ------------------------------------------------------------------------

@pytest.mark.parametrize("t, low, high, expected, dtype", [
    (X, 2, 4, [[2, 4, 3], [4, 2, 4]], tf.int32),
    (F, 2, 4, [[2.0, 4.0, 3.0], [4.0, 2.0, 4.0]], tf.float32),
    (F, 2.5, 4.5, [[2.5, 4.5, 3.0], [4.0, 2.5, 4.5]], tf.float32),
    (F, tf.constant([0.0, 3.0, 0.0]), 4.0, [[1.0, 4.0, 3.0], [4.0, 3.0, 4.0]], tf.float32),
    (F, 1, tf.constant(4.0), [[1.0, 4.0, 3.0], [4.0, 2.0, 4.0]], tf.float32),
    (F, 5.0, 1.0, np.full((2, 3), 5.0), tf.float32),
    ([NAN, 1.0], 0.0, 2.0, [NAN, 1.0], tf.float32),
    (np.array([1, 2], np.uint8), 1, 1, [1, 1], tf.uint8),
], ids=["int", "float_int_bounds", "float", "tensor_min", "tensor_max", "min_above_max", "nan", "uint8"])
def test_clip_by_value(t, low, high, expected, dtype):
    # from TF 2.21
    _check(tf.clip_by_value(t, low, high), expected, dtype)


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.clip_by_value(tf.constant(X), 2.5, 4), TypeError, "^Cannot convert 2.5 to EagerTensor"),
    (lambda: tf.clip_by_value(tf.constant([1, 5]), 2, 3.0), TypeError, "^Cannot convert 3.0 to EagerTensor"),
    (lambda: tf.clip_by_value(tf.constant(X), tf.constant(2.0), 4), tf.errors.InvalidArgumentError,
     "cannot compute Maximum as input #1"),
    (lambda: tf.clip_by_value(tf.constant([True]), False, True), tf.errors.InvalidArgumentError,
     r"\{\{node Minimum\}\}"),
    (lambda: tf.clip_by_value(tf.constant(F), tf.constant([0.0, 3.0]), 4.0), tf.errors.InvalidArgumentError,
     r"Incompatible shapes: \[2,3\] vs. \[2\] \[Op:Maximum\]"),
    (lambda: tf.clip_by_value(tf.constant(F), tf.zeros([1, 2, 3]), 4.0), ValueError,
     r"^Shapes \(2, 3\) and \(1, 2, 3\) are incompatible$"),
], ids=["int_float_low", "int_float_high", "tensor_dtype", "bool", "shapes", "growing_shape"])
def test_clip_by_value_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("t, norm, axes, expected", [
    (F, 5.0, None, [[0.5241424, 2.620712, 1.5724272], [2.0965695, 1.0482848, 3.1448543]]),
    (F, 5, None, [[0.5241424, 2.620712, 1.5724272], [2.0965695, 1.0482848, 3.1448543]]),
    (F, tf.constant(5.0), None, [[0.5241424, 2.620712, 1.5724272], [2.0965695, 1.0482848, 3.1448543]]),
    (F, 5.0, [1], [[0.8451542, 4.225771, 2.5354626], [2.6726124, 1.3363062, 4.0089183]]),
    (F, 5.0, -1, [[0.8451542, 4.225771, 2.5354626], [2.6726124, 1.3363062, 4.0089183]]),
    (F, 5.0, tf.constant([1]), [[0.8451542, 4.225771, 2.5354626], [2.6726124, 1.3363062, 4.0089183]]),
    (F, 100.0, None, F),
    (F, -5.0, None, np.zeros((2, 3))),
    ([0.0, 0.0], 1.0, None, [0.0, 0.0]),
], ids=["float", "int_norm", "tensor_norm", "axes", "negative_axis", "tensor_axes", "small", "negative_norm",
        "zeros"])
def test_clip_by_norm(t, norm, axes, expected):
    # from TF 2.21
    _check(tf.clip_by_norm(t, norm, axes=axes), expected, tf.float32)


def test_clip_by_norm_float64_and_zero_gradient():
    # from TF 2.21
    _check(tf.clip_by_norm(tf.constant([1.0, 2.0], tf.float64), 1.0), [0.4472136, 0.89442719], tf.float64)
    zeros = tf.Variable([0.0, 0.0])
    with tf.GradientTape() as tape:
        clipped = tf.reduce_sum(tf.clip_by_norm(zeros, 1.0))
    # from TF 2.21: TF's guard keeps the gradient finite at an all-zero tensor.
    np.testing.assert_allclose(tape.gradient(clipped, zeros).numpy(), [1.0, 1.0])


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.clip_by_norm(tf.constant(X), 5), tf.errors.InvalidArgumentError,
     r"of int32 .*\n\t; NodeDef: \{\{node Sqrt\}\}"),
    (lambda: tf.clip_by_norm(tf.constant([True]), 1.0), tf.errors.InvalidArgumentError, r"\{\{node Sum\}\}"),
    (lambda: tf.clip_by_norm(tf.constant([1 + 1j]), 1.0), tf.errors.InvalidArgumentError, r"\{\{node Greater\}\}"),
    (lambda: tf.clip_by_norm(tf.constant(F), tf.constant([5.0, 5.0])), tf.errors.InvalidArgumentError,
     r"Incompatible shapes: \[2,3\] vs. \[2\] \[Op:Mul\]"),
    (lambda: tf.clip_by_norm(tf.constant(F), 5.0, axes=[2]), tf.errors.InvalidArgumentError,
     r"Invalid reduction dimension \(2 for input with 2 dimension\(s\)"),
], ids=["int", "bool", "complex", "norm_shape", "axes_range"])
def test_clip_by_norm_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


def test_clip_by_global_norm():
    # from TF 2.21
    (first, second), norm = tf.clip_by_global_norm([tf.constant(F), tf.constant(F)], 5.0)
    expected = [[0.37062466, 1.8531233, 1.111874], [1.4824986, 0.7412493, 2.223748]]
    _check(first, expected, tf.float32)
    _check(second, expected, tf.float32)
    _check(norm, 13.490737915039062, tf.float32)
    clipped, norm = tf.clip_by_global_norm([tf.constant(F), None], 5.0)
    assert clipped[1] is None
    _check(clipped[0], [[0.5241424, 2.6207118, 1.5724272], [2.0965695, 1.0482848, 3.1448543]], tf.float32)
    _check(norm, 9.539392471313477, tf.float32)


def test_clip_by_global_norm_use_norm():
    # from TF 2.21: scale = 5 / max(2, 5) = 1 keeps the values; an infinite norm makes them NaN.
    _check(tf.clip_by_global_norm([tf.constant(F)], 5.0, use_norm=tf.constant(2.0))[0][0], F, tf.float32)
    assert np.isnan(tf.clip_by_global_norm([tf.constant(F)], 5.0, use_norm=tf.constant(INF))[0][0].numpy()).all()


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.clip_by_global_norm(tf.constant(F), 5.0), TypeError, "^`t_list` should be a sequence of tensors."),
    (lambda: tf.clip_by_global_norm([tf.constant(X)], 5.0), tf.errors.InvalidArgumentError,
     r"of int32 .*\n\t; NodeDef: \{\{node L2Loss\}\}; Op<name=L2Loss; signature=t:T -> output:T"),
    (lambda: tf.clip_by_global_norm([tf.constant([1.0], tf.float64), tf.constant(F)], 5.0),
     tf.errors.InvalidArgumentError,
     r"^cannot compute Pack as input #1\(zero-based\) was expected to be a double tensor but is a float tensor "
     r"\[Op:Pack\] name: stack$"),
], ids=["not_a_list", "int", "dtypes"])
def test_clip_by_global_norm_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("fn, value, expected", [
    (lambda v: tf.reduce_sum(tf.maximum(v, 1.0)), [1.0, 1.0, 0.5], [1.0, 1.0, 0.0]),
    (lambda v: tf.reduce_sum(tf.clip_by_value(v, 0.0, 3.0)), [[1.0, -2.0], [3.0, 4.0]], [[1.0, 0.0], [1.0, 0.0]]),
    (lambda v: tf.reduce_sum(tf.clip_by_global_norm([v], 1.0)[0][0]), [[1.0, -2.0], [3.0, 4.0]],
     [[0.14605934917926788, 0.2556038498878479], [0.07302968204021454, 0.036514848470687866]]),
    (lambda v: tf.reduce_sum(tf.sqrt(tf.abs(v))), [[1.0, -2.0], [3.0, 4.0]],
     [[0.5, -0.3535533845424652], [0.28867512941360474, 0.25]]),
], ids=["maximum_ties", "clip_by_value_bounds", "clip_by_global_norm", "sqrt_abs"])
def test_gradients(fn, value, expected):
    # from TF 2.21
    v = tf.Variable(value)
    with tf.GradientTape() as tape:
        y = fn(v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), expected, rtol=1e-6)
