"""Overlap losses for segmentation: Dice and Tversky (Keras's formulas, epsilon 1e-7)."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras import config
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


def _sum(x: torch.Tensor, axis) -> torch.Tensor:
    """`ops.sum(x, axis)`: every axis for None."""
    if axis is None:
        return x.sum()
    return x.sum(dim=tuple(axis) if isinstance(axis, (list, tuple)) else axis)


@loss_function("keras.losses.dice")
def dice(y_true: torch.Tensor, y_pred: torch.Tensor, axis=None) -> torch.Tensor:
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)` over `axis` (None: all)."""
    y_true = y_true.to(y_pred.dtype)
    intersection = _sum(y_true * y_pred, axis)
    union = _sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon()
    return 1 - (2.0 * intersection) / union


@loss_function("keras.losses.tversky")
def tversky(y_true: torch.Tensor, y_pred: torch.Tensor, alpha: float = 0.5, beta: float = 0.5,
            axis=None) -> torch.Tensor:
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)`, with soft counts over `axis` (None: all)."""
    y_true = y_true.to(y_pred.dtype)
    intersection = _sum(y_true * y_pred, axis)
    false_positives = _sum((1 - y_pred) * y_true, axis)
    false_negatives = _sum(y_pred * (1 - y_true), axis)
    denominator = intersection + false_positives * alpha + false_negatives * beta + config.epsilon()
    return 1 - intersection / denominator


@ser.keras_export("keras.losses.Dice")
class Dice(BuiltinLoss):
    """The Dice loss `1 - 2 |y_true * y_pred| / (|y_true| + |y_pred|)`.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        axis: the axes summed over (None: all, one loss for the batch).
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("axis",)

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


@ser.keras_export("keras.losses.Tversky")
class Tversky(BuiltinLoss):
    """The Tversky loss, a Dice loss weighing false positives by `alpha` and false negatives by `beta`.

    Args:
        alpha: the weight of false positives.
        beta: the weight of false negatives.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        axis: the axes summed over (None: all, one loss for the batch).
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("alpha", "beta", "axis")

    def __init__(self, alpha: float = 0.5, beta: float = 0.5, reduction: str | None = "sum_over_batch_size",
                 name: str = "tversky", axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
