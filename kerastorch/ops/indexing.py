"""NumPy-style indexing of tensors (TF's strided slice): ints, slices with any step,
`...`, `None` (tf.newaxis) and boolean masks."""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import _wrap_strings, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import TensorLike, wrap


def getitem(self, key):
    """`tensor[key]` with TF's semantics, including negative slice steps."""
    raw = self._t
    if not isinstance(key, tuple):
        key = (key,)
    key = tuple(_index_item(k) for k in key)
    if type(raw) is np.ndarray:
        return _wrap_strings(raw[key])
    plain, flips = _plan(key, raw.shape)
    out = raw[plain]
    for dim, step in flips:
        out = torch.flip(out, (dim,))
        if step != 1:
            out = out[(slice(None),) * dim + (slice(None, None, step),)]
    return wrap(out)


def _index_item(k):
    if isinstance(k, TensorLike):
        raw = k._t
        if raw.dtype is torch.bool:
            return raw
        if raw.ndim == 0:
            return int(raw)
        return raw
    if isinstance(k, (list, np.ndarray)):
        return unwrap(k)
    if isinstance(k, np.integer):
        return int(k)
    return k


def _consumed(k) -> int:
    if k is None or k is Ellipsis:
        return 0
    if isinstance(k, torch.Tensor) and k.dtype is torch.bool:
        return max(k.ndim, 1)
    return 1


def _plan(key, shape):
    """Torch index with positive steps only, plus the (output dim, step) pairs to flip."""
    ellipsis_dims = len(shape) - sum(_consumed(k) for k in key)
    if ellipsis_dims < 0:
        raise op_error(InvalidArgumentError,
                       f"Index out of range using input dim {len(shape)}; input has only "
                       f"{len(shape)} dims", "StridedSlice")
    plain, flips = [], []
    dim = out = 0
    for k in key:
        if k is Ellipsis:
            plain.append(k)
            dim += ellipsis_dims
            out += ellipsis_dims
        elif k is None:
            plain.append(None)
            out += 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0:
                picked = range(*k.indices(shape[dim]))
                if len(picked):
                    plain.append(slice(picked[-1], picked[0] + 1))
                    flips.append((out, -k.step))
                else:
                    plain.append(slice(0, 0))
            elif k.step == 0:
                raise ValueError("slice step cannot be zero")
            else:
                plain.append(k)
            dim += 1
            out += 1
        elif isinstance(k, int):
            size = shape[dim]
            if not -size <= k < size:
                raise op_error(InvalidArgumentError,
                               f"slice index {k} of dimension {dim} out of bounds.", "StridedSlice")
            plain.append(k)
            dim += 1
        elif isinstance(k, torch.Tensor):
            plain.append(k)
            dim += _consumed(k)
            out += 1
        else:
            raise TypeError(f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                            f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}")
    return tuple(plain), flips
