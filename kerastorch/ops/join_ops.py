"""Joining and splitting tensors: `tf.concat`, `tf.stack`, `tf.unstack`, `tf.split`.

The inputs of `concat`/`stack` must share a dtype; Python and numpy values among them
are converted to the first tensor's dtype, as TF does. TF's checks run when torch
refuses, so the common path is a single torch call.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.ops._array_util import (
    fail,
    int_scalar,
    int_tensor,
    on_strings,
    owned,
    same_dtype,
    shape_str,
    strings_together,
)
from kerastorch.ops.array_ops import identity

_SIZE_TYPES = (torch.int8, torch.int32, torch.int64)


def concat(values, axis, name="concat") -> Tensor:
    """The tensors in `values` joined along the existing axis `axis`.

    Example:
        >>> tf.concat([tf.zeros([2, 3]), tf.ones([1, 3])], axis=0).shape
        TensorShape([3, 3])
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    dim = axis if type(axis) is int else _int32(axis)
    if len(values) == 1:
        return identity(values[0])
    if not values:
        raise op_error(InvalidArgumentError, "OpKernel 'ConcatV2' has constraint on attr 'T' not in "
                       "NodeDef '[N=0, Tidx=DT_INT32]'", "ConcatV2", name)
    raws = same_dtype(values, "ConcatV2", name)
    if type(raws[0]) is np.ndarray:
        flat, indices = strings_together(raws)
        return _wrap_strings(flat[_cat(indices, dim, name).numpy()])
    return wrap(_cat(raws, dim, name))


def _int32(value) -> int:
    raw = to_raw(value, None if isinstance(value, TensorLike) else dtypes.int32)
    return int(raw)


def _cat(raws, dim, name):
    try:
        return torch.cat(raws, dim)
    except (RuntimeError, IndexError) as exc:
        rank = raws[0].ndim
        if rank == 0:
            message = "Can't concatenate scalars (use tf.stack instead)"
        elif not -rank <= dim < rank:
            message = f"Expected concatenating dimensions in the range [{-rank}, {rank}), but got {dim}"
        else:
            message = _mismatch(raws, dim % rank)
        if message is None:
            raise
        raise fail(InvalidArgumentError, f"ConcatOp : {message}", "ConcatV2", name,
                   node=f"ConcatV2_N_{len(raws)}") from exc


def _mismatch(raws, dim):
    first = raws[0].shape
    for i, raw in enumerate(raws[1:], 1):
        pair = f"shape[0] = {shape_str(first)} vs. shape[{i}] = {shape_str(raw.shape)}"
        if raw.ndim != len(first):
            return f"Ranks of all input tensors should match: {pair}"
        for d, (a, b) in enumerate(zip(first, raw.shape)):
            if d != dim and a != b:
                return f"Dimension {d} in both shapes must be equal: {pair}"
    return None


def stack(values, axis=0, name="stack") -> Tensor:
    """The tensors in `values` (all of one shape) joined along a new axis `axis`.

    Example:
        >>> tf.stack([tf.zeros([2, 3]), tf.ones([2, 3])], axis=-1).shape
        TensorShape([2, 3, 2])
    """
    if isinstance(values, TensorLike):
        values = [box(r) for r in unwrap(values).unbind(0)] if values.ndim else [values]
    elif not isinstance(values, (list, tuple)):
        values = list(values)
    if axis == 0 and not any(isinstance(v, (TensorLike, np.ndarray)) for v in values):
        return box(to_raw(values))  # TF converts a list of Python values as one constant
    raws = same_dtype(values, "Pack", name)
    rank = raws[0].ndim + 1
    dim = int(axis)
    if not -rank <= dim < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    strings = type(raws[0]) is np.ndarray
    flat, parts = strings_together(raws) if strings else (None, raws)
    try:
        out = torch.stack(parts, dim)
    except RuntimeError as exc:
        bad = next(i for i, r in enumerate(parts) if r.shape != parts[0].shape)
        raise fail(InvalidArgumentError, f"Shapes of all inputs must match: values[0].shape = "
                   f"{shape_str(parts[0].shape)} != values[{bad}].shape = {shape_str(parts[bad].shape)}",
                   "Pack", name, node=f"Pack_N_{len(parts)}") from exc
    return _wrap_strings(flat[out.numpy()]) if strings else wrap(out)


def unstack(value, num=None, axis=0, name="unstack") -> list:
    """The slices of `value` along `axis`, as a list of tensors of one rank less.

    Args:
        num: the expected number of slices (an error if `value.shape[axis]` differs).
    """
    raw = unwrap(value)
    rank = raw.ndim
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    if num is not None and num != raw.shape[axis]:
        raise fail(InvalidArgumentError, f"Input shape axis {axis % rank} must equal {num}, got shape "
                   f"{shape_str(raw.shape)}", "Unpack", name, node=f"Unpack_num_{num}")
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.unbind, axis)
    return [owned(value, part) for part in raw.unbind(axis)]


def split(value, num_or_size_splits, axis=0, num=None, name="split") -> list:
    """`value` cut along `axis` into equal parts (an int) or parts of the listed sizes.

    Args:
        num_or_size_splits: the number of equal parts, or a list of sizes where one
            size may be -1 (the rest).
        num: the number of parts, when it cannot be told from `num_or_size_splits`.
    """
    raw = unwrap(value)
    count = _split_count(num_or_size_splits)
    op_name = "SplitV" if count is None else "Split"
    dim = int_scalar(axis, op_name, "Tdim")
    rank = raw.ndim
    if count is None:
        sizes = _split_sizes(num_or_size_splits, num, name)
    elif count < 1:
        raise op_error(InvalidArgumentError, f"Value for attr 'num_split' of {count} must be at least "
                       f"minimum 1", op_name, name)
    node = f"{op_name}_num_split_{len(sizes) if count is None else count}"
    if not -rank <= dim < rank:
        raise fail(InvalidArgumentError, f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but "
                   f"got {dim}", op_name, name, node)
    length = raw.shape[dim]
    if count is not None:
        if length % count:
            raise fail(InvalidArgumentError, f"Number of ways to split should evenly divide the split "
                       f"dimension, but got split_dim {dim} (size = {length}) and num_split {count}",
                       op_name, name, node)
        cut, arg = torch.tensor_split, count
    else:
        cut, arg = torch.split, _fill_sizes(sizes, length, name, node)
    if type(raw) is np.ndarray:
        return on_strings(raw, cut, arg, dim)
    return [owned(value, part) for part in cut(raw, arg, dim)]


def _split_count(num_or_size_splits):
    """The number of equal parts, or None when sizes are listed."""
    if isinstance(num_or_size_splits, (int, np.integer)):
        return int(num_or_size_splits)
    if isinstance(num_or_size_splits, TensorLike) and num_or_size_splits.ndim == 0:
        raise ValueError(f"Rank-0 tensors are not supported as the num_or_size_splits argument to "
                         f"split. Argument provided: {num_or_size_splits!s}")
    return None


def _split_sizes(value, num, name) -> list:
    if type(value) in (list, tuple) and all(type(v) is int for v in value):
        sizes = list(value)
    else:
        sizes = int_tensor(value, "SplitV", "Tlen", _SIZE_TYPES).reshape(-1).tolist()
    if num is not None and num != len(sizes):
        raise fail(InvalidArgumentError, f"size of the split_tensor must be 1-D and have the same "
                   f"elements as outputs got 1 -D and {len(sizes)} elements", "SplitV", name,
                   f"SplitV_num_split_{num}")
    return sizes


def _fill_sizes(sizes, length, name, node) -> list:
    """The sizes with the -1 entry resolved, checked as TF's SplitV kernel does."""
    if sizes.count(-1) > 1:
        raise fail(InvalidArgumentError, "There can only be one -1 in the input.", "SplitV", name, node)
    known = sum(s for s in sizes if s != -1)
    fits = known <= length if -1 in sizes else known == length
    if not fits or any(s < -1 for s in sizes):
        raise fail(InvalidArgumentError, "Determined shape must either match input shape along "
                   "split_dim exactly if fully specified, or be less than the size of the input along "
                   f"split_dim if not fully specified.  Got: {known}", "SplitV", name, node)
    return [length - known if s == -1 else s for s in sizes]
