"""`map`, `filter`, `flat_map`: what the functions receive, and the inferred element spec."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.framework.tensor_spec import TensorSpec

D = tf.data.Dataset


def test_map_unpacks_tuples_and_passes_tensors():
    seen = []

    def fn(x, y):
        seen.append((type(x), type(y)))
        return {"sum": x + y}

    out = list(D.from_tensor_slices((np.arange(3), np.arange(3))).map(fn).as_numpy_iterator())
    assert out == [{"sum": 0}, {"sum": 2}, {"sum": 4}]
    assert set(seen) == {(tf.Tensor, tf.Tensor)}


def test_map_passes_a_dict_as_one_argument():
    ds = D.from_tensor_slices({"a": [1, 2]}).map(lambda d: d["a"] * 10)
    assert [int(v) for v in ds] == [10, 20]


def test_map_spec_marks_batch_and_value_dependent_dimensions_unknown():
    assert D.range(5).batch(2).map(lambda x: x * 2).element_spec == TensorSpec((None,), tf.int64)
    assert D.range(4).map(lambda x: tf.range(x)).element_spec == TensorSpec((None,), tf.int64)
    assert D.range(4).map(lambda x: tf.one_hot(x, 3)).element_spec == TensorSpec((3,), tf.float32)


def test_map_spec_falls_back_to_real_elements():
    table = np.array([10, 20, 30])

    def lookup(x):
        if int(x) == 0:
            raise ValueError("placeholders are refused")
        return tf.constant(table[: int(x)])

    ds = D.from_tensor_slices([1, 3]).map(lookup)
    assert ds.element_spec == TensorSpec((None,), tf.int64)


def test_map_accepts_parallel_options():
    ds = D.range(3).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
    assert [int(v) for v in ds] == [1, 2, 3]
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_parallel_calls must be greater than zero"):
        D.range(3).map(lambda x: x, num_parallel_calls=0)


def test_filter_needs_a_boolean_scalar():
    assert [int(v) for v in D.range(6).filter(lambda x: x % 2 == 1)] == [1, 3, 5]
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        list(D.range(3).filter(lambda x: tf.constant([True, False])))


def test_flat_map():
    ds = D.range(4).flat_map(lambda x: D.range(x))
    assert [int(v) for v in ds] == [0, 0, 1, 0, 1, 2]
    assert ds.element_spec == TensorSpec((), tf.int64)
