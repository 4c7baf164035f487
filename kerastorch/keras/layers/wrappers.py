"""Layer wrappers: the `Wrapper` base class and `TimeDistributed`."""

from __future__ import annotations

import torch

from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers import serialization


class Wrapper(Layer):
    """The base class of layers that wrap another layer (`self.layer`).

    The wrapped layer is a tracked sublayer: the wrapper's weights are its weights.
    `get_config` nests the wrapped layer's serialized config under `"layer"`.

    Args:
        layer: the layer to wrap.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please ensure "
                             f"wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None) -> None:
        self._build_wrapped(input_shape)

    def _build_wrapped(self, input_shape) -> None:
        if not self.layer.built:
            self.layer._maybe_build(input_shape, (input_shape,))

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": serialization.serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        layer = serialization.deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


class TimeDistributed(Wrapper):
    """Applies a layer to every time step of its input (axis 1) independently.

    The time axis is folded into the batch axis, so the wrapped layer runs once on
    `(batch * steps, ...)` and its result is unfolded; the wrapped layer is built
    for one step's shape `(batch, ...)` and its weights are shared by all steps. A
    `(batch, steps)` input mask is passed (folded) to a wrapped layer that takes a
    mask, and is the output's mask.

    Args:
        layer: the layer to apply at each step.

    Input shape: `(batch, steps, ...)`, at least 3D.
    Output shape: `(batch, steps, ...)` with the wrapped layer's per-step output shape.

    Example:
        >>> layer = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(8))
        >>> layer(tf.ones((32, 10, 16))).shape
        TensorShape([32, 10, 8])
    """

    _default_masking = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
                             f"instance. Received: {layer}")
        super().__init__(layer, **kwargs)

    @staticmethod
    def _child_shape(input_shape) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                             f"dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape) -> None:
        self._build_wrapped(self._child_shape(tuple(input_shape)))

    def forward(self, inputs: torch.Tensor, training=None, mask=None):
        batch, steps = inputs.shape[:2]
        kwargs = {}
        spec = self.layer._call_spec()
        if mask is not None:
            _check_mask(mask, inputs)
            if spec.mask:
                kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])
        if spec.training:
            kwargs["training"] = training
        # Keras calls the wrapped layer's `call` per step: no activity regularizer, no mask of its own.
        outputs = self.layer.forward(inputs.reshape(batch * steps, *inputs.shape[2:]), **kwargs)
        return nest.map(lambda out: out.reshape(batch, steps, *out.shape[1:])
                        if isinstance(out, torch.Tensor) else out, outputs)

    def compute_output_shape(self, input_shape) -> tuple:
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1], *tuple(child)[1:])


def _check_mask(mask: torch.Tensor, inputs: torch.Tensor) -> None:
    if mask.dim() < 2:
        raise ValueError(f"The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., "
                         f"`(batch_size, timesteps)`), but it has {mask.dim()} dimension(s) with shape "
                         f"{tuple(mask.shape)}.")
    if tuple(mask.shape[:2]) != tuple(inputs.shape[:2]):
        raise ValueError(f"The `mask` passed to the `TimeDistributed` layer has a shape {tuple(mask.shape)} "
                         f"that is incompatible with the input shape {tuple(inputs.shape)}. The first two "
                         f"dimensions of the mask (batch size and timesteps) must match the input's first "
                         f"two dimensions. Expected mask shape prefix: ({inputs.shape[0]}, "
                         f"{inputs.shape[1]}).")
