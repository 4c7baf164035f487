"""`Dataset.shuffle`: the buffer's reach, seeds and reshuffling (TF's own order cannot be matched)."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.data.shuffling import _ShuffleDataset

D = tf.data.Dataset


def _order(ds) -> list:
    return [int(v) for v in ds.as_numpy_iterator()]


@pytest.mark.parametrize("source", [lambda: D.range(50), lambda: D.from_tensor_slices(np.arange(50)),
                                    lambda: D.range(50).map(lambda x: x)], ids=["range", "slices", "generic"])
def test_shuffle_is_a_permutation(source):
    out = _order(source().shuffle(50, seed=1))
    assert sorted(out) == list(range(50))
    assert out != list(range(50))


def test_buffer_of_one_keeps_the_order():
    assert _order(D.range(20).shuffle(1, seed=3)) == list(range(20))


@pytest.mark.parametrize("buffer_size", [2, 5, 10], ids=str)
def test_an_element_moves_at_most_within_the_buffer(buffer_size):
    for seed in range(5):
        out = _order(D.range(40).shuffle(buffer_size, seed=seed))
        # output position k draws from the first k + buffer_size inputs
        assert all(value < k + buffer_size for k, value in enumerate(out))
        assert sorted(out) == list(range(40))


def test_same_seed_same_order_and_passes_differ():
    first, second = D.range(30).shuffle(30, seed=5), D.range(30).shuffle(30, seed=5)
    epochs = [_order(first) for _ in range(3)]
    assert epochs == [_order(second) for _ in range(3)]
    assert epochs[0] != epochs[1] != epochs[2]
    assert epochs[0] != _order(D.range(30).shuffle(30, seed=6))


def test_without_reshuffle_every_pass_is_the_same():
    ds = D.range(30).shuffle(30, seed=2, reshuffle_each_iteration=False)
    assert _order(ds) == _order(ds) == _order(ds)
    unseeded = D.range(30).shuffle(30, reshuffle_each_iteration=False)
    assert _order(unseeded) == _order(unseeded)


def test_global_seed_makes_unseeded_shuffles_reproducible():
    tf.random.set_seed(11)
    first = [_order(D.range(20).shuffle(20)) for _ in range(2)]
    tf.random.set_seed(11)
    second = [_order(D.range(20).shuffle(20)) for _ in range(2)]
    tf.random.set_seed(None)
    assert first == second
    assert first[0] != first[1]  # two shuffle ops draw two op seeds


def test_batching_does_not_change_the_shuffled_order():
    """The row path (batch slices indices) and the element path shuffle alike."""
    x = np.arange(24)
    elements = _order(D.from_tensor_slices(x).shuffle(8, seed=4))
    batched = np.concatenate(list(D.from_tensor_slices(x).shuffle(8, seed=4).batch(5).as_numpy_iterator()))
    generic = _order(D.from_tensor_slices(x).map(lambda v: v).shuffle(8, seed=4))
    assert elements == batched.tolist() == generic


def test_shuffle_then_repeat_reshuffles_each_pass():
    out = _order(D.range(10).shuffle(10, seed=1).repeat(2))
    assert sorted(out[:10]) == sorted(out[10:]) == list(range(10))
    assert out[:10] != out[10:]


def test_repeat_then_shuffle_mixes_across_passes():
    out = _order(D.range(5).repeat(4).shuffle(20, seed=0))
    assert sorted(out) == sorted(list(range(5)) * 4)


def test_unknown_buffer_size_shuffles_everything():
    ds = D.range(10).shuffle(tf.data.UNKNOWN_CARDINALITY, seed=1)
    assert isinstance(ds, _ShuffleDataset)
    assert sorted(_order(ds)) == list(range(10))
