"""The Masking layer: marks timesteps whose features all equal a value as padding."""

from __future__ import annotations

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.base_layer import Layer


class Masking(Layer):
    """Masks the timesteps whose features all equal `mask_value`, and zeroes them.

    The output mask is `any(inputs != mask_value, axis=-1)`: layers downstream that
    support masking (recurrent layers, pooling, …) skip the masked timesteps.

    Args:
        mask_value: the padding value (a number, or a tensor broadcastable to the features).

    Input shape: `(batch, timesteps, features)` (any rank; the last axis is the features).
    Output shape: the same.

    Example:
        >>> x = np.ones((1, 3, 2), "float32"); x[0, 1] = 0.0
        >>> tf.keras.layers.Masking()(x)._keras_mask
        <tf.Tensor: shape=(1, 3), dtype=bool, numpy=array([[ True, False,  True]])>
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config", None):
            mask_value = ser.deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self._value = unwrap(mask_value) if isinstance(mask_value, TensorLike) else mask_value
        self.supports_masking = True
        self.built = True

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        keep = self._keep(inputs).unsqueeze(-1)
        return torch.where(keep, inputs, torch.zeros((), dtype=inputs.dtype, device=inputs.device))

    def _keep(self, inputs: torch.Tensor) -> torch.Tensor:
        value = self._value
        if isinstance(value, torch.Tensor) and value.device != inputs.device:
            value = value.to(inputs.device)
        return (inputs != value).any(dim=-1)

    def _raw_mask(self, inputs, mask):
        return self._keep(inputs)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
