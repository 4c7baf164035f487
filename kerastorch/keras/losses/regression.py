"""Regression losses: mean squared / absolute / percentage / squared-log errors, cosine
similarity, Huber and log-cosh, with Keras's formulas (epsilons and tie-point gradients
included: `clamp` passes the gradient at the bound, as TF's maximum / minimum do)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from kerastorch.keras import _serialization as ser
from kerastorch.keras import config
from kerastorch.keras.losses.base import scalar_in, squeeze_or_expand_to_same_rank
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


def _aligned(y_true: torch.Tensor, y_pred: torch.Tensor):
    return squeeze_or_expand_to_same_rank(y_true.to(y_pred.dtype), y_pred)


class _Rsqrt(torch.autograd.Function):
    """`rsqrt` with TF's gradient kernel, which gives 0 (not 0 * inf = nan) where the incoming gradient is 0."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        y = torch.rsqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        (y,) = ctx.saved_tensors
        return torch.where(grad == 0, torch.zeros_like(grad), -0.5 * grad * y * y * y)


def l2_normalize(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Keras's `normalize(x, axis)`: `x * min(rsqrt(sum(x ** 2)), 1 / epsilon)`."""
    if x.dim() == 0:
        x = x.unsqueeze(0)
    inv_norm = _Rsqrt.apply(x.square().sum(dim=axis, keepdim=True))
    return x * inv_norm.clamp(max=1.0 / config.epsilon())


@loss_function("keras.losses.mean_squared_error", "keras.metrics.mean_squared_error")
def mean_squared_error(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return (y_true - y_pred).square().mean(dim=-1)


@loss_function("keras.losses.mean_absolute_error", "keras.metrics.mean_absolute_error")
def mean_absolute_error(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return (y_true - y_pred).abs().mean(dim=-1)


@loss_function("keras.losses.mean_absolute_percentage_error", "keras.metrics.mean_absolute_percentage_error")
def mean_absolute_percentage_error(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    diff = ((y_true - y_pred) / y_true.abs().clamp(min=config.epsilon())).abs()
    return 100.0 * diff.mean(dim=-1)


@loss_function("keras.losses.mean_squared_logarithmic_error", "keras.metrics.mean_squared_logarithmic_error")
def mean_squared_logarithmic_error(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    eps = scalar_in(config.epsilon(), torch.float32)  # Keras makes a float32 tensor of it, whatever the dtype
    first_log = torch.log(y_pred.clamp(min=eps) + 1.0)
    second_log = torch.log(y_true.clamp(min=eps) + 1.0)
    return (first_log - second_log).square().mean(dim=-1)


@loss_function("keras.losses.cosine_similarity")
def cosine_similarity(y_true: torch.Tensor, y_pred: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """The negated cosine similarity along `axis`: -1 for parallel vectors, 0 for orthogonal ones."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return -(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis)).sum(dim=axis)


@loss_function("keras.losses.huber", "keras.metrics.huber")
def huber(y_true: torch.Tensor, y_pred: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    """Mean over the last axis of `0.5 * e ** 2` where `|e| <= delta`, else `delta * |e| - 0.5 * delta ** 2`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    delta = scalar_in(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = error.abs()
    linear = delta * abs_error - scalar_in(0.5 * scalar_in(delta * delta, y_pred.dtype), y_pred.dtype)
    return torch.where(abs_error <= delta, 0.5 * error.square(), linear).mean(dim=-1)


@loss_function("keras.losses.log_cosh", "keras.metrics.log_cosh")
def log_cosh(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed as `x + softplus(-2x) - log(2)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    x = y_pred - y_true
    log2 = scalar_in(scalar_in(math.log(2.0), torch.float32), y_pred.dtype)  # Keras's float32 `log(2.0)`
    return (x + F.softplus(x * -2.0) - log2).mean(dim=-1)


@ser.keras_export("keras.losses.MeanSquaredError")
class MeanSquaredError(BuiltinLoss):
    """`mean(square(y_true - y_pred))`.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.

    Example:
        >>> tf.keras.losses.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])  # 0.02
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "mean_squared_error",
                 dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.MeanAbsoluteError")
class MeanAbsoluteError(BuiltinLoss):
    """`mean(abs(y_true - y_pred))`.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(BuiltinLoss):
    """`100 * mean(abs((y_true - y_pred) / y_true))` (the divisor at least epsilon).

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size",
                 name: str = "mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(BuiltinLoss):
    """`mean(square(log(y_true + 1) - log(y_pred + 1)))` (both at least epsilon).

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size",
                 name: str = "mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype)


@ser.keras_export("keras.losses.CosineSimilarity")
class CosineSimilarity(BuiltinLoss):
    """The negated cosine similarity of targets and predictions along `axis`.

    Args:
        axis: the axis the vectors lie along (not in the config, as in Keras).
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, axis: int = -1, reduction: str | None = "sum_over_batch_size",
                 name: str = "cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)


@ser.keras_export("keras.losses.Huber")
class Huber(BuiltinLoss):
    """Quadratic for errors up to `delta`, linear beyond.

    Args:
        delta: the point where the loss turns linear (not in the config, as in Keras).
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, delta: float = 1.0, reduction: str | None = "sum_over_batch_size", name: str = "huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


@ser.keras_export("keras.losses.LogCosh")
class LogCosh(BuiltinLoss):
    """`mean(log(cosh(y_pred - y_true)))`.

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
