"""`keras.utils.split_dataset`: a dataset or arrays split in two `tf.data.Dataset`s (train / test)."""

from __future__ import annotations

import random

import numpy as np
import torch

from kerastorch.data import structure
from kerastorch.data.batching import _Batching
from kerastorch.data.dataset import AUTOTUNE, Dataset


def split_dataset(dataset, left_size=None, right_size=None, shuffle: bool = False, seed=None,
                  preferred_backend: str | None = None):
    """Splits a dataset into a left part and a right part, as Keras does.

    Args:
        dataset: a `tf.data.Dataset` (a batched one is unbatched, split and batched again),
            a `torch.utils.data.Dataset`, a numpy array, or a list/tuple of arrays of the same length.
        left_size: a fraction in `(0, 1)` or a count of samples for the left part; default:
            what `right_size` leaves.
        right_size: the same for the right part, taken from the end.
        shuffle: shuffle the samples before splitting (with Python's `random.Random(seed)`,
            which gives the order Keras gives for the same seed).
        seed: the shuffling seed.
        preferred_backend: `"torch"` returns `torch.utils.data.Subset`s (the default for a
            torch dataset); anything else `tf.data.Dataset`s.

    Returns:
        `(left, right)`.

    Example:
        >>> left, right = keras.utils.split_dataset(np.zeros((10, 2)), left_size=0.8)
        >>> int(left.cardinality()), int(right.cardinality())
        (8, 2)
    """
    if preferred_backend == "torch" or (preferred_backend is None and isinstance(dataset, torch.utils.data.Dataset)):
        return _split_torch(dataset, left_size, right_size, shuffle, seed)
    if not isinstance(dataset, (tuple, list, np.ndarray, Dataset)):
        raise TypeError(f"The `dataset` argument must be either a `tf.data.Dataset` object, or a list/tuple of "
                        f"arrays. Received: dataset={dataset} of type {type(dataset)}")
    _require_a_size(left_size, right_size)
    columns, batch_size = _columns(dataset)
    total = len(structure.flatten(columns)[0])
    order = list(range(total))
    if shuffle:
        random.Random(seed).shuffle(order)
    left_size, right_size = _split_sizes(left_size, right_size, total)
    parts = []
    for index in (order[:left_size], order[total - right_size:]):
        part = Dataset.from_tensor_slices(structure.map_structure(lambda c, i=index: c[i], columns))
        if batch_size is not None:
            part = part.batch(batch_size)
        parts.append(part.prefetch(AUTOTUNE))
    return tuple(parts)


def _require_a_size(left_size, right_size) -> None:
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. Received: "
                         "left_size=None and right_size=None")


def _columns(dataset):
    """The samples as a structure of stacked numpy arrays, and the batch size to restore."""
    if isinstance(dataset, np.ndarray):
        _check_not_empty(len(dataset))
        return _Rows(dataset), None
    if isinstance(dataset, (list, tuple)):
        kind = type(dataset).__name__
        if not dataset:
            raise ValueError(f"Received an empty {kind} dataset. Please provide a non-empty {kind} of arrays.")
        for index, array in enumerate(dataset):
            if not isinstance(array, np.ndarray):
                raise ValueError(f"Expected a {kind} of `numpy.ndarray` objects,Received: {type(array)} at "
                                 f"index {index}.")
            if array.shape[0] != dataset[0].shape[0]:
                raise ValueError(f"Received a {kind} of NumPy arrays with different lengths.Mismatch found at "
                                 f"index {index}, Expected shape={dataset[0].shape} Received shape="
                                 f"{array.shape}.Please provide a {kind} of NumPy arrays of the same length.")
        return tuple(dataset), None
    batch_size = dataset._batch_size if isinstance(dataset, _Batching) else None
    if batch_size is not None:
        dataset = dataset.unbatch()
    samples = list(dataset.as_numpy_iterator())
    _check_not_empty(len(samples))
    if not isinstance(samples[0], (tuple, dict)):
        first = np.shape(samples[0])
        for index, sample in enumerate(samples[1:]):
            if np.shape(sample) != first:
                raise ValueError(f"All `dataset` samples must have same shape, Expected shape: {first} Received "
                                 f"shape: {np.shape(sample)} at index {index}.")
    leaves = [np.array(column) for column in zip(*(structure.flatten(s) for s in samples))]
    return structure.pack(samples[0], leaves), batch_size


class _Rows:
    """A numpy array whose parts are lists of its rows, as Keras passes them to `from_tensor_slices`
    (so a 1-D int64 array gives int32 elements there, as in TF)."""

    def __init__(self, array: np.ndarray):
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, index: list) -> list:
        return [self.array[i] for i in index]


def _check_not_empty(count: int) -> None:
    if count == 0:
        raise ValueError("Received an empty dataset. Argument `dataset` must be a non-empty list/tuple of "
                         "`numpy.ndarray` objects or `tf.data.Dataset` objects.")


def _split_sizes(left_size, right_size, total: int) -> tuple:
    """Both sizes as counts (a fraction is rounded), checked as Keras checks them."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, Received: "
                            f"type({name})={type(size)}.")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the split sizes must be "
                         "non-zero.")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
            raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                             f"within the range `[0, 1]`. Received: {name}={size}")
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or "
                         "equal to 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the {total}. Received: "
                         f"left_size + right_size = {left + right}and total_length = {total}")
    for side, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left} and `right_size`={right}."
                             f"Resulting {side} side dataset split will be empty. Adjust any of the "
                             f"aforementioned parameters")
    return int(left), int(right)


def _split_torch(dataset, left_size, right_size, shuffle: bool, seed):
    """Keras's torch split: `torch.utils.data.random_split` (which always permutes)."""
    if isinstance(dataset, np.ndarray):
        dataset = torch.utils.data.TensorDataset(torch.from_numpy(dataset))
    elif isinstance(dataset, (list, tuple)):
        dataset = torch.utils.data.TensorDataset(*(torch.from_numpy(np.asarray(a)) for a in dataset))
    _require_a_size(left_size, right_size)
    left, right = _split_sizes(left_size, right_size, len(dataset))
    generator = torch.Generator()
    if shuffle and seed is not None:
        generator.manual_seed(seed)
    else:
        generator.seed()
    return tuple(torch.utils.data.random_split(dataset, [left, right], generator=generator))
