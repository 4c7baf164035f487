"""`tensor[key]` with TF's rules (its strided slice, and `boolean_mask` for a bool key).

Valid items: ints (negative count from the end), slices with any step (negative steps
included), `...` (once), `None` (tf.newaxis) and scalar int16/int32/int64 tensors. A list
key is read as a tuple, as TF does. A bool tensor or array as the whole key selects with
`boolean_mask`. Anything else raises TF's errors.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.errors import InvalidArgumentError, kernel_error, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.framework.tensor_shape import TensorShape

_INDEX_DTYPES = (torch.int16, torch.int32, torch.int64)
_BOOL_INDEX = (
    "Value for attr 'Index' of bool is not in the list of allowed values: int16, int32, int64\n\t; "
    "NodeDef: {{node StridedSlice}}; Op<name=StridedSlice; signature=input:T, begin:Index, "
    "end:Index, strides:Index -> output:T; attr=T:type; attr=Index:type,allowed=[DT_INT16, "
    "DT_INT32, DT_INT64]; attr=begin_mask:int,default=0; attr=end_mask:int,default=0; "
    "attr=ellipsis_mask:int,default=0; attr=new_axis_mask:int,default=0; "
    "attr=shrink_axis_mask:int,default=0>")


def getitem(self, key):
    """`tensor[key]` with TF's semantics, including negative slice steps."""
    raw = self._t
    if (type(key) is int or type(key) is slice and _plain(key)) and type(self) is Tensor \
            and type(raw) is torch.Tensor:
        # An int or a forward slice means the same in torch; anything torch refuses (out
        # of range, negative step, a scalar) goes the long way for TF's checks and errors.
        try:
            return wrap(raw[key])
        except (IndexError, ValueError, TypeError):
            pass
    if _is_mask(key):
        return _boolean_mask(raw, key)
    if isinstance(key, list):
        if key and all(type(k) is bool for k in key):
            raise op_error(InvalidArgumentError, _BOOL_INDEX, "StridedSlice", "strided_slice/")
        key = tuple(key)
    elif not isinstance(key, tuple):
        key = (key,)
    key = tuple(_index_item(k) for k in key)
    plain, flips = _plan(key, raw.shape, _device_of(raw))
    if type(raw) is np.ndarray:
        return _wrap_strings(raw[key])  # numpy takes negative steps itself
    out = raw[plain]
    for dim, step in flips:
        out = torch.flip(out, (dim,))
        if step != 1:
            out = out[(slice(None),) * dim + (slice(None, None, step),)]
    return wrap(out)


def _plain(key: slice) -> bool:
    """A slice whose bounds and step are ints or None (TF refuses bools, torch does not)."""
    return all(type(v) is int or v is None for v in (key.start, key.stop, key.step))


def _is_mask(key) -> bool:
    if type(key) is bool:
        return True
    raw = key._t if isinstance(key, TensorLike) else key
    if isinstance(raw, torch.Tensor):
        return raw.dtype is torch.bool
    return isinstance(raw, np.ndarray) and raw.dtype == np.bool_


def _boolean_mask(raw, key):
    """TF's `tensor[bool_mask]`: `tf.boolean_mask(tensor, mask)`."""
    mask = key._t if isinstance(key, TensorLike) else key
    if type(mask) is bool or mask.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    head = TensorShape(raw.shape[:mask.ndim])
    if head != TensorShape(mask.shape):
        raise ValueError(f"Shapes {head} and {TensorShape(mask.shape)} are incompatible")
    if type(raw) is np.ndarray:
        return _wrap_strings(raw[np.asarray(mask.cpu() if isinstance(mask, torch.Tensor) else mask)])
    if not isinstance(mask, torch.Tensor):
        mask = torch.from_numpy(np.ascontiguousarray(mask))
    return wrap(raw[mask.to(raw.device)])


def _index_item(k):
    """One key item as an int, a slice of ints, None or Ellipsis (else TF's TypeError)."""
    if k is None or k is Ellipsis:
        return k
    if isinstance(k, slice):
        return slice(_bound(k.start, k), _bound(k.stop, k), _bound(k.step, k))
    return _bound(k, k)


def _bound(v, shown):
    if v is None or type(v) is int:
        return v
    if type(v) is bool:
        if isinstance(shown, slice):
            raise op_error(InvalidArgumentError, _BOOL_INDEX, "StridedSlice", "strided_slice/")
        return int(v)
    if isinstance(v, np.integer) or isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    if isinstance(v, TensorLike):
        raw = v._t
        if type(raw) is not np.ndarray and raw.ndim == 0 and raw.dtype in _INDEX_DTYPES:
            return int(raw)
    raise TypeError(f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                    f"tf.int32/tf.int64 tensors are valid indices, got {v!r}")


def _plan(key, shape, device=None):
    """The index with positive steps only, plus the (output dim, step) pairs to flip.

    Args:
        key: a tuple of items from `_index_item`.
        shape: the shape of the indexed tensor.
        device: the torch device it lives on (named in TF's errors).
    """
    if sum(k is Ellipsis for k in key) > 1:
        raise _slice_error(device, "Multiple ellipses in slice spec not allowed")
    taking = sum(k is not None and k is not Ellipsis for k in key)
    if taking and not len(shape):
        raise _slice_error(device, "Attempting to slice scalar input.")
    if taking > len(shape):
        raise _slice_error(device, f"Index out of range using input dim {len(shape)}; input has only "
                                f"{len(shape)} dims")
    rest = len(shape) - taking
    plain, flips = [], []
    dim = out = 0
    for position, k in enumerate(key):
        if k is Ellipsis:
            plain.append(k)
            dim += rest
            out += rest
        elif k is None:
            plain.append(None)
            out += 1
        elif isinstance(k, slice):
            if k.step == 0:
                raise _slice_error(device, f"strides[{position}] must be non-zero")
            if k.step is not None and k.step < 0:
                picked = range(*k.indices(shape[dim]))
                plain.append(slice(picked[-1], picked[0] + 1) if len(picked) else slice(0, 0))
                if len(picked):
                    flips.append((out, -k.step))
            else:
                plain.append(k)
            dim += 1
            out += 1
        else:
            size = shape[dim]
            if not -size <= k < size:
                shown = k + size if k < 0 else k
                raise _slice_error(device, f"slice index {shown} of dimension {dim} out of bounds.")
            plain.append(k)
            dim += 1
    return tuple(plain), flips


def _device_of(raw):
    return raw.device if isinstance(raw, torch.Tensor) else None


def _slice_error(device, message: str) -> InvalidArgumentError:
    return kernel_error(InvalidArgumentError, message, "StridedSlice", device, "strided_slice/")
