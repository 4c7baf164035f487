"""The Dataset class: lazy re-iterable passes of Tensors, iterators, spec, cardinality, len."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.framework.tensor_spec import TensorSpec

D = tf.data.Dataset


def test_iteration_yields_tensors_and_starts_over():
    ds = D.from_tensor_slices(({"a": np.arange(3)}, [1.0, 2.0, 3.0]))
    first = list(ds)
    assert len(first) == 3
    features, label = first[1]
    assert isinstance(features["a"], tf.Tensor) and isinstance(label, tf.Tensor)
    assert features["a"].dtype == tf.int64 and label.dtype == tf.float32
    assert int(features["a"]) == 1 and float(label) == 2.0
    assert [float(e[1]) for e in ds] == [1.0, 2.0, 3.0]


def test_an_iterator_is_one_pass():
    it = iter(D.range(2))
    assert it.element_spec == TensorSpec((), tf.int64)
    assert int(next(it)) == 0 and int(it.get_next()) == 1
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    with pytest.raises(StopIteration):
        next(it)


def test_numpy_iterator_gives_numpy_values():
    out = list(D.from_tensor_slices((np.arange(2), ["a", "b"])).as_numpy_iterator())
    assert out == [(np.int64(0), b"a"), (np.int64(1), b"b")]
    assert isinstance(out[0][0], np.int64)


def test_elements_cannot_change_the_source():
    x = np.arange(4)
    ds = D.from_tensor_slices(x)
    x[0] = 100
    assert [int(v) for v in ds] == [0, 1, 2, 3]


def test_cardinality_is_an_int64_tensor_and_len_follows_it():
    ds = D.range(7).batch(2)
    assert ds.cardinality().dtype == tf.int64 and int(ds.cardinality()) == 4
    assert len(ds) == 4
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())
    assert bool(D.range(0))


def test_transformations_are_lazy():
    calls = []
    ds = D.range(5).map(lambda x: calls.append(1) or x)
    assert calls == []
    list(ds.take(2))
    assert len(calls) == 2


def test_reduce_and_apply():
    total = D.range(5).apply(lambda ds: ds.map(lambda x: x * 2)).reduce(np.int64(0), lambda s, x: s + x)
    assert isinstance(total, tf.Tensor) and int(total) == 20


def test_experimental_namespace():
    assert tf.data.experimental.AUTOTUNE == tf.data.AUTOTUNE == -1
    assert int(tf.data.experimental.cardinality(D.range(3).filter(lambda x: x > 0))) == -2


def test_tensor_spec_basics():
    spec = TensorSpec([None, 3], tf.float32, name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert spec.shape.as_list() == [None, 3] and spec.dtype == tf.float32 and spec.name == "x"
    assert spec.is_compatible_with(tf.zeros((2, 3)))
    assert not spec.is_compatible_with(tf.zeros((2, 4)))
    assert hash(spec) == hash(TensorSpec((None, 3), tf.float32, "x"))
