"""Elementwise arithmetic and comparison ops (`tf.add`, `tf.math.floordiv`, `tf.equal`, …).

Each op is one funnel pass: `operands`/`unwrap` -> one torch call -> `wrap`.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import box, dtype_mismatch, operands, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.ops._util import require

_NUMERIC = (torch.bfloat16, torch.float16, torch.float32, torch.float64, torch.uint8, torch.int8,
            torch.int16, torch.int32, torch.int64, torch.complex64, torch.complex128)
_SIGNED = tuple(d for d in _NUMERIC if d is not torch.uint8)
_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
# TF's truediv casts integers to the float type that holds them exactly.
_TRUEDIV_FLOAT = {torch.int8: torch.float32, torch.int16: torch.float32, torch.uint8: torch.float32,
                  torch.int32: torch.float64, torch.int64: torch.float64}


def add(x, y, name=None) -> Tensor:
    """`x + y` elementwise, with broadcasting."""
    a, b = operands(x, y, "AddV2")
    if a.dtype is torch.bool:
        require(a, _NUMERIC, "AddV2")
    return wrap(torch.add(a, b))


def subtract(x, y, name=None) -> Tensor:
    """`x - y` elementwise, with broadcasting."""
    a, b = operands(x, y, "Sub")
    if a.dtype is torch.bool:
        require(a, _NUMERIC, "Sub")
    return wrap(torch.sub(a, b))


def multiply(x, y, name=None) -> Tensor:
    """`x * y` elementwise, with broadcasting."""
    a, b = operands(x, y, "Mul", operator=False)
    return wrap(torch.mul(a, b))


def _multiply_operator(x, y) -> Tensor:
    a, b = operands(x, y, "Mul")
    return wrap(torch.mul(a, b))


def truediv(x, y, name=None) -> Tensor:
    """`x / y`; integers are first cast to float64 (int32/int64) or float32, as TF does."""
    a, b = operands(x, y, "RealDiv")
    to = _TRUEDIV_FLOAT.get(a.dtype)
    if to is not None:
        a = a.to(to)
        if isinstance(b, torch.Tensor):
            b = b.to(to)
    return wrap(torch.div(a, b))


divide = truediv


def floordiv(x, y, name=None) -> Tensor:
    """`x // y`: division rounded towards negative infinity."""
    a, b = operands(x, y, "FloorDiv")
    if a.dtype in _INTEGERS:
        _check_nonzero(b, "FloorDiv")
        return wrap(torch.div(a, b, rounding_mode="floor"))
    return wrap(torch.floor(torch.div(a, b)))


def floormod(x, y, name=None) -> Tensor:
    """`x % y` with the sign of `y` (Python's modulo)."""
    a, b = operands(x, y, "FloorMod")
    if a.dtype in _INTEGERS:
        _check_nonzero(b, "FloorMod")
    return wrap(torch.remainder(a, b))


def truncatediv(x, y, name=None) -> Tensor:
    """Division rounded towards zero (C semantics)."""
    a, b = operands(x, y, "TruncateDiv", operator=False)
    if a.dtype in _INTEGERS:
        _check_nonzero(b, "TruncateDiv")
        return wrap(torch.div(a, b, rounding_mode="trunc"))
    return wrap(torch.trunc(torch.div(a, b)))


def truncatemod(x, y, name=None) -> Tensor:
    """Remainder with the sign of `x` (C's fmod)."""
    a, b = operands(x, y, "TruncateMod", operator=False)
    return wrap(torch.fmod(a, b))


def divide_no_nan(x, y, name=None) -> Tensor:
    """`x / y`, but 0 wherever `y` is 0."""
    a, b = operands(x, y, "DivNoNan", operator=False)
    b = b if isinstance(b, torch.Tensor) else torch.tensor(b, dtype=a.dtype, device=a.device)
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return wrap(torch.where(b == 0, torch.zeros((), dtype=a.dtype, device=a.device), a / safe))


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """`x ** y` elementwise; integers to negative powers are refused, as in TF."""
    a, b = operands(x, y, "Pow")
    if a.dtype in _INTEGERS and _any_negative(b):
        raise op_error(InvalidArgumentError, "Integers to negative integer powers are not allowed",
                       "Pow")
    return wrap(torch.pow(a, b))


def negative(x, name=None) -> Tensor:
    raw = unwrap(x)
    require(raw, _SIGNED, "Neg")
    return wrap(torch.neg(raw))


def abs(x, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """|x|; for complex input the (real) magnitude."""
    raw = unwrap(x)
    require(raw, _SIGNED, "Abs")
    return wrap(torch.abs(raw))


def _compare(fn, op_name):
    def compare(x, y, name=None) -> Tensor:
        a, b = operands(x, y, op_name, operator=False)
        return wrap(fn(a, b))

    compare.__name__ = fn.__name__
    return compare


less = _compare(torch.lt, "Less")
less_equal = _compare(torch.le, "LessEqual")
greater = _compare(torch.gt, "Greater")
greater_equal = _compare(torch.ge, "GreaterEqual")
less.__doc__ = "`x < y` elementwise (bool)."
less_equal.__doc__ = "`x <= y` elementwise (bool)."
greater.__doc__ = "`x > y` elementwise (bool)."
greater_equal.__doc__ = "`x >= y` elementwise (bool)."


def equal(x, y, name=None) -> Tensor:
    """`x == y` elementwise (bool); strings compare bytewise."""
    return _equality(x, y, "Equal", negate=False)


def not_equal(x, y, name=None) -> Tensor:
    """`x != y` elementwise (bool)."""
    return _equality(x, y, "NotEqual", negate=True)


def _equality(x, y, op_name, negate, strict_shapes=True):
    if _is_string(x) or _is_string(y):
        result = np.equal(to_raw(x), to_raw(y))
        return box(torch.from_numpy(np.logical_not(result) if negate else result))
    a, b = operands(x, y, op_name, operator=False)
    if not strict_shapes and isinstance(b, torch.Tensor):
        try:
            torch.broadcast_shapes(a.shape, b.shape)
        except RuntimeError:
            return wrap(torch.tensor(negate, device=a.device))
    return wrap(torch.ne(a, b) if negate else torch.eq(a, b))


def _is_string(value) -> bool:
    raw = getattr(value, "_t", None)
    return type(raw) is np.ndarray or isinstance(value, (str, bytes))


def logical_and(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "LogicalAnd", operator=False)
    _require_bool(a, "LogicalAnd")
    return wrap(torch.logical_and(a, b))


def logical_or(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "LogicalOr", operator=False)
    _require_bool(a, "LogicalOr")
    return wrap(torch.logical_or(a, b))


def logical_xor(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "LogicalXor", operator=False)
    _require_bool(a, "LogicalXor")
    return wrap(torch.logical_xor(a, b))


def logical_not(x, name=None) -> Tensor:
    raw = unwrap(x)
    _require_bool(raw, "LogicalNot")
    return wrap(torch.logical_not(raw))


def _require_bool(raw, op_name):
    if raw.dtype is not torch.bool:
        raise dtype_mismatch(op_name, torch.bool, raw.dtype)


def bitwise_and(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseAnd", operator=False)
    require(a, _INTEGERS, "BitwiseAnd")
    return wrap(torch.bitwise_and(a, b))


def bitwise_or(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseOr", operator=False)
    require(a, _INTEGERS, "BitwiseOr")
    return wrap(torch.bitwise_or(a, b))


def bitwise_xor(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseXor", operator=False)
    require(a, _INTEGERS, "BitwiseXor")
    return wrap(torch.bitwise_xor(a, b))


def invert(x, name=None) -> Tensor:
    raw = unwrap(x)
    require(raw, _INTEGERS, "Invert")
    return wrap(torch.bitwise_not(raw))


def _check_nonzero(b, op_name: str) -> None:
    zero = (b == 0) if not isinstance(b, torch.Tensor) else bool((b == 0).any())
    if zero:
        raise op_error(InvalidArgumentError, "Integer division by zero", op_name)


def _any_negative(b) -> bool:
    return bool((b < 0).any()) if isinstance(b, torch.Tensor) else b < 0


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None) -> Tensor:
    """Matrix product of the last two axes, batched (with broadcasting) over the others.

    Args:
        a, b: tensors of rank >= 2 with the same dtype.
        transpose_a, transpose_b: transpose the last two axes first.
        adjoint_a, adjoint_b: conjugate-transpose the last two axes first.
    """
    x, y = operands(a, b, "MatMul", operator=False)
    if not isinstance(y, torch.Tensor):
        y = torch.tensor(y, dtype=x.dtype, device=x.device)
    op_name = "MatMul" if x.ndim == 2 and y.ndim == 2 else "BatchMatMulV2"
    if x.ndim < 2 or y.ndim < 2:
        raise op_error(InvalidArgumentError,
                       f"In[0] and In[1] ndims must be == 2: {min(x.ndim, y.ndim)}", "MatMul")
    if transpose_a or adjoint_a:
        x = x.mT.conj() if adjoint_a else x.mT
    if transpose_b or adjoint_b:
        y = y.mT.conj() if adjoint_b else y.mT
    if x.shape[-1] != y.shape[-2]:
        shown_a = ",".join(str(d) for d in x.shape)
        shown_b = ",".join(str(d) for d in y.shape)
        raise op_error(InvalidArgumentError,
                       f"Matrix size-incompatible: In[0]: [{shown_a}], In[1]: [{shown_b}]", op_name)
    if x.dtype is torch.bool:
        require(x, _NUMERIC, op_name)
    if x.dtype in _INTEGERS and x.device.type == "cuda":
        # CUDA has no integer GEMM; float64 holds int32 products exactly.
        return wrap(torch.matmul(x.double(), y.double()).to(x.dtype))
    return wrap(torch.matmul(x, y))
