"""Turning Python values, numpy arrays and torch tensors into tensors, with TF's rules.

TF's inference: Python ints become int32 (int64 when they do not fit), Python floats
float32, bools bool, complex complex128, str/bytes string; numpy arrays keep their
dtype. With an explicit dtype, numpy values are cast, Python values only where no
information is lost (a float cannot become an int, an int cannot become a bool).
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
# Kinds (numpy's dtype.kind) a Python value may be converted to without loss.
_PYTHON_CASTS = {"b": "biufc", "i": "iufc", "u": "iufc", "f": "fc", "c": "c", "O": "O"}


def to_raw(value, dtype=None, *, for_constant=False):
    """The torch tensor (or numpy string storage) for `value`, converted as TF does.

    Args:
        value: a Tensor, Variable, torch tensor, numpy array/scalar or Python value.
        dtype: the wanted DType (or anything `tf.as_dtype` accepts), or None to infer.
        for_constant: use `tf.constant`'s wording for a tensor of another dtype.
    """
    target = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, TensorLike):
        raw = value._t
        if target is not None and target is not value.dtype:
            if for_constant:
                raise TypeError(f"Expected tensor {value.numpy()} with dtype {target!r}, "
                                f"but got dtype {value.dtype!r}.")
            raise ValueError(f"Tensor conversion requested dtype {target.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return raw
    if isinstance(value, torch.Tensor):
        if target is not None and target is not dtypes.from_torch(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {target.name} for Tensor with "
                             f"dtype {dtypes.from_torch(value.dtype).name}")
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if target is None and arr.dtype.kind in "SUO":
            return _strings(arr)
        if target is not None:
            arr = _cast_numpy(arr, target)
        return _from_numpy(arr, target)
    if isinstance(value, (list, tuple)) and _holds_tensors(value):
        return _pack(value, target)
    arr = _infer_python(value)
    if target is not None:
        if target.as_numpy_dtype is not object and arr.dtype.kind not in "SUO":
            if np.dtype(_numpy_of(target)).kind not in _PYTHON_CASTS[arr.dtype.kind]:
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {target.name}")
        elif (target is dtypes.string) != (arr.dtype.kind in "SUO"):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {target.name}")
        arr = _cast_numpy(arr, target)
    if arr.dtype.kind in "SUO":
        return _strings(arr)
    return _from_numpy(arr, target)


def _infer_python(value) -> np.ndarray:
    """numpy array with TF's inferred dtype for a (nested) Python value."""
    try:
        arr = np.asarray(value)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {value!r}") from exc
    kind = arr.dtype.kind
    if kind == "i" or kind == "u":
        if arr.size == 0 or (arr.min() >= _INT32_MIN and arr.max() <= _INT32_MAX):
            return arr.astype(np.int32)
        return arr.astype(np.int64)
    if kind == "f":
        return arr if _holds_float64(value) else arr.astype(np.float32)
    if kind == "c":
        return arr.astype(np.complex128)
    if kind == "O" and arr.size and not all(isinstance(v, (str, bytes)) for v in arr.flat):
        raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                         f"({type(value)}) to a Tensor.")
    return arr


def _holds_float64(value) -> bool:
    """Whether `value` holds numpy float64 scalars, which keep float64 as in TF."""
    if isinstance(value, (list, tuple)):
        return any(_holds_float64(v) for v in value)
    return isinstance(value, np.float64)


def _numpy_of(target):
    return np.float32 if target is dtypes.bfloat16 else target.as_numpy_dtype


def _cast_numpy(arr: np.ndarray, target) -> np.ndarray:
    if target is dtypes.string:
        if arr.dtype.kind not in "SUO":
            raise TypeError(f"Cannot convert {arr!r} to EagerTensor of dtype string")
        return arr
    if arr.dtype.kind in "SUO":
        raise TypeError(f"Cannot convert {arr!r} to EagerTensor of dtype {target.name}")
    with np.errstate(all="ignore"):
        return arr.astype(_numpy_of(target), copy=False)


def _from_numpy(arr: np.ndarray, target) -> torch.Tensor:
    raw = torch.tensor(arr, device=_device.current())
    if target is dtypes.bfloat16:
        raw = raw.to(torch.bfloat16)
    return raw


def _strings(arr: np.ndarray) -> np.ndarray:
    flat = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(arr.shape)


def _holds_tensors(seq) -> bool:
    return any(isinstance(v, TensorLike) or isinstance(v, (list, tuple)) and _holds_tensors(v)
               for v in seq)


def _pack(seq, target):
    """Stacks a list that contains tensors (TF's auto-packing in convert_to_tensor)."""
    parts = [to_raw(v, target) for v in seq]
    first = next(p for p in parts if isinstance(p, torch.Tensor))
    return torch.stack([p.to(first.device, first.dtype) for p in parts])


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """`tf.convert_to_tensor`: a Tensor for `value` (itself if already a Tensor).

    Args:
        value: a Tensor, Variable, numpy array, torch tensor or (nested) Python value.
        dtype: the required dtype; a tensor of another dtype raises `ValueError`.
        dtype_hint: the dtype to use when `value` leaves it open (Python values).
    """
    if type(value) is Tensor and dtype is None:
        return value
    if dtype is None and dtype_hint is not None and not isinstance(value, (TensorLike, torch.Tensor, np.ndarray)):
        try:
            return box(to_raw(value, dtype_hint))
        except (TypeError, ValueError):
            pass
    raw = to_raw(value, dtype)
    if isinstance(value, TensorLike) and type(value) is not Tensor:
        raw = _snapshot(raw)
    return box(raw)


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """`tf.constant`: a Tensor from a Python value, numpy array or tensor.

    Args:
        value: the value; a scalar with `shape` fills that shape.
        dtype: the element type; numpy values are cast, Python values must fit it.
        shape: the result's shape; `value` must have as many elements, or be a scalar.
    """
    raw = to_raw(value, dtype, for_constant=True)
    if isinstance(value, TensorLike) and type(value) is not Tensor:
        raw = _snapshot(raw)
    if shape is not None:
        shape = tuple(int(d) for d in (shape if isinstance(shape, (list, tuple)) else list(shape)))
        count = int(np.prod(shape))
        if raw.ndim == 0 or (raw.ndim == 1 and raw.shape[0] == 1 and count != 1):
            raw = _broadcast(raw, shape)
        elif _numel(raw) == count:
            raw = raw.reshape(shape)
        else:
            shown = box(raw).numpy()
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {shown} "
                            f"(converted from {value!r}) has {_numel(raw)} elements, but got `shape` "
                            f"{shape} with {count} elements).")
    return box(raw)


def _numel(raw) -> int:
    return raw.size if type(raw) is np.ndarray else raw.numel()


def _broadcast(raw, shape):
    if type(raw) is np.ndarray:
        return np.broadcast_to(raw.reshape(()) if raw.ndim else raw, shape).copy()
    return raw.reshape(()).expand(shape).clone()


def _snapshot(raw: torch.Tensor) -> torch.Tensor:
    """A distinct tensor holding a Variable's current value (so later assigns do not show)."""
    return raw.view_as(raw) if raw.requires_grad else raw.clone()


def box(raw) -> Tensor:
    """Wraps torch results and numpy string storage alike."""
    return _wrap_strings(raw) if type(raw) is np.ndarray else wrap(raw)


# -- binary op operands ------------------------------------------------------------------

def operands(x, y, op_name: str, operator: bool = True):
    """The two torch operands of a binary op, checked with TF's dtype rules.

    Tensors must share a dtype (else `InvalidArgumentError` naming the op). A Python
    scalar adopts the tensor's dtype and is passed to torch as a Python number; a float
    next to an integer tensor is refused (`InvalidArgumentError` for operators and
    `tf.add`, `TypeError` for the other functions, as TF does).
    """
    if type(x) is Tensor and type(y) is Tensor:
        a = x._t
        b = y._t
        if a.dtype is b.dtype:
            return a, b
        raise dtype_mismatch(op_name, a.dtype, b.dtype)
    return _operands_slow(x, y, op_name, operator)


def _operands_slow(x, y, op_name, operator):
    if isinstance(x, TensorLike):
        a = x._t
        return a, _like(y, a, op_name, operator, index=1)
    if isinstance(y, TensorLike) or isinstance(y, torch.Tensor):
        b = y._t if isinstance(y, TensorLike) else y
        a = _like(x, b, op_name, operator, index=0)
        if not isinstance(a, torch.Tensor):
            a = torch.tensor(a, dtype=b.dtype, device=b.device)
        return a, b
    if isinstance(x, torch.Tensor):
        return x, _like(y, x, op_name, operator, index=1)
    a = to_raw(x)
    return a, _like(y, a, op_name, operator, index=1)


def _like(value, ref, op_name, operator, index):
    """`value` as an operand next to the torch tensor `ref` (Python scalars stay scalars)."""
    if isinstance(value, TensorLike) or isinstance(value, torch.Tensor):
        raw = value._t if isinstance(value, TensorLike) else value
        if raw.dtype is not ref.dtype:
            first, second = (ref.dtype, raw.dtype) if index == 1 else (raw.dtype, ref.dtype)
            raise dtype_mismatch(op_name, first, second)
        return raw
    kind = type(value)
    if kind is int or kind is bool:
        if ref.dtype is torch.bool and kind is int:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype bool")
        return value
    if kind is float:
        if ref.dtype.is_floating_point or ref.dtype.is_complex:
            return value
        if operator:
            raise dtype_mismatch(op_name, ref.dtype, torch.float32)
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                        f"{dtypes.from_torch(ref.dtype).name}")
    if isinstance(value, numbers.Number) and not isinstance(value, np.generic):
        return value
    target = dtypes.from_torch(ref.dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        raw = _from_numpy(_cast_numpy(np.asarray(value), target), target)
    else:
        raw = to_raw(value, target)
    return raw.to(ref.device)


def dtype_mismatch(op_name: str, expected, got) -> InvalidArgumentError:
    """TF's error for an op whose two inputs have different dtypes."""
    return op_error(
        InvalidArgumentError,
        f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
        f"{dtypes.from_torch(expected)._legacy} tensor but is a {dtypes.from_torch(got)._legacy} tensor",
        op_name)


def unwrap(value, dtype=None):
    """The torch tensor behind `value` (converting non-tensors with TF's rules)."""
    if type(value) is Tensor and dtype is None:
        return value._t
    return to_raw(value, dtype)
