"""`keras.datasets.cifar100`: 60,000 32x32 colour images in 100 classes (20 superclasses)."""

from __future__ import annotations

import numpy as np

from kerastorch.keras.datasets._cifar import BatchReader, to_image_layout

__all__ = ["load_data"]

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"


def load_data(label_mode: str = "fine"):
    """Loads CIFAR-100 from Keras's cache (`~/.keras/datasets/cifar-100-python-target*`); never downloads.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` (channels first under `image_data_format="channels_first"`),
        int64 labels `(50000, 1)` and `(10000, 1)`.
    """
    if label_mode not in ["fine", "coarse"]:
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    with BatchReader("cifar100", "cifar-100-python-target", "cifar-100-python", _ORIGIN) as reader:
        x_train, y_train = reader.read("train", f"{label_mode}_labels")
        x_test, y_test = reader.read("test", f"{label_mode}_labels")
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    return (to_image_layout(x_train), y_train), (to_image_layout(x_test), y_test)
