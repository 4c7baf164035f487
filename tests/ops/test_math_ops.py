"""Tests for arithmetic, comparison, logic and products: `tf.add`, `tf.equal`, `tf.matmul`,
`tf.tensordot`, `tf.einsum`, and the `OpDef` error helper they share.

Expected values, dtypes and error messages were printed by TF 2.21 ("# from TF 2.21").
"""

import functools

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.ops.math_ops import OpDef
from tests.helpers import assert_tensor

X = [[1, 5, 3], [4, 2, 6]]
F = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]
B = [[True, False], [True, True]]


_check = functools.partial(assert_tensor, rtol=1e-6)

def test_opdef_message_is_tfs():
    # from TF 2.21: tf.math.sqrt(tf.constant([1]))
    op = OpDef("Sqrt", "bfloat16, half, float, double, complex64, complex128")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        op.check(tf.constant([1])._t)
    assert str(info.value) == (
        "Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, double, "
        "complex64, complex128\n\t; NodeDef: {{node Sqrt}}; Op<name=Sqrt; signature=x:T -> y:T; "
        "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128]> "
        "[Op:Sqrt] name: ")
    op.check(tf.constant([1.0])._t)


# -- arithmetic ----------------------------------------------------------------------

@pytest.mark.parametrize("fn, x, y, expected, dtype", [
    (tf.add, X, 1, [[2, 6, 4], [5, 3, 7]], tf.int32),
    (tf.subtract, F, 1, [[0.0, 4.0, 2.0], [3.0, 1.0, 5.0]], tf.float32),
    (tf.multiply, X, 2, [[2, 10, 6], [8, 4, 12]], tf.int32),
    (tf.truediv, X, 2, [[0.5, 2.5, 1.5], [2.0, 1.0, 3.0]], tf.float64),
    (tf.truediv, np.array([1, 2], np.int16), np.array([2, 2], np.int16), [0.5, 1.0], tf.float32),
    (tf.divide, F, 2.0, np.divide(F, 2), tf.float32),
    (tf.math.floordiv, [7, -7], 2, [3, -4], tf.int32),
    (tf.math.floordiv, [7.0, -7.0], 2.0, [3.0, -4.0], tf.float32),
    (tf.math.floormod, [7, -7], 3, [1, 2], tf.int32),
    (tf.math.mod, [7, -7], -3, [-2, -1], tf.int32),
    (tf.math.floormod, [7.0, -7.0], 3.0, [1.0, 2.0], tf.float32),
    (tf.truncatediv, [7, -7], 2, [3, -3], tf.int32),
    (tf.truncatemod, [7, -7], 3, [1, -1], tf.int32),
    (tf.math.divide_no_nan, [1.0, 2.0], [0.0, 4.0], [0.0, 0.5], tf.float32),
    (tf.pow, X, 2, [[1, 25, 9], [16, 4, 36]], tf.int32),
    (tf.pow, [4.0, 9.0], 0.5, [2.0, 3.0], tf.float32),
], ids=["add", "subtract", "multiply", "truediv_int32", "truediv_int16", "divide", "floordiv",
        "floordiv_float", "floormod", "mod_negative", "floormod_float", "truncatediv", "truncatemod",
        "divide_no_nan", "pow_int", "pow_float"])
def test_arithmetic(fn, x, y, expected, dtype):
    # from TF 2.21
    _check(fn(tf.constant(x), y), expected, dtype)


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.add(tf.constant(X), tf.constant(F)), tf.errors.InvalidArgumentError,
     r"^cannot compute AddV2 as input #1\(zero-based\) was expected to be a int32 tensor but is a float tensor"),
    (lambda: tf.add(tf.constant(B), tf.constant(B)), tf.errors.InvalidArgumentError,
     "^Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8, "
     r"uint16, uint32, uint64, int8, int16, int32, int64, complex64, complex128\n\t; NodeDef: \{\{node AddV2\}\}"
     r".*; is_commutative=true; is_aggregate=true> \[Op:AddV2\] name: $"),
    (lambda: tf.subtract(tf.constant(B), tf.constant(B)), tf.errors.InvalidArgumentError,
     r"uint8, int8, uint16, int16, int32, int64, complex64, complex128, uint32, uint64\n\t; NodeDef: \{\{node Sub"),
    (lambda: tf.multiply(tf.constant(B), tf.constant(B)), tf.errors.InvalidArgumentError, r"\{\{node Mul\}\}"),
    (lambda: tf.multiply(tf.constant(X), 2.5), TypeError, "^Cannot convert 2.5 to EagerTensor of dtype int32$"),
    (lambda: tf.constant(X) + 1.5, tf.errors.InvalidArgumentError, "cannot compute AddV2 as input #1"),
    (lambda: tf.math.floordiv(tf.constant([7]), 0), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__FloorDiv_device_.*\}\} Integer division by zero \[Op:FloorDiv\] name: $"),
    (lambda: tf.math.floormod(tf.constant([7]), 0), tf.errors.InvalidArgumentError,
     r"Integer division by zero \[Op:FloorMod\]"),
    (lambda: tf.pow(tf.constant(X), -1), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Pow_device_.*\}\} Integers to negative integer powers are not allowed"),
    (lambda: tf.negative(tf.constant([1], tf.uint8)), tf.errors.InvalidArgumentError,
     r"(?s)of uint8 .*\{\{node Neg\}\}"),
], ids=["add_dtypes", "add_bool", "sub_bool", "mul_bool", "mul_float_scalar", "operator_float", "floordiv_zero",
        "floormod_zero", "pow_negative", "negative_uint8"])
def test_arithmetic_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


# -- comparison and logic -------------------------------------------------------------

@pytest.mark.parametrize("fn, y, expected", [
    (tf.equal, 5, [[False, True, False], [False, False, False]]),
    (tf.not_equal, 5, [[True, False, True], [True, True, True]]),
    (tf.less, 3, [[True, False, False], [False, True, False]]),
    (tf.less_equal, 3, [[True, False, True], [False, True, False]]),
    (tf.greater, 3, [[False, True, False], [True, False, True]]),
    (tf.greater_equal, 3, [[False, True, True], [True, False, True]]),
], ids=["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"])
def test_comparisons(fn, y, expected):
    # from TF 2.21
    _check(fn(tf.constant(X), y), expected, tf.bool)


@pytest.mark.parametrize("fn, y, expected", [
    (tf.logical_and, [[False, True], [True, True]], [[False, False], [True, True]]),
    (tf.logical_or, False, B),
    (tf.math.logical_xor, True, [[False, True], [False, False]]),
], ids=["and", "or_python_bool", "xor_python_bool"])
def test_logical(fn, y, expected):
    # from TF 2.21
    _check(fn(tf.constant(B), y), expected, tf.bool)
    _check(tf.logical_not(tf.constant(B)), [[False, True], [False, False]], tf.bool)


@pytest.mark.parametrize("call, match", [
    (lambda: tf.logical_and(tf.constant([1]), tf.constant([1])), r"^cannot compute LogicalAnd as input #0"
     r"\(zero-based\) was expected to be a bool tensor but is a int32 tensor \[Op:LogicalAnd\] name: $"),
    (lambda: tf.logical_and(tf.constant([1]), tf.constant([True])), "LogicalAnd as input #0.*int32"),
    (lambda: tf.logical_and(tf.constant([True]), tf.constant([1])), "LogicalAnd as input #1.*int32"),
    (lambda: tf.logical_not(tf.constant([1])), "LogicalNot as input #0"),
    (lambda: tf.equal(tf.constant(X), tf.constant(F)), "cannot compute Equal as input #1"),
], ids=["and_int", "and_int_first", "and_int_second", "not_int", "equal_dtypes"])
def test_logical_errors(call, match):
    # from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        call()


# -- matmul, tensordot, einsum --------------------------------------------------------

def test_matmul():
    # from TF 2.21
    _check(tf.matmul(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 2], [3, 4]])), [[7, 10], [15, 22]], tf.int32)
    _check(tf.matmul(tf.constant(F), tf.constant(F), transpose_b=True), [[35.0, 32.0], [32.0, 56.0]], tf.float32)
    _check(tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 2])), np.full((2, 2, 2), 3.0), tf.float32)
    _check(tf.matmul(tf.ones([1, 2, 2], tf.int16), tf.ones([1, 2, 2], tf.int16)), np.full((1, 2, 2), 2), tf.int16)


@pytest.mark.parametrize("call, error, match", [
    (lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])), tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__MatMul_device_.*\}\} Matrix size-incompatible: In\[0\]: \[2,3\], "
     r"In\[1\]: \[2,3\] \[Op:MatMul\] name: $"),
    (lambda: tf.matmul(tf.ones([1, 2, 3]), tf.ones([1, 2, 3])), tf.errors.InvalidArgumentError,
     r"Matrix size-incompatible: In\[0\]: \[1,2,3\], In\[1\]: \[1,2,3\] \[Op:BatchMatMulV2\]"),
    (lambda: tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 3, 2])), tf.errors.InvalidArgumentError,
     r"In\[0\] and In\[1\] must have compatible batch dimensions: \[2,2,3\] vs. \[3,3,2\]"),
    (lambda: tf.matmul(tf.constant([1.0, 2.0]), tf.constant([[1.0, 2.0]])), tf.errors.InvalidArgumentError,
     r"In\[0\] and In\[1\] has different ndims: \[2\] vs. \[1,2\] \[Op:MatMul\]"),
    (lambda: tf.matmul(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0])), tf.errors.InvalidArgumentError,
     r"In\[0\] and In\[1\] ndims must be == 2: 1 \[Op:MatMul\]"),
    (lambda: tf.matmul(tf.ones([2, 2, 2]), tf.ones([2])), tf.errors.InvalidArgumentError,
     r"In\[1\] ndims must be >= 2: 1 \[Op:BatchMatMulV2\]"),
    (lambda: tf.matmul(tf.ones([2, 2], tf.int8), tf.ones([2, 2], tf.int8)), tf.errors.InvalidArgumentError,
     r"(?s)of int8 .*\{\{node MatMul\}\}; Op<name=MatMul; signature=a:T, b:T -> product:T"),
    (lambda: tf.matmul(tf.ones([1, 2, 2], tf.int8), tf.ones([1, 2, 2], tf.int8)), tf.errors.InvalidArgumentError,
     r"(?s)of int8 .*\{\{node BatchMatMulV2\}\}"),
    (lambda: tf.matmul(tf.ones([2, 2], tf.uint8), tf.ones([2, 2], tf.uint8)), tf.errors.NotFoundError,
     r"MatMul\[T=DT_UINT8, grad_a=false"),
    (lambda: tf.matmul(tf.constant([[1]]), tf.constant([[1.0]])), tf.errors.InvalidArgumentError,
     "cannot compute MatMul as input #1"),
], ids=["sizes", "batch_sizes", "batch_dims", "ndims_differ", "vectors", "batch_vector", "int8", "int8_batch",
        "uint8", "dtypes"])
def test_matmul_errors(call, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("a, b, axes, expected, dtype", [
    (F, np.transpose(F).astype(np.float32), 1, [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    (F, F, [[1], [1]], [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    (F, F, [1, 1], [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    (F, F, [[-1], [-1]], [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    (F, F, [[0, 1], [0, 1]], 91.0, tf.float32),
    (F, F, 2, 91.0, tf.float32),
    (X, X, [[0], [0]], [[17, 13, 27], [13, 29, 27], [27, 27, 45]], tf.int32),
    ([1.0, 2.0], [3.0, 4.0], 1, 11.0, tf.float32),
    (np.ones((2, 3)), np.ones(3), 1, [3.0, 3.0], tf.float64),
], ids=["int_axes", "pairs", "flat_pair", "negative", "full", "int_full", "int32", "lists", "matrix_vector"])
def test_tensordot(a, b, axes, expected, dtype):
    # from TF 2.21
    _check(tf.tensordot(a, b, axes), expected, dtype)


def test_tensordot_shapes():
    # from TF 2.21
    assert tf.tensordot(tf.constant(F), tf.constant(F), 0).shape == (2, 3, 2, 3)
    assert tf.tensordot(tf.ones([2, 3, 4]), tf.ones([4, 3, 5]), [[1, 2], [1, 0]]).shape == (2, 5)


@pytest.mark.parametrize("axes, error, match", [
    (3, ValueError, r"^`axes` must not be larger than the number of dimensions of tensor \[\[1. 5. 3.\]\n "
     r"\[4. 2. 6.\]\].  Received 3, vs tensor dimensions 2.$"),
    (-1, ValueError, r"^`axes` must be at least 0. Received: -1.$"),
    (1.5, TypeError, "^Cannot convert 1.5 to EagerTensor of dtype int32$"),
    ([[0], [1]], tf.errors.InvalidArgumentError, r"Matrix size-incompatible: In\[0\]: \[3,2\], In\[1\]: \[3,2\]"),
    ([[0, 1], [1]], ValueError, r"^Different number of contraction axes `a` and `b`, 2 != 1.$"),
    ([[1], [1], [0]], ValueError, r"^`axes` must be an integer or have length 2. Received \[\[1\], \[1\], \[0\]\].$"),
], ids=["too_many", "negative", "float", "sizes", "lengths", "three_lists"])
def test_tensordot_errors(axes, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        tf.tensordot(tf.constant(F), tf.constant(F), axes)


def test_tensordot_dtypes():
    # from TF 2.21
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute MatMul as input #1"):
        tf.tensordot(tf.constant(X), tf.constant(F), 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"(?s)of bool .*\{\{node MatMul\}\}"):
        tf.tensordot(tf.constant([True]), tf.constant([True]), 1)


@pytest.mark.parametrize("equation, inputs, expected, dtype", [
    ("ij,kj->ik", [F, F], [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    ("ij->", [F], 21.0, tf.float32),
    ("ij,jk", [F, np.transpose(F).astype(np.float32)], [[35.0, 32.0], [32.0, 56.0]], tf.float32),
    ("...j,j->...", [F, [1.0, 1.0, 1.0]], [9.0, 12.0], tf.float32),
    ("ij,kj->ik", [X, X], [[35, 32], [32, 56]], tf.int32),
    ("ii->i", [[[1.0, 2.0], [3.0, 4.0]]], [1.0, 4.0], tf.float32),
    ("ij->ji", [X], np.transpose(X), tf.int32),
    ("i j , j k -> i k", [np.ones((2, 3), np.float32), np.ones((3, 2), np.float32)], np.full((2, 2), 3.0),
     tf.float32),
    ("Ab,bc->Ac", [np.ones((2, 3), np.float32), np.ones((3, 2), np.float32)], np.full((2, 2), 3.0), tf.float32),
], ids=["matmul_t", "sum", "implicit_output", "ellipsis", "int32", "diagonal", "transpose", "spaces",
        "upper_case"])
def test_einsum(equation, inputs, expected, dtype):
    # from TF 2.21
    _check(tf.einsum(equation, *(tf.constant(v) for v in inputs)), expected, dtype)


@pytest.mark.parametrize("equation, inputs, error, match", [
    ("ij,kj->ik", [F, X], tf.errors.InvalidArgumentError,
     r"^cannot compute Einsum as input #1\(zero-based\) was expected to be a float tensor but is a int32 tensor"),
    ("ij,jk->ik", [F, F], tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Einsum_N_2_device_.*\}\} Expected dimension 3 at axis 0 of the input "
     r"shaped \[2,3\] but got dimension 2 \[Op:Einsum\] name: $"),
    ("i,i->", [[True], [True]], tf.errors.NotFoundError,
     r'^Could not find device for node: \{\{node Einsum\}\} = Einsum\[N=2, T=DT_BOOL, equation="i,i->"\]'),
    ("ij,jk->ik", [F], ValueError, '^Got 1 inputs for equation "ij,jk->ik", expecting 2$'),
    ("ij->ik", [F], ValueError, "^Output subscripts contain the label k not present in the input subscripts.$"),
], ids=["dtypes", "sizes", "bool", "input_count", "output_label"])
def test_einsum_errors(equation, inputs, error, match):
    # from TF 2.21
    with pytest.raises(error, match=match):
        tf.einsum(equation, *(tf.constant(v) for v in inputs))


# from TF 2.21: shifts, with amounts beyond the width clamped to bits - 1
@pytest.mark.parametrize("fn, x, y, dtype, expected", [
    (tf.bitwise.left_shift, [1, 8, -4], [1, 2, 1], tf.int32, [2, 32, -8]),
    (tf.bitwise.right_shift, [1, 8, -4], [1, 2, 1], tf.int32, [0, 2, -2]),
    (tf.bitwise.left_shift, [1], [9], tf.int8, [-128]),
    (tf.bitwise.right_shift, [-8], [70], tf.int64, [-1]),
], ids=["left", "right", "left_saturates", "right_saturates"])
def test_shifts(fn, x, y, dtype, expected):
    _check(fn(tf.constant(x, dtype), tf.constant(y, dtype)), expected, dtype)


def test_shift_refuses_floats():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of float is not in the list"):
        tf.bitwise.left_shift(tf.constant([1.0]), tf.constant([1.0]))


def test_bitwise_namespace_ops():
    # from TF 2.21
    a, b = tf.constant([1, 8, -4]), tf.constant([1, 2, 1])
    _check(tf.bitwise.bitwise_and(a, b), [1, 0, 0], tf.int32)
    _check(tf.bitwise.bitwise_or(a, b), [1, 10, -3], tf.int32)
    _check(tf.bitwise.bitwise_xor(a, b), [0, 10, -3], tf.int32)
    _check(tf.bitwise.invert(tf.constant([0, 5], tf.uint8)), [255, 250], tf.uint8)


# from TF 2.21: the functions raise the same shape error as the operators
@pytest.mark.parametrize("fn, op_name", [
    (tf.add, "AddV2"), (tf.subtract, "Sub"), (tf.multiply, "Mul"), (tf.divide, "RealDiv"),
], ids=["add", "subtract", "multiply", "divide"])
def test_shapes_that_do_not_broadcast(fn, op_name):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        fn(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))
    assert str(info.value).endswith(f"Incompatible shapes: [2] vs. [3] [Op:{op_name}] name: ")
