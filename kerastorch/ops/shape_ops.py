"""Ops that rearrange one tensor: `tf.reshape`, `tf.transpose`, `tf.squeeze`, `tf.pad`, …

Each op is one torch call on the unwrapped tensor; TF's argument checks run only when
torch refuses (so the common path pays nothing for them), except where torch would
accept what TF refuses. String tensors go through `on_strings`. Results that view a
Variable's storage are copied (`owned`), so a later `assign` does not change them.
"""

from __future__ import annotations

import builtins

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch.framework import dtypes
from kerastorch.framework.convert import to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.ops._array_util import (
    INDEX,
    attr_error,
    dtype_of,
    fail,
    int_list,
    int_scalar,
    on_strings,
    owned,
    shape_str,
)


def reshape(tensor, shape, name=None) -> Tensor:
    """`tensor` with the same values in a new shape; one dim may be -1 (inferred).

    Args:
        tensor: the input.
        shape: a list/tuple of ints, a `TensorShape` or a 1-D integer tensor.
    """
    if type(tensor) is Tensor and type(shape) in _SEQUENCES:
        try:  # the common case; anything torch refuses gets TF's checks below
            return wrap(torch.reshape(tensor._t, shape))
        except (TypeError, RuntimeError):
            pass
    raw = unwrap(tensor)
    dims = int_list(shape, "Reshape", "Tshape", what="sizes input")
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.reshape, _resolve_reshape(dims, raw.shape))
    try:
        out = raw.reshape(dims)
    except RuntimeError:
        out = raw.reshape(_resolve_reshape(dims, raw.shape))
    return owned(tensor, out)


def _resolve_reshape(dims, in_shape) -> list:
    """The dims of a reshape with its -1 filled in, or TF's error (TF's kernel logic)."""
    unknown, product, has_zero = -1, 1, False
    for i, d in enumerate(dims):
        if d == -1:
            if unknown != -1:
                raise fail(InvalidArgumentError,
                           f"Only one input size may be -1, not both {unknown} and {i}", "Reshape")
            unknown = i
        elif d < 0:
            raise fail(InvalidArgumentError, f"Size {i} must be non-negative, not {d}", "Reshape")
        elif d == 0:
            has_zero = True
        else:
            product *= d
    count = int(np.prod(in_shape, dtype=np.int64))
    dims = list(dims)
    if unknown != -1:
        # With a 0 in `dims`, zero-sized input dims are left out so -1 can still be inferred.
        known = int(np.prod([d for d in in_shape if d > 0 or not has_zero], dtype=np.int64))
        if all(d > 0 for d in in_shape) and known % product:
            raise fail(InvalidArgumentError, f"Input to reshape is a tensor with {known} values, but "
                       f"the requested shape requires a multiple of {product}", "Reshape")
        dims[unknown] = known // product
    wanted = int(np.prod(dims, dtype=np.int64))
    if wanted != count:
        raise fail(InvalidArgumentError, f"Input to reshape is a tensor with {count} values, but the "
                   f"requested shape has {wanted}", "Reshape")
    return dims


_SEQUENCES = (list, tuple)
# transpose's default permutation (all axes reversed), made once for the common ranks.
_REVERSED = tuple(tuple(builtins.range(n - 1, -1, -1)) for n in builtins.range(8))


def _reversed(ndim: int) -> tuple:
    return _REVERSED[ndim] if ndim < len(_REVERSED) else tuple(builtins.range(ndim - 1, -1, -1))


def transpose(a, perm=None, conjugate=False, name="transpose") -> Tensor:
    """`a` with its axes permuted by `perm` (default: reversed); `conjugate` also conjugates.

    Example:
        >>> tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 2]).shape
        TensorShape([3, 2, 4])
    """
    if type(a) is Tensor and not conjugate and type(a._t) is torch.Tensor:
        raw = a._t
        try:  # the common case; anything torch refuses gets TF's checks below
            return wrap(torch.permute(raw, _reversed(raw.ndim) if perm is None else perm))
        except (TypeError, RuntimeError, IndexError):
            pass
    raw = unwrap(a)
    if perm is None:
        order = _reversed(raw.ndim)
    elif type(perm) in (list, tuple) and type(raw) is not np.ndarray and not conjugate:
        try:
            return owned(a, torch.permute(raw, perm))
        except (TypeError, RuntimeError, IndexError):
            order = int_list(perm, "Transpose", "Tperm")
    else:
        order = int_list(perm, "Transpose", "Tperm")
    if type(raw) is np.ndarray:
        _check_perm(order, raw.ndim)
        return on_strings(raw, torch.permute, order)
    try:
        out = raw.permute(order)
    except (RuntimeError, IndexError):
        _check_perm(order, raw.ndim)
        raise
    if conjugate and out.is_complex():
        return wrap(torch.conj_physical(out))
    return owned(a, out)


def _check_perm(order, rank) -> None:
    if len(order) != rank:
        raise fail(InvalidArgumentError, f"transpose expects a vector of size {rank}. But input(1) is a "
                   f"vector of size {len(order)}", "Transpose")
    for d in order:
        if not -rank <= d < rank:
            raise fail(InvalidArgumentError, f"{d} is out of range [0 .. {rank})", "Transpose")
    seen = {d % rank for d in order}
    for d in builtins.range(rank):
        if d not in seen:
            raise fail(InvalidArgumentError,
                       f"{d} is missing from {{{','.join(str(p) for p in order)}}}.", "Transpose",
                       name=None)


def expand_dims(input, axis, name=None) -> Tensor:  # noqa: A002 - TF's name
    """`input` with a new axis of size 1 inserted at `axis` (negative counts from the end)."""
    raw = unwrap(input)
    if axis is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    dim = axis if type(axis) is int else int_scalar(axis, "ExpandDims", "Tdim", what="dim")
    if not -raw.ndim - 1 <= dim <= raw.ndim:
        raise fail(InvalidArgumentError,
                   f"Tried to expand dim index {dim} for tensor with {raw.ndim} dimensions.", "ExpandDims")
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.unsqueeze, dim)
    return owned(input, raw.unsqueeze(dim))


def squeeze(input, axis=None, name=None) -> Tensor:  # noqa: A002 - TF's name
    """`input` without its size-1 dims (only those listed in `axis`, when given).

    A dim in `axis` whose size is not 1 is an error, as in TF.
    """
    raw = unwrap(input)
    if axis is None:
        if type(raw) is not np.ndarray:
            return owned(input, raw.squeeze())
        dims = tuple(d for d, n in enumerate(raw.shape) if n == 1)
    else:
        axes = [axis] if type(axis) is int else _axes(axis)
        dims = tuple(_squeeze_dim(a, raw.shape) for a in axes)
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.squeeze, dims)
    return owned(input, raw.squeeze(dims))


def _axes(axis) -> list:
    if isinstance(axis, TensorLike):
        raise TypeError(f"Expected list for 'axis' argument to 'squeeze' Op, not {axis!r}.")
    return [int(a) for a in axis] if isinstance(axis, (list, tuple)) else [int(axis)]


def _squeeze_dim(axis, shape) -> int:
    rank = len(shape)
    if not -rank <= axis < rank:
        raise fail(InvalidArgumentError,
                   f"Tried to squeeze dim index {axis} for tensor with {rank} dimensions.", "Squeeze")
    if shape[axis] != 1:
        raise fail(InvalidArgumentError, f"Can not squeeze dim[{axis % rank}], expected a dimension of "
                   f"1, got {shape[axis]}", "Squeeze")
    return axis % rank


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002 - TF's name
    """`input` broadcast to `shape` (numpy broadcasting rules)."""
    raw = unwrap(input)
    if type(shape) in (list, tuple) and type(raw) is not np.ndarray and -1 not in shape:
        try:  # torch refuses what TF refuses, except -1 ("keep this dim")
            return owned(input, raw.broadcast_to(shape))
        except (TypeError, RuntimeError):
            pass
    dims = int_list(shape, "BroadcastTo", "Tidx")
    _check_broadcast(raw.shape, dims)
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.broadcast_to, dims)
    return owned(input, raw.broadcast_to(dims))


def _check_broadcast(in_shape, dims) -> None:
    for d in dims:
        if d < 0:
            raise fail(InvalidArgumentError, f"Dimension {d} must be >= 0", "BroadcastTo")
    if len(in_shape) > len(dims):
        raise fail(InvalidArgumentError, f"Rank of input ({len(in_shape)}) must be no greater than rank "
                   f"of output shape ({len(dims)}).", "BroadcastTo")
    for have, want in zip(reversed(in_shape), reversed(dims)):
        if have != want and have != 1:
            raise fail(InvalidArgumentError,
                       f"Incompatible shapes: {shape_str(in_shape)} vs. {shape_str(dims)}", "BroadcastTo")


def tile(input, multiples, name=None) -> Tensor:  # noqa: A002 - TF's name
    """`input` repeated `multiples[i]` times along each axis `i`."""
    raw = unwrap(input)
    reps = int_list(multiples, "Tile", "Tmultiples")
    if len(reps) != raw.ndim:
        raise fail(InvalidArgumentError, f"Expected multiples argument to be a vector of length "
                   f"{raw.ndim} but got length {len(reps)}", "Tile")
    for i, r in enumerate(reps):
        if r < 0:
            raise fail(InvalidArgumentError, f"Expected multiples[{i}] >= 0, but got {r}", "Tile")
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.Tensor.repeat, reps)
    return wrap(raw.repeat(reps))


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None) -> Tensor:
    """`tensor` padded by `paddings[i] = [before, after]` along each axis `i`.

    Args:
        mode: "CONSTANT" (fill with `constant_values`), "REFLECT" (mirror without the
            edge) or "SYMMETRIC" (mirror with the edge); any letter case.
        constant_values: the fill value, of `tensor`'s dtype.
    """
    raw = unwrap(tensor)
    mode_name = str(mode).upper()
    if mode_name not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
                         f'"SYMMETRIC". Received `mode` = {mode}')
    op_name = "MirrorPad" if mode_name != "CONSTANT" else _constant_pad_op(constant_values)
    pairs = _paddings(paddings, raw.shape, op_name)
    if mode_name != "CONSTANT":
        _check_mirror(pairs, raw.shape, mode_name == "REFLECT")
        if type(raw) is np.ndarray:
            return on_strings(raw, _mirror_pad, pairs, mode_name == "REFLECT")
        return wrap(_mirror_pad(raw, pairs, mode_name == "REFLECT"))
    value = 0 if op_name == "Pad" else _pad_value(constant_values, raw, op_name)
    if type(raw) is np.ndarray:
        fill = np.empty(1, dtype=object)
        fill[0] = b"" if op_name == "Pad" else value
        flat = np.append(raw.reshape(-1), fill)
        index = F.pad(torch.arange(raw.size).reshape(raw.shape), _flat_pads(pairs), value=raw.size)
        return on_strings(flat, lambda i: i[index])
    return wrap(F.pad(raw, _flat_pads(pairs), value=value))


def _constant_pad_op(constant_values) -> str:
    if type(constant_values) is int:
        return "Pad" if constant_values == 0 else "PadV2"
    plain = not isinstance(constant_values, TensorLike) and np.ndim(constant_values) == 0
    return "Pad" if plain and constant_values == 0 else "PadV2"


def _paddings(paddings, in_shape, op_name) -> list:
    if type(paddings) in (list, tuple) and all(
            type(p) in (list, tuple) and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
            for p in paddings):
        pairs = [list(p) for p in paddings]
    else:
        raw = to_raw(paddings)
        if dtype_of(raw) not in INDEX:
            raise attr_error(op_name, "Tpaddings", dtype_of(raw))
        if raw.ndim != 2 or raw.shape[1] != 2:
            raise fail(InvalidArgumentError,
                       f"paddings must be a matrix with 2 columns: {shape_str(raw.shape)}", op_name)
        pairs = raw.tolist()
    if len(pairs) != len(in_shape):
        raise fail(InvalidArgumentError, f"The first dimension of paddings must be the rank of inputs"
                   f"{shape_str([len(pairs), 2])} {shape_str(in_shape)}", op_name)
    for before, after in pairs:
        if before < 0 or after < 0:
            raise fail(InvalidArgumentError, f"Paddings must be non-negative: {before} {after}", op_name)
    return pairs


def _flat_pads(pairs) -> list:
    """torch's `F.pad` order: the last axis first."""
    return [p for pair in reversed(pairs) for p in pair]


def _pad_value(value, raw, op_name):
    """`constant_values` as a Python scalar of the tensor's dtype (TF's conversion rules)."""
    if isinstance(value, TensorLike):
        kind = dtype_of(value._t)
        if kind is not dtype_of(raw):
            wanted = dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)
            raise op_error(InvalidArgumentError, f"cannot compute {op_name} as input #2(zero-based) was "
                           f"expected to be a {wanted._legacy} tensor but is a {value.dtype._legacy} "
                           f"tensor", op_name)
        return value.numpy().item() if kind is not None else value.numpy()
    if type(raw) is np.ndarray:
        return to_raw(value, dtypes.string)[()]
    if type(value) is int and not raw.is_complex() and raw.dtype is not torch.bool:
        return value
    return to_raw(value, dtypes.from_torch(raw.dtype)).item()


def _check_mirror(pairs, in_shape, reflect) -> None:
    for (before, after), n in zip(pairs, in_shape):
        if reflect and (before >= n or after >= n):
            raise fail(InvalidArgumentError, f"paddings must be less than the dimension size: {before}, "
                       f"{after} not less than {n}", "MirrorPad")
        if not reflect and (before > n or after > n):
            raise fail(InvalidArgumentError, f"paddings must be no greater than the dimension size: "
                       f"{before}, {after} greater than {n}", "MirrorPad")


def _mirror_pad(raw, pairs, reflect):
    """REFLECT/SYMMETRIC padding: one `index_select` per padded axis with mirrored indices."""
    out = raw
    for axis, ((before, after), n) in enumerate(zip(pairs, raw.shape)):
        if before == 0 and after == 0:
            continue
        at = torch.arange(-before, n + after, device=raw.device)
        if reflect:
            at = at.abs()
            at = torch.where(at >= n, 2 * (n - 1) - at, at)
        else:
            at = torch.where(at < 0, -at - 1, at)
            at = torch.where(at >= n, 2 * n - 1 - at, at)
        out = out.index_select(axis, at)
    return out


def reverse(tensor, axis, name=None) -> Tensor:
    """`tensor` with the order of elements reversed along each axis in `axis` (a list)."""
    raw = unwrap(tensor)
    if type(axis) in (list, tuple) and all(type(a) is int for a in axis):
        dims = list(axis)
    else:
        index = to_raw(axis)
        if dtype_of(index) not in INDEX:
            raise attr_error("ReverseV2", "Tidx", dtype_of(index))
        if index.ndim != 1:
            raise fail(InvalidArgumentError, f"'dims' must be 1-dimension, not {index.ndim}", "ReverseV2")
        dims = index.tolist()
    rank = raw.ndim
    seen = set()
    for i, d in enumerate(dims):
        if not -rank <= d < rank:
            raise fail(InvalidArgumentError,
                       f"'axis'[{i}] = {d} is out of valid range [0, {rank - 1}", "ReverseV2")
        if d % rank in seen:
            raise fail(InvalidArgumentError, f"axis {d % rank} specified more than once.", "ReverseV2")
        seen.add(d % rank)
    if type(raw) is np.ndarray:
        return on_strings(raw, torch.flip, dims)
    return wrap(torch.flip(raw, dims))


def slice(input_, begin, size, name=None) -> Tensor:  # noqa: A001 - TF's name
    """The block of `input_` starting at `begin` with extent `size` (-1: to the end)."""
    raw = unwrap(input_)
    starts = int_list(begin, "Slice", "Index")
    sizes = int_list(size, "Slice", "Index")
    rank = raw.ndim
    if len(starts) != rank or len(sizes) != rank:
        raise fail(InvalidArgumentError, f"Expected begin and size arguments to be 1-D tensors of size "
                   f"{rank}, but got shapes [{len(starts)}] and [{len(sizes)}] instead.", "Slice")
    key = []
    for i, (b, s, n) in enumerate(zip(starts, sizes, raw.shape)):
        if not 0 <= b <= n:
            raise fail(InvalidArgumentError, f"Expected begin[{i}] in [0, {n}], but got {b}", "Slice")
        if s == -1:
            s = n - b
        if not 0 <= s <= n - b:
            raise fail(InvalidArgumentError, f"Expected size[{i}] in [0, {n - b}], but got {s}", "Slice")
        key.append(builtins.slice(b, b + s))
    if type(raw) is np.ndarray:
        return on_strings(raw, lambda index: index[tuple(key)])
    return owned(input_, raw[tuple(key)])
