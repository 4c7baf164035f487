"""`keras.datasets.cifar10`: 60,000 32x32 colour images in 10 classes."""

from __future__ import annotations

import numpy as np

from kerastorch.keras.datasets._cifar import BatchReader, to_image_layout

__all__ = ["load_data"]

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def load_data():
    """Loads CIFAR-10 from Keras's cache (`~/.keras/datasets/cifar-10-batches-py-target*`); never downloads.

    Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse,
    8 ship, 9 truck.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` (channels first under `image_data_format="channels_first"`),
        uint8 labels `(50000, 1)` and `(10000, 1)`.
    """
    with BatchReader("cifar10", "cifar-10-batches-py-target", "cifar-10-batches-py", _ORIGIN) as reader:
        train = [reader.read(f"data_batch_{i}") for i in range(1, 6)]
        x_test, y_test = reader.read("test_batch")
    x_train = np.concatenate([x for x, _ in train]).astype("uint8")
    y_train = np.concatenate([np.asarray(y) for _, y in train]).astype("uint8").reshape(-1, 1)
    x_test = np.asarray(x_test).astype("uint8")
    y_test = np.asarray(y_test).astype("uint8").reshape(-1, 1)
    return (to_image_layout(x_train), y_train), (to_image_layout(x_test), y_test)
