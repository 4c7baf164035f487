"""Probabilistic and hinge metrics: the mean of a crossentropy, KL divergence, Poisson or hinge
(the functions are `keras.losses`'s, as in Keras)."""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from kerastorch.keras.metrics.reduction import WrappedFunction, wrapped_class

KLDivergence = wrapped_class("KLDivergence", kl_divergence, "kl_divergence",
                             "The mean of `sum(y_true * log(y_true / y_pred))` (both clipped to [epsilon, 1]).")
Poisson = wrapped_class("Poisson", poisson, "poisson", "The mean of `y_pred - y_true * log(y_pred + epsilon)`.")
Hinge = wrapped_class("Hinge", hinge, "hinge",
                      "The mean of `max(1 - y_true * y_pred, 0)` (labels in {0, 1} become {-1, 1}).")
SquaredHinge = wrapped_class("SquaredHinge", squared_hinge, "squared_hinge",
                             "The mean of `square(max(1 - y_true * y_pred, 0))`.")
CategoricalHinge = wrapped_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                                 "The mean of `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.")


@ser.keras_export("keras.metrics.BinaryCrossentropy")
class BinaryCrossentropy(WrappedFunction):
    """The mean binary crossentropy of labels and predictions.

    Args:
        name: the metric's name.
        dtype: its dtype.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: labels move towards 0.5 by this factor.
    """

    def __init__(self, name: str = "binary_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self) -> dict:
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


@ser.keras_export("keras.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(WrappedFunction):
    """The mean categorical crossentropy of one-hot labels and predictions.

    Args:
        name: the metric's name.
        dtype: its dtype.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: labels move towards `1 / num_classes` by this factor.
        axis: the class axis.
    """

    def __init__(self, name: str = "categorical_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0, axis: int = -1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@ser.keras_export("keras.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(WrappedFunction):
    """The mean crossentropy of integer labels and class predictions.

    Args:
        name: the metric's name.
        dtype: its dtype.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a label value whose entries count as 0 (and are masked).
        axis: the class axis (only -1).
    """

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype=None, from_logits: bool = False,
                 ignore_class: int | None = None, axis: int = -1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self) -> dict:
        return {**super().get_config(), "from_logits": self.from_logits, "ignore_class": self.ignore_class,
                "axis": self.axis}
