"""TF's Python operators on tensors and variables (`+`, `@`, `<`, `&`, indexing, …).

Installed on `TensorLike`, so `Tensor` and `Variable` share them; each operator is one
pass through the funnel. In-place forms (`+=`) are not defined: Python falls back to
the plain operator and rebinds the name, leaving the original tensor unchanged.
"""

from __future__ import annotations

import torch

from kerastorch.framework.convert import operands
from kerastorch.framework.tensor import TensorLike, wrap
from kerastorch.ops import indexing, math_ops


def __add__(self, other):
    a, b = operands(self, other, "AddV2")
    if a.dtype is torch.bool:
        return math_ops.add(self, other)
    return wrap(torch.add(a, b))


def __radd__(self, other):
    return math_ops.add(other, self)


def __sub__(self, other):
    a, b = operands(self, other, "Sub")
    if a.dtype is torch.bool:
        return math_ops.subtract(self, other)
    return wrap(torch.sub(a, b))


def __rsub__(self, other):
    return math_ops.subtract(other, self)


def __mul__(self, other):
    a, b = operands(self, other, "Mul")
    return wrap(torch.mul(a, b))


def __rmul__(self, other):
    return math_ops._multiply_operator(other, self)


def __truediv__(self, other):
    return math_ops.truediv(self, other)


def __rtruediv__(self, other):
    return math_ops.truediv(other, self)


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


def __pos__(self):
    return self


def __abs__(self):
    return math_ops.abs(self)


def __invert__(self):
    if self._t.dtype is torch.bool:
        return math_ops.logical_not(self)
    return math_ops.invert(self)


def _logical_or_bitwise(logical, bitwise, reflected=False):
    def operator(self, other):
        x, y = (other, self) if reflected else (self, other)
        return (logical if self._t.dtype is torch.bool else bitwise)(x, y)

    return operator


def __eq__(self, other):
    """Elementwise `==`; `False` for None and for shapes that do not broadcast (TF 2)."""
    if other is None:
        return False
    return math_ops._equality(self, other, "Equal", negate=False, strict_shapes=False)


def __ne__(self, other):
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
    __add__=__add__, __radd__=__radd__, __sub__=__sub__, __rsub__=__rsub__,
    __mul__=__mul__, __rmul__=__rmul__, __truediv__=__truediv__, __rtruediv__=__rtruediv__,
    __floordiv__=__floordiv__, __rfloordiv__=__rfloordiv__, __mod__=__mod__, __rmod__=__rmod__,
    __pow__=__pow__, __rpow__=__rpow__, __matmul__=__matmul__, __rmatmul__=__rmatmul__,
    __neg__=__neg__, __pos__=__pos__, __abs__=__abs__, __invert__=__invert__,
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
