"""`tf.keras.regularizers`: weight penalties (L1, L2, L1L2, orthogonal), Keras 3's formulas.

`reg(x)` takes a kerastorch tensor or Variable and returns a scalar Tensor; the engine
calls `raw_regularizer(reg)(x)` (or `reg.raw(x)`) on torch tensors. A user subclass
overriding `__call__` (on facade tensors) works through `raw` as well.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import _family
from kerastorch.keras import _serialization as ser

_EPSILON = 1e-7  # Keras's default `keras.config.epsilon()`


@ser.keras_export("keras.Regularizer", "keras.regularizers.Regularizer")
class Regularizer:
    """Base class of regularizers: `reg(x)` is a scalar penalty added to the loss.

    Subclass it and implement `__call__(self, x)` on kerastorch tensors, plus
    `get_config` for serialization.

    Example:
        >>> class L2Sum(tf.keras.regularizers.Regularizer):
        ...     def __call__(self, x):
        ...         return 0.1 * tf.reduce_sum(tf.square(x))
    """

    def __call__(self, x):
        return 0.0

    def raw(self, x: torch.Tensor) -> torch.Tensor:
        """The penalty of a torch tensor, as a 0-d torch tensor of its dtype (the engine's entry)."""
        return _family.call_raw(self, x)

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        """A regularizer from its `get_config()`."""
        return cls(**config)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-friendly dict."""
        raise NotImplementedError(f"{self} does not implement get_config()")


class _Builtin(_family.Builtin, Regularizer):
    """A built-in regularizer: `_raw(x)` is the penalty of a torch tensor."""


def raw_regularizer(regularizer: Callable) -> Callable[[torch.Tensor], torch.Tensor]:
    """The engine's entry point for any regularizer: `torch.Tensor -> 0-d torch.Tensor`.

    Args:
        regularizer: a `Regularizer`, or a function of a kerastorch tensor.
    """
    return _family.raw_function(regularizer, Regularizer)


def validate_float_arg(value, name: str) -> float:
    """`value` as a float, if it is a finite non-negative Python number (Keras's check)."""
    if not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


def _float32(value: float) -> float:
    # Keras's factors go through float32 (`ops.cast` of a Python float makes a float32 tensor
    # first; L1's and the orthogonal factor are even stored so, and their config shows it):
    # penalties of float64 weights use the float32 value.
    return float(np.float32(value))


@ser.keras_export("keras.regularizers.L1L2", "keras.regularizers.l1_l2")
class L1L2(_Builtin):
    """`l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: the L1 factor (None means 0).
        l2: the L2 factor (None means 0).

    Example:
        >>> penalty = tf.keras.regularizers.L1L2(l1=0.01, l2=0.01)(tf.ones((2, 2)))
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def _raw(self, x: torch.Tensor) -> torch.Tensor:
        total = x.new_zeros(())
        if self.l1 != 0.0:
            total = total + _float32(self.l1) * x.abs().sum()
        if self.l2 != 0.0:
            total = total + _float32(self.l2) * x.square().sum()
        return total

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


@ser.keras_export("keras.regularizers.L1", "keras.regularizers.l1")
class L1(_Builtin):
    """`l1 * sum(abs(x))`.

    Args:
        l1: the factor (None means 0.01); kept as a float32 value, as Keras does.
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _float32(validate_float_arg(0.01 if l1 is None else l1, name="l1"))

    def _raw(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * x.abs().sum()

    def get_config(self) -> dict:
        return {"l1": self.l1}


@ser.keras_export("keras.regularizers.L2", "keras.regularizers.l2")
class L2(_Builtin):
    """`l2 * sum(square(x))`.

    Args:
        l2: the factor (None means 0.01).

    Example:
        >>> penalty = tf.keras.regularizers.L2(0.1)(tf.ones((2, 2)))  # 0.4
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def _raw(self, x: torch.Tensor) -> torch.Tensor:
        return _float32(self.l2) * x.square().sum()

    def get_config(self) -> dict:
        return {"l2": self.l2}


@ser.keras_export("keras.regularizers.OrthogonalRegularizer", "keras.regularizers.orthogonal_regularizer")
class OrthogonalRegularizer(_Builtin):
    """Pushes the rows (or columns) of a 2D weight towards orthogonality.

    The penalty is `factor * 0.5 * sum(|dot products of distinct L2-normalized rows|)`
    divided by the number of pairs.

    Args:
        factor: the factor (kept as a float32 value, as Keras does).
        mode: `"rows"` or `"columns"`.
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _float32(validate_float_arg(factor, name="factor"))
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                             f"Received: mode={mode}")
        self.mode = mode

    def _raw(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(x.shape)}")
        axis = 1 if self.mode == "rows" else 0
        # Keras's L2 normalization: x * min(rsqrt(sum(x^2)), 1 / epsilon).
        unit = x * torch.clamp(torch.rsqrt(x.square().sum(dim=axis, keepdim=True)), max=1.0 / _EPSILON)
        product = unit @ unit.T if axis == 1 else unit.T @ unit
        size = x.shape[1 - axis]
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * off_diagonal.abs().sum() / pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

# The names `get` / `deserialize` accept: Keras's table (note "l1l2", not "l1_l2").
ALL_OBJECTS_DICT = {
    "Regularizer": Regularizer, "regularizer": Regularizer,
    "L1": L1, "l1": L1, "L2": L2, "l2": L2, "L1L2": L1L2, "l1l2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer, "orthogonal_regularizer": OrthogonalRegularizer,
}


def serialize(regularizer) -> dict | None:
    """The config dict of a regularizer."""
    return ser.serialize_keras_object(regularizer)


def deserialize(config, custom_objects: dict | None = None):
    """The regularizer a name or config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """A regularizer from None, a name (a new default instance), a config dict, a class or a callable."""
    return _family.get(identifier, "regularizer", ALL_OBJECTS_DICT)


__all__ = ["L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize", "get", "l1", "l1_l2",
           "l2", "orthogonal_regularizer", "serialize"]  # `raw_regularizer` is for the engine

__getattr__ = _missing_names("tf.keras.regularizers", __name__)
