"""Probabilistic losses: the crossentropy classes, KL divergence, Poisson and the
generalized crossentropy (the crossentropy functions live in `crossentropy.py`)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.keras import _serialization as ser
from kerastorch.keras import config
from kerastorch.keras.losses.crossentropy import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
)
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


@loss_function("keras.losses.kl_divergence", "keras.metrics.kl_divergence")
def kl_divergence(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`."""
    eps = config.epsilon()
    y_true = y_true.to(y_pred.dtype).clamp(eps, 1.0)
    y_pred = y_pred.clamp(eps, 1.0)
    return (y_true * torch.log(y_true / y_pred)).sum(dim=-1)


@loss_function("keras.losses.poisson", "keras.metrics.poisson")
def poisson(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true = y_true.to(y_pred.dtype)
    return (y_pred - y_true * torch.log(y_pred + config.epsilon())).mean(dim=-1)


@loss_function("keras.losses.categorical_generalized_cross_entropy")
def categorical_generalized_cross_entropy(y_true: torch.Tensor, y_pred: torch.Tensor, q: float) -> torch.Tensor:
    """`(1 - p ** q) / q`, `p` the predicted probability of the true class (integer targets)."""
    one_hot = F.one_hot(y_true.long(), num_classes=y_pred.shape[-1]).to(y_pred.dtype)
    p = (y_pred * one_hot).sum(dim=-1)
    return (1 - torch.pow(p, q)) / q


@ser.keras_export("keras.losses.BinaryCrossentropy")
class BinaryCrossentropy(BuiltinLoss):
    """Crossentropy of binary (0 or 1) targets and predicted probabilities or logits.

    Args:
        from_logits: whether `y_pred` holds logits (recommended) rather than probabilities.
        label_smoothing: in [0, 1]; targets are squeezed towards 0.5 by this much.
        axis: the axis averaged over.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.

    Example:
        >>> bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        >>> bce([0.0, 1.0, 0.0, 0.0], [-18.6, 0.51, 2.94, -12.8])  # 0.8654
    """

    _CONFIG_KEYS = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str | None = "sum_over_batch_size", name: str = "binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@ser.keras_export("keras.losses.BinaryFocalCrossentropy")
class BinaryFocalCrossentropy(BuiltinLoss):
    """Binary crossentropy down-weighting easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: weigh positives by `alpha`, negatives by `1 - alpha`.
        alpha: the class balance factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are squeezed towards 0.5 by this much.
        axis: the axis averaged over.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma")

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25, gamma: float = 2.0,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str | None = "sum_over_batch_size", name: str = "binary_focal_crossentropy",
                 dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


@ser.keras_export("keras.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(BuiltinLoss):
    """Crossentropy of one-hot targets and predicted class probabilities or logits.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + s / num_classes`.
        axis: the class axis.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.

    Example:
        >>> cce = tf.keras.losses.CategoricalCrossentropy()
        >>> cce([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])  # 1.177
    """

    _CONFIG_KEYS = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str | None = "sum_over_batch_size", name: str = "categorical_crossentropy",
                 dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@ser.keras_export("keras.losses.CategoricalFocalCrossentropy")
class CategoricalFocalCrossentropy(BuiltinLoss):
    """Categorical crossentropy down-weighting easy examples by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + s / num_classes`.
        axis: the class axis.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1, reduction: str | None = "sum_over_batch_size",
                 name: str = "categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma


@ser.keras_export("keras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(BuiltinLoss):
    """Crossentropy of integer class targets and predicted class probabilities or logits.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a target value (e.g. a padding or void class) whose entries are
            left out: their loss is 0 and they are masked out of the mean.
        reduction: see `tf.keras.losses.Loss`.
        axis: the class axis (only the last; not in the config, as in Keras).
        name: the loss's name.
        dtype: the dtype the loss computes in.

    Example:
        >>> scce = tf.keras.losses.SparseCategoricalCrossentropy()
        >>> scce([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])  # 1.177
    """

    _CONFIG_KEYS = ("from_logits", "ignore_class")

    def __init__(self, from_logits: bool = False, ignore_class: int | None = None,
                 reduction: str | None = "sum_over_batch_size", axis: int = -1,
                 name: str = "sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class


@ser.keras_export("keras.losses.KLDivergence")
class KLDivergence(BuiltinLoss):
    """Kullback-Leibler divergence `y_true * log(y_true / y_pred)`, summed over the last axis.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.Poisson")
class Poisson(BuiltinLoss):
    """`mean(y_pred - y_true * log(y_pred))`.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.CategoricalGeneralizedCrossEntropy")
class CategoricalGeneralizedCrossEntropy(BuiltinLoss):
    """Generalized crossentropy `(1 - p ** q) / q`, robust to noisy labels (integer targets).

    Args:
        q: in (0, 1); towards 0 it approaches the crossentropy, at 1 the mean absolute error.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("q",)

    def __init__(self, q: float = 0.5, reduction: str | None = "sum_over_batch_size",
                 name: str = "categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q)
        self.q = q
