"""`keras.datasets.boston_housing`: 506 Boston suburbs, 13 attributes, median house value."""

from __future__ import annotations

import numpy as np

from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file
from kerastorch.keras.datasets._split import check_test_split, shuffled_split

__all__ = ["load_data"]


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113):
    """Loads Boston Housing from Keras's cache (`~/.keras/datasets/boston_housing.npz`); never downloads.

    Args:
        path: the file name inside the cache folder.
        test_split: the fraction of rows (after shuffling) that form the test set.
        seed: the shuffling seed (`np.random.RandomState(seed)`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: features `(n, 13)` and median values in
        k$ `(n,)`, with the file's dtypes.
    """
    check_test_split(test_split)
    path = cached_file("boston_housing", path, f"{KERAS_ORIGIN}boston_housing.npz")
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffled_split(x, y, test_split, seed)
