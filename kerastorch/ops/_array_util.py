"""Argument handling shared by the array ops: integer lists, lists of tensors, string storage.

String tensors hold a numpy object array; the data-movement ops run on them through an
index tensor (`on_strings`): the op moves `arange(size)` exactly as it would move the
values, and the strings are then taken at the moved indices.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import SEVERAL_DEVICES, on_one_device, to_raw
from kerastorch.framework.errors import InvalidArgumentError, kernel_error, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, _wrap_strings, wrap
from kerastorch.framework.tensor_shape import TensorShape

INDEX = (torch.int32, torch.int64)


def fail(kind: type, message: str, op_name: str, name: str | None = "", node: str | None = None):
    """TF's error from inside op `op_name`'s kernel (`{{function_node ...}} message [Op:...]`).

    The kernel is taken to run on the current device, where the op's inputs usually are.
    """
    return kernel_error(kind, message, op_name, _device.current(), name, node)


def attr_error(op_name: str, attr: str, dtype, allowed=INDEX) -> InvalidArgumentError:
    """TF's error for an argument whose dtype an op's attribute does not allow."""
    listed = ", ".join(dtypes.from_torch(d)._legacy for d in allowed)
    return op_error(InvalidArgumentError,
                    f"Value for attr '{attr}' of {_legacy(dtype)} is not in the list of allowed values: "
                    f"{listed}", op_name)


def _legacy(dtype) -> str:
    return dtypes.string._legacy if dtype is None else dtypes.from_torch(dtype)._legacy


def dtype_of(raw):
    """The torch dtype of a raw tensor, None for string storage."""
    return None if type(raw) is np.ndarray else raw.dtype


def int_tensor(value, op_name: str, attr: str, allowed=INDEX, python_dtype=None) -> torch.Tensor:
    """An integer argument (Python value, numpy array, tensor) as a torch tensor.

    Args:
        allowed: the torch dtypes the op accepts; others raise TF's attr error.
        python_dtype: convert Python values with this DType (TF's wording on failure).
    """
    if isinstance(value, TensorShape):
        value = value.as_list()
    raw = to_raw(value, None if isinstance(value, (TensorLike, np.ndarray)) else python_dtype)
    if dtype_of(raw) not in allowed:
        raise attr_error(op_name, attr, dtype_of(raw), allowed)
    return raw


def int_list(value, op_name: str, attr: str, python_dtype=None, what=None) -> list:
    """The Python ints of a 1-D integer argument (a shape, a permutation, multiples).

    Args:
        attr: the op attribute named in TF's error for a non-integer dtype.
        what: the argument's name in the error for a value that is not 1-D.
    """
    if type(value) in (list, tuple) and all(type(v) is int for v in value):
        return list(value)
    raw = int_tensor(value, op_name, attr, python_dtype=python_dtype)
    if raw.ndim != 1:
        shown = ",".join(str(d) for d in raw.shape)
        raise fail(InvalidArgumentError, f"{what or attr} must be 1-D, not [{shown}]", op_name)
    return raw.tolist()


def int_scalar(value, op_name: str, attr: str, allowed=INDEX, python_dtype=dtypes.int32,
               what=None) -> int:
    """A Python int from an integer scalar argument (int, numpy integer, 0-d or 1-element tensor).

    Args:
        attr: the op attribute named in TF's error for a non-integer dtype.
        what: the argument's name in the error for more than one value.
    """
    if type(value) is int:
        return value
    raw = int_tensor(value, op_name, attr, allowed, python_dtype)
    if raw.numel() != 1:
        raise fail(InvalidArgumentError, f"'{what or attr}' must be a tensor with a single value", op_name)
    return int(raw.reshape(()))


def shape_str(shape) -> str:
    """A shape as TF's kernels print it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def position(flat: int, shape) -> str:
    """The multi-index of flat position `flat` in `shape`, as TF prints it: `0,1`."""
    return ",".join(str(int(i)) for i in np.unravel_index(flat, tuple(shape))) if len(shape) else ""


def owned(source, raw: torch.Tensor) -> Tensor:
    """Wraps `raw`, copying it when `source` is a Variable whose storage it may view.

    A Variable changes in place; a tensor computed from it must keep the value it had.
    """
    if type(source) is Tensor or not isinstance(source, TensorLike):
        return wrap(raw)
    return wrap(raw.clone())


def on_strings(arr: np.ndarray, fn, *args):
    """Runs the torch data-movement `fn(raw, *args)` on string storage `arr`.

    `fn` returns a tensor or a list of tensors; each becomes a string tensor.
    """
    index = torch.arange(arr.size).reshape(arr.shape)
    moved = fn(index, *args)
    flat = arr.reshape(-1)
    if isinstance(moved, (list, tuple)):
        return [_wrap_strings(flat[m.numpy()]) for m in moved]
    return _wrap_strings(flat[moved.numpy()])


def same_dtype(values, op_name: str, name: str = "", first_input: int = 0) -> list:
    """The raw tensors of a list of op inputs that must share one dtype, as TF converts them.

    The dtype is the first tensor's; Python and numpy values are converted to it (a
    Python value that does not fit raises TypeError); without tensors the first value's
    inferred dtype is used. A tensor of another dtype raises InvalidArgumentError.
    """
    if values and type(values[0]) is Tensor:  # the common case: tensors of one dtype
        kind, raws = values[0]._t.dtype, []
        for v in values:
            if type(v) is not Tensor or v._t.dtype is not kind:
                break
            raws.append(v._t)
        else:
            return _one_device(raws)
    first = next((v for v in values if isinstance(v, TensorLike)), None)
    target = None if first is None else first.dtype
    raws = []
    for i, value in enumerate(values):
        if isinstance(value, TensorLike):
            if value.dtype is not target:
                raise op_error(InvalidArgumentError,
                               f"cannot compute {op_name} as input #{i + first_input}(zero-based) was "
                               f"expected to be a {target._legacy} tensor but is a {value.dtype._legacy} "
                               f"tensor", op_name, name)
            raws.append(value._t)
            continue
        raw = to_raw(value, target)
        if target is None:
            target = dtypes.string if type(raw) is np.ndarray else dtypes.from_torch(raw.dtype)
        raws.append(raw)
    return _one_device(raws)


def _one_device(raws: list) -> list:
    if SEVERAL_DEVICES and len({r.device for r in raws if isinstance(r, torch.Tensor)}) > 1:
        return on_one_device(raws)
    return raws


def strings_together(raws):
    """One flat object array holding several string storages, and each one's index tensor."""
    flat = np.concatenate([r.reshape(-1) for r in raws]) if raws else np.empty(0, dtype=object)
    indices, start = [], 0
    for r in raws:
        indices.append(torch.arange(start, start + r.size).reshape(r.shape))
        start += r.size
    return flat, indices
