"""Turning Python values, numpy arrays and torch tensors into tensors, with TF's rules.

TF's inference (see `pyvalues.py`): Python ints become int32 (int64 when they do not
fit), Python floats float32, bools bool, complex complex128, str/bytes string; numpy
arrays keep their dtype. With an explicit dtype, numpy values are cast, Python values
only where no information is lost (a float cannot become an int, an int not a bool).
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, UnimplementedError, kernel_error, op_error
from kerastorch.framework.pyvalues import (
    from_numpy,
    holds_tensors,
    infer_python,
    numpy_to,
    python_to,
)
from kerastorch.framework.recording import state as _recording
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.framework.tensor_shape import TensorShape

_new = object.__new__

# Ops whose Python operand TF converts with the tensor's dtype only as a hint: when that
# fails, the operand keeps its own dtype and the op reports the mismatch.
_HINTED = frozenset({"AddV2", "MatMul", "BatchMatMulV2", "RealDiv"})
_INEXACT = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64,
                      torch.complex128})
_INT_RANGE = {torch.int8: (-(2**7), 2**7 - 1), torch.int16: (-(2**15), 2**15 - 1),
              torch.int32: (-(2**31), 2**31 - 1), torch.int64: (-(2**63), 2**63 - 1),
              torch.uint8: (0, 255)}


def to_raw(value, dtype=None, *, for_constant=False):
    """The torch tensor (or numpy string storage) for `value`, converted as TF does.

    Args:
        value: a Tensor, Variable, torch tensor, numpy array/scalar or Python value.
        dtype: the wanted DType (or anything `tf.as_dtype` accepts), or None to infer.
        for_constant: apply `tf.constant`'s rules: its wording for a tensor of another dtype,
            and no packing of lists that hold tensors.
    """
    target = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, TensorLike):
        if target is not None and target is not value.dtype:
            if for_constant:
                raise TypeError(f"Expected tensor {value.numpy()} with dtype {target!r}, "
                                f"but got dtype {value.dtype!r}.")
            raise ValueError(f"Tensor conversion requested dtype {target.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return value._t
    if isinstance(value, torch.Tensor):
        if target is not None and target is not dtypes.from_torch(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {target.name} for Tensor with "
                             f"dtype {dtypes.from_torch(value.dtype).name}")
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        arr = from_numpy(value) if target is None else numpy_to(value, target)
    elif isinstance(value, (list, tuple)) and holds_tensors(value):
        if for_constant:
            # TF's tf.constant refuses these (only convert_to_tensor packs them); say what works.
            raise ValueError("tf.constant() cannot build a tensor from a list that holds tensors; "
                             "use tf.stack() or tf.convert_to_tensor() instead.")
        return _pack(value, target)
    else:
        arr = infer_python(value) if target is None else python_to(value, target)
    return _place(arr, target, shared=isinstance(value, np.ndarray))


def _place(arr: np.ndarray, target, shared: bool = True):
    """The torch tensor on the current device for a converted array (strings stay numpy).

    Args:
        shared: whether `arr` may be the caller's own array (then it is copied, so that
            changing it later cannot change the tensor); arrays built here are not.
    """
    if arr.dtype.kind == "O":
        return arr
    if not arr.flags.c_contiguous and any(step < 0 for step in arr.strides):
        arr = arr.copy()  # torch cannot read negative strides
        shared = False
    raw = torch.from_numpy(arr) if arr.flags.writeable else torch.from_numpy(arr.copy())
    device = _device.current()
    if device.type != "cpu":
        raw = raw.to(device)
    elif shared:
        raw = raw.clone()
    if target is dtypes.bfloat16:
        raw = raw.to(torch.bfloat16)
    return raw


def _pack(seq, target):
    """Stacks a list holding tensors (TF's auto-packing, the `Pack` op).

    Without a dtype, the first tensor's dtype is used and other tensors must share it;
    with one, every element is converted (tensors cast) to it.
    """
    cast = target is not None
    if not cast:
        target = _first_tensor(seq).dtype
    parts = []
    for i, v in enumerate(seq):
        if isinstance(v, TensorLike):
            raw = v._t
            if v.dtype is not target:
                if not cast:
                    raise op_error(InvalidArgumentError,
                                   f"cannot compute Pack as input #{i}(zero-based) was expected to be "
                                   f"a {target._legacy} tensor but is a {v.dtype._legacy} tensor",
                                   "Pack", "packed")
                if target is dtypes.string or v.dtype is dtypes.string:
                    raise _cast_refused(v.dtype, target)
                raw = raw.to(target._torch)
        elif isinstance(v, (list, tuple)) and holds_tensors(v):
            raw = _pack(v, target)
        else:
            raw = to_raw(v, target)
        parts.append(raw)
    for i, part in enumerate(parts[1:], 1):
        if tuple(part.shape) != tuple(parts[0].shape):
            raise kernel_error(InvalidArgumentError,
                               f"Shapes of all inputs must match: values[0].shape = {_dims(parts[0])} "
                               f"!= values[{i}].shape = {_dims(part)}", "Pack",
                               node=f"Pack_N_{len(parts)}")
    if target is dtypes.string:
        return np.stack(parts)
    first = parts[0].device
    return torch.stack([p.to(first) for p in parts])


def _cast_refused(source, target) -> Exception:
    return op_error(UnimplementedError, f"Cast {source.name} to {target.name} is not supported", "Cast")


def _first_tensor(seq):
    for v in seq:
        if isinstance(v, TensorLike):
            return v
        if isinstance(v, (list, tuple)) and holds_tensors(v):
            return _first_tensor(v)
    raise AssertionError("holds_tensors() promised a tensor")


def _dims(raw) -> str:
    return "[" + ",".join(str(d) for d in raw.shape) + "]"


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """`tf.convert_to_tensor`: a Tensor for `value` (itself if already a Tensor).

    Args:
        value: a Tensor, Variable, numpy array, torch tensor or (nested) Python value.
        dtype: the required dtype; a tensor of another dtype raises `ValueError`.
        dtype_hint: the dtype to use when `value` allows it (Python values and numpy
            arrays); when the conversion to it fails the value's own dtype is used.
        name: accepted for TF compatibility (eager tensors have no name).
    """
    if type(value) is Tensor and (dtype is None or dtypes.as_dtype(dtype) is value.dtype):
        return value
    if dtype_hint is not None:
        hint = dtypes.as_dtype(dtype_hint)
        if dtype is None and not isinstance(value, (TensorLike, torch.Tensor)):
            try:
                return box(to_raw(value, hint))
            except (TypeError, ValueError):
                pass
    return box(_own(to_raw(value, dtype), value))


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """`tf.constant`: a Tensor from a Python value, numpy array or tensor.

    Args:
        value: the value; a single element with `shape` fills that shape.
        dtype: the element type; numpy values are cast, Python values must fit it.
        shape: the result's shape; `value` must have as many elements, or one.
        name: accepted for TF compatibility (eager tensors have no name).
    """
    if type(value) is Tensor and shape is None and (dtype is None or dtypes.as_dtype(dtype) is value.dtype):
        return value
    raw = _own(to_raw(value, dtype, for_constant=True), value)
    if shape is not None:
        raw = _reshape(raw, _shape_of(shape), value)
    return box(raw)


def _shape_of(shape) -> tuple:
    dims = TensorShape(shape)
    if dims.rank is None or None in dims:
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    return tuple(dims)


def _reshape(raw, shape: tuple, value):
    """`tf.constant`'s `shape=`: a single element fills `shape`, else the count must match."""
    count = int(np.prod(shape))
    have = raw.size if type(raw) is np.ndarray else raw.numel()
    if have == count:
        return raw.reshape(shape)
    if have == 1:
        if type(raw) is np.ndarray:
            return np.broadcast_to(raw.reshape(()), shape).copy()
        return raw.reshape(()).expand(shape).clone()
    raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {box(raw).numpy()} "
                    f"(converted from {value!r}) has {have} elements, but got `shape` {shape} with "
                    f"{count} elements).")


def _own(raw, value):
    """`raw`, or a copy of it when `value` may change later (a Variable, a torch tensor).

    A Variable's value stays on the tape's path (a view); a torch tensor's is detached.
    """
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if not isinstance(value, TensorLike) or type(value) is Tensor:
        return raw
    if type(raw) is np.ndarray:
        return raw.copy()
    return raw.view_as(raw) if raw.requires_grad else raw.clone()


def box(raw) -> Tensor:
    """Wraps torch results and numpy string storage alike."""
    return _wrap_strings(raw) if type(raw) is np.ndarray else wrap(raw)


def unwrap(value, dtype=None):
    """The torch tensor behind `value` (converting non-tensors with TF's rules)."""
    if type(value) is Tensor and dtype is None:
        return value._t
    return to_raw(value, dtype)


# -- binary op operands ------------------------------------------------------------------

def operands(x, y, op_name: str):
    """The two torch operands of a binary op, checked with TF's dtype rules.

    Tensors must share a dtype (else `InvalidArgumentError` naming the op; `TypeError`
    for `RealDiv`, as TF's truediv raises). A Python scalar is converted to the tensor's
    dtype and passed to torch as a Python number; when it cannot be (a float next to an
    int tensor) TF's `TypeError` is raised, except for `AddV2`, `MatMul` and `RealDiv`,
    where TF converts the value on its own and reports the dtype mismatch.

    Args:
        x, y: the op's inputs (tensors, Variables, numpy or Python values).
        op_name: TF's op name, shown in errors (`"AddV2"`).
    """
    if type(x) is Tensor and type(y) is Tensor:
        a = x._t
        b = y._t
        if a.dtype is b.dtype:
            if SEVERAL_DEVICES and type(a) is not np.ndarray and a.device != b.device:
                return tuple(on_one_device((a, b)))
            return a, b
        raise _mismatch(op_name, a.dtype, b.dtype)
    return _operands_slow(x, y, op_name)


# Only a machine with a CUDA device can hold tensors on two devices; elsewhere the check
# is skipped (it would cost on every op for nothing).
SEVERAL_DEVICES = torch.cuda.is_available()


def on_one_device(raws) -> list:
    """Op inputs on several devices, copied where the op runs: TF copies them, torch refuses.

    The op runs on the device of the enclosing `tf.device` scope, else on the default
    device (the first visible GPU), as TF's placement does. String storage stays as is.
    """
    target = _device.current()
    return [raw.to(target) if isinstance(raw, torch.Tensor) else raw for raw in raws]


def fast_binary(torch_fn, checked, name: str, floats_only: bool = False):
    """The hot path of a binary op: two Tensors of one numeric dtype go straight to torch.

    Anything else — Python values, Variables, bool or string tensors, shapes that do not
    broadcast — is handed to `checked(x, y)`, the op's full implementation with TF's
    rules and errors. The wrapping is `wrap`'s, inlined: this path is the per-op cost.

    Args:
        torch_fn: the torch function, e.g. `torch.add`.
        checked: the op with every check, called for all other inputs.
        name: the resulting function's `__name__` (e.g. "add", "__add__").
        floats_only: take the hot path only for floating tensors (e.g. `/`, which casts
            integers first).
    """

    def op(x, y, name=None):
        if type(x) is Tensor and type(y) is Tensor:
            a = x._t
            b = y._t
            if a.dtype is b.dtype and a.dtype is not torch.bool and (
                    not floats_only or a.is_floating_point()):
                try:
                    raw = torch_fn(a, b)
                except (RuntimeError, TypeError):
                    return checked(x, y)
                if raw.requires_grad and not _recording.tapes:
                    raw = raw.detach()
                t = _new(Tensor)
                t._t = raw
                return t
        return checked(x, y)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = checked.__doc__
    return op


def _operands_slow(x, y, op_name):
    if isinstance(x, TensorLike):
        a = x._t
        if type(y) is float and a.dtype in _INEXACT:
            return a, y
        return a, _like(y, a, op_name, second=True)
    if isinstance(x, torch.Tensor):
        return x, _like(y, x, op_name, second=True)
    if isinstance(y, (TensorLike, torch.Tensor)):
        b = y._t if isinstance(y, TensorLike) else y
        a = _like(x, b, op_name, second=False)
        if not isinstance(a, (torch.Tensor, np.ndarray)):
            a = torch.tensor(a, dtype=b.dtype, device=b.device)
        return a, b
    a = to_raw(x)
    return a, _like(y, a, op_name, second=True)


def _like(value, ref, op_name, second):
    """`value` as the operand next to `ref` (a Python scalar stays a Python number)."""
    if isinstance(value, (TensorLike, torch.Tensor)):
        raw = value._t if isinstance(value, TensorLike) else value
        if raw.dtype is not ref.dtype:
            raise _mismatch(op_name, *((ref.dtype, raw.dtype) if second else (raw.dtype, ref.dtype)))
        return raw
    kind = type(value)
    if type(ref) is not np.ndarray:
        fits = _scalar_fits(value, kind, ref.dtype)
        if fits is not None:
            return fits
    target = _dtype_of(ref)
    if isinstance(value, (np.ndarray, np.generic)):
        raw = _place(numpy_to(value, target), target)
    else:
        try:
            raw = to_raw(value, target)
        except (TypeError, ValueError):
            if second and op_name in _HINTED:
                raise _mismatch(op_name, ref.dtype, to_raw(value).dtype) from None
            raise
    return raw if type(raw) is np.ndarray else raw.to(ref.device)


def _scalar_fits(value, kind, dtype):
    """A Python scalar as an operand of `dtype` (ints wrap into its range, as in TF).

    None when `value` is no scalar or `dtype` cannot hold it (a float next to ints); the
    caller then converts it with TF's rules, which raise TF's error.
    """
    if kind is float or kind is complex:
        if dtype.is_floating_point and kind is float or dtype.is_complex:
            return value
        return None
    if kind is bool:
        if dtype is torch.bool:
            return value
        return int(value)
    if kind is not int or dtype is torch.bool:
        return None
    bounds = _INT_RANGE.get(dtype)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        if not -(2**63) <= value < 2**63:
            raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
        return int(np.array(value).astype(dtypes.from_torch(dtype).as_numpy_dtype))
    return value


def _dtype_of(raw):
    return dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)


def _mismatch(op_name, expected, got):
    if op_name == "RealDiv":
        return TypeError(f"`x` and `y` must have the same dtype, got {_as_dtype(expected)!r} != "
                         f"{_as_dtype(got)!r}.")
    return dtype_mismatch(op_name, expected, got)


def _as_dtype(dtype) -> dtypes.DType:
    """The DType of a torch dtype, a DType, or numpy's object dtype (string storage)."""
    if isinstance(dtype, dtypes.DType):
        return dtype
    return dtypes.from_torch(dtype) if isinstance(dtype, torch.dtype) else dtypes.string


def dtype_mismatch(op_name: str, expected, got) -> InvalidArgumentError:
    """TF's error for an op whose two inputs have different dtypes.

    Args:
        op_name: TF's op name (`"AddV2"`).
        expected, got: the dtypes (torch dtypes, DTypes, or numpy's object dtype).
    """
    return op_error(
        InvalidArgumentError,
        f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
        f"{_as_dtype(expected)._legacy} tensor but is a {_as_dtype(got)._legacy} tensor",
        op_name)

