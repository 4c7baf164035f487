"""Arithmetic, comparison, logic and products (`tf.add`, `tf.equal`, `tf.matmul`, `tf.einsum`, …).

Each op is one funnel pass: `operands`/`unwrap` -> one torch call -> `wrap`; `OpDef`
(ops/_util.py) gives TF's exact messages for refused dtypes.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, dtype_mismatch, fast_binary, operands, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, NotFoundError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.ops._util import (
    SIGNED,
    OpDef,
    broadcasting,
    dims_text,
    legacy_name,
    scalar_tensor,
    wrapped_error,
)

_COMPLEX = (torch.complex64, torch.complex128)
_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
# TF's truediv casts integers to the float type that holds them exactly.
_TRUEDIV_FLOAT = {torch.int8: torch.float32, torch.int16: torch.float32, torch.uint8: torch.float32,
                  torch.int32: torch.float64, torch.int64: torch.float64}
_BITS = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"
_BITWISE_AND = OpDef("BitwiseAnd", _BITS, "x:T, y:T -> z:T", "{T}; is_commutative=true")
_BITWISE_OR = OpDef("BitwiseOr", _BITS, "x:T, y:T -> z:T", "{T}; is_commutative=true")
_BITWISE_XOR = OpDef("BitwiseXor", _BITS, "x:T, y:T -> z:T", "{T}; is_commutative=true")
_INVERT = OpDef("Invert", _BITS)
_LEFT_SHIFT = OpDef("LeftShift", _BITS, "x:T, y:T -> z:T")
_RIGHT_SHIFT = OpDef("RightShift", _BITS, "x:T, y:T -> z:T")
_NEG = OpDef("Neg", SIGNED)
_ABS = OpDef("Abs", "bfloat16, half, float, double, int8, int16, int32, int64")
_MATMUL = OpDef("MatMul", "bfloat16, half, float, double, int32, int64, uint8, uint16, uint32, uint64, "
                "complex64, complex128", "a:T, b:T -> product:T",
                "attr=transpose_a:bool,default=false; attr=transpose_b:bool,default=false; {T}; "
                "attr=grad_a:bool,default=false; attr=grad_b:bool,default=false")
_ADD = OpDef("AddV2", "bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, int16, int32, int64, "
              "complex64, complex128", "x:T, y:T -> z:T", "{T}; is_commutative=true; is_aggregate=true")
_SUB = OpDef("Sub", "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, complex64, "
             "complex128, uint32, uint64", "x:T, y:T -> z:T")
_MUL = OpDef("Mul", "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, "
             "complex64, complex128", "x:T, y:T -> z:T", "{T}; is_commutative=true")
_BATCH_MATMUL = OpDef("BatchMatMulV2", "bfloat16, half, float, double, int16, int32, int64, uint8, uint16, "
                      "uint32, uint64, complex64, complex128", "x:T, y:T -> output:T",
                      "{T}; attr=adj_x:bool,default=false; attr=adj_y:bool,default=false; "
                      "attr=grad_x:bool,default=false; attr=grad_y:bool,default=false")


def _add(x, y, name=None) -> Tensor:
    """`x + y` elementwise, with broadcasting."""
    a, b = operands(x, y, "AddV2")
    if a.dtype is torch.bool:
        _ADD.check(a)
    if type(a) is np.ndarray:
        return box(np.add(a, b))  # string tensors: bytes concatenation, as TF's AddV2
    return wrap(broadcasting(torch.add, a, b, "AddV2"))


def _subtract(x, y, name=None) -> Tensor:
    """`x - y` elementwise, with broadcasting."""
    a, b = operands(x, y, "Sub")
    if a.dtype is torch.bool:
        _SUB.check(a)
    return wrap(broadcasting(torch.sub, a, b, "Sub"))


def _multiply(x, y, name=None) -> Tensor:
    """`x * y` elementwise, with broadcasting."""
    a, b = operands(x, y, "Mul")
    if a.dtype is torch.bool:
        _MUL.check(a)
    return wrap(broadcasting(torch.mul, a, b, "Mul"))


def _truediv(x, y, name=None) -> Tensor:
    """`x / y`; integers are first cast to float64 (int32/int64) or float32, as TF does."""
    a, b = operands(x, y, "RealDiv")
    to = _TRUEDIV_FLOAT.get(a.dtype)
    if to is not None:
        a = a.to(to)
        if isinstance(b, torch.Tensor):
            b = b.to(to)
    return wrap(broadcasting(torch.div, a, b, "RealDiv"))


add = fast_binary(torch.add, _add, "add")
subtract = fast_binary(torch.sub, _subtract, "subtract")
multiply = fast_binary(torch.mul, _multiply, "multiply")
truediv = fast_binary(torch.div, _truediv, "truediv", floats_only=True)
divide = truediv


def floordiv(x, y, name=None) -> Tensor:
    """`x // y`: division rounded towards negative infinity."""
    a, b = operands(x, y, "FloorDiv")
    if a.dtype in _INTEGERS:
        _check_nonzero(a, b, "FloorDiv")
        return wrap(torch.div(a, b, rounding_mode="floor"))
    return wrap(torch.floor(torch.div(a, b)))


def floormod(x, y, name=None) -> Tensor:
    """`x % y` with the sign of `y` (Python's modulo)."""
    a, b = operands(x, y, "FloorMod")
    if a.dtype in _INTEGERS:
        _check_nonzero(a, b, "FloorMod")
    return wrap(torch.remainder(a, b))


def truncatediv(x, y, name=None) -> Tensor:
    """Division rounded towards zero (C semantics)."""
    a, b = operands(x, y, "TruncateDiv")
    if a.dtype in _INTEGERS:
        _check_nonzero(a, b, "TruncateDiv")
        return wrap(torch.div(a, b, rounding_mode="trunc"))
    return wrap(torch.trunc(torch.div(a, b)))


def truncatemod(x, y, name=None) -> Tensor:
    """Remainder with the sign of `x` (C's fmod)."""
    a, b = operands(x, y, "TruncateMod")
    return wrap(torch.fmod(a, b))


def divide_no_nan(x, y, name=None) -> Tensor:
    """`x / y`, but 0 wherever `y` is 0."""
    a, b = operands(x, y, "DivNoNan")
    b = b if isinstance(b, torch.Tensor) else torch.tensor(b, dtype=a.dtype, device=a.device)
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return wrap(torch.where(b == 0, torch.zeros((), dtype=a.dtype, device=a.device), a / safe))


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """`x ** y` elementwise; integers to negative powers are refused, as in TF."""
    a, b = operands(x, y, "Pow")
    if a.dtype in _INTEGERS and _any_negative(b):
        raise wrapped_error(InvalidArgumentError, "Pow", a, "Integers to negative integer powers are not allowed")
    return wrap(torch.pow(a, b))


def negative(x, name=None) -> Tensor:
    """`-x` elementwise."""
    raw = unwrap(x)
    _NEG.check(raw)
    return wrap(torch.neg(raw))


def abs(x, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """|x|; for complex input the (real) magnitude."""
    raw = unwrap(x)
    if raw.dtype not in _COMPLEX:
        _ABS.check(raw)
    return wrap(torch.abs(raw))


def _compare(fn, op_name):
    def compare(x, y, name=None) -> Tensor:
        a, b = operands(x, y, op_name)
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
    a, b = operands(x, y, op_name)
    if not strict_shapes and isinstance(b, torch.Tensor):
        try:
            torch.broadcast_shapes(a.shape, b.shape)
        except RuntimeError:
            return wrap(torch.tensor(negate, device=a.device))
    return wrap(broadcasting(torch.ne if negate else torch.eq, a, b, op_name))


def _is_string(value) -> bool:
    raw = getattr(value, "_t", None)
    return type(raw) is np.ndarray or isinstance(value, (str, bytes))


def logical_and(x, y, name=None) -> Tensor:
    """`x and y` elementwise (bool tensors only)."""
    return _logical(torch.logical_and, x, y, "LogicalAnd")


def logical_or(x, y, name=None) -> Tensor:
    """`x or y` elementwise (bool tensors only)."""
    return _logical(torch.logical_or, x, y, "LogicalOr")


def logical_xor(x, y, name=None) -> Tensor:
    """`x != y` elementwise (bool tensors only)."""
    return _logical(torch.logical_xor, x, y, "LogicalXor")


def logical_not(x, name=None) -> Tensor:
    """`not x` elementwise (bool tensors only)."""
    raw = unwrap(x)
    if raw.dtype is not torch.bool:
        raise _not_bool("LogicalNot", 0, raw.dtype)
    return wrap(torch.logical_not(raw))


def _logical(fn, x, y, op_name: str) -> Tensor:
    if isinstance(x, TensorLike) and x._t.dtype is not torch.bool:
        raise _not_bool(op_name, 0, x._t.dtype)
    a, b = operands(x, y, op_name)
    if a.dtype is not torch.bool:
        raise _not_bool(op_name, 0, a.dtype)
    return wrap(fn(a, scalar_tensor(b, a)))


def _not_bool(op_name: str, index: int, dtype) -> InvalidArgumentError:
    return op_error(InvalidArgumentError, f"cannot compute {op_name} as input #{index}(zero-based) was "
                    f"expected to be a bool tensor but is a {legacy_name(dtype)} tensor", op_name)


def bitwise_and(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseAnd")
    _BITWISE_AND.check(a)
    return wrap(torch.bitwise_and(a, b))


def bitwise_or(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseOr")
    _BITWISE_OR.check(a)
    return wrap(torch.bitwise_or(a, b))


def bitwise_xor(x, y, name=None) -> Tensor:
    a, b = operands(x, y, "BitwiseXor")
    _BITWISE_XOR.check(a)
    return wrap(torch.bitwise_xor(a, b))


def invert(x, name=None) -> Tensor:
    raw = unwrap(x)
    _INVERT.check(raw)
    return wrap(torch.bitwise_not(raw))


def left_shift(x, y, name=None) -> Tensor:
    """`x << y` elementwise; shifts beyond the type's width saturate as TF's kernel does."""
    a, b = operands(x, y, "LeftShift")
    _LEFT_SHIFT.check(a)
    return wrap(torch.bitwise_left_shift(a, _shift_amount(b, a)))


def right_shift(x, y, name=None) -> Tensor:
    """`x >> y` elementwise (arithmetic for signed types); shifts saturate as in TF."""
    a, b = operands(x, y, "RightShift")
    _RIGHT_SHIFT.check(a)
    return wrap(torch.bitwise_right_shift(a, _shift_amount(b, a)))


def _shift_amount(b, a: torch.Tensor):
    """TF clamps shift amounts to [0, bits - 1]; torch leaves larger ones undefined."""
    bits = torch.iinfo(a.dtype).bits
    if isinstance(b, torch.Tensor):
        return torch.clamp(b, 0, bits - 1)
    return min(max(int(b), 0), bits - 1)


def _check_nonzero(a, b, op_name: str) -> None:
    zero = (b == 0) if not isinstance(b, torch.Tensor) else bool((b == 0).any())
    if zero:
        raise wrapped_error(InvalidArgumentError, op_name, a, "Integer division by zero")


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
    if type(a) is Tensor and type(b) is Tensor and not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        # The common case, two 2-D float matrices, goes straight to torch.mm (no rank
        # dispatch); any problem (rank, inner sizes, dtypes) takes the checked path below.
        x = a._t
        if x.dtype is b._t.dtype and x.ndim == 2 and x.is_floating_point():
            try:
                return wrap(torch.mm(x, b._t))
            except RuntimeError:
                pass
    x, y = operands(a, b, "MatMul")
    if not isinstance(y, torch.Tensor):
        y = torch.tensor(y, dtype=x.dtype, device=x.device)
    if x.ndim < 2 or y.ndim < 2:
        raise _ndims_error(x, y)
    if transpose_a or adjoint_a:
        x = x.mT.conj() if adjoint_a else x.mT
    if transpose_b or adjoint_b:
        y = y.mT.conj() if adjoint_b else y.mT
    return wrap(_matmul(x, y, batched=x.ndim > 2 or y.ndim > 2))


def _ndims_error(x: torch.Tensor, y: torch.Tensor) -> InvalidArgumentError:
    """TF's error for a matmul operand of rank < 2."""
    if x.ndim > 2 or y.ndim > 2:
        which, rank = (0, x.ndim) if x.ndim < 2 else (1, y.ndim)
        return wrapped_error(InvalidArgumentError, "BatchMatMulV2", x, f"In[{which}] ndims must be >= 2: {rank}")
    if x.ndim != y.ndim:
        return wrapped_error(InvalidArgumentError, "MatMul", x,
                             f"In[0] and In[1] has different ndims: {dims_text(x)} vs. {dims_text(y)}")
    return wrapped_error(InvalidArgumentError, "MatMul", x, f"In[0] and In[1] ndims must be == 2: {x.ndim}")


def _matmul(x: torch.Tensor, y: torch.Tensor, batched: bool) -> torch.Tensor:
    """`x @ y` after TF's checks (dtype, inner sizes) for MatMul or BatchMatMulV2."""
    op = _BATCH_MATMUL if batched else _MATMUL
    op.check(x)
    if x.dtype is torch.uint8 and not batched:
        raise op_error(NotFoundError, "Could not find device for node: {{node MatMul}} = MatMul[T=DT_UINT8, "
                       "grad_a=false, grad_b=false, transpose_a=false, transpose_b=false]", "MatMul")
    if x.shape[-1] != y.shape[-2]:
        raise wrapped_error(InvalidArgumentError, op.name, x, "Matrix size-incompatible: "
                            f"In[0]: {dims_text(x)}, In[1]: {dims_text(y)}")
    try:
        if x.dtype in _INTEGERS and x.device.type == "cuda":
            # CUDA has no integer GEMM; float64 holds int32 products exactly.
            return torch.matmul(x.double(), y.double()).to(x.dtype)
        return torch.matmul(x, y)
    except RuntimeError:
        raise wrapped_error(InvalidArgumentError, op.name, x, "In[0] and In[1] must have compatible "
                            f"batch dimensions: {dims_text(x)} vs. {dims_text(y)}") from None


def tensordot(a, b, axes, name=None) -> Tensor:
    """Sum of products over the given axes of `a` and `b` (TF's reshape-and-matmul).

    Args:
        axes: an int `n` (the last `n` axes of `a` with the first `n` of `b`), or a pair
            `[axes_a, axes_b]` of ints or equally long lists.
    """
    x = unwrap(a)
    y = unwrap(b)
    if x.dtype is not y.dtype:
        raise dtype_mismatch("MatMul", x.dtype, y.dtype)
    axes_a, axes_b = _contraction_axes(axes, x)
    axes_a = [d % max(x.ndim, 1) for d in axes_a]
    axes_b = [d % max(y.ndim, 1) for d in axes_b]
    free_a = [d for d in range(x.ndim) if d not in axes_a]
    free_b = [d for d in range(y.ndim) if d not in axes_b]
    kept = [x.shape[d] for d in free_a] + [y.shape[d] for d in free_b]
    inner = math.prod(x.shape[d] for d in axes_a)
    left = x.permute(free_a + axes_a).reshape(math.prod(kept[:len(free_a)]), inner)
    right = y.permute(axes_b + free_b).reshape(math.prod(y.shape[d] for d in axes_b),
                                               math.prod(kept[len(free_a):]))
    return wrap(_matmul(left, right, batched=False).reshape(kept))


def _contraction_axes(axes, x: torch.Tensor):
    """TF's `axes` argument of tensordot as two lists of (possibly negative) axes."""
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > x.ndim:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor "
                             f"{np.asarray(box(x))}.  Received {axes}, vs tensor dimensions {x.ndim}.")
        return list(range(x.ndim - axes, x.ndim)), list(range(axes))
    if isinstance(axes, float):
        raise TypeError(f"Cannot convert {axes!r} to EagerTensor of dtype int32")
    pair = axes.numpy().tolist() if hasattr(axes, "numpy") else list(axes)
    if len(pair) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {pair}.")
    first, second = pair
    if isinstance(first, int) and isinstance(second, int):
        return [first], [second]
    if len(first) != len(second):
        raise ValueError(f"Different number of contraction axes `a` and `b`, {len(first)} != {len(second)}.")
    return [int(d) for d in first], [int(d) for d in second]


_EINSUM_TYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int32, torch.int64,
                 torch.complex64, torch.complex128)


def einsum(equation: str, *inputs, **kwargs) -> Tensor:
    """Einstein summation: `tf.einsum("ij,jk->ik", a, b)` is a matrix product.

    Args:
        equation: subscripts of each input separated by commas, optionally `->` and the
            output subscripts; `...` stands for broadcast axes.
        *inputs: the tensors, all of one dtype.
    """
    raws = [unwrap(v) for v in inputs]
    spec = equation.replace(" ", "")
    lhs, _, rhs = spec.partition("->")
    expected = len(lhs.split(","))
    if len(raws) != expected:
        raise ValueError(f'Got {len(raws)} inputs for equation "{equation}", expecting {expected}')
    if rhs:
        missing = [c for c in rhs if c.isalpha() and c not in lhs]
        if missing:
            raise ValueError(f"Output subscripts contain the label {missing[0]} not present in the "
                             "input subscripts.")
    first = raws[0]
    for raw in raws[1:]:
        if raw.dtype is not first.dtype:
            raise dtype_mismatch("Einsum", first.dtype, raw.dtype)
    if first.dtype not in _EINSUM_TYPES:
        dtype = dtypes.from_torch(first.dtype).name.upper()
        raise op_error(NotFoundError, f"Could not find device for node: {{{{node Einsum}}}} = "
                       f'Einsum[N={len(raws)}, T=DT_{dtype}, equation="{equation}"]', "Einsum")
    try:
        if first.dtype in _INTEGERS and first.device.type == "cuda":
            # CUDA has no integer GEMM; float64 holds int32 products exactly.
            return wrap(torch.einsum(spec, *(r.double() for r in raws)).to(first.dtype))
        return wrap(torch.einsum(spec, *raws))
    except RuntimeError as exc:
        raise wrapped_error(InvalidArgumentError, "Einsum", first, _label_mismatch(lhs, raws) or str(exc),
                            kernel=f"Einsum_N_{len(raws)}") from None


def _label_mismatch(lhs: str, raws) -> str:
    """TF's message for an einsum label with two sizes ("" when none has)."""
    sizes = {}
    for labels, raw in zip(lhs.split(","), raws):
        head, _, tail = labels.partition("...")
        axes = list(enumerate(head)) + [(raw.ndim - len(tail) + i, c) for i, c in enumerate(tail)]
        for axis, label in axes:
            seen = sizes.setdefault(label, raw.shape[axis])
            if seen != raw.shape[axis]:
                return (f"Expected dimension {seen} at axis {axis} of the input shaped {dims_text(raw)} "
                        f"but got dimension {raw.shape[axis]}")
    return ""
