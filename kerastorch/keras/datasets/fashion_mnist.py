"""`keras.datasets.fashion_mnist`: 70,000 28x28 grayscale images of 10 kinds of clothing."""

from __future__ import annotations

import gzip
import os

import numpy as np

from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file

__all__ = ["load_data"]

_SUBDIR = os.path.join("datasets", "fashion-mnist")


def _read(fname: str, header: int) -> np.ndarray:
    """The uint8 payload of one gzipped IDX file (after its `header` bytes)."""
    path = cached_file("fashion_mnist", fname, KERAS_ORIGIN + fname, subdir=_SUBDIR)
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


def load_data():
    """Loads Fashion-MNIST from Keras's cache (`~/.keras/datasets/fashion-mnist/`); never downloads.

    Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
    7 Sneaker, 8 Bag, 9 Ankle boot.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(60000, 28, 28)` and
        `(10000, 28, 28)`, uint8 labels `(60000,)` and `(10000,)`.
    """
    y_train = _read("train-labels-idx1-ubyte.gz", 8)
    x_train = _read("train-images-idx3-ubyte.gz", 16).reshape(len(y_train), 28, 28)
    y_test = _read("t10k-labels-idx1-ubyte.gz", 8)
    x_test = _read("t10k-images-idx3-ubyte.gz", 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
