"""Sources: tensor slices, tensors, range, generators (called again on every pass)."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.framework.tensor_spec import TensorSpec

D = tf.data.Dataset


def test_slices_keep_numpy_dtypes_and_python_values_follow_tf():
    assert D.from_tensor_slices(np.arange(3.0)).element_spec.dtype == tf.float64
    assert D.from_tensor_slices([1.0, 2.0]).element_spec.dtype == tf.float32
    assert D.from_tensor_slices([1, 2]).element_spec.dtype == tf.int32


def test_slices_of_tensors_and_strings():
    ds = D.from_tensor_slices((tf.constant([[1, 2], [3, 4]]), tf.constant(["a", "b"])))
    rows = list(ds)
    assert rows[1][0].numpy().tolist() == [3, 4] and rows[1][1].numpy() == b"b"
    assert rows[1][1].dtype == tf.string


def test_slices_mismatched_first_dimensions():
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        D.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_from_tensors_is_one_element():
    ds = D.from_tensors(np.zeros((2, 3)))
    assert int(ds.cardinality()) == 1 and [e.shape for e in ds] == [(2, 3)]


@pytest.mark.parametrize(("args", "expected"), [((4,), [0, 1, 2, 3]), ((1, 7, 2), [1, 3, 5]),
                                                 ((5, 1, -2), [5, 3]), ((3, 3), [])], ids=str)
def test_range_matches_python(args, expected):
    ds = D.range(*args)
    assert [int(v) for v in ds] == expected == list(range(*args))
    assert int(ds.cardinality()) == len(expected)


def test_a_huge_range_is_not_stored():
    ds = D.range(2**40)
    assert ds._rows(None) is None
    assert [int(v) for v in ds.take(3)] == [0, 1, 2]


def test_generator_is_called_on_every_pass():
    calls = []

    def gen():
        calls.append(1)
        yield from ([1, 2], [3, 4])

    ds = D.from_generator(gen, output_signature=TensorSpec((2,), tf.int32))
    assert [e.numpy().tolist() for e in ds] == [[1, 2], [3, 4]]
    assert [e.numpy().tolist() for e in ds.batch(2)] == [[[1, 2], [3, 4]]]
    assert len(calls) == 2


def test_generator_values_are_converted_to_the_signature():
    ds = D.from_generator(lambda: iter([(1, [0.5])]), output_types=(tf.int64, tf.float32),
                          output_shapes=((), (None,)))
    (a, b), = list(ds)
    assert a.dtype == tf.int64 and b.dtype == tf.float32 and b.shape == (1,)


def test_generator_shape_mismatch_is_an_error_at_iteration():
    ds = D.from_generator(lambda: iter([[1, 2, 3]]), output_signature=TensorSpec((2,), tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"of shape \(3,\) where an element of shape \(2,\)"):
        list(ds)


def test_slices_of_a_variable_or_torch_tensor_are_a_snapshot():
    variable = tf.Variable([1.0, 2.0])
    raw = torch.tensor([1, 2])
    ds = D.from_tensor_slices((variable, raw))
    variable.assign([5.0, 6.0])
    raw[0] = 9
    assert [(float(a), int(b)) for a, b in ds] == [(1.0, 1), (2.0, 2)]
