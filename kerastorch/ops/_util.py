"""Helpers shared by the op modules: dtype checks (`OpDef`) and TF's error wording."""

from __future__ import annotations

import torch

from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, NotFoundError, kernel_error, op_error

FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)

_BY_LEGACY = {d._legacy: d._torch for d in dtypes.ALL if d._torch is not None}


class OpDef:
    """The dtypes one TF op accepts, and TF's full error for any other.

    Args:
        name: the op's name (`"Sum"`), as TF shows it in `[Op:Sum]`.
        allowed: TF's list of allowed `T` types in TF's order and spelling
            (`"float, double, int32"`); names torch lacks (qint8, uint16, …) are shown only.
        signature: TF's op signature text (`"x:T -> y:T"`).
        attrs: the attribute part of TF's `Op<...>` text, `{T}` marking the `T` attribute.
    """

    __slots__ = ("name", "allowed", "types", "signature", "attrs")

    def __init__(self, name: str, allowed: str, signature: str = "x:T -> y:T", attrs: str = "{T}"):
        self.name = name
        self.allowed = allowed
        self.types = frozenset(_BY_LEGACY[n] for n in allowed.split(", ") if n in _BY_LEGACY)
        self.signature = signature
        self.attrs = attrs

    def check(self, raw) -> None:
        """Raises TF's `InvalidArgumentError` when `raw`'s dtype is not allowed."""
        if raw.dtype not in self.types:
            raise self.error("T", legacy_name(raw.dtype), self.allowed)

    def error(self, attr: str, got: str, allowed: str) -> InvalidArgumentError:
        """TF's error for attribute `attr` of type `got` outside `allowed`."""
        listed = ", ".join("DT_" + n.upper() for n in self.allowed.split(", "))
        attrs = self.attrs.replace("{T}", f"attr=T:type,allowed=[{listed}]")
        return op_error(
            InvalidArgumentError,
            f"Value for attr '{attr}' of {got} is not in the list of allowed values: {allowed}\n\t; "
            f"NodeDef: {{{{node {self.name}}}}}; Op<name={self.name}; signature={self.signature}; "
            f"{attrs}>",
            self.name)


def legacy_name(dtype) -> str:
    """TF's proto spelling of a torch dtype ("float", "double"); numpy strings are "string"."""
    found = dtypes._BY_TORCH.get(dtype)
    return "string" if found is None else found._legacy


def wrapped_error(kind: type, op_name: str, raw, message: str, named: bool = True, kernel: str = ""):
    """`errors.kernel_error` for a kernel that ran on `raw`'s device.

    Args:
        named: whether TF appends ` name: ` after `[Op:...]` (it does not for some checks).
        kernel: the wrapped function's name where TF's differs from the op's (`AddN_N_2`).
    """
    device = raw.device if isinstance(raw, torch.Tensor) else None
    return kernel_error(kind, message, op_name, device, "" if named else None, kernel or None)


def no_kernel(op_name: str, raw) -> NotFoundError:
    """TF's error for a type its op accepts but has no CPU kernel for (`tf.realdiv` of ints)."""
    dtype = dtypes.from_torch(raw.dtype).name.upper()
    return op_error(NotFoundError, f"Could not find device for node: {{{{node {op_name}}}}} = "
                    f"{op_name}[T=DT_{dtype}]", op_name)


def dims_text(raw) -> str:
    """A shape as TF writes it in kernel messages: `[2,3]`."""
    return "[" + ",".join(str(d) for d in raw.shape) + "]"


def broadcasting(fn, a: torch.Tensor, b, op_name: str) -> torch.Tensor:
    """`fn(a, b)`, with TF's error when the shapes do not broadcast (other errors stay)."""
    try:
        return fn(a, b)
    except RuntimeError:
        if not isinstance(b, torch.Tensor) or _broadcastable(a.shape, b.shape):
            raise
        raise wrapped_error(InvalidArgumentError, op_name, a,
                            f"Incompatible shapes: {dims_text(a)} vs. {dims_text(b)}") from None


def _broadcastable(s, t) -> bool:
    return all(x == y or x == 1 or y == 1 for x, y in zip(reversed(s), reversed(t)))


def scalar_tensor(b, like: torch.Tensor) -> torch.Tensor:
    """A Python scalar operand as a 0-d tensor of `like`'s dtype and device."""
    return b if isinstance(b, torch.Tensor) else torch.tensor(b, dtype=like.dtype, device=like.device)


# TF's type lists, in TF's order (they appear in its error messages).
FLOAT = "bfloat16, half, float, double"
FLOAT_COMPLEX = "bfloat16, half, float, double, complex64, complex128"
SIGNED = "bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128"
REAL = "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64"
NUMBER = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
          "bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")


def norm_axis(axis, rank: int):
    """A tuple of non-negative axes from TF's `axis` (int, list or tensor); None stays None."""
    if axis is None:
        return None
    if hasattr(axis, "numpy"):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(_one_axis(int(a), rank) for a in axis)
    return (_one_axis(int(axis), rank),)


def _one_axis(a: int, rank: int) -> int:
    if not -max(rank, 1) <= a < max(rank, 1):
        raise op_error(InvalidArgumentError,
                       f"Invalid reduction dimension ({a} for input with {rank} dimension(s)",
                       "Reduce")
    return a % max(rank, 1)


TIDX_ATTR = "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"


def reduction_opdef(name: str, allowed: str = NUMBER) -> OpDef:
    """The OpDef of a TF reduction (`Sum`, `Mean`, …): input, axes and `keep_dims`."""
    return OpDef(name, allowed, "input:T, reduction_indices:Tidx -> output:T",
                 "attr=keep_dims:bool,default=false; {T}; " + TIDX_ATTR)
