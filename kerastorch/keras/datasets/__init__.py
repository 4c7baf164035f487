"""`keras.datasets`: Keras's small datasets, read from Keras's download cache (never downloaded).

Each loader reads the file `keras.datasets.<name>.load_data()` of TensorFlow would have
downloaded, at the same path (`~/.keras/datasets/`, or `$KERAS_HOME/datasets/`), and
raises `FileNotFoundError` naming that path and the download URL when it is absent.
"""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist",
           "reuters"]

__getattr__ = _missing_names("tf.keras.datasets", __name__)
