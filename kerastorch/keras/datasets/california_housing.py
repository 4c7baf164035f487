"""`keras.datasets.california_housing`: 20,640 California districts, 8 attributes, median house value."""

from __future__ import annotations

import numpy as np

from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file
from kerastorch.keras.datasets._split import check_test_split, shuffled_split

__all__ = ["load_data"]


def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
              seed: int = 113):
    """Loads California Housing from Keras's cache (`~/.keras/datasets/california_housing.npz`); never downloads.

    Args:
        version: `"large"` (all 20,640 rows) or `"small"` (the first 600, before shuffling).
        path: the file name inside the cache folder.
        test_split: the fraction of rows (after shuffling) that form the test set.
        seed: the shuffling seed (`np.random.RandomState(seed)`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: features `(n, 8)` and median values in $
        `(n,)`, with the file's dtypes.
    """
    check_test_split(test_split)
    path = cached_file("california_housing", path, f"{KERAS_ORIGIN}california_housing.npz")
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    return shuffled_split(x, y, test_split, seed)
