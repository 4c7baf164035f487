"""Crossentropy losses: binary, categorical, sparse categorical, and the focal variants.

The formulas are Keras's TF backend ones. Probabilities are clipped to
`[epsilon, 1 - epsilon]` (epsilon 1e-7) before the log, with TF's op sequence, so
values and gradients agree near 0 and 1. From logits, the fused torch kernels are used
where they agree with TF (`binary_cross_entropy_with_logits`, `cross_entropy` with class
indices); for soft labels TF's kernel has the gradient `softmax - labels` even when the
labels do not sum to 1, which `_SoftmaxCrossEntropy` reproduces.

An output of Keras's `sigmoid` / `softmax` carries its logits (`_keras_logits`, set on
the torch tensor); like Keras, the crossentropies then compute from those logits.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from kerastorch.keras import config
from kerastorch.keras.losses.base import scalar_in
from kerastorch.keras.losses.wrapper import loss_function


def _logits_of(output: torch.Tensor, from_logits: bool, op_type: str, fn_name: str):
    """`(output, from_logits)`, or the logits an activation left on `output` and True."""
    logits = getattr(output, "_keras_logits", None)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
                      f"{op_type} activation and thus does not represent logits. Was this intended?", stacklevel=4)
    return logits, True


def _shapes(target: torch.Tensor, output: torch.Tensor) -> str:
    return f"target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"


def _check_same_shape(target: torch.Tensor, output: torch.Tensor) -> None:
    if target.shape == output.shape:
        return
    if target.dim() != output.dim():
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). Received: "
                         f"{_shapes(target, output)}")
    raise ValueError(f"Arguments `target` and `output` must have the same shape. Received: {_shapes(target, output)}")


def _clip(output: torch.Tensor) -> torch.Tensor:
    eps = config.epsilon()
    return output.clamp(eps, 1.0 - eps)


def _binary(target: torch.Tensor, output: torch.Tensor, from_logits: bool) -> torch.Tensor:
    """Elementwise binary crossentropy (Keras's `ops.binary_crossentropy`)."""
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = _clip(output)
    return -(target * torch.log(output) + (1 - target) * torch.log(1 - output))


class _SoftmaxCrossEntropy(torch.autograd.Function):
    """TF's SoftmaxCrossEntropyWithLogits over the last axis: its gradient is `softmax - labels`."""

    @staticmethod
    def forward(ctx, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(logits, labels)
        return -(labels * torch.log_softmax(logits, dim=-1)).sum(dim=-1)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        logits, labels = ctx.saved_tensors
        grad = grad.unsqueeze(-1)
        grad_logits = grad * (torch.softmax(logits, dim=-1) - labels) if ctx.needs_input_grad[0] else None
        grad_labels = grad * -torch.log_softmax(logits, dim=-1) if ctx.needs_input_grad[1] else None
        return grad_logits, grad_labels


def _categorical(target: torch.Tensor, output: torch.Tensor, from_logits: bool, axis: int) -> torch.Tensor:
    """Categorical crossentropy along `axis` (Keras's `ops.categorical_crossentropy`)."""
    if target.dim() < 1:
        raise ValueError(f"Arguments `target` and `output` must be at least rank 1. Received: {_shapes(target, output)}")
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return _SoftmaxCrossEntropy.apply(output.movedim(axis, -1), target.movedim(axis, -1))
    output = _clip(output / output.sum(dim=axis, keepdim=True))
    return -(target * torch.log(output)).sum(dim=axis)


def _sparse(target: torch.Tensor, output: torch.Tensor, from_logits: bool, axis: int) -> torch.Tensor:
    """Crossentropy of class indices (Keras's `ops.sparse_categorical_crossentropy`)."""
    if axis != -1 and axis != output.dim() - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _logits_of(output, from_logits, "Softmax", "sparse_categorical_crossentropy")
    target = target.long()
    if target.dim() == output.dim() and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if output.dim() < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={tuple(output.shape)}")
    if target.dim() != output.dim() - 1:
        raise ValueError(f"Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
                         f"{_shapes(target, output)}")
    if target.shape != output.shape[:-1]:
        raise ValueError(f"Arguments `target` and `output` must have the same shape up until the last dimension: "
                         f"{_shapes(target, output)}")
    if not from_logits:
        output = torch.log(_clip(output))
    if output.dim() == 2:
        return F.cross_entropy(output, target, reduction="none")
    losses = F.cross_entropy(output.reshape(-1, output.shape[-1]), target.reshape(-1), reduction="none")
    return losses.reshape(target.shape)


def _smooth_binary(y_true: torch.Tensor, label_smoothing: float) -> torch.Tensor:
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def _smooth_categorical(y_true: torch.Tensor, label_smoothing: float) -> torch.Tensor:
    if not label_smoothing:
        return y_true
    # Keras divides in the tensor dtype: `label_smoothing / cast(num_classes, dtype)`.
    share = scalar_in(label_smoothing, y_true.dtype) / scalar_in(y_true.shape[-1], y_true.dtype)
    return y_true * (1.0 - label_smoothing) + scalar_in(share, y_true.dtype)


def _check_axis(axis) -> None:
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _warn_one_class(y_pred: torch.Tensor, fn_name: str) -> None:
    if y_pred.dim() and y_pred.shape[-1] == 1:
        warnings.warn(f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with "
                      f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
                      "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=4)


@loss_function("keras.losses.binary_crossentropy", "keras.metrics.binary_crossentropy")
def binary_crossentropy(y_true: torch.Tensor, y_pred: torch.Tensor, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> torch.Tensor:
    """Binary crossentropy, averaged over `axis`.

    Args:
        y_true: the targets (0 or 1), of `y_pred`'s shape.
        y_pred: probabilities, or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are squeezed towards 0.5 by this much.
        axis: the axis averaged over.

    Example:
        >>> tf.keras.losses.binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]])  # [0.5108]
    """
    y_true = _smooth_binary(y_true.to(y_pred.dtype), label_smoothing)
    return _binary(y_true, y_pred, from_logits).mean(dim=axis)


@loss_function("keras.losses.binary_focal_crossentropy", "keras.metrics.binary_focal_crossentropy")
def binary_focal_crossentropy(y_true: torch.Tensor, y_pred: torch.Tensor, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                              label_smoothing: float = 0.0, axis: int = -1) -> torch.Tensor:
    """Binary crossentropy scaled by `(1 - p_t) ** gamma`, averaged over `axis`.

    Args:
        y_true: the targets (0 or 1).
        y_pred: probabilities, or logits with `from_logits=True`.
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the class balance factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are squeezed towards 0.5 by this much.
        axis: the axis averaged over.
    """
    y_true = _smooth_binary(y_true.to(y_pred.dtype), label_smoothing)
    if from_logits:
        logits, y_pred = y_pred, torch.sigmoid(y_pred)
        y_pred._keras_logits = logits  # as Keras's sigmoid: the crossentropy below uses the logits
    bce = _binary(y_true, y_pred, False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return focal_bce.mean(dim=axis)


@loss_function("keras.losses.categorical_crossentropy", "keras.metrics.categorical_crossentropy")
def categorical_crossentropy(y_true: torch.Tensor, y_pred: torch.Tensor, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> torch.Tensor:
    """Crossentropy of one-hot (or soft) targets and predicted class probabilities along `axis`.

    Args:
        y_true: the targets, of `y_pred`'s shape.
        y_pred: probabilities (renormalized to sum 1), or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + s / num_classes`.
        axis: the class axis.

    Example:
        >>> tf.keras.losses.categorical_crossentropy([[0.0, 1.0, 0.0]], [[0.05, 0.95, 0.0]])  # [0.0513]
    """
    _check_axis(axis)
    y_true = y_true.to(y_pred.dtype)
    _warn_one_class(y_pred, "categorical_crossentropy")
    return _categorical(_smooth_categorical(y_true, label_smoothing), y_pred, from_logits, axis)


@loss_function("keras.losses.categorical_focal_crossentropy", "keras.metrics.categorical_focal_crossentropy")
def categorical_focal_crossentropy(y_true: torch.Tensor, y_pred: torch.Tensor, alpha: float = 0.25,
                                   gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                                   axis: int = -1) -> torch.Tensor:
    """Categorical crossentropy with each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        y_true: the targets, of `y_pred`'s shape.
        y_pred: probabilities, or logits with `from_logits=True`.
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + s / num_classes`.
        axis: the class axis.
    """
    _check_axis(axis)
    y_true = y_true.to(y_pred.dtype)
    _warn_one_class(y_pred, "categorical_focal_crossentropy")
    y_true = _smooth_categorical(y_true, label_smoothing)
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = _clip(y_pred / y_pred.sum(dim=axis, keepdim=True))
    cce = -y_true * torch.log(output)
    return (torch.pow(1.0 - output, gamma) * alpha * cce).sum(dim=axis)


@loss_function("keras.losses.sparse_categorical_crossentropy", "keras.metrics.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(y_true: torch.Tensor, y_pred: torch.Tensor, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1) -> torch.Tensor:
    """Crossentropy of integer class targets and predicted class probabilities.

    Args:
        y_true: class indices, of `y_pred`'s shape without the class axis (or with it of size 1).
        y_pred: probabilities, or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a target value whose entries get loss 0 and are masked out of the mean.
        axis: the class axis (only the last is supported).

    Example:
        >>> tf.keras.losses.sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    """
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    if ignore_class is None:
        return _sparse(y_true, y_pred, from_logits, axis)
    class_axis = axis % y_pred.dim()
    kept_shape = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    valid = y_true != scalar_in(ignore_class, y_pred.dtype)
    y_true = torch.where(valid, y_true, 0)
    y_pred = torch.where(valid.unsqueeze(axis), y_pred, 0.0)
    valid = valid.reshape(kept_shape)
    losses = torch.where(valid, _sparse(y_true, y_pred, from_logits, axis), 0.0)
    losses._keras_mask = valid
    return losses
