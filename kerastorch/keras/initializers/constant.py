"""The deterministic initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.tensor import TensorLike
from kerastorch.keras import _serialization as ser
from kerastorch.keras.initializers.base import _Drawn


@ser.keras_export("keras.initializers.Zeros", "keras.initializers.zeros")
class Zeros(_Drawn):
    """Initializer that generates tensors of zeros (any numeric or bool dtype).

    Example:
        >>> values = tf.keras.initializers.Zeros()((2, 2))
    """

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        return torch.zeros(shape, dtype=dtype)


@ser.keras_export("keras.initializers.Ones", "keras.initializers.ones")
class Ones(_Drawn):
    """Initializer that generates tensors of ones (any numeric or bool dtype).

    Example:
        >>> values = tf.keras.initializers.Ones()((2, 2))
    """

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        return torch.ones(shape, dtype=dtype)


@ser.keras_export("keras.initializers.Constant", "keras.initializers.constant")
class Constant(_Drawn):
    """Initializer that fills tensors with `value` (cast to the dtype, broadcast to the shape).

    Args:
        value: a Python scalar (or anything broadcastable to the shape: list, numpy, tensor).

    Example:
        >>> values = tf.keras.initializers.Constant(3.0)((2, 2))
    """

    def __init__(self, value=0.0):
        self.value = value

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        value = self.value.numpy() if isinstance(self.value, TensorLike) else self.value
        fill = torch.as_tensor(np.asarray(value)).to(dtype)
        return fill * torch.ones(shape, dtype=dtype)

    def get_config(self) -> dict:
        return {"value": ser.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config: dict) -> Constant:
        return cls(ser.deserialize_keras_object(config["value"]))


@ser.keras_export("keras.initializers.Identity", "keras.initializers.identity",
                  "keras.initializers.IdentityInitializer")
class Identity(_Drawn):
    """Initializer that generates `gain` times the identity matrix (2D shapes only).

    As in Keras, `get_config()` is empty: `gain` is not serialized.

    Args:
        gain: the factor applied to the identity matrix.

    Example:
        >>> values = tf.keras.initializers.Identity()((2, 3))
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return (self.gain * torch.eye(*shape, dtype=dtype)).to(dtype)
