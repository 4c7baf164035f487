"""TF's Python operators on tensors and variables (`+`, `@`, `<`, `&`, indexing, …).

Installed on `TensorLike`, so `Tensor` and `Variable` share them; each operator is one
pass through the funnel. `+`, `-` and `*` call torch directly (they are the hottest);
the others delegate to the op functions. In-place forms (`+=`) are not defined: Python
falls back to the plain operator and rebinds the name, leaving the original unchanged.
There is no unary `+`, as in TF.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import box, fast_binary, operands, to_raw
from kerastorch.framework.errors import InvalidArgumentError, UnimplementedError, kernel_error
from kerastorch.framework.tensor import TensorLike, wrap
from kerastorch.ops import indexing, math_ops
from kerastorch.ops._util import broadcasting

# The dtypes TF's `/` accepts, in the order its error message lists them.
# TF's truediv casts integers to the float type that holds them exactly.
_TRUEDIV_FLOAT = {torch.int8: torch.float32, torch.int16: torch.float32, torch.uint8: torch.float32,
                  torch.int32: torch.float64, torch.int64: torch.float64}
_TRUEDIV_TYPES = ("{tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, "
                  "tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, tf.complex128}")


def __add__(self, other):
    a, b = operands(self, other, "AddV2")
    if a.dtype is torch.bool:
        return math_ops.add(self, other)
    try:
        return wrap(broadcasting(torch.add, a, b, "AddV2"))
    except TypeError:  # string tensors (numpy storage) go to the op
        return math_ops.add(self, other)


def __radd__(self, other):
    return math_ops.add(other, self)


def __sub__(self, other):
    a, b = operands(self, other, "Sub")
    if a.dtype is torch.bool:
        return math_ops.subtract(self, other)
    try:
        return wrap(broadcasting(torch.sub, a, b, "Sub"))
    except TypeError:  # string tensors (numpy storage) go to the op
        return math_ops.subtract(self, other)


def __rsub__(self, other):
    return math_ops.subtract(other, self)


def __mul__(self, other):
    try:
        a, b = operands(self, other, "Mul")
    except (TypeError, InvalidArgumentError):
        if self._t.dtype is torch.bool or isinstance(other, TensorLike) and other._t.dtype is torch.bool:
            return _bool_mul(self, other)
        raise
    if a.dtype is torch.bool:
        return _bool_mul(self, other)
    try:
        return wrap(broadcasting(torch.mul, a, b, "Mul"))
    except TypeError:  # string tensors (numpy storage) go to the op
        return math_ops.multiply(self, other)


def __rmul__(self, other):
    return math_ops.multiply(other, self)


def _bool_mul(x, y):
    """TF's `*` with a bool tensor: both sides cast to int32, the product cast to bool."""
    device = (x if isinstance(x, TensorLike) else y)._t.device
    a, b = _int32(x).to(device), _int32(y).to(device)
    return wrap(broadcasting(torch.mul, a, b, "Mul") != 0)


def _int32(value) -> torch.Tensor:
    raw = value._t if isinstance(value, TensorLike) else to_raw(value)
    if type(raw) is np.ndarray:
        raise kernel_error(UnimplementedError, "Cast string to int32 is not supported", "Cast",
                           name=None)
    return raw.to(torch.int32)


def __truediv__(self, other):
    return _truediv(self, other)


def __rtruediv__(self, other):
    return _truediv(other, self)


def _truediv(x, y):
    """TF's `/`: same dtypes, no bool or string; integers divide as float32/float64."""
    a, b = operands(x, y, "RealDiv")
    if type(a) is np.ndarray or a.dtype is torch.bool:
        shown = "tf.string" if type(a) is np.ndarray else "tf.bool"
        raise TypeError(f"Invalid dtype {shown} in __truediv__. Expected one of {_TRUEDIV_TYPES}.")
    wider = _TRUEDIV_FLOAT.get(a.dtype)
    if wider is not None:
        a = a.to(wider)
        if isinstance(b, torch.Tensor):
            b = b.to(wider)
    return wrap(broadcasting(torch.div, a, b, "RealDiv"))


def __floordiv__(self, other):
    return math_ops.floordiv(self, other)


def __rfloordiv__(self, other):
    return math_ops.floordiv(other, self)


def __mod__(self, other):
    return math_ops.floormod(self, other)


def __rmod__(self, other):
    return math_ops.floormod(other, self)


def __pow__(self, other):
    return math_ops.pow(self, other)


def __rpow__(self, other):
    return math_ops.pow(other, self)


def __matmul__(self, other):
    return math_ops.matmul(self, other)


def __rmatmul__(self, other):
    return math_ops.matmul(other, self)


def __neg__(self):
    return math_ops.negative(self)


def __abs__(self):
    return math_ops.abs(self)


def __invert__(self):
    if self._t.dtype is torch.bool:
        return math_ops.logical_not(self)
    return math_ops.invert(self)


def _logical_or_bitwise(logical, bitwise, reflected=False):
    """`&`, `|`, `^`: logical for bool tensors, bitwise for integers (TF's choice by dtype)."""

    def operator(self, other):
        if not isinstance(other, TensorLike):
            other = box(to_raw(other, self.dtype))
        x, y = (other, self) if reflected else (self, other)
        return (logical if self._t.dtype is torch.bool else bitwise)(x, y)

    return operator


def __eq__(self, other):
    """Elementwise `==`; `False` for None, a scalar False tensor for shapes that do not broadcast."""
    if other is None:
        return False
    return math_ops._equality(self, other, "Equal", negate=False, strict_shapes=False)


def __ne__(self, other):
    """Elementwise `!=`; `True` for None, a scalar True tensor for shapes that do not broadcast."""
    if other is None:
        return True
    return math_ops._equality(self, other, "NotEqual", negate=True, strict_shapes=False)


def __lt__(self, other):
    return math_ops.less(self, other)


def __le__(self, other):
    return math_ops.less_equal(self, other)


def __gt__(self, other):
    return math_ops.greater(self, other)


def __ge__(self, other):
    return math_ops.greater_equal(self, other)


_OPERATORS = dict(
    __add__=fast_binary(torch.add, __add__, "__add__"), __radd__=__radd__,
    __sub__=fast_binary(torch.sub, __sub__, "__sub__"), __rsub__=__rsub__,
    __mul__=fast_binary(torch.mul, __mul__, "__mul__"), __rmul__=__rmul__,
    __truediv__=fast_binary(torch.div, __truediv__, "__truediv__", floats_only=True),
    __rtruediv__=__rtruediv__,
    __floordiv__=__floordiv__, __rfloordiv__=__rfloordiv__, __mod__=__mod__, __rmod__=__rmod__,
    __pow__=__pow__, __rpow__=__rpow__, __matmul__=__matmul__, __rmatmul__=__rmatmul__,
    __neg__=__neg__, __abs__=__abs__, __invert__=__invert__,
    __eq__=__eq__, __ne__=__ne__, __lt__=__lt__, __le__=__le__, __gt__=__gt__, __ge__=__ge__,
)
_OPERATORS.update(
    __and__=_logical_or_bitwise(math_ops.logical_and, math_ops.bitwise_and),
    __rand__=_logical_or_bitwise(math_ops.logical_and, math_ops.bitwise_and, reflected=True),
    __or__=_logical_or_bitwise(math_ops.logical_or, math_ops.bitwise_or),
    __ror__=_logical_or_bitwise(math_ops.logical_or, math_ops.bitwise_or, reflected=True),
    __xor__=_logical_or_bitwise(math_ops.logical_xor, math_ops.bitwise_xor),
    __rxor__=_logical_or_bitwise(math_ops.logical_xor, math_ops.bitwise_xor, reflected=True),
    __getitem__=indexing.getitem,
    __hash__=None,
)


def install(cls=TensorLike) -> None:
    """Puts TF's operators on `cls` (done once, on import of `kerastorch.ops`)."""
    for name, fn in _OPERATORS.items():
        setattr(cls, name, fn)


install()
