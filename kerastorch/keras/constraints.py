"""`tf.keras.constraints`: projections applied to weights after each optimizer update.

`constraint(w)` takes a kerastorch tensor or Variable and returns the projected Tensor;
the engine calls `raw_constraint(c)(w)` (or `c.raw(w)`) on torch tensors. The norms
follow Keras 3: `w * desired / (epsilon + norm)` with `epsilon = 1e-7`.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import _family
from kerastorch.keras import _serialization as ser

_EPSILON = 1e-7  # Keras's default `keras.config.epsilon()`


@ser.keras_export("keras.constraints.Constraint")
class Constraint:
    """Base class of weight constraints: `constraint(w)` returns the projected weight.

    Subclass it and implement `__call__(self, w)` on kerastorch tensors (the base
    returns `w` unchanged), plus `get_config` for serialization.

    Example:
        >>> class NonNegative(tf.keras.constraints.Constraint):
        ...     def __call__(self, w):
        ...         return tf.maximum(w, 0.0)
    """

    def __call__(self, w):
        return w

    def raw(self, w: torch.Tensor) -> torch.Tensor:
        """The projection of a torch tensor (the engine's entry point)."""
        return _family.call_raw(self, w)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        """A constraint from its `get_config()`."""
        return cls(**config)


class _Builtin(_family.Builtin, Constraint):
    """A built-in constraint: `_raw(w)` projects a torch tensor."""


def raw_constraint(constraint: Callable) -> Callable[[torch.Tensor], torch.Tensor]:
    """The engine's entry point for any constraint: `torch.Tensor -> torch.Tensor`.

    Args:
        constraint: a `Constraint`, or a function of a kerastorch tensor.
    """
    return _family.raw_function(constraint, Constraint)


def _norms(w: torch.Tensor, axis) -> torch.Tensor:
    if not w.is_floating_point():
        w = w.to(torch.float32)
    dims = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return torch.sqrt(w.square().sum(dim=dims, keepdim=True))


@ser.keras_export("keras.constraints.MaxNorm", "keras.constraints.max_norm")
class MaxNorm(_Builtin):
    """Scales each slice of the weight whose norm exceeds `max_value` back to it.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norms are taken over: 0 for a Dense kernel
            `(input_dim, units)` constrains each unit's incoming weights; `[0, 1, 2]` for a
            Conv2D kernel `(rows, cols, in, out)` each filter.
    """

    def __init__(self, max_value: float = 2, axis: int | list = 0):
        self.max_value = max_value
        self.axis = axis

    def _raw(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w.to(norms.dtype) * (desired / (_EPSILON + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@ser.keras_export("keras.constraints.NonNeg", "keras.constraints.non_neg")
class NonNeg(_Builtin):
    """Sets negative weights to zero."""

    def _raw(self, w: torch.Tensor) -> torch.Tensor:
        return torch.clamp(w, min=0)


@ser.keras_export("keras.constraints.UnitNorm", "keras.constraints.unit_norm")
class UnitNorm(_Builtin):
    """Scales each slice of the weight to norm 1 (up to epsilon).

    Args:
        axis: the axis (or axes) the norms are taken over (see `MaxNorm`).
    """

    def __init__(self, axis: int | list = 0):
        self.axis = axis

    def _raw(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        return w.to(norms.dtype) / (_EPSILON + norms)

    def get_config(self) -> dict:
        return {"axis": self.axis}


@ser.keras_export("keras.constraints.MinMaxNorm", "keras.constraints.min_max_norm")
class MinMaxNorm(_Builtin):
    """Moves each slice's norm into `[min_value, max_value]`, at `rate`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: the smallest norm.
        max_value: the largest norm.
        rate: 1.0 enforces the bounds at once; less moves towards them gradually.
        axis: the axis (or axes) the norms are taken over (see `MaxNorm`).
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0,
                 axis: int | list = 0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def _raw(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w.to(norms.dtype) * (desired / (_EPSILON + norms))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm

# The names `get` / `deserialize` accept (Keras 3.15's table).
ALL_OBJECTS_DICT = {
    "Constraint": Constraint, "constraint": Constraint,
    "MaxNorm": MaxNorm, "max_norm": MaxNorm, "MinMaxNorm": MinMaxNorm, "min_max_norm": MinMaxNorm,
    "NonNeg": NonNeg, "non_neg": NonNeg, "UnitNorm": UnitNorm, "unit_norm": UnitNorm,
}


def serialize(constraint) -> dict | None:
    """The config dict of a constraint."""
    return ser.serialize_keras_object(constraint)


def deserialize(config, custom_objects: dict | None = None):
    """The constraint a name or config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """A constraint from None, a name (a new default instance), a config dict, a class or a callable."""
    return _family.get(identifier, "constraint", ALL_OBJECTS_DICT)


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get", "max_norm",
           "min_max_norm", "non_neg", "serialize", "unit_norm"]  # `raw_constraint` is for the engine

__getattr__ = _missing_names("tf.keras.constraints", __name__)
