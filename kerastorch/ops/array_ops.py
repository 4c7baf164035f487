"""Creating tensors, casting them and asking their shape (`tf.zeros`, `tf.range`, `tf.cast`, …).

Each op is one funnel pass: `unwrap` -> torch -> `wrap`. New tensors are placed on
`device.current()`. Reshaping and joining live in `shape_ops.py` and `join_ops.py`,
indexing ops in `gather_ops.py`.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, UnimplementedError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.ops._array_util import attr_error, dtype_of, fail, int_list, int_tensor, same_dtype

_INT32 = torch.int32
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
# tf.range picks the widest of its arguments' dtypes in this order.
_RANGE_ORDER = {d: i for i, d in enumerate((dtypes.int32, dtypes.int64, dtypes.float16,
                                             dtypes.bfloat16, dtypes.float32, dtypes.float64))}
_RANGE_ALLOWED = "bfloat16, half, float, double, int8, int16, int32, int64, uint16, uint32, uint64"
_ONES_LIKE_ALLOWED = ("bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, "
                      "uint64, complex64, complex128, bool")


# -- creation ------------------------------------------------------------------------------

def _dims(shape, op_name: str = "Fill") -> list:
    """The dims of a `shape` argument of zeros/ones/fill (an int is a 1-D shape)."""
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        dims = list(shape)
    elif type(shape) is int:
        dims = [shape]
    else:
        raw = int_tensor(shape, op_name, "index_type", python_dtype=dtypes.int32)
        dims = raw.reshape(-1).tolist()
    for d in dims:
        if d < 0:
            raise fail(InvalidArgumentError, f"Dimension {d} must be >= 0", op_name)
    return dims


def zeros(shape, dtype=dtypes.float32, name=None, layout=None) -> Tensor:
    """A tensor of `shape` filled with zeros (empty strings for `tf.string`).

    Args:
        shape: a list/tuple of ints, a `TensorShape` or a 1-D integer tensor.
        dtype: the element type (default float32).
    """
    target = dtypes.as_dtype(dtype)
    if type(shape) in (list, tuple) and target is not dtypes.string:
        try:  # the common case; `_dims` gives TF's errors
            return wrap(torch.zeros(shape, dtype=target._torch, device=_device.current()))
        except (TypeError, RuntimeError):
            pass
    dims = _dims(shape)
    if target is dtypes.string:
        return _wrap_strings(np.full(dims, b"", dtype=object))
    return wrap(torch.zeros(dims, dtype=target._torch, device=_device.current()))


def ones(shape, dtype=dtypes.float32, name=None, layout=None) -> Tensor:
    """A tensor of `shape` filled with ones (`True` for bool).

    Args:
        shape: a list/tuple of ints, a `TensorShape` or a 1-D integer tensor.
        dtype: the element type (default float32); `tf.string` raises TypeError.
    """
    target = dtypes.as_dtype(dtype)
    if target is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    if type(shape) in (list, tuple):
        try:  # the common case; `_dims` gives TF's errors
            return wrap(torch.ones(shape, dtype=target._torch, device=_device.current()))
        except (TypeError, RuntimeError):
            pass
    return wrap(torch.ones(_dims(shape), dtype=target._torch, device=_device.current()))


def fill(dims, value, name=None, layout=None) -> Tensor:
    """A tensor of shape `dims` filled with the scalar `value` (its dtype is `value`'s).

    Example:
        >>> tf.fill([2, 2], 7)   # int32 [[7, 7], [7, 7]]
    """
    shape = int_list(dims, "Fill", "index_type")
    for d in shape:
        if d < 0:
            raise fail(InvalidArgumentError, f"Dimension {d} must be >= 0", "Fill")
    raw = to_raw(value)
    if raw.ndim:
        shown = ",".join(str(d) for d in raw.shape)
        raise fail(InvalidArgumentError, f"value must represent a scalar, got shape [{shown}]", "Fill")
    if type(raw) is np.ndarray:
        return _wrap_strings(np.full(shape, raw[()], dtype=object))
    return wrap(raw.expand(shape).clone(memory_format=torch.contiguous_format))


def zeros_like(input, dtype=None, name=None, layout=None) -> Tensor:  # noqa: A002 - TF's name
    """Zeros with the shape of `input`, and its dtype unless `dtype` is given."""
    raw = unwrap(input)
    target = _like_dtype(raw, dtype)
    if target is dtypes.string:
        return _wrap_strings(np.full(raw.shape, b"", dtype=object))
    if type(raw) is np.ndarray:
        return wrap(torch.zeros(raw.shape, dtype=target._torch, device=_device.current()))
    return wrap(torch.zeros_like(raw, dtype=target._torch, memory_format=torch.contiguous_format))


def ones_like(input, dtype=None, name=None, layout=None) -> Tensor:  # noqa: A002 - TF's name
    """Ones with the shape of `input`, and its dtype unless `dtype` is given."""
    raw = unwrap(input)
    target = _like_dtype(raw, dtype)
    if target is dtypes.string:
        if dtype is not None:
            raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
        raise op_error(InvalidArgumentError, "Value for attr 'T' of string is not in the list of "
                       f"allowed values: {_ONES_LIKE_ALLOWED}", "OnesLike")
    return wrap(torch.ones_like(raw, dtype=target._torch, memory_format=torch.contiguous_format))


def _like_dtype(raw, dtype):
    if dtype is not None:
        return dtypes.as_dtype(dtype)
    return dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)


def range(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:  # noqa: A001 - TF's name
    """`[start, start + delta, …]` up to (not including) `limit`, as `tf.range`.

    `tf.range(n)` counts from 0. Without `dtype` the result has the widest dtype of the
    arguments (Python ints are int32, floats float32). Unlike Python's `range`, a
    `delta` pointing away from `limit` is an error.

    Example:
        >>> tf.range(1, 10, 3)   # int32 [1, 4, 7]
    """
    if limit is None:
        start, limit = 0, start
    if (dtype is None and type(delta) is int and delta == 1 and type(start) is int
            and type(limit) is int and 0 <= start <= limit <= _INT32_MAX):  # the common case
        return wrap(torch.arange(start, limit, dtype=_INT32, device=_device.current()))
    target = None if dtype is None else dtypes.as_dtype(dtype)
    args = [_range_arg(v, target) for v in (start, limit, delta)]
    if target is None:
        kinds = [kind for _, kind in args]
        if not all(k in _RANGE_ORDER for k in kinds):
            raise AssertionError(f"tf.range arguments must be integers or floats. Received: "
                                 f"{', '.join(k.name for k in kinds)}")
        target = max(kinds, key=_RANGE_ORDER.__getitem__)
    if not (target.is_integer or target.is_floating) or target is dtypes.uint8:
        raise op_error(InvalidArgumentError, f"Value for attr 'Tidx' of {target._legacy} is not in the "
                       f"list of allowed values: {_RANGE_ALLOWED}", "Range")
    s, lim, d = (_range_number(v, target) for v, _ in args)
    _check_range(s, lim, d)
    if s == 0 and d == 1:
        return wrap(torch.arange(lim, dtype=target._torch, device=_device.current()))
    if target.is_integer:
        return wrap(torch.arange(s, lim, d, dtype=target._torch, device=_device.current()))
    # TF computes the size and each `start + i * delta` in the dtype itself.
    size = math.ceil(abs(_rounded((_rounded(lim - s, target)) / d, target)))
    steps = torch.arange(size, dtype=target._torch, device=_device.current())
    return wrap(torch.add(torch.mul(steps, d), s))


def _range_arg(value, target):
    """One argument of tf.range as (Python number or torch tensor, its DType)."""
    kind = type(value)
    if kind is int and target is None:
        return value, dtypes.int32 if _INT32_MIN <= value <= _INT32_MAX else dtypes.int64
    if kind is float and (target is None or target.is_floating):
        return value, dtypes.float32 if target is None else target
    if kind is int and (target.is_integer or target.is_floating):
        return value, target
    raw = value._t if isinstance(value, TensorLike) else to_raw(value, target)
    return raw, dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)


def _range_number(value, target):
    """`value` as a Python number rounded to `target` (TF converts before computing)."""
    if isinstance(value, torch.Tensor):
        return value.to(target._torch).item()
    return _rounded(value, target) if target.is_floating else value


def _rounded(value: float, target) -> float:
    """A Python float rounded to the float dtype `target`."""
    if target is dtypes.float64:
        return value
    if target is dtypes.float32 or target is dtypes.float16:
        return float(target.as_numpy_dtype(value))
    return torch.tensor(value, dtype=target._torch).item()


def _check_range(start, limit, delta) -> None:
    def shown(v):
        return f"{v:g}" if isinstance(v, float) else str(v)

    if delta == 0:
        raise fail(InvalidArgumentError, f"Requires delta != 0: {shown(delta)}", "Range")
    if delta > 0 and start > limit:
        raise fail(InvalidArgumentError, f"Requires start <= limit when delta > 0: "
                   f"{shown(start)}/{shown(limit)}", "Range")
    if delta < 0 and start < limit:
        raise fail(InvalidArgumentError, f"Requires start >= limit when delta < 0: "
                   f"{shown(start)}/{shown(limit)}", "Range")


def linspace(start, stop, num, name=None, axis=0) -> Tensor:
    """`num` evenly spaced values from `start` to `stop`, both included.

    Integer endpoints give float64, as in TF. `start` and `stop` may be tensors (they
    broadcast); the new axis of `num` values is inserted at `axis`.
    """
    a = to_raw(start)
    if isinstance(stop, TensorLike) and stop._t.dtype is not a.dtype:
        raise ValueError(f"stop: Tensor conversion requested dtype {dtypes.from_torch(a.dtype).name} "
                         f"for Tensor with dtype {stop.dtype.name}: {stop!r}")
    b = to_raw(stop, dtypes.from_torch(a.dtype))
    count = _linspace_num(num)
    if count < 0:
        raise fail(InvalidArgumentError, f"Requires start <= limit when delta > 0: 1/{count}", "Range")
    if not (a.is_floating_point() or a.is_complex()):
        a, b = a.double(), b.double()
    a, b = torch.broadcast_tensors(a, b)
    if not -a.ndim - 1 <= axis <= a.ndim:
        raise fail(InvalidArgumentError,
                   f"Tried to expand dim index {axis} for tensor with {a.ndim} dimensions.", "ExpandDims")
    first, last = a.unsqueeze(-1), b.unsqueeze(-1)
    if count < 2:
        out = first[..., :count]
    else:
        # TF's formula: start + i * ((stop - start) / (num - 1)), with both ends exact.
        step = (last - first) / (count - 1)
        middle = first + step * torch.arange(1, count - 1, dtype=a.dtype, device=a.device)
        out = torch.cat([first, middle, last], -1)
    return wrap(out.movedim(-1, axis))


def _linspace_num(num) -> int:
    if type(num) is int:
        return num
    raw = to_raw(num)
    if dtype_of(raw) not in (torch.int32, torch.int64):
        value = box(raw)
        raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received `tensor` = "
                        f"{value.numpy()} of dtype: {value.dtype}")
    return int(raw)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None) -> Tensor:
    """An identity matrix (ones on the diagonal), optionally repeated over `batch_shape`.

    Args:
        num_rows: the number of rows.
        num_columns: the number of columns (default `num_rows`).
        batch_shape: leading dims; the result has shape `batch_shape + [rows, columns]`.
        dtype: the element type (default float32).
    """
    columns = num_rows if num_columns is None else num_columns
    n, m = (_eye_size(v, num_rows, columns) for v in (num_rows, columns))
    target = dtypes.as_dtype(dtype)
    if target is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    batch = [] if batch_shape is None else _dims(batch_shape)
    for d in (n, m):
        if d < 0:
            raise fail(InvalidArgumentError, f"Dimension {d} must be >= 0", "Fill")
    out = torch.eye(n, m, dtype=target._torch, device=_device.current())
    if batch:
        out = out.expand(*batch, n, m).contiguous()
    return wrap(out)


def _eye_size(value, rows, columns) -> int:
    if isinstance(value, (int, np.integer)) and not isinstance(value, builtins.bool):
        return int(value)
    if isinstance(value, TensorLike) and value.dtype.is_integer and value.ndim == 0:
        return int(value)
    raise TypeError(f"Arguments `num_rows` and `num_columns` must be positive integer values. "
                    f"Received: num_rows={rows}, num_columns={columns}")


def identity(input, name=None) -> Tensor:  # noqa: A002 - TF's name
    """A tensor with the same value as `input`; for a Variable, a snapshot of its value.

    The result never shares storage with a Variable, so a later `assign` does not show.
    """
    if type(input) is Tensor:
        return box(input._t)
    if isinstance(input, TensorLike):
        return wrap(input._t.clone())
    return box(to_raw(input))


# -- casting -----------------------------------------------------------------------------

def cast(x, dtype, name=None) -> Tensor:
    """`x` converted to `dtype`, as `tf.cast`.

    Floats become integers by truncation towards zero; complex numbers lose their
    imaginary part (complex to bool tests the real part, as TF does); numbers and
    strings do not convert into each other (`UnimplementedError`). A tensor that already
    has `dtype` is returned as is.
    """
    target = dtypes.as_dtype(dtype)
    if type(x) is Tensor:
        raw = x._t
        if target._torch is dtype_of(raw):
            return x
    else:
        raw = to_raw(x)
    kind = dtype_of(raw)
    if kind is None or target is dtypes.string:
        if kind is None and target is dtypes.string:
            return box(raw)
        source = "string" if kind is None else dtypes.from_torch(kind).name
        raise fail(UnimplementedError, f"Cast {source} to {target._legacy} is not supported", "Cast")
    to = target._torch
    if kind is to:
        return wrap(raw.clone()) if isinstance(x, TensorLike) else wrap(raw)
    if raw.is_complex() and not target.is_complex:
        raw = torch.real(raw)
        if to is torch.bool:
            return wrap(raw != 0)
        return wrap(raw.to(to, copy=True))
    return wrap(raw.to(to))


# -- shape, rank, size -------------------------------------------------------------------

def _shape_of(value) -> tuple:
    if isinstance(value, TensorLike):
        return tuple(value._t.shape)
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return tuple(value.shape)
    return tuple(to_raw(value).shape)


def _out_type(out_type, op_name):
    target = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
    if target is not dtypes.int32 and target is not dtypes.int64:
        raise attr_error(op_name, "out_type", target._torch)
    return target


def shape(input, out_type=None, name=None) -> Tensor:  # noqa: A002 - TF's name
    """The shape of `input` as a 1-D int32 tensor (int64 with `out_type=tf.int64`).

    Unlike the `.shape` attribute (a `TensorShape`), this is a tensor.
    """
    target = _out_type(out_type, "Shape")
    dims = _shape_of(input)
    return wrap(torch.tensor(dims, dtype=target._torch, device=_device.current()))


def shape_n(input, out_type=dtypes.int32, name=None) -> list:  # noqa: A002 - TF's name
    """The shapes of a list of tensors (which must share a dtype), as 1-D tensors."""
    target = _out_type(out_type, "ShapeN")
    raws = same_dtype(input, "ShapeN")
    return [wrap(torch.tensor(tuple(r.shape), dtype=target._torch, device=_device.current()))
            for r in raws]


def rank(input, name=None) -> Tensor:  # noqa: A002 - TF's name
    """The number of dimensions of `input`, as an int32 scalar tensor."""
    return wrap(torch.tensor(len(_shape_of(input)), dtype=_INT32, device=_device.current()))


def size(input, out_type=None, name=None) -> Tensor:  # noqa: A002 - TF's name
    """The number of elements of `input`, as an int32 scalar tensor (or `out_type`)."""
    target = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
    count = int(np.prod(_shape_of(input), dtype=np.int64))
    if target is dtypes.string:
        raise TypeError(f"Cannot convert {count} to EagerTensor of dtype string")
    return wrap(torch.tensor(count, dtype=target._torch, device=_device.current()))
