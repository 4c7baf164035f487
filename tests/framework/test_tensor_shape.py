"""TensorShape and Dimension: dims, printing, comparison, merging and errors (from TF 2.21)."""

import pickle

import numpy as np
import pytest

import kerastorch as tf

TS = tf.TensorShape
Dimension = type(TS([1]).dims[0])  # tf.compat.v1.Dimension


def test_partially_known_shape():
    s = TS([2, None, 3])
    # from TF 2.21: (2, None, 3) TensorShape([2, None, 3]) [2, None, 3] 3 3 3
    assert str(s) == "(2, None, 3)"
    assert repr(s) == "TensorShape([2, None, 3])"
    assert s.as_list() == [2, None, 3]
    assert s.rank == s.ndims == len(s) == 3
    assert list(s) == [2, None, 3]


def test_indexing_and_slicing():
    s = TS([2, None, 3])
    assert (s[0], s[1], s[-1]) == (2, None, 3)
    assert repr(s[1:]) == "TensorShape([None, 3])"
    assert str(s[::-1]) == "(3, None, 2)"
    assert repr(s[5:]) == "TensorShape([])"
    assert TS([2, 3])[tf.constant(1)] == 3
    with pytest.raises(IndexError, match="tuple index out of range"):
        s[3]  # noqa: B018


def test_unknown_rank():
    s = TS(None)
    assert (str(s), repr(s)) == ("<unknown>", "TensorShape(None)")
    assert s.rank is None and s.ndims is None and s.dims is None
    assert s[0] is None and repr(s[1:]) == "TensorShape(None)"
    assert s.num_elements() is None and not s.is_fully_defined() and not s
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown TensorShape\.$"):
        s.as_list()
    with pytest.raises(ValueError, match="^Cannot take the length of shape with unknown rank.$"):
        len(s)
    with pytest.raises(ValueError, match="^Cannot iterate over a shape with unknown rank.$"):
        list(s)


@pytest.mark.parametrize("dims, text, count", [
    ([], "()", 1), ([5], "(5,)", 5), ([None], "(None,)", None), ([2, 0, 3], "(2, 0, 3)", 0),
    ([2, None], "(2, None)", None),
], ids=["scalar", "vector", "unknown_vector", "empty", "partial"])
def test_str_and_num_elements(dims, text, count):
    s = TS(dims)
    assert str(s) == text
    assert s.num_elements() == count
    assert bool(s)


@pytest.mark.parametrize("dims", [3, (3,), np.int64(3), [np.int64(3)], TS([3]), [Dimension(3)]],
                         ids=["int", "tuple", "numpy_int", "numpy_item", "shape", "dimension"])
def test_constructor_inputs(dims):
    assert TS(dims).as_list() == [3]


def test_equality():
    # from TF 2.21
    assert TS([2, 3]) == (2, 3) and TS([2, 3]) == [2, 3] and TS([2, 3]) == TS([2, 3])
    assert TS([2, 3]) != [2, 4]
    assert TS([2, None]) == TS([2, None]) and TS([None]) == [None]
    assert TS(None) == TS(None) and TS(None) != TS([1]) and TS([]) != TS(None)
    assert TS([]) == ()
    assert not TS([1, None]) != TS([1, None])
    assert TS([2, 3]) != "ab" and TS([2, 3]) != None and TS([2, 3]) != 5  # noqa: E711
    assert hash(TS([2, 3])) == hash(TS([2, 3]))


def test_concatenate():
    assert str(TS([2, 3]).concatenate([4])) == "(2, 3, 4)"
    assert str(TS([2, 3]).concatenate(5)) == "(2, 3, 5)"
    assert str(TS([2]).concatenate(TS(None))) == "<unknown>"
    assert str(TS([2]) + [3]) == "(2, 3)"
    assert str([1] + TS([2])) == "(1, 2)"


def test_merge_with():
    assert str(TS([2, None]).merge_with([None, 3])) == "(2, 3)"
    assert str(TS(None).merge_with([1])) == "(1,)"
    assert str(TS([1]).merge_with(None)) == "(1,)"
    with pytest.raises(ValueError, match=r"^Shapes \(2, None\) and \(3, 3\) are not compatible$"):
        TS([2, None]).merge_with([3, 3])
    with pytest.raises(ValueError, match=r"^Shapes \(2, None\) and \(3,\) are not compatible$"):
        TS([2, None]).merge_with([3])


def test_compatibility():
    assert TS([2, None]).is_compatible_with([2, 5])
    assert not TS([2, None]).is_compatible_with([3, 5])
    assert not TS([2]).is_compatible_with([2, 1])
    assert TS(None).is_compatible_with([1, 2, 3])
    # TF 2.21 shows `other` as given (a list here)
    with pytest.raises(ValueError, match=r"^Shapes \(2, None\) and \[3, 5\] are incompatible$"):
        TS([2, None]).assert_is_compatible_with([3, 5])
    assert str(TS([2, 3]).most_specific_compatible_shape([2, 4])) == "(2, None)"
    assert str(TS([2, 3]).most_specific_compatible_shape([2, 4, 5])) == "<unknown>"
    assert TS([2, 3]).is_subtype_of(TS([None, 3])) and TS([2, 3]).is_subtype_of(TS(None))
    assert not TS(None).is_subtype_of(TS([1]))


def test_fully_defined():
    assert TS([2, 3]).is_fully_defined() and not TS([2, None]).is_fully_defined()
    with pytest.raises(ValueError, match=r"^Shape \(2, None\) is not fully defined$"):
        TS([2, None]).assert_is_fully_defined()


def test_rank_checks():
    assert str(TS([2, None]).with_rank(2)) == "(2, None)"
    assert str(TS(None).with_rank(2)) == "(None, None)"
    assert TS([2, 3]).with_rank_at_least(1) == [2, 3] and TS([2, 3]).with_rank_at_most(3) == [2, 3]
    assert TS(None).with_rank_at_least(2).rank is None
    with pytest.raises(ValueError, match=r"^Shape \(2, None\) must have rank 3$"):
        TS([2, None]).with_rank(3)
    with pytest.raises(ValueError, match=r"^Shape \(2, 3\) must have rank at least 3$"):
        TS([2, 3]).with_rank_at_least(3)
    with pytest.raises(ValueError, match=r"^Shape \(2, 3\) must have rank at most 1$"):
        TS([2, 3]).with_rank_at_most(1)


@pytest.mark.parametrize("dims, error, match", [
    ([-1], ValueError, r"^Dimension -1 must be >= 0$"),
    ([1.5], TypeError, r"^Dimension value must be integer or None or have an __index__ method, got "
                       r"value '1\.5' with type '<class 'float'>'$"),
    (1.5, TypeError, r"^Dimension value must be integer or None or have an __index__ method"),
    ("ab", TypeError, r"^Failed to convert ''ab'' to a shape: ''a''could not be converted to a "
                      r"dimension\. A shape should either be single dimension \(e\.g\. 10\), or an "
                      r"iterable of dimensions \(e\.g\. \[1, 10, None\]\)\.$"),
], ids=["negative", "float", "float_scalar", "string"])
def test_bad_dims(dims, error, match):
    with pytest.raises(error, match=match):  # messages from TF 2.21
        TS(dims)


def test_dims_are_dimension_objects():
    # from TF 2.21: [Dimension(2), Dimension(None)] True None
    dims = TS([2, None]).dims
    assert repr(dims) == "[Dimension(2), Dimension(None)]"
    assert dims[0] == 2 and dims[1].value is None
    assert type(TS([2, None])[0]) is int


def test_dimension():
    d, unknown = Dimension(2), Dimension(None)
    assert (str(d), str(unknown)) == ("2", "?")
    assert int(d) == 2 and [1, 2, 3][d] == 3
    assert d == 2 and d == Dimension(2) and d != 3
    assert (unknown == 2) is None and (unknown != 2) is None
    assert not d.is_compatible_with(3) and unknown.is_compatible_with(3)
    assert d.merge_with(None).value == 2 and repr(unknown.merge_with(4)) == "Dimension(4)"
    with pytest.raises(ValueError, match="^Dimensions 2 and 3 are not compatible$"):
        d.merge_with(3)
    with pytest.raises(TypeError, match="unhashable type: 'Dimension'"):
        hash(d)


@pytest.mark.parametrize("dims", [[2, None], None, []], ids=["partial", "unknown", "scalar"])
def test_pickle(dims):
    s = TS(dims)
    assert repr(pickle.loads(pickle.dumps(s))) == repr(s)


def test_tensor_shapes():
    assert str(tf.constant([[1, 2]]).shape) == "(1, 2)"
    assert repr(tf.constant(1).shape) == "TensorShape([])"
    assert tf.constant([[1, 2]]).get_shape() == [1, 2]
