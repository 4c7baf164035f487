"""Accuracy metrics: the mean of a per-sample match (Keras's `accuracy_metrics`)."""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.metrics import functions
from kerastorch.keras.metrics._raw import public
from kerastorch.keras.metrics.reduction import MeanMetricWrapper

accuracy = public(functions.accuracy)
binary_accuracy = public(functions.binary_accuracy, "keras.metrics.binary_accuracy")
categorical_accuracy = public(functions.categorical_accuracy, "keras.metrics.categorical_accuracy")
sparse_categorical_accuracy = public(functions.sparse_categorical_accuracy,
                                     "keras.metrics.sparse_categorical_accuracy")
top_k_categorical_accuracy = public(functions.top_k_categorical_accuracy,
                                    "keras.metrics.top_k_categorical_accuracy")
sparse_top_k_categorical_accuracy = public(functions.sparse_top_k_categorical_accuracy,
                                           "keras.metrics.sparse_top_k_categorical_accuracy")


class _Accuracy(MeanMetricWrapper):
    """An accuracy metric: its config is its constructor's arguments, without `fn`."""

    _direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


@ser.keras_export("keras.metrics.Accuracy")
class Accuracy(_Accuracy):
    """How often predictions equal labels.

    Args:
        name: the metric's name.
        dtype: its dtype.

    Example:
        >>> m = tf.keras.metrics.Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)


@ser.keras_export("keras.metrics.BinaryAccuracy")
class BinaryAccuracy(_Accuracy):
    """How often predictions above `threshold` match binary labels.

    Args:
        name: the metric's name.
        dtype: its dtype.
        threshold: a prediction above it counts as 1.
    """

    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict:
        return {**super().get_config(), "threshold": self.threshold}


@ser.keras_export("keras.metrics.CategoricalAccuracy")
class CategoricalAccuracy(_Accuracy):
    """How often the predicted class (argmax) is the one-hot label's class.

    Args:
        name: the metric's name.
        dtype: its dtype.
    """

    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)


@ser.keras_export("keras.metrics.SparseCategoricalAccuracy")
class SparseCategoricalAccuracy(_Accuracy):
    """How often the predicted class (argmax) is the integer label.

    Args:
        name: the metric's name.
        dtype: its dtype.
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)


@ser.keras_export("keras.metrics.TopKCategoricalAccuracy")
class TopKCategoricalAccuracy(_Accuracy):
    """How often the one-hot label's class is among the `k` highest predictions.

    Args:
        k: how many top predictions count.
        name: the metric's name.
        dtype: its dtype.
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self) -> dict:
        return {**super().get_config(), "k": self.k}


@ser.keras_export("keras.metrics.SparseTopKCategoricalAccuracy")
class SparseTopKCategoricalAccuracy(_Accuracy):
    """How often the integer label is among the `k` highest predictions.

    Args:
        k: how many top predictions count.
        name: the metric's name.
        dtype: its dtype.
        from_sorted_ids: `y_pred` holds class ids sorted by score (the first `k` are the top k).
    """

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids: bool = False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self) -> dict:
        config = {**super().get_config(), "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
