"""`keras.utils.split_dataset` (the TF fixture cases are in compat/test_data_parity.py)."""

import random

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras.utils.split_dataset import split_dataset


def _values(ds) -> list:
    return [v.tolist() if isinstance(v, np.ndarray) else v for v in ds.as_numpy_iterator()]


def test_splits_are_prefetched_datasets_of_the_rows():
    left, right = split_dataset(np.arange(10).reshape(5, 2), left_size=0.6)
    assert isinstance(left, tf.data.Dataset) and repr(left).startswith("<_PrefetchDataset")
    assert _values(left) == [[0, 1], [2, 3], [4, 5]] and _values(right) == [[6, 7], [8, 9]]


def test_shuffle_follows_python_random_as_keras():
    order = list(range(10))
    random.Random(4).shuffle(order)
    left, right = split_dataset((np.arange(10), np.arange(10) * 10), left_size=7, shuffle=True, seed=4)
    assert [int(a) for a, _ in left.as_numpy_iterator()] == order[:7]
    assert [int(a) for a, _ in right.as_numpy_iterator()] == order[7:]


def test_a_batched_dataset_is_split_by_samples_and_batched_again():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(9)).batch(4)
    left, right = split_dataset(ds, right_size=3)
    assert _values(left) == [[0, 1, 2, 3], [4, 5]] and _values(right) == [[6, 7, 8]]


def test_both_sizes_missing():
    with pytest.raises(ValueError, match="At least one of the `left_size` or `right_size` must be specified"):
        split_dataset(np.arange(4))


def test_torch_backend_gives_torch_subsets():
    left, right = split_dataset(np.arange(10, dtype=np.float32), left_size=0.5, shuffle=True, seed=1,
                                preferred_backend="torch")
    assert isinstance(left, torch.utils.data.Subset) and len(left) == len(right) == 5
    values = [float(part[i][0]) for part in (left, right) for i in range(5)]
    assert sorted(values) == list(range(10))
