"""take, skip, repeat, concatenate, zip, cache, prefetch."""

import numpy as np

import kerastorch as tf

D = tf.data.Dataset


def _values(ds) -> list:
    return [v.tolist() if isinstance(v, np.ndarray) else v for v in ds.as_numpy_iterator()]


def test_take_and_skip_on_rows_and_generic_elements():
    for ds in (D.from_tensor_slices(np.arange(10)), D.range(10).map(lambda x: x)):
        assert _values(ds.skip(3).take(4)) == [3, 4, 5, 6]
        assert _values(ds.take(-1)) == list(range(10))
        assert _values(ds.skip(-1)) == []


def test_repeat_forever_with_take():
    ds = D.from_tensor_slices([1, 2]).repeat()
    assert int(ds.cardinality()) == tf.data.INFINITE_CARDINALITY
    assert _values(ds.take(5)) == [1, 2, 1, 2, 1]


def test_repeating_an_empty_dataset_ends():
    assert _values(D.range(0).repeat()) == []
    assert _values(D.range(3).filter(lambda x: x > 5).repeat()) == []


def test_zip_stops_at_the_shortest_and_keeps_structure():
    ds = D.zip({"a": D.range(3), "b": (D.range(10, 20), D.from_tensor_slices(["x", "y"]))})
    assert _values(ds) == [{"a": 0, "b": (10, b"x")}, {"a": 1, "b": (11, b"y")}]


def test_concatenate_and_enumerate():
    ds = D.range(2).concatenate(D.range(5, 7)).enumerate(start=1)
    assert _values(ds) == [(1, 0), (2, 1), (3, 5), (4, 6)]


def test_cache_runs_the_pipeline_once():
    calls = []
    ds = D.range(3).map(lambda x: calls.append(1) or x * 2).cache()
    assert _values(ds) == _values(ds) == [0, 2, 4]
    assert len(calls) == 3


def test_cache_keeps_the_first_shuffled_order():
    ds = D.from_tensor_slices(np.arange(8)).shuffle(8, seed=1).cache()
    assert _values(ds) == _values(ds)


def test_a_partial_pass_is_not_cached():
    calls = []
    ds = D.range(4).map(lambda x: calls.append(1) or x).cache()
    assert _values(ds.take(2)) == [0, 1]
    assert _values(ds) == [0, 1, 2, 3]
    assert _values(ds) == [0, 1, 2, 3]
    assert len(calls) == 6


def test_prefetch_passes_elements_through():
    ds = D.from_tensor_slices(np.arange(5)).batch(2).prefetch(tf.data.AUTOTUNE)
    assert _values(ds) == [[0, 1], [2, 3], [4]]
