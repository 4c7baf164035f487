"""Selecting elements by index or mask: `tf.gather`, `tf.gather_nd`, `tf.boolean_mask`,
`tf.where` and `tf.one_hot`.

Out-of-range indices raise `InvalidArgumentError` as on TF's CPU kernels (TF's GPU
kernels return zeros instead). On the CPU torch's own bounds check is relied on; on
other devices the indices are checked first, since a CUDA kernel cannot report them.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import convert_to_tensor, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.ops._array_util import (
    INDEX,
    attr_error,
    dtype_of,
    fail,
    int_scalar,
    int_tensor,
    on_strings,
    position,
    same_dtype,
    shape_str,
)

_GATHER_INDEX = (torch.int16, torch.int32, torch.int64)
_ONE_HOT_INDEX = (torch.uint8, torch.int8, torch.int32, torch.int64)
_WHERE_ALLOWED = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
                  "bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64, bool")


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None) -> Tensor:
    """The slices of `params` at `indices` along `axis`.

    The result has shape `params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]`; with `batch_dims`, the leading dims of `params` and
    `indices` are batch dims gathered pairwise.

    Example:
        >>> tf.gather(tf.constant([[0, 1, 2], [3, 4, 5]]), [2, 0], axis=1)
        # [[2, 0], [5, 3]]
    """
    raw = unwrap(params)
    idx = indices._t if type(indices) is Tensor else int_tensor(indices, "GatherV2", "Tindices",
                                                               _GATHER_INDEX)
    if (not batch_dims and (axis is None or type(axis) is int) and idx.dtype in INDEX and idx.ndim == 1
            and type(raw) is not np.ndarray and raw.ndim and not raw.is_cuda):
        try:  # the common case; the general path below gives TF's errors
            return wrap(raw.index_select(axis or 0, idx))
        except (IndexError, RuntimeError):
            pass
    if dtype_of(idx) not in _GATHER_INDEX:
        raise attr_error("GatherV2", "Tindices", dtype_of(idx), _GATHER_INDEX)
    rank = raw.ndim
    if rank == 0:
        raise fail(InvalidArgumentError, "params must be at least 1 dimensional", "GatherV2")
    # TF drops batch_dims when axis is 0 (tf.gather's Python wrapper does).
    bd = 0 if type(axis) is int and axis == 0 else batch_dims
    if not -idx.ndim <= bd <= idx.ndim:
        raise fail(InvalidArgumentError, f"Expected batch_dims in the range [{-idx.ndim}, {idx.ndim}], "
                   f"but got {bd}", "GatherV2")
    if bd < 0:
        bd += idx.ndim
    ax = bd if axis is None else int_scalar(axis, "GatherV2", "Taxis", python_dtype=None)
    if not -rank <= ax < rank:
        raise fail(InvalidArgumentError, f"Shape must be at least rank {ax + 1 if ax >= 0 else -ax} but is "
                   f"rank {rank}", "GatherV2")
    ax %= rank
    _check_batch(raw.shape, idx.shape, bd, ax)
    n = raw.shape[ax]
    if type(raw) is np.ndarray:
        _check_gather(idx, n)
        return on_strings(raw, _gather, idx.cpu(), ax, bd)
    if raw.is_cuda:
        _check_gather(idx, n)
    try:
        return wrap(_gather(raw, idx, ax, bd))
    except (IndexError, RuntimeError):
        _check_gather(idx, n)
        raise


def _check_batch(params_shape, indices_shape, bd, ax) -> None:
    if not bd:
        return
    if bd >= len(params_shape):
        raise fail(InvalidArgumentError, f"batch_dims ({bd}) must be less than rank(params) "
                   f"({len(params_shape)}).", "GatherV2")
    if ax < bd:
        raise fail(InvalidArgumentError, f"batch_dims ({bd}) must be less than or equal to axis ({ax}).",
                   "GatherV2")
    for i in builtins.range(bd):
        if params_shape[i] != indices_shape[i]:
            raise fail(InvalidArgumentError, f"params.shape[{i}]: {params_shape[i]} should be equal to "
                       f"indices.shape[{i}]: {indices_shape[i]}", "GatherV2")


def _check_gather(idx, n) -> None:
    bad = ((idx < 0) | (idx >= n)).reshape(-1)
    if bool(bad.any()):
        first = int(bad.nonzero()[0])
        raise fail(InvalidArgumentError, f"indices[{position(first, idx.shape)}] = "
                   f"{int(idx.reshape(-1)[first])} is not in [0, {n})", "GatherV2", name=None)


def _gather(raw, idx, ax, bd):
    shape = list(raw.shape)
    if not bd:
        if idx.dtype is torch.int16:
            idx = idx.to(torch.int64)
        if idx.ndim == 1:
            return raw.index_select(ax, idx)
        out = raw.index_select(ax, idx.reshape(-1))
        return out.reshape(shape[:ax] + list(idx.shape) + shape[ax + 1:])
    # Batched: params as [batch, pre, n, post], indices as [batch, 1, count, 1] -> one gather.
    batch, pre, post = math.prod(shape[:bd]), math.prod(shape[bd:ax]), math.prod(shape[ax + 1:])
    count = math.prod(idx.shape[bd:])
    index = idx.reshape(batch, 1, count, 1).to(torch.int64).expand(batch, pre, count, post)
    out = torch.gather(raw.reshape(batch, pre, shape[ax], post), 2, index)
    return out.reshape(shape[:ax] + list(idx.shape[bd:]) + shape[ax + 1:])


def gather_nd(params, indices, batch_dims=0, name=None, bad_indices_policy="") -> Tensor:
    """The elements (or slices) of `params` at the multi-indices in the last axis of `indices`.

    Example:
        >>> tf.gather_nd(tf.constant([[0, 1, 2], [3, 4, 5]]), [[1, 2], [0, 0]])   # [5, 0]
    """
    raw = unwrap(params)
    idx = int_tensor(indices, "GatherNd", "Tindices", _GATHER_INDEX)
    bd = int(batch_dims)
    if bd < 0:
        raise ValueError("tf.gather_nd does not allow negative batch_dims.")
    if idx.ndim == 0:
        raise fail(InvalidArgumentError, "indices must be at least a vector", "GatherNd")
    if bd and bd >= idx.ndim:
        raise ValueError(f"Argument `batch_dims` = {bd} must be less than rank(`indices`) = {idx.ndim}")
    depth = idx.shape[-1]
    if depth > raw.ndim - bd:
        raise fail(InvalidArgumentError, f"index innermost dimension length must be <= params rank; saw: "
                   f"{depth} vs. {raw.ndim - bd}", "GatherNd")
    if tuple(raw.shape[:bd]) != tuple(idx.shape[:bd]):
        raise fail(InvalidArgumentError, f"batch dims of params {shape_str(raw.shape[:bd])} and indices "
                   f"{shape_str(idx.shape[:bd])} must be equal", "GatherNd")
    dims = list(raw.shape[bd:bd + depth])
    _check_gather_nd(idx, dims, raw.shape)
    if type(raw) is np.ndarray:
        return on_strings(raw, _gather_nd, idx.cpu(), bd, dims)
    return wrap(_gather_nd(raw, idx, bd, dims))


def _check_gather_nd(idx, dims, params_shape) -> None:
    limits = torch.tensor(dims, dtype=idx.dtype, device=idx.device)
    bad = ((idx < 0) | (idx >= limits)).any(-1).reshape(-1)
    if bool(bad.any()):
        first = int(bad.nonzero()[0])
        shown = ", ".join(str(v) for v in idx.reshape(-1, idx.shape[-1])[first].tolist())
        raise fail(InvalidArgumentError, f"indices[{position(first, idx.shape[:-1])}] = [{shown}] does not "
                   f"index into param shape {shape_str(params_shape)}, node name: GatherNd", "GatherNd")


def _gather_nd(raw, idx, bd, dims):
    """Flattens the indexed dims so that each multi-index becomes one linear index."""
    shape = list(raw.shape)
    rest = shape[bd + len(dims):]
    strides = [math.prod(dims[i + 1:]) for i in builtins.range(len(dims))]
    linear = (idx.to(torch.int64) * torch.tensor(strides, dtype=torch.int64, device=idx.device)).sum(-1)
    out_shape = shape[:bd] + list(idx.shape[bd:-1]) + rest
    if not bd:
        return raw.reshape([math.prod(dims)] + rest)[linear]
    batch = math.prod(shape[:bd])
    flat = raw.reshape([batch, math.prod(dims)] + rest)
    rows = torch.arange(batch, device=raw.device).unsqueeze(1)
    return flat[rows, linear.reshape(batch, -1)].reshape(out_shape)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask") -> Tensor:
    """The entries of `tensor` where `mask` is true, `mask` covering the dims from `axis` on.

    The masked dims collapse into one of the length of the true count.
    """
    raw = unwrap(tensor)
    keep = unwrap(mask)
    if keep.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    ax = 0 if axis is None else int(axis)
    covered = TensorShape(raw.shape)[ax:ax + keep.ndim]
    if not covered.is_compatible_with(keep.shape):
        raise ValueError(f"Shapes {covered} and {TensorShape(keep.shape)} are incompatible")
    if keep.dtype is not torch.bool:
        keep = keep != 0
    if type(raw) is np.ndarray:
        return on_strings(raw, _mask, keep.cpu(), ax)
    return wrap(_mask(raw, keep.to(raw.device), ax))


def _mask(raw, keep, ax):
    shape = list(raw.shape)
    flat = raw.reshape(shape[:ax] + [keep.numel()] + shape[ax + keep.ndim:])
    return flat[(builtins.slice(None),) * ax + (keep.reshape(-1),)]


def where(condition, x=None, y=None, name=None) -> Tensor:
    """With `x` and `y`: `x` where `condition` is true, else `y` (all three broadcast).

    With the condition alone: the coordinates of its true (non-zero) entries, as an
    int64 tensor of shape `(count, rank)`.
    """
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        raw = unwrap(condition)
        if type(raw) is np.ndarray:
            raise op_error(InvalidArgumentError, "Value for attr 'T' of string is not in the list of "
                           f"allowed values: {_WHERE_ALLOWED}", "Where")
        if raw.ndim == 0:
            raise fail(InvalidArgumentError, "WhereOp : Unhandled input dimensions: 0", "Where")
        return wrap(torch.nonzero(raw))
    if isinstance(condition, TensorLike):
        cond = condition._t
        if dtype_of(cond) is not torch.bool:
            raise op_error(InvalidArgumentError, f"cannot compute SelectV2 as input #0(zero-based) was "
                           f"expected to be a bool tensor but is a {condition.dtype._legacy} tensor",
                           "SelectV2")
    else:
        cond = to_raw(condition, dtypes.bool)
    if type(x) is Tensor and type(y) is Tensor and x._t.dtype is y._t.dtype:
        a, b = x._t, y._t
    else:
        a, b = same_dtype([x, y], "SelectV2", first_input=1)
    if type(a) is np.ndarray:
        return _wrap_strings(np.where(cond.cpu().numpy(), a, b))
    try:
        return wrap(torch.where(cond, a, b))
    except RuntimeError as exc:
        raise fail(InvalidArgumentError, f"condition {shape_str(cond.shape)}, then {shape_str(a.shape)}, "
                   f"and else {shape_str(b.shape)} must be broadcastable", "SelectV2") from exc


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None) -> Tensor:
    """One-hot vectors: `on_value` at each index, `off_value` elsewhere (indices out of
    `[0, depth)` give all `off_value`).

    Args:
        indices: integer indices.
        depth: the length of each one-hot vector.
        on_value, off_value: the fill values (default 1 and 0).
        axis: where the new axis goes (default -1, the end).
        dtype: the result's dtype (default: the values' dtype, else float32).
    """
    idx = indices._t if type(indices) is Tensor else int_tensor(indices, "OneHot", "TI", _ONE_HOT_INDEX)
    if dtype_of(idx) not in _ONE_HOT_INDEX:
        raise attr_error("OneHot", "TI", dtype_of(idx), _ONE_HOT_INDEX)
    count = depth if type(depth) is int else int_scalar(depth, "OneHot", "depth", INDEX)
    target = None if dtype is None else dtypes.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=target)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=target)
    for value, what in ((on, "on_value"), (off, "off_value")):
        if value is not None and target is not None and value.dtype is not target:
            raise TypeError(f"dtype {value.dtype} of {what} does not match dtype parameter {target}")
    if target is None:
        target = dtypes.float32 if on is None and off is None else (on if on is not None else off).dtype
    if on is None and off is None and (target.is_floating or target.is_integer or target.is_complex):
        on_raw = off_raw = None  # the plain 0/1 case: a cast of the comparison below
    else:
        on_raw = to_raw(1, target) if on is None else on._t
        off_raw = to_raw(0, target) if off is None else off._t
        if dtype_of(on_raw) is not dtype_of(off_raw):
            raise TypeError(f"dtype {_dtype(on_raw)} of on_value does not match dtype {_dtype(off_raw)} "
                            f"of off_value")
    ax = -1 if axis is None else axis
    if not (ax == -1 or 0 <= ax <= idx.ndim):
        raise fail(InvalidArgumentError, f"Expected axis to be -1 or between [0, {idx.ndim + 1}).  But "
                   f"received: {ax}", "OneHot")
    if count < 0:
        raise fail(InvalidArgumentError, f"depth must be non-negative, got: {count}", "OneHot", name=None)
    if idx.dtype not in INDEX:
        idx = idx.to(torch.int64)  # a uint8/int8 range would overflow past 127
    hot = idx.unsqueeze(-1) == torch.arange(count, dtype=idx.dtype, device=idx.device)
    if on_raw is None:
        out = hot.to(target._torch)
    elif type(on_raw) is np.ndarray:
        return _wrap_strings(np.moveaxis(np.where(hot.cpu().numpy(), on_raw, off_raw), -1, ax))
    else:
        out = torch.where(hot, on_raw.to(idx.device), off_raw.to(idx.device))
    return wrap(out if ax == -1 else out.movedim(-1, ax))


def _dtype(raw):
    return dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)
