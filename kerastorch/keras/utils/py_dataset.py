"""`keras.utils.PyDataset` (alias `Sequence`): batches served by `__getitem__`."""

from __future__ import annotations


class PyDataset:
    """Base class for a dataset of batches indexed `0 … len(self) - 1` (`keras.utils.PyDataset`).

    Subclasses implement `__len__` (the number of batches) and `__getitem__(index)`
    returning a batch: `x`, `(x, y)` or `(x, y, sample_weight)`. `fit` calls
    `on_epoch_end` after each epoch. Batches are read in order in the training process;
    `workers`, `use_multiprocessing` and `max_queue_size` are kept for compatibility.

    Args:
        workers: accepted (batches are read in the training process).
        use_multiprocessing: accepted.
        max_queue_size: accepted.
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return self.__dict__.get("_workers", 1)

    @property
    def use_multiprocessing(self) -> bool:
        return self.__dict__.get("_use_multiprocessing", False)

    @property
    def max_queue_size(self) -> int:
        return self.__dict__.get("_max_queue_size", 10)

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None when the dataset does not know it."""
        try:
            return len(self)
        except TypeError:
            return None

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)` returning a batch.")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement `__len__()` (the number of batches).")

    def on_epoch_begin(self) -> None:
        """Called at the start of each epoch (override to reshuffle, …)."""

    def on_epoch_end(self) -> None:
        """Called at the end of each epoch (override to reshuffle, …)."""


Sequence = PyDataset
