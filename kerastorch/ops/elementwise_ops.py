"""Elementwise math (`tf.sqrt`, `tf.math.log`, `tf.maximum`, `tf.clip_by_value`, …).

Each op is one funnel pass: `unwrap` -> TF's dtype check -> one torch call -> `wrap`.
Float-only ops refuse integer input with TF's own error (`tf.sqrt(4)` raises
`InvalidArgumentError`, it does not promote).
"""

from __future__ import annotations

import collections.abc

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import dtype_mismatch, operands, unwrap
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.ops._util import (
    FLOAT,
    FLOAT_COMPLEX,
    REAL,
    SIGNED,
    OpDef,
    broadcasting,
    legacy_name,
    no_kernel,
    reduction_opdef,
    scalar_tensor,
)
from kerastorch.ops.reduction_ops import reduction_dims

_SIGN = OpDef("Sign", SIGNED)
_ROUND = OpDef("Round", SIGNED)
_RECIPROCAL = OpDef("Reciprocal", SIGNED)
_SQUARE = OpDef("Square", "bfloat16, half, float, double, int8, int16, int32, int64, uint8, uint16, "
                "uint32, uint64, complex64, complex128")
_DIV_NO_NAN = OpDef("DivNoNan", "half, float, bfloat16, double, complex64, complex128", "x:T, y:T -> z:T")
_SOFTPLUS = OpDef("Softplus", "half, bfloat16, float, double", "features:T -> activations:T")
_NEG = OpDef("Neg", SIGNED)
_SQRT = OpDef("Sqrt", FLOAT_COMPLEX)
_SUM = reduction_opdef("Sum")
_GREATER = OpDef("Greater", "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
                 "uint32, uint64", "x:T, y:T -> z:bool")
_L2_LOSS = OpDef("L2Loss", "half, bfloat16, float, double", "t:T -> output:T")
_MAXIMUM = OpDef("Maximum", REAL, "x:T, y:T -> z:T")
_MINIMUM = OpDef("Minimum", REAL, "x:T, y:T -> z:T")
_SQUARED_DIFFERENCE = OpDef("SquaredDifference",
                            "bfloat16, half, float, double, int32, int64, complex64, complex128",
                            "x:T, y:T -> z:T", "{T}; is_commutative=true")
_ATAN2 = OpDef("Atan2", FLOAT, "y:T, x:T -> z:T")
_XLOGY = OpDef("Xlogy", "half, bfloat16, float, double, complex64, complex128", "x:T, y:T -> z:T")
_XDIVY = OpDef("Xdivy", "half, bfloat16, float, double, complex64, complex128", "x:T, y:T -> z:T")
_REAL_DIV = OpDef("RealDiv", "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, "
                  "uint64, int64, complex64, complex128", "x:T, y:T -> z:T")
_MUL_NO_NAN = OpDef("MulNoNan", FLOAT_COMPLEX, "x:T, y:T -> z:T")
_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
_COMPLEX = (torch.complex64, torch.complex128)
_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
_CLAMPABLE = _FLOATS + _INTEGERS


def _unary(torch_fn, op_name: str, allowed: str, doc: str, signature: str = "x:T -> y:T",
           differentiable: bool = True):
    """A `tf.math` function `f(x, name=None)` running `torch_fn` after TF's dtype check.

    `differentiable=False` is for ops TF registers no gradient for (floor, ceil, round):
    their result is cut from the graph, so a tape gives `None` as TF does, not zeros.
    """
    op = OpDef(op_name, allowed, signature)

    def fn(x, name=None) -> Tensor:
        raw = unwrap(x)
        op.check(raw)
        return wrap(torch_fn(raw if differentiable else raw.detach()))

    fn.__name__ = fn.__qualname__ = op_name[0].lower() + "".join(
        "_" + c.lower() if c.isupper() else c for c in op_name[1:])
    fn.__doc__ = doc
    return fn


sqrt = _unary(torch.sqrt, "Sqrt", FLOAT_COMPLEX, "`x ** 0.5` elementwise (NaN below 0).")
rsqrt = _unary(torch.rsqrt, "Rsqrt", FLOAT_COMPLEX, "`1 / sqrt(x)` elementwise.")
exp = _unary(torch.exp, "Exp", FLOAT_COMPLEX, "`e ** x` elementwise.")
log = _unary(torch.log, "Log", FLOAT_COMPLEX, "Natural logarithm elementwise (-inf at 0).")
log1p = _unary(torch.log1p, "Log1p", FLOAT_COMPLEX, "`log(1 + x)`, accurate for small `x`.")
expm1 = _unary(torch.expm1, "Expm1", FLOAT_COMPLEX, "`exp(x) - 1`, accurate for small `x`.")
sin = _unary(torch.sin, "Sin", FLOAT_COMPLEX, "Sine elementwise.")
cos = _unary(torch.cos, "Cos", FLOAT_COMPLEX, "Cosine elementwise.")
tan = _unary(torch.tan, "Tan", FLOAT_COMPLEX, "Tangent elementwise.")
asin = _unary(torch.asin, "Asin", FLOAT_COMPLEX, "Inverse sine elementwise.")
acos = _unary(torch.acos, "Acos", FLOAT_COMPLEX, "Inverse cosine elementwise.")
atan = _unary(torch.atan, "Atan", FLOAT_COMPLEX, "Inverse tangent elementwise.")
sinh = _unary(torch.sinh, "Sinh", FLOAT_COMPLEX, "Hyperbolic sine elementwise.")
cosh = _unary(torch.cosh, "Cosh", FLOAT_COMPLEX, "Hyperbolic cosine elementwise.")
asinh = _unary(torch.asinh, "Asinh", FLOAT_COMPLEX, "Inverse hyperbolic sine elementwise.")
acosh = _unary(torch.acosh, "Acosh", FLOAT_COMPLEX, "Inverse hyperbolic cosine elementwise.")
atanh = _unary(torch.atanh, "Atanh", FLOAT_COMPLEX, "Inverse hyperbolic tangent elementwise.")
tanh = _unary(torch.tanh, "Tanh", FLOAT_COMPLEX, "Hyperbolic tangent elementwise.")
sigmoid = _unary(torch.sigmoid, "Sigmoid", FLOAT_COMPLEX, "`1 / (1 + exp(-x))` elementwise.")
floor = _unary(torch.floor, "Floor", FLOAT, "The largest integer not greater than `x` (same dtype).",
               differentiable=False)
ceil = _unary(torch.ceil, "Ceil", FLOAT, "The smallest integer not less than `x` (same dtype).",
              differentiable=False)
rint = _unary(torch.round, "Rint", FLOAT, "The nearest integer, halves to even (same dtype).",
              differentiable=False)
is_nan = _unary(torch.isnan, "IsNan", FLOAT, "Whether each element is NaN (bool).",
                "x:T -> y:bool")
is_inf = _unary(torch.isinf, "IsInf", FLOAT, "Whether each element is +inf or -inf (bool).",
                "x:T -> y:bool")
is_finite = _unary(torch.isfinite, "IsFinite", FLOAT, "Whether each element is neither inf nor NaN (bool).",
                   "x:T -> y:bool")
erf = _unary(torch.erf, "Erf", FLOAT, "The Gauss error function elementwise.")
erfc = _unary(torch.erfc, "Erfc", FLOAT, "`1 - erf(x)` elementwise.")
lgamma = _unary(torch.lgamma, "Lgamma", FLOAT, "`log(|Gamma(x)|)` elementwise.")


_DIGAMMA = OpDef("Digamma", FLOAT)


def digamma(x, name=None) -> Tensor:
    """The derivative of `lgamma` elementwise (NaN at 0, as in TF)."""
    raw = unwrap(x)
    _DIGAMMA.check(raw)
    return wrap(torch.where(raw == 0, torch.nan, torch.digamma(raw)))


def square(x, name=None) -> Tensor:
    """`x * x` elementwise (integers too)."""
    raw = unwrap(x)
    _SQUARE.check(raw)
    return wrap(torch.square(raw))


def sign(x, name=None) -> Tensor:
    """-1, 0 or 1 by the sign of `x` (NaN stays NaN); `x / |x|` for complex `x`."""
    raw = unwrap(x)
    _SIGN.check(raw)
    if raw.dtype in _COMPLEX:
        return wrap(torch.sgn(raw))
    if raw.dtype in _FLOATS:
        return wrap(torch.where(torch.isnan(raw), raw, torch.sign(raw)))
    return wrap(torch.sign(raw))


def round(x, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """The nearest integer, halves to even (banker's rounding) as TF; integers pass through."""
    raw = unwrap(x)
    if raw.dtype in _INTEGERS:
        return wrap(raw.clone())
    _ROUND.check(raw)
    if raw.dtype in _COMPLEX:
        raise no_kernel("Round", raw)
    return wrap(torch.round(raw.detach()))  # TF registers no gradient for Round


def reciprocal(x, name=None) -> Tensor:
    """`1 / x` elementwise (inf at 0)."""
    raw = unwrap(x)
    _RECIPROCAL.check(raw)
    if raw.dtype not in _FLOATS and raw.dtype not in _COMPLEX:
        raise no_kernel("Reciprocal", raw)
    return wrap(torch.reciprocal(raw))


def reciprocal_no_nan(x, name=None) -> Tensor:
    """`1 / x`, but 0 wherever `x` is 0."""
    raw = unwrap(x)
    if raw.dtype is torch.bool:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype bool")
    _DIV_NO_NAN.check(raw)
    zero = torch.zeros((), dtype=raw.dtype, device=raw.device)
    return wrap(torch.where(raw == 0, zero, torch.reciprocal(raw)))


def log_sigmoid(x, name=None) -> Tensor:
    """`log(sigmoid(x))`, computed stably as `-softplus(-x)`."""
    raw = unwrap(x)
    if raw.dtype not in _FLOATS:
        _NEG.check(raw)
        _SOFTPLUS.check(raw)
    return wrap(torch.nn.functional.logsigmoid(raw))


def real(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The real part of complex input (a real dtype); real input is returned as is."""
    raw = _numeric(input, "input must be a numeric tensor, but got tensor with dtype {}")
    return wrap(raw.real.clone() if raw.is_complex() else raw.clone())


def imag(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The imaginary part of complex input (a real dtype); zeros for real input."""
    raw = unwrap(input)
    if type(raw) is np.ndarray:
        raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {dtypes.string}")
    return wrap(raw.imag.clone() if raw.is_complex() else torch.zeros_like(raw))


def conj(x, name=None) -> Tensor:
    """The complex conjugate; real input is returned as is."""
    raw = _numeric(x, "Expected numeric or variant tensor, got dtype {!r}.")
    return wrap(torch.conj_physical(raw) if raw.is_complex() else raw.clone())


def _numeric(x, message: str) -> torch.Tensor:
    """`x` as a torch tensor; strings and bools are refused with TF's TypeError `message`."""
    raw = unwrap(x)
    if type(raw) is np.ndarray or raw.dtype is torch.bool:
        raise TypeError(message.format(dtypes.string if type(raw) is np.ndarray else dtypes.bool))
    return raw


# -- binary elementwise math ---------------------------------------------------------------

def maximum(x, y, name=None) -> Tensor:
    """The larger of `x` and `y` elementwise, with broadcasting; NaN wins, as in TF."""
    a, b = operands(x, y, "Maximum")
    _MAXIMUM.check(a)
    if not isinstance(b, torch.Tensor):
        return wrap(torch.clamp_min(a, b))
    return wrap(broadcasting(_tie_to_first(torch.maximum, torch.ge), a, b, "Maximum"))


def minimum(x, y, name=None) -> Tensor:
    """The smaller of `x` and `y` elementwise, with broadcasting; NaN wins, as in TF."""
    a, b = operands(x, y, "Minimum")
    _MINIMUM.check(a)
    if not isinstance(b, torch.Tensor):
        return wrap(torch.clamp_max(a, b))
    return wrap(broadcasting(_tie_to_first(torch.minimum, torch.le), a, b, "Minimum"))


def _tie_to_first(torch_fn, wins):
    """`torch_fn` whose gradient, on ties, goes wholly to the first input as in TF.

    torch splits the gradient of a tie in halves; TF's MaximumGrad/MinimumGrad give it to
    `x`. Only when a gradient is being recorded is the choice made with `where` (NaN
    still wins, as in torch's kernel).
    """

    def fn(a, b):
        if not (a.requires_grad or b.requires_grad):
            return torch_fn(a, b)
        return torch.where(wins(a, b) | torch.isnan(a), a, b)

    return fn


def squared_difference(x, y, name=None) -> Tensor:
    """`(x - y) * conj(x - y)` elementwise."""
    a, b = operands(x, y, "SquaredDifference")
    _SQUARED_DIFFERENCE.check(a)
    diff = broadcasting(torch.sub, a, scalar_tensor(b, a), "SquaredDifference")
    return wrap(diff * diff.conj() if diff.is_complex() else torch.square(diff))


def atan2(y, x, name=None) -> Tensor:
    """The angle of the point `(x, y)`: `arctan(y / x)` in the right quadrant."""
    a, b = operands(y, x, "Atan2")
    _ATAN2.check(a)
    return wrap(broadcasting(torch.atan2, a, scalar_tensor(b, a), "Atan2"))


def xlogy(x, y, name=None) -> Tensor:
    """`x * log(y)`, and 0 wherever `x` is 0 (whatever `y` is)."""
    a, b = operands(x, y, "Xlogy")
    _XLOGY.check(a)
    product = broadcasting(torch.mul, a, torch.log(scalar_tensor(b, a)), "Xlogy")
    return wrap(torch.where(a == 0, torch.zeros((), dtype=a.dtype, device=a.device), product))


def xdivy(x, y, name=None) -> Tensor:
    """`x / y`, and 0 wherever `x` is 0 (whatever `y` is)."""
    a, b = operands(x, y, "Xdivy")
    _XDIVY.check(a)
    quotient = broadcasting(torch.div, a, scalar_tensor(b, a), "Xdivy")
    return wrap(torch.where(a == 0, torch.zeros((), dtype=a.dtype, device=a.device), quotient))


def realdiv(x, y, name=None) -> Tensor:
    """`x / y` for floats and complex numbers (integers have no kernel in TF)."""
    a, b = operands(x, y, "RealDiv")
    _REAL_DIV.check(a)
    if not (a.is_floating_point() or a.is_complex()):
        raise no_kernel("RealDiv", a)
    return wrap(torch.div(a, b))


def multiply_no_nan(x, y, name=None) -> Tensor:
    """`x * y`, and 0 wherever `y` is 0 even if `x` is NaN or infinite."""
    a, b = operands(x, y, "MulNoNan")
    _MUL_NO_NAN.check(a)
    b = scalar_tensor(b, a)
    product = broadcasting(torch.mul, a, b, "MulNoNan")
    return wrap(torch.where(b == 0, torch.zeros((), dtype=a.dtype, device=a.device), product))


def scalar_mul(scalar, x, name=None) -> Tensor:
    """`scalar * x`, with `scalar` converted to `x`'s dtype.

    Raises:
        ValueError: when `scalar` is not 0-D.
    """
    raw = unwrap(x)
    value = unwrap(scalar, dtypes.from_torch(raw.dtype))
    if value.ndim:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {tuple(value.shape)}.")
    return wrap(torch.mul(value, raw))


# -- clipping ------------------------------------------------------------------------------

def clip_by_value(t, clip_value_min, clip_value_max, name=None) -> Tensor:
    """`t` with values below `clip_value_min` raised to it and above `clip_value_max` lowered.

    As in TF this is `maximum(minimum(t, max), min)`: where `min > max` the result is `min`,
    and NaN stays NaN. The bounds are scalars or tensors broadcastable to `t`'s shape.
    """
    raw = unwrap(t)
    low, high = clip_value_min, clip_value_max
    numbers = type(low) in (int, float) and type(high) in (int, float)
    if numbers and low <= high and isinstance(raw, torch.Tensor) and raw.dtype in _CLAMPABLE:
        if raw.dtype not in _FLOATS and float in (type(low), type(high)):
            refused = high if type(high) is float else low  # TF converts the maximum first
            raise TypeError(f"Cannot convert {refused!r} to EagerTensor of dtype {dtypes.from_torch(raw.dtype).name}")
        return wrap(torch.clamp(raw, low, high))
    upper = minimum(wrap(raw), high)
    clipped = maximum(upper, low)
    for result in (upper, clipped):
        if result._t.shape != raw.shape:
            raise ValueError(f"Shapes {TensorShape(raw.shape)} and {result.shape} are incompatible")
    return clipped


def clip_by_norm(t, clip_norm, axes=None, name=None) -> Tensor:
    """`t * clip_norm / max(l2norm(t), clip_norm)`: rescales `t` so its L2 norm is at most `clip_norm`.

    Args:
        t: a float tensor.
        clip_norm: a scalar (negative values count as 0).
        axes: the axes the norm is taken over (int or list); None for the whole tensor.
    """
    raw = unwrap(t)
    _SUM.check(raw)
    if raw.dtype in _COMPLEX:
        raise _GREATER.error("T", legacy_name(raw.dtype), _GREATER.allowed)
    _SQRT.check(raw)
    dims = reduction_dims(axes, raw, "Sum")
    l2sum = torch.sum(raw * raw, dim=tuple(range(raw.ndim)) if dims is None else dims, keepdim=True)
    # TF's guard: sqrt only of positive sums, so the gradient at an all-zero `t` stays finite.
    positive = l2sum > 0
    l2norm = torch.where(positive, torch.sqrt(torch.where(positive, l2sum, 1.0)), l2sum)
    if type(clip_norm) in (int, float):
        limit = max(clip_norm, 0)
        scaled = raw * limit
        denominator = torch.clamp_min(l2norm, limit)
    else:
        limit = torch.clamp_min(unwrap(clip_norm), 0).to(raw.dtype)
        scaled = broadcasting(torch.mul, raw, limit, "Mul")
        denominator = torch.maximum(l2norm, limit)
    if scaled.shape != raw.shape:
        raise ValueError(f"Shapes {TensorShape(raw.shape)} and {TensorShape(scaled.shape)} are incompatible")
    return wrap(scaled / denominator)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor of `t_list` by `clip_norm / max(global_norm, clip_norm)`.

    The global norm is `sqrt(sum(l2norm(t) ** 2))` over the tensors (None entries are
    skipped and kept as None).

    Returns:
        `(clipped_list, global_norm)`.
    """
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    raws = [None if v is None else unwrap(v) for v in t_list]
    present = [r for r in raws if r is not None]
    for raw in present:
        _L2_LOSS.check(raw)
    for raw in present[1:]:
        if raw.dtype is not present[0].dtype:
            error = dtype_mismatch("Pack", present[0].dtype, raw.dtype)
            raise type(error)(None, None, error.message + "stack")
    if use_norm is None:
        norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(present)))
    else:
        norm = unwrap(use_norm)
    limit = unwrap(clip_norm, dtypes.from_torch(norm.dtype)).to(norm.device)
    # TF's formula: NaN or inf norms make every scale NaN.
    scale = limit * torch.minimum(1.0 / norm, 1.0 / limit) + (norm - norm)
    scaled = iter(torch._foreach_mul(present, scale.to(present[0].dtype))) if present else iter(())
    return [None if r is None else wrap(next(scaled)) for r in raws], wrap(norm)
