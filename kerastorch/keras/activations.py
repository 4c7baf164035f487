"""`tf.keras.activations`: Keras 3's activation functions, each with a torch twin.

Every activation is written once, on torch tensors (the twin that layers call inside
`call`); `_activation` makes the public function from it, which takes kerastorch
Tensors, numpy or Python values and returns a Tensor. `raw_activation(fn)` gives the
torch-level function for any activation callable: the twin itself for ours, a
wrap/call/unwrap shell for a user function written on the facade (e.g. `tf.nn.relu`).

The formulas are Keras's TF backend ones. Where torch's fused kernel has another
gradient at a tie point than TF (selu at 0, hard_tanh at ±1, celu at 0), or a less
precise float64 one (hard_sigmoid), it is composed from ops that match TF's.
"""

from __future__ import annotations

import functools
import inspect
import types
import warnings
from collections.abc import Callable

import torch
import torch.nn.functional as F

from kerastorch._missing import missing_names as _missing_names
from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser

_RAW = {}  # public activation -> its torch twin
_INTEGER_OK = frozenset({"relu", "relu6"})  # take integer tensors as they are (TF's Relu/Relu6 do)
_INTEGER_TO_FLOAT = frozenset({"exponential", "tanh", "leaky_relu"})  # cast to float32, as Keras's ops


def _activation(raw: Callable) -> Callable:
    """The public function of a torch-level activation; registers the pair."""

    @functools.wraps(raw)
    def activation(x, *args, **kwargs):
        value = unwrap(x)
        if not (value.is_floating_point() or value.is_complex()):
            value = _integer_input(value, raw.__name__)
        return wrap(raw(value, *args, **kwargs))

    signature = inspect.signature(raw)
    params = list(signature.parameters.values())
    activation.__signature__ = signature.replace(parameters=[params[0].replace(annotation="Tensor"), *params[1:]],
                                                 return_annotation="Tensor")
    _RAW[activation] = raw
    return activation


def _integer_input(value: torch.Tensor, name: str) -> torch.Tensor:
    if value.dtype != torch.bool:
        if name in _INTEGER_OK:
            return value
        if name in _INTEGER_TO_FLOAT:
            return value.to(torch.float32)
    raise TypeError(f"`{name}` expects a floating point input. Received: "
                    f"x.dtype={dtypes.from_torch(value.dtype).name}")


def raw_activation(fn: Callable) -> Callable[[torch.Tensor], torch.Tensor]:
    """The torch-level function of an activation callable, for layers' `call`.

    Args:
        fn: one of this module's activations (its torch twin is returned, no wrapping),
            or any callable on facade tensors (it is called on a wrapped input and its
            result unwrapped; the caller's graph-keeping context keeps gradients).
    """
    twin = _RAW.get(fn)
    if twin is not None:
        return twin

    def foreign(x: torch.Tensor) -> torch.Tensor:
        return unwrap(fn(wrap(x)))

    return foreign


# -- the activations, on torch tensors -----------------------------------------------------

@_activation
def relu(x: torch.Tensor, negative_slope: float = 0.0, max_value: float | None = None,
         threshold: float = 0.0) -> torch.Tensor:
    """Rectified linear unit: `max(x, 0)`, with Keras's variants.

    Args:
        x: the input.
        negative_slope: the slope below `threshold` (a leaky ReLU when non-zero).
        max_value: the largest value returned (None: unbounded).
        threshold: below it values are damped (or zero).
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return F.leaky_relu(x, negative_slope)
        negative_part = torch.relu(threshold - x) if threshold != 0 else torch.relu(-x)
    clip = max_value is not None
    if threshold != 0:
        x = torch.where(x > threshold, x, 0)
    elif max_value == 6:
        x = _relu6(x)
        clip = False
    else:
        x = torch.relu(x)
    if clip:
        x = torch.clamp(x, 0, max_value)
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def _relu6(x: torch.Tensor) -> torch.Tensor:
    # hardtanh's gradient is zero at 0 and 6, as TF's Relu6Grad (clamp's would pass there).
    return F.relu6(x) if x.is_floating_point() else torch.clamp(x, 0, 6)


@_activation
def leaky_relu(x: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    """`x` where positive, else `negative_slope * x`."""
    return F.leaky_relu(x, negative_slope)


@_activation
def relu6(x: torch.Tensor) -> torch.Tensor:
    """`min(max(x, 0), 6)`."""
    return _relu6(x)


@_activation
def softmax(x: torch.Tensor, axis: int | tuple | None = -1) -> torch.Tensor:
    """`exp(x) / sum(exp(x))` along `axis` (an int, a tuple of axes, or None for all)."""
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape)}. This "
                      "axis has size 1. The softmax operation will always return the value 1, which is "
                      "likely not what you intended. Did you mean to use a sigmoid instead?", stacklevel=3)
    out = _over_axes(torch.softmax, x, axis)
    out._keras_logits = x  # as Keras: crossentropy losses then work from the logits
    return out


@_activation
def log_softmax(x: torch.Tensor, axis: int | tuple | None = -1) -> torch.Tensor:
    """`log(softmax(x))` along `axis`, computed stably."""
    return _over_axes(torch.log_softmax, x, axis)


def _over_axes(fn, x: torch.Tensor, axis) -> torch.Tensor:
    """`fn(x, dim)` over one axis, over several (flattened together), or over all (None)."""
    if axis is None:
        return fn(x.reshape(-1), 0).reshape(x.shape)
    if not isinstance(axis, (tuple, list)):
        return fn(x, axis)
    axes = [a % x.ndim for a in axis]
    keep = [d for d in range(x.ndim) if d not in axes]
    moved = x.permute(*keep, *axes)
    out = fn(moved.reshape(*moved.shape[:len(keep)], -1), -1).reshape(moved.shape)
    return out.permute(*sorted(range(x.ndim), key=[*keep, *axes].__getitem__))


@_activation
def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`."""
    return F.elu(x, alpha)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@_activation
def selu(x: torch.Tensor) -> torch.Tensor:
    """Scaled ELU: `scale * x` if `x > 0`, else `scale * alpha * (exp(x) - 1)`."""
    # TF's SeluGrad gives `scale` at 0; torch's fused selu gives `scale * alpha`.
    return _SELU_SCALE * torch.where(x >= 0, x, _SELU_ALPHA * torch.expm1(x))


@_activation
def celu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """`max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`."""
    # Composed as Keras does: at 0 both terms pass the gradient (2, where torch's celu gives 1).
    return torch.clamp(x, min=0) + alpha * torch.expm1(torch.clamp(x, max=0) / alpha)


@_activation
def softplus(x: torch.Tensor) -> torch.Tensor:
    """`log(exp(x) + 1)`."""
    return F.softplus(x)


@_activation
def softsign(x: torch.Tensor) -> torch.Tensor:
    """`x / (abs(x) + 1)`."""
    return F.softsign(x)


@_activation
def squareplus(x: torch.Tensor, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x^2 + b)) / 2`."""
    return (x + torch.sqrt(x * x + b)) / 2


@_activation
def soft_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0."""
    return F.softshrink(x, threshold)


@_activation
def sparse_plus(x: torch.Tensor) -> torch.Tensor:
    """0 for `x <= -1`, `(x + 1)^2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""
    return torch.where(x <= -1, 0, torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


@_activation
def silu(x: torch.Tensor) -> torch.Tensor:
    """Swish / SiLU: `x * sigmoid(x)`."""
    return F.silu(x)


@_activation
def gelu(x: torch.Tensor, approximate: bool = False) -> torch.Tensor:
    """Gaussian error linear unit: `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Args:
        x: the input.
        approximate: use the tanh approximation.
    """
    return F.gelu(x, approximate="tanh" if approximate else "none")


@_activation
def glu(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: `a * sigmoid(b)`, `x` split in halves `a`, `b` along `axis`."""
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={tuple(x.shape)} with "
                         f"axis={axis}")
    return F.glu(x, axis)


@_activation
def tanh(x: torch.Tensor) -> torch.Tensor:
    """Hyperbolic tangent."""
    return torch.tanh(x)


@_activation
def tanh_shrink(x: torch.Tensor) -> torch.Tensor:
    """`x - tanh(x)`."""
    return F.tanhshrink(x)


@_activation
def threshold(x: torch.Tensor, threshold: float, default_value: float) -> torch.Tensor:
    """`x` where `x > threshold`, else `default_value`."""
    return F.threshold(x, threshold, default_value)


@_activation
def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """`1 / (1 + exp(-x))`."""
    out = torch.sigmoid(x)
    out._keras_logits = x  # as Keras: crossentropy losses then work from the logits
    return out


@_activation
def sparse_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`."""
    return torch.where(x <= -1, 0, torch.where(x >= 1, 1, 0.5 * (x + 1)))


@_activation
def exponential(x: torch.Tensor) -> torch.Tensor:
    """`exp(x)`."""
    return torch.exp(x)


def _hard_sigmoid(x: torch.Tensor) -> torch.Tensor:
    if x.dtype == torch.float64:
        return _relu6(x + 3) / 6  # torch's hardsigmoid gradient uses a float32 1/6
    return F.hardsigmoid(x)


@_activation
def hard_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """`relu6(x + 3) / 6`: 0 below -3, 1 above 3, linear between."""
    return _hard_sigmoid(x)


@_activation
def hard_silu(x: torch.Tensor) -> torch.Tensor:
    """`x * hard_sigmoid(x)` (hard swish)."""
    return F.hardswish(x)


@_activation
def hard_tanh(x: torch.Tensor) -> torch.Tensor:
    """`x` clipped to `[-1, 1]`."""
    return torch.clamp(x, -1.0, 1.0)  # passes the gradient at ±1, as TF's clip_by_value


@_activation
def hard_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """`x` where `abs(x) > threshold`, else 0."""
    return F.hardshrink(x, threshold)


@_activation
def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """`log(sigmoid(x))`, computed stably."""
    return F.logsigmoid(x)


@_activation
def mish(x: torch.Tensor) -> torch.Tensor:
    """`x * tanh(softplus(x))`."""
    return F.mish(x)


@_activation
def sparsemax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Sparsemax, with Keras 3.15's formula for the threshold `tau`.

    Keras sums the cumulative sums over the whole support (not only the last one), so
    its outputs need not sum to 1; this follows Keras, the reference.
    """
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumsum = torch.cumsum(ordered, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    ranks = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).reshape(shape)
    support = ordered - (cumsum - 1) / ranks > 0
    k = support.sum(dim=axis, keepdim=True, dtype=x.dtype)
    tau = (torch.where(support, cumsum, 0).sum(dim=axis, keepdim=True) - 1) / k
    return torch.clamp(x - tau, min=0)


def linear(x):
    """The identity: returns `x` itself, as Keras does."""
    return x


_RAW[linear] = linear
swish = silu
hard_swish = hard_silu

_ALL = (relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus, soft_shrink,
        sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid, sparse_sigmoid, exponential,
        hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear, mish, log_softmax, log_sigmoid, sparsemax)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _ALL}
ALL_OBJECTS_DICT.update(swish=silu, hard_swish=hard_silu)
for _fn in _ALL:
    ser.keras_export(f"keras.activations.{_fn.__name__}")(_fn)
ser.keras_export("keras.activations.silu", "keras.activations.swish")(silu)
ser.keras_export("keras.activations.hard_silu", "keras.activations.hard_swish")(hard_silu)


def serialize(activation) -> str | dict:
    """An activation's name (built-ins), or a config dict for other callables."""
    config = ser.serialize_keras_object(activation)
    if "config" not in config:
        raise ValueError(f"Unknown activation function '{activation}' cannot be serialized due to invalid "
                         "function name. Make sure to use an activation name that matches the references "
                         "defined in activations.py or use `@keras.saving.register_keras_serializable()`to "
                         f"register any custom activations. config={config}")
    if not isinstance(activation, types.FunctionType):
        return config
    if isinstance(config["config"], str) and config["config"] not in ALL_OBJECTS_DICT:
        config["config"] = ser.get_registered_name(activation)
        return config
    return config["config"]


def deserialize(config, custom_objects: dict | None = None):
    """The activation a name or config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier) -> Callable:
    """An activation from None (linear), a name, a config dict or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = ser.deserialize_keras_object(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ser.get_error("activation function", identifier)


__all__ = sorted({*ALL_OBJECTS_DICT, "deserialize", "get", "serialize"})  # `raw_activation` is for layers
del _fn

__getattr__ = _missing_names("tf.keras.activations", __name__)
