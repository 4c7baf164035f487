"""Tests for `tf.concat`, `tf.stack`, `tf.unstack` and `tf.split` (`kerastorch/ops/join_ops.py`).

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


# -- concat --------------------------------------------------------------------------------------

def test_concat():
    check(tf.concat([x(), x()], 0), np.concatenate([X, X], 0))
    check(tf.concat([x(), x()], -1), np.concatenate([X, X], 1))
    check(tf.concat([x(), x()], tf.constant(1)), np.concatenate([X, X], 1))
    check(tf.concat([x()], 0), X)
    check(tf.concat(x(), 0), X)
    check(tf.concat([[1, 2], [3]], 0), [1, 2, 3])
    check(tf.concat([x(), [[1, 2, 3]]], 0), np.concatenate([X, [[1, 2, 3]]]))
    check(tf.concat([[1.5], [3]], 0), [1.5, 3.0], tf.float32)
    check(tf.concat([np.array([1.5]), np.array([3])], 0), [1.5, 3.0], tf.float64)
    check(tf.concat([tf.constant([1.0]), np.array([2.0])], 0), [1.0, 2.0], tf.float32)
    check(tf.concat([tf.constant([1], tf.int64), [2]], 0), [1, 2], tf.int64)
    check(tf.concat([["a"], ["b"]], 0), [b"a", b"b"], tf.string)
    check(tf.concat([tf.Variable([1.0]), [2.0]], 0), [1.0, 2.0], tf.float32)


@pytest.mark.parametrize("values, axis, error, match", [
    (lambda: [x(), tf.zeros([2, 3])], 0, InvalidArgument,
     r"^cannot compute ConcatV2 as input #1\(zero-based\) was expected to be a int32 tensor but is a float "
     r"tensor \[Op:ConcatV2\] name: concat$"),
    (lambda: [x(), x(), tf.zeros([2, 3])], 0, InvalidArgument, r"input #2\(zero-based\)"),
    (lambda: [[1.5], x()[0]], 0, TypeError, r"Cannot convert \[1.5\] to EagerTensor of dtype int32"),
    (lambda: [[1, 2], [3.5]], 0, TypeError, r"Cannot convert \[3.5\] to EagerTensor of dtype int32"),
    (lambda: [x(), tf.zeros([2, 2], tf.int32)], 0, InvalidArgument,
     r"ConcatOp : Dimension 1 in both shapes must be equal: shape\[0\] = \[2,3\] vs. shape\[1\] = \[2,2\]"),
    (lambda: [x(), tf.zeros([2], tf.int32)], 0, InvalidArgument,
     r"ConcatOp : Ranks of all input tensors should match: shape\[0\] = \[2,3\] vs. shape\[1\] = \[2\]"),
    (lambda: [x(), x()], 2, InvalidArgument,
     r"ConcatOp : Expected concatenating dimensions in the range \[-2, 2\), but got 2"),
    (lambda: [1, 2], 0, InvalidArgument, r"ConcatOp : Can't concatenate scalars \(use tf.stack instead\)"),
    (lambda: [x()], 1.0, TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32"),
    (lambda: [], 0, InvalidArgument, "OpKernel 'ConcatV2' has constraint on attr 'T'"),
], ids=["dtype", "dtype_third", "python_float", "python_lists", "dims", "ranks", "axis", "scalars",
        "float_axis", "empty"])
def test_concat_errors(values, axis, error, match):
    with pytest.raises(error, match=match):
        tf.concat(values(), axis)


# -- stack, unstack ------------------------------------------------------------------------------

def test_stack():
    check(tf.stack([x(), x()]), np.stack([X, X]))
    check(tf.stack([x(), x()], axis=-1), np.stack([X, X], -1))
    check(tf.stack([x(), x()], axis=-3), np.stack([X, X], 0))
    check(tf.stack([1, 2, 3]), [1, 2, 3])
    check(tf.stack([1, 2.5]), [1.0, 2.5], tf.float32)
    check(tf.stack([tf.constant(1.0), 2]), [1.0, 2.0], tf.float32)
    check(tf.stack([tf.constant(1, tf.int64), 2]), [1, 2], tf.int64)
    check(tf.stack([np.array(1.5), np.array(3)]), [1.5, 3.0], tf.float64)
    check(tf.stack([]), np.zeros(0, np.float32), tf.float32)
    check(tf.stack(x()), X)
    check(tf.stack([tf.constant("a"), "b"]), [b"a", b"b"], tf.string)
    check(tf.stack([tf.Variable([1.0]), [2.0]]), [[1.0], [2.0]], tf.float32)


@pytest.mark.parametrize("values, axis, error, match", [
    (lambda: [x(), x()], 3, ValueError, r"Argument `axis` = 3 not in range \[-3, 3\)"),
    (lambda: [x(), tf.zeros([3, 2], tf.int32)], 0, InvalidArgument,
     r"Shapes of all inputs must match: values\[0\].shape = \[2,3\] != values\[1\].shape = \[3,2\] "
     r"\[Op:Pack\] name: stack"),
    (lambda: [x(), tf.zeros([2, 3])], 0, InvalidArgument,
     r"cannot compute Pack as input #1\(zero-based\) was expected to be a int32 tensor but is a float"),
    (lambda: [tf.constant(1), 2.5], 0, TypeError, "Cannot convert 2.5 to EagerTensor of dtype int32"),
], ids=["axis", "shapes", "dtypes", "python_float"])
def test_stack_errors(values, axis, error, match):
    with pytest.raises(error, match=match):
        tf.stack(values(), axis)


def test_unstack():
    rows = tf.unstack(x())
    assert isinstance(rows, list) and len(rows) == 2
    check(rows[1], [3, 4, 5])
    columns = tf.unstack(x(), axis=1)
    assert len(columns) == 3
    check(columns[2], [2, 5])
    check(tf.unstack(x(), axis=-1)[0], [0, 3])
    assert len(tf.unstack(x(), num=2)) == 2
    assert tf.unstack(tf.zeros([0, 2])) == []
    check(tf.unstack([[1, 2], [3, 4]])[0], [1, 2])
    check(tf.unstack(tf.constant(["a", "b"]))[1], b"b", tf.string)


@pytest.mark.parametrize("value, kwargs, error, match", [
    (X, {"num": 3}, InvalidArgument,
     r"Input shape axis 0 must equal 3, got shape \[2,3\] \[Op:Unpack\] name: unstack"),
    (X, {"num": 2, "axis": 1}, InvalidArgument, r"Input shape axis 1 must equal 2, got shape \[2,3\]"),
    (X, {"axis": 2}, ValueError, r"Argument `axis` = 2 not in range \[-2, 2\)"),
    (1, {}, ValueError, r"Argument `axis` = 0 not in range \[0, 0\)"),
], ids=["num", "num_axis", "axis", "scalar"])
def test_unstack_errors(value, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.unstack(tf.constant(value), **kwargs)


# -- split ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("splits, axis, expected", [
    (3, 1, [X[:, :1], X[:, 1:2], X[:, 2:]]),
    ([1, 2], 1, [X[:, :1], X[:, 1:]]),
    ([1, -1], 1, [X[:, :1], X[:, 1:]]),
    (tf.constant([1, 2]), 1, [X[:, :1], X[:, 1:]]),
    ([tf.constant(1), 2], 1, [X[:, :1], X[:, 1:]]),
    ([0, 3], 1, [X[:, :0], X]),
    ([3], 1, [X]),
    (2, 0, [X[:1], X[1:]]),
    (3, tf.constant(1), [X[:, :1], X[:, 1:2], X[:, 2:]]),
], ids=["count", "sizes", "minus_one", "tensor_sizes", "list_with_tensor", "empty_part", "one_size",
        "rows", "tensor_axis"])
def test_split(splits, axis, expected):
    parts = tf.split(x(), splits, axis=axis)
    assert isinstance(parts, list) and len(parts) == len(expected)
    for part, want in zip(parts, expected):
        check(part, want)


def test_split_num_and_strings():
    assert len(tf.split(x(), [1, 2], axis=1, num=2)) == 2
    parts = tf.split(tf.constant(["a", "b", "c"]), [1, -1])
    check(parts[1], [b"b", b"c"], tf.string)


@pytest.mark.parametrize("splits, kwargs, error, match", [
    (2, {"axis": 1}, InvalidArgument,
     r"Number of ways to split should evenly divide the split dimension, but got split_dim 1 \(size = 3\) "
     r"and num_split 2 \[Op:Split\] name: split"),
    ([1, 1], {"axis": 1}, InvalidArgument,
     r"Determined shape must either match input shape along split_dim exactly if fully specified, or be "
     r"less than the size of the input along split_dim if not fully specified.  Got: 2 \[Op:SplitV\]"),
    ([4, -1], {"axis": 1}, InvalidArgument, "Got: 4"),
    ([-1, -1], {"axis": 1}, InvalidArgument, "There can only be one -1 in the input."),
    (2, {"axis": 2}, InvalidArgument, r"-input rank\(-2\) <= split_dim < input rank \(2\), but got 2"),
    ([1, 1], {"axis": -3}, InvalidArgument, r"but got -3 \[Op:SplitV\]"),
    (tf.constant(3), {"axis": 1}, ValueError,
     "Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument provided: "
     r"tf.Tensor\(3, shape=\(\), dtype=int32\)"),
    (0, {"axis": 1}, InvalidArgument, "Value for attr 'num_split' of 0 must be at least minimum 1"),
    ([1, 2], {"axis": 1, "num": 3}, InvalidArgument,
     "size of the split_tensor must be 1-D and have the same elements as outputs got 1 -D and 2 elements"),
    ([1.0, 2.0], {"axis": 1}, InvalidArgument,
     "Value for attr 'Tlen' of float is not in the list of allowed values: int8, int32, int64"),
], ids=["uneven", "sizes_sum", "minus_one_too_big", "two_minus_ones", "axis", "axis_sizes", "rank0_tensor",
        "zero", "num", "float_sizes"])
def test_split_errors(splits, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.split(x(), splits, **kwargs)
