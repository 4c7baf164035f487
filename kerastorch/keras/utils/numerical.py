"""`keras.utils.to_categorical` and `keras.utils.normalize`.

numpy (and list) input gives numpy output computed by numpy, as in Keras; a kerastorch
tensor gives a tensor, computed by torch on the tensor's device (Keras's backend-tensor
path).
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import is_tensor, wrap
from kerastorch.keras import config
from kerastorch.ops import elementwise_ops


def to_categorical(x, num_classes: int | None = None):
    """Converts a class vector (integers) to a binary class matrix (one-hot rows).

    A trailing axis of size 1 is dropped first (`(n, 1)` labels give `(n, num_classes)`).

    Args:
        x: array-like of class values (integers from 0 to `num_classes - 1`), or a tensor.
        num_classes: the number of classes; `None` infers `max(x) + 1` (array-like input
            only).

    Returns:
        A float64 numpy array with the class axis last; for a tensor `x`, a float32 tensor
        (indices outside `[0, num_classes)` give all-zero rows there).

    Example:

    >>> to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    if is_tensor(x):
        return _tensor_to_categorical(x, num_classes)
    labels = np.array(x, dtype="int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    if not num_classes:
        num_classes = np.max(labels) + 1
    rows = np.zeros((labels.shape[0], num_classes))
    rows[np.arange(labels.shape[0]), labels] = 1
    return rows.reshape(shape + (num_classes,))


def _tensor_to_categorical(x, num_classes):
    if num_classes is None:
        raise ValueError("`num_classes` is required when `x` is a tensor (it cannot be inferred). "
                         f"Received: num_classes={num_classes}")
    labels = unwrap(x)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)
    labels = labels.to(torch.int64)
    classes = torch.arange(num_classes, dtype=torch.int64, device=labels.device)
    return wrap((labels.unsqueeze(-1) == classes).to(torch.float32))


def normalize(x, axis: int | None = -1, order: int = 2):
    """Normalizes an array to unit `order`-norm along `axis`.

    numpy input: divides by `np.linalg.norm(x, order, axis)` (zero norms count as 1); a
    1-D input comes back with shape `(1, n)`, as in Keras. Tensor input: `order` must be
    an int >= 1 and the norm is floored at `keras.config.epsilon()`.

    Args:
        x: the array (numpy array, tensor or nested lists).
        axis: the axis to normalize along (`None`: the whole array).
        order: the norm's order (2 for the L2 norm).

    Returns:
        A normalized copy: a numpy array for numpy input, else a tensor.

    Example:

    >>> normalize(np.array([[3.0, 4.0]]))
    array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        # Keras 3.15 expands at -1 for axis=0 too (`axis or -1`), which misaligns the
        # norms (wrong values or a broadcast error); the norms belong at `axis`.
        return x / np.expand_dims(norm, -1 if axis is None else axis)
    return _normalize_tensor(x, axis, order)


def _normalize_tensor(x, axis, order):
    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    raw = unwrap(x)
    if raw.ndim == 0:
        raw = raw.reshape(1)
    dims = tuple(range(raw.ndim)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    eps = config.epsilon()
    if order == 2:
        square_sum = raw.square().sum(dim=dims, keepdim=True, dtype=raw.dtype)
        inv_norm = elementwise_ops.rsqrt(wrap(square_sum))._t  # TF's error for integer input
        return wrap(raw * inv_norm.clamp(max=1.0 / eps))
    if not (raw.is_floating_point() or raw.is_complex()):
        raw = raw.to(torch.float32)
    if len(dims) > 2:
        raise ValueError(f"Invalid axis values. Received: axis={dims}")
    if len(dims) == 2 and order != 1:
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={order}")
    norm = torch.linalg.norm(raw, ord=order, dim=dims[0] if len(dims) == 1 else dims, keepdim=True)
    return wrap(raw / norm.clamp(min=eps))
