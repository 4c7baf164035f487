"""Hinge losses (for -1 / 1 targets; 0 / 1 targets are converted), with Keras's formulas.

`max(x, 0)` is a clamp, which passes the gradient at the tie as TF's `maximum` does,
and the max over classes splits it among tied entries as TF's `reduce_max`.
"""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


def _hinge_labels(y_true: torch.Tensor) -> torch.Tensor:
    """`2 * y_true - 1` if every target is 0 or 1, else the targets (decided on the device)."""
    is_binary = ((y_true == 0) | (y_true == 1)).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _margins(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    return (1.0 - _hinge_labels(y_true.to(y_pred.dtype)) * y_pred).clamp(min=0.0)


@loss_function("keras.losses.hinge", "keras.metrics.hinge")
def hinge(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`."""
    return _margins(y_true, y_pred).mean(dim=-1)


@loss_function("keras.losses.squared_hinge", "keras.metrics.squared_hinge")
def squared_hinge(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`."""
    return _margins(y_true, y_pred).square().mean(dim=-1)


@loss_function("keras.losses.categorical_hinge", "keras.metrics.categorical_hinge")
def categorical_hinge(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`maximum(neg - pos + 1, 0)`: `pos = sum(y_true * y_pred)`, `neg = max((1 - y_true) * y_pred)`."""
    y_true = y_true.to(y_pred.dtype)
    pos = (y_true * y_pred).sum(dim=-1)
    neg = ((1.0 - y_true) * y_pred).amax(dim=-1)
    return (neg - pos + 1.0).clamp(min=0.0)


@ser.keras_export("keras.losses.Hinge")
class Hinge(BuiltinLoss):
    """`maximum(1 - y_true * y_pred, 0)`, averaged; 0 / 1 targets become -1 / 1.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.SquaredHinge")
class SquaredHinge(BuiltinLoss):
    """`square(maximum(1 - y_true * y_pred, 0))`, averaged; 0 / 1 targets become -1 / 1.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.CategoricalHinge")
class CategoricalHinge(BuiltinLoss):
    """`maximum(neg - pos + 1, 0)` of one-hot targets and class scores.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
