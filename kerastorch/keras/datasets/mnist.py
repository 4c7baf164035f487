"""`keras.datasets.mnist`: 70,000 28x28 grayscale handwritten digits."""

from __future__ import annotations

import numpy as np

from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file

__all__ = ["load_data"]


def load_data(path: str = "mnist.npz"):
    """Loads MNIST from Keras's cache (`~/.keras/datasets/mnist.npz`); never downloads.

    Args:
        path: the file name inside the cache folder.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(60000, 28, 28)` and
        `(10000, 28, 28)` with values 0-255, uint8 labels 0-9 `(60000,)` and `(10000,)`.
    """
    path = cached_file("mnist", path, f"{KERAS_ORIGIN}mnist.npz")
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
