"""Reductions and scans: `tf.reduce_sum`, `tf.reduce_mean`, `tf.argmax`, `tf.cumsum`, …

Each is one torch call over all the reduced axes at once (they run in training loops).
TF's rules kept here: `axis` is an int, a list or a tensor, negative counts from the
end and `[]` reduces nothing; integer `reduce_mean` truncates (`[1, 2] -> 1`); the
maximum of nothing is the dtype's lowest value; `argmax` gives int64 and skips NaN.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.ops._util import (
    FLOAT,
    NUMBER,
    TIDX_ATTR,
    OpDef,
    dims_text,
    legacy_name,
    reduction_opdef,
    wrapped_error,
)

_ORDERED = ("float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64, "
            "qint8, quint8, qint32, qint16, quint16")


def _scan(name: str, allowed: str) -> OpDef:
    return OpDef(name, allowed, "x:T, axis:Tidx -> out:T",
                 "attr=exclusive:bool,default=false; attr=reverse:bool,default=false; {T}; " + TIDX_ATTR)


def _argreduction_opdef(name: str) -> OpDef:
    return OpDef(name, _ORDERED + ", bool", "input:T, dimension:Tidx -> output:output_type",
                 "{T}; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
                 "attr=output_type:type,default=DT_INT64,allowed=[DT_INT16, DT_UINT16, DT_INT32, DT_INT64]")


_SUM = reduction_opdef("Sum", NUMBER)
_MEAN = reduction_opdef("Mean", NUMBER)
_PROD = reduction_opdef("Prod", NUMBER)
_MAX = reduction_opdef("Max", _ORDERED)
_MIN = reduction_opdef("Min", _ORDERED)
_EUCLIDEAN_NORM = reduction_opdef("EuclideanNorm", NUMBER)
_ADD_N = OpDef("AddN", NUMBER + ", variant", "inputs:N*T -> sum:T",
               "attr=N:int,min=1; {T}; is_commutative=true; is_aggregate=true")
_IS_FINITE = OpDef("IsFinite", FLOAT, "x:T -> y:bool")
_CUMSUM = _scan("Cumsum", NUMBER)
_CUMPROD = _scan("Cumprod", NUMBER)
_CUMULATIVE_LOGSUMEXP = _scan("CumulativeLogsumexp", FLOAT)
_ARGMAX = _argreduction_opdef("ArgMax")
_ARGMIN = _argreduction_opdef("ArgMin")
_ARG_OUTPUT = {torch.int16, torch.int32, torch.int64}
_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def reduction_dims(axis, raw: torch.Tensor, op: OpDef | str):
    """TF's `axis` as a tuple of distinct non-negative axes of `raw`; None means all axes.

    Args:
        axis: None, an int, a list/tuple of ints, or an integer tensor.
        raw: the tensor being reduced.
        op: the op (or its name) that TF's errors name.
    """
    if axis is None:
        return None
    op_name = op if isinstance(op, str) else op.name
    ndim = raw.ndim
    if type(axis) is int:
        if -ndim <= axis < ndim:
            return (axis % ndim,)
        raise _bad_dim(op_name, raw, axis)
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    if isinstance(axis, (list, tuple)) and all(type(a) is int for a in axis):
        values = axis
    else:
        values = unwrap(axis)
        if values.dtype not in (torch.int32, torch.int64):
            if isinstance(op, str):
                raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
            raise op.error("Tidx", legacy_name(values.dtype), "int32, int64")
        values = values.reshape(-1).tolist()
    dims = []
    for a in values:
        if not -ndim <= a < ndim:
            raise _bad_dim(op_name, raw, a)
        if a % ndim in dims:
            raise wrapped_error(InvalidArgumentError, op_name, raw, "Invalid reduction arguments: Axes "
                                f"contains duplicate dimension: {a % ndim}", named=False)
        dims.append(a % ndim)
    return tuple(dims)


def _bad_dim(op_name: str, raw, axis: int) -> InvalidArgumentError:
    return wrapped_error(InvalidArgumentError, op_name, raw,
                         f"Invalid reduction dimension ({axis} for input with {raw.ndim} dimension(s)")


def _all(dims, raw) -> tuple:
    """Reduced axes as a tuple, with None (every axis) spelled out."""
    return tuple(range(raw.ndim)) if dims is None else dims


def _out_shape(raw, dims, keepdims) -> list:
    dims = _all(dims, raw)
    if keepdims:
        return [1 if d in dims else n for d, n in enumerate(raw.shape)]
    return [n for d, n in enumerate(raw.shape) if d not in dims]


def _copy(raw) -> torch.Tensor:
    """The input itself as the result of reducing no axes (a copy: Variables change)."""
    return raw.clone()


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Sum of elements across `axis` (all axes when None); same dtype as the input (ints wrap)."""
    raw = unwrap(input_tensor)
    if type(raw) is not np.ndarray and raw.is_floating_point():
        # Floats keep their dtype in torch.sum; an int axis in range is the common case.
        if axis is None and not keepdims:
            return wrap(torch.sum(raw))
        if type(axis) is int and -raw.ndim <= axis < raw.ndim:
            return wrap(torch.sum(raw, axis, bool(keepdims)))
    _SUM.check(raw)
    if axis is None and not keepdims:
        return wrap(torch.sum(raw, dtype=raw.dtype))
    dims = reduction_dims(axis, raw, _SUM)
    if dims == ():
        return wrap(_copy(raw))
    return wrap(torch.sum(raw, dim=_all(dims, raw), keepdim=bool(keepdims), dtype=raw.dtype))


def add_n(inputs, name=None) -> Tensor:
    """The elementwise sum of a list of tensors with the same dtype and shape.

    Raises:
        ValueError: for an empty list.
        InvalidArgumentError: for tensors of different dtypes or shapes.
    """
    raws = [unwrap(v) for v in inputs]
    if not raws:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the "
                         "same dtype and shape.")
    first = raws[0]
    _ADD_N.check(first)
    for i, raw in enumerate(raws[1:], start=1):
        if raw.dtype is not first.dtype:
            raise op_error(InvalidArgumentError,
                           f"cannot compute AddN as input #{i}(zero-based) was expected to be a "
                           f"{legacy_name(first.dtype)} tensor but is a {legacy_name(raw.dtype)} tensor",
                           "AddN")
        if raw.shape != first.shape:
            raise wrapped_error(InvalidArgumentError, "AddN", first,
                                "Inputs to operation AddN of type AddN must have the same size and shape.  "
                                f"Input 0: {dims_text(first)} != input {i}: {dims_text(raw)}",
                                kernel=f"AddN_N_{len(raws)}")
    if len(raws) == 1:
        return wrap(first.clone())
    total = torch.add(raws[0], raws[1])
    for raw in raws[2:]:
        total.add_(raw)
    return wrap(total)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Mean across `axis`; for integers the truncated integer mean (`[1, 2] -> 1`), as TF."""
    raw = unwrap(input_tensor)
    _MEAN.check(raw)
    integer = raw.dtype in _INTEGERS
    if axis is None and not keepdims and not integer:
        return wrap(torch.mean(raw))
    dims = reduction_dims(axis, raw, _MEAN)
    if dims == ():
        return wrap(_copy(raw))
    dims = _all(dims, raw)
    if integer:
        count = 1
        for d in dims:
            count *= raw.shape[d]
        total = torch.sum(raw, dim=dims, keepdim=bool(keepdims), dtype=torch.int64)
        if count == 0:
            return wrap(torch.zeros_like(total, dtype=raw.dtype))
        return wrap(torch.div(total, count, rounding_mode="trunc").to(raw.dtype))
    return wrap(torch.mean(raw, dim=dims, keepdim=bool(keepdims)))


def reduce_max(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Maximum across `axis` (NaN if any is NaN); `-inf` or the dtype's minimum when empty."""
    raw = unwrap(input_tensor)
    _MAX.check(raw)
    return _extreme(torch.amax, raw, reduction_dims(axis, raw, _MAX), keepdims, lowest=True)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Minimum across `axis` (NaN if any is NaN); `inf` or the dtype's maximum when empty."""
    raw = unwrap(input_tensor)
    _MIN.check(raw)
    return _extreme(torch.amin, raw, reduction_dims(axis, raw, _MIN), keepdims, lowest=False)


def _extreme(fn, raw, dims, keepdims, lowest: bool) -> Tensor:
    if dims == ():
        return wrap(_copy(raw))
    if raw.numel() == 0:
        # TF reduces nothing to the identity of max/min; torch refuses empty reductions.
        if raw.dtype in _FLOATS:
            fill = -torch.inf if lowest else torch.inf
        else:
            info = torch.iinfo(raw.dtype)
            fill = info.min if lowest else info.max
        return wrap(torch.full(_out_shape(raw, dims, keepdims), fill, dtype=raw.dtype, device=raw.device))
    if dims is None and not keepdims:
        return wrap(fn(raw))
    return wrap(fn(raw, dim=_all(dims, raw), keepdim=bool(keepdims)))


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Product of elements across `axis` (1 when empty)."""
    raw = unwrap(input_tensor)
    _PROD.check(raw)
    dims = reduction_dims(axis, raw, _PROD)
    if dims == ():
        return wrap(_copy(raw))
    if dims is None and not keepdims:
        return wrap(torch.prod(raw, dtype=raw.dtype))
    dims = _all(dims, raw)
    if len(dims) == 1:
        return wrap(torch.prod(raw, dim=dims[0], keepdim=bool(keepdims), dtype=raw.dtype))
    # torch.prod takes one axis: move the reduced axes last and flatten them into one.
    kept = [d for d in range(raw.ndim) if d not in dims]
    flat = raw.permute(kept + list(dims)).reshape([raw.shape[d] for d in kept] + [-1])
    return wrap(torch.prod(flat, dim=-1, dtype=raw.dtype).reshape(_out_shape(raw, dims, keepdims)))


def reduce_any(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Logical or across `axis` (bool input only)."""
    raw = unwrap(input_tensor)
    _require_bool(raw, "Any")
    dims = reduction_dims(axis, raw, "Any")
    if dims == ():
        return wrap(_copy(raw))
    return wrap(torch.any(raw, dim=_all(dims, raw), keepdim=bool(keepdims)))


def reduce_all(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Logical and across `axis` (bool input only)."""
    raw = unwrap(input_tensor)
    _require_bool(raw, "All")
    dims = reduction_dims(axis, raw, "All")
    if dims == ():
        return wrap(_copy(raw))
    return wrap(torch.all(raw, dim=_all(dims, raw), keepdim=bool(keepdims)))


def _require_bool(raw, op_name: str) -> None:
    if raw.dtype is not torch.bool:
        raise op_error(InvalidArgumentError, f"cannot compute {op_name} as input #0(zero-based) was "
                       f"expected to be a bool tensor but is a {legacy_name(raw.dtype)} tensor", op_name)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Population variance (divides by N) across `axis`; real dtype for complex input.

    Raises:
        TypeError: for integer input, as TF.
    """
    return _spread(torch.var, input_tensor, axis, keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Population standard deviation (divides by N) across `axis`.

    Raises:
        TypeError: for integer input, as TF.
    """
    return _spread(torch.std, input_tensor, axis, keepdims)


def _spread(fn, input_tensor, axis, keepdims) -> Tensor:
    raw = unwrap(input_tensor)
    _MEAN.check(raw)
    if raw.dtype in _INTEGERS:
        raise TypeError("Input must be either real or complex. Received integer type "
                        f"{dtypes.from_torch(raw.dtype)}.")
    dims = reduction_dims(axis, raw, _MEAN)
    real = raw.real if raw.is_complex() else raw
    if dims == ():
        return wrap(torch.zeros_like(real))
    if raw.numel() == 0:
        # torch warns about zero degrees of freedom; TF's mean of nothing is NaN.
        return wrap(torch.full(_out_shape(raw, dims, keepdims), torch.nan, dtype=real.dtype, device=raw.device))
    return wrap(fn(raw, dim=dims, correction=0, keepdim=bool(keepdims)))


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """`log(sum(exp(x)))` across `axis`, computed stably (float input only)."""
    raw = unwrap(input_tensor)
    _IS_FINITE.check(raw)
    dims = reduction_dims(axis, raw, "Max")
    if dims == ():
        return wrap(_copy(raw))
    if raw.ndim == 0:
        return wrap(_copy(raw).reshape(()))
    return wrap(torch.logsumexp(raw, dim=_all(dims, raw), keepdim=bool(keepdims)))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """`sqrt(sum(|x| ** 2))` across `axis`, in the input's dtype (integers truncate)."""
    raw = unwrap(input_tensor)
    _EUCLIDEAN_NORM.check(raw)
    dims = reduction_dims(axis, raw, _EUCLIDEAN_NORM)
    if dims == ():
        return wrap(torch.abs(raw).to(raw.dtype))
    source = raw.double() if raw.dtype in _INTEGERS else raw
    norm = torch.linalg.vector_norm(source, 2, dim=dims, keepdim=bool(keepdims))
    return wrap(norm.to(raw.dtype))


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None) -> Tensor:  # noqa: A002
    """The number of non-zero (non-empty for strings, True for bools) elements across `axis`.

    Args:
        dtype: the result's dtype (default int64).
    """
    raw = unwrap(input)
    if type(raw) is np.ndarray:
        raw = torch.from_numpy(raw != b"")
    nonzero = raw if raw.dtype is torch.bool else raw != 0
    dims = reduction_dims(axis, nonzero, _SUM)
    counts = nonzero.to(torch.int64) if dims == () else torch.sum(
        nonzero, dim=_all(dims, nonzero), keepdim=bool(keepdims), dtype=torch.int64)
    return wrap(counts.to(dtypes.as_dtype(dtype)._torch))


def argmax(input, axis=None, output_type=dtypes.int64, name=None) -> Tensor:  # noqa: A002
    """Index of the largest value along `axis` (default 0), first one on ties; NaN is skipped.

    Args:
        output_type: int64 (default), int32 or int16.
    """
    return _arg_extreme(_ARGMAX, torch.argmax, input, axis, output_type, -torch.inf)


def argmin(input, axis=None, output_type=dtypes.int64, name=None) -> Tensor:  # noqa: A002
    """Index of the smallest value along `axis` (default 0), first one on ties; NaN is skipped."""
    return _arg_extreme(_ARGMIN, torch.argmin, input, axis, output_type, torch.inf)


def _arg_extreme(op: OpDef, fn, value, axis, output_type, nan_as) -> Tensor:
    raw = unwrap(value)
    op.check(raw)
    out = dtypes.as_dtype(output_type)._torch
    if out not in _ARG_OUTPUT:
        raise op.error("output_type", legacy_name(out), "int16, uint16, int32, int64")
    dim = _scalar_axis(axis, raw, op.name, "dim must be a scalar, but received tensor of shape: ")
    ndim = raw.ndim
    if not -ndim <= dim < ndim:
        raise wrapped_error(InvalidArgumentError, op.name, raw,
                            f"Expected dimension in the range [{-ndim}, {ndim}), but got {dim}")
    if raw.shape[dim] == 0:
        raise wrapped_error(InvalidArgumentError, op.name, raw,
                            f"Reduction axis {dim % ndim} is empty in shape {dims_text(raw)}")
    if raw.dtype in _FLOATS:
        # TF's CPU kernel never picks NaN; as -inf (+inf for argmin) the first other extreme wins.
        raw = torch.nan_to_num(raw, nan=nan_as, posinf=torch.inf, neginf=-torch.inf)
    elif raw.dtype is torch.bool:
        raw = raw.to(torch.uint8)
    result = fn(raw, dim=dim)
    return wrap(result if out is torch.int64 else result.to(out))


def _scalar_axis(axis, raw, op_name: str, not_scalar: str) -> int:
    """The int of a scalar `axis` argument (argmax, cumsum): an int or a 0-d integer tensor."""
    if axis is None:
        return 0
    if type(axis) is int:
        return axis
    arg = op_name.startswith("Arg")
    if arg and isinstance(axis, np.integer):
        raise TypeError(f"axis tensor dtypes {np.dtype(type(axis)).name} is not supported")
    if arg and not isinstance(axis, (TensorLike, torch.Tensor)):
        raise TypeError("axis must be int or Tensor with integer datatype")
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    value = unwrap(axis)
    if value.dtype not in (torch.int32, torch.int64):
        raise TypeError("axis must be int or Tensor with integer datatype")
    if value.ndim:
        # TF appends no ` name: ` when the axis came as a Python list.
        raise wrapped_error(InvalidArgumentError, op_name, raw, f"{not_scalar}{dims_text(value)}",
                            named=not isinstance(axis, (list, tuple)))
    return int(value)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Running sum along `axis`; `exclusive` leaves each element out, `reverse` runs backwards."""
    return _scan_op(_CUMSUM, torch.cumsum, x, axis, exclusive, reverse, 0)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Running product along `axis`; `exclusive` leaves each element out, `reverse` runs backwards."""
    return _scan_op(_CUMPROD, torch.cumprod, x, axis, exclusive, reverse, 1)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Running `log(sum(exp(x)))` along `axis` (float input only)."""
    return _scan_op(_CUMULATIVE_LOGSUMEXP, torch.logcumsumexp, x, axis, exclusive, reverse, -torch.inf)


def _scan_op(op: OpDef, fn, x, axis, exclusive, reverse, identity) -> Tensor:
    raw = unwrap(x)
    op.check(raw)
    dim = _scalar_axis(axis, raw, op.name, "ScanOp: axis must be a scalar, not ")
    ndim = raw.ndim
    if not -ndim <= dim < ndim:
        shown = dim + ndim if dim < 0 else dim
        raise wrapped_error(InvalidArgumentError, op.name, raw,
                            f"ScanOp: Expected scan axis in the range [{-ndim}, {ndim}), but got {shown}")
    if reverse:
        raw = torch.flip(raw, (dim,))
    out = fn(raw, dim) if fn is torch.logcumsumexp else fn(raw, dim, dtype=raw.dtype)
    if exclusive and raw.shape[dim]:
        # Shift by one: the first element becomes the scan's identity.
        first = torch.full_like(out.narrow(dim, 0, 1), identity)
        out = torch.cat([first, out.narrow(dim, 0, raw.shape[dim] - 1)], dim)
    return wrap(torch.flip(out, (dim,)) if reverse else out)
