"""`Bidirectional`: an RNN run forwards and a copy of it run backwards, outputs merged."""

from __future__ import annotations

import copy

import torch

from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers import serialization

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy(layer: Layer, prefix: str, **overrides) -> Layer:
    """A fresh layer with `layer`'s config, named `<prefix>_<name>` (Keras's sublayer names)."""
    config = serialization.serialize(layer)
    config["config"].update(overrides, name=f"{prefix}_{layer.name.removeprefix(prefix + '_')}")
    return serialization.deserialize(config)


class Bidirectional(Layer):
    """Runs an RNN layer over the sequence in both directions and merges the outputs.

    The forward sublayer is a copy of `layer` named `forward_<name>`, the backward one
    a copy with `go_backwards=True` named `backward_<name>` (or `backward_layer`).
    With `return_sequences`, the backward outputs are reversed back into time order
    before merging, and masked steps output zeros in both directions.

    Args:
        layer: an RNN layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`, …).
        merge_mode: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`, or None to
            return both outputs as a pair.
        weights: initial weights, forward layer's first (applied when built, as Keras 2 did).
        backward_layer: the layer for the backward direction (with `go_backwards=True`).

    Input shape: `(batch, time, features)`.
    Output shape: the wrapped layer's, with twice the features for `"concat"`; with
    `return_state`, followed by the forward then the backward states.

    Example:
        >>> layer = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4, return_sequences=True))
        >>> layer(tf.ones((2, 5, 3))).shape
        TensorShape([2, 5, 8])
    """

    def __init__(self, layer, merge_mode: str | None = "concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: "
                             f"{backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f'Invalid merge mode. Received: {merge_mode}. Merge mode should be one of '
                             f'{{"sum", "mul", "ave", "concat", None}}')
        super().__init__(**kwargs)
        self.forward_layer = _copy(layer, "forward")
        self.backward_layer = backward_layer if backward_layer is not None else _copy(layer, "backward",
                                                                                      go_backwards=True)
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for sublayer in (self.forward_layer, self.backward_layer):
            if getattr(sublayer, "zero_output_for_mask", None) is not None:
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self._pending_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(f"Forward layer and backward layer should have different `go_backwards` value. "
                             f"Received: forward_layer.go_backwards {forward.go_backwards}, "
                             f"backward_layer.go_backwards={backward.go_backwards}")
        for name in ("stateful", "return_sequences", "return_state"):
            forward_value, backward_value = getattr(forward, name), getattr(backward, name)
            if forward_value != backward_value:
                raise ValueError(f'Forward layer and backward layer are expected to have the same value for '
                                 f'attribute "{name}", got "{forward_value}" for forward layer and '
                                 f'"{backward_value}" for backward layer')

    def build(self, sequences_shape, initial_state_shape=None) -> None:
        for sublayer in (self.forward_layer, self.backward_layer):
            if not sublayer.built:
                sublayer.build(sequences_shape)
        if self._pending_weights is not None:
            half = len(self._pending_weights) // 2
            self.forward_layer.set_weights(self._pending_weights[:half])
            self.backward_layer.set_weights(self._pending_weights[half:])
            self._pending_weights = None

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        elif self.merge_mode is None:
            output_shape = [output_shape, output_shape]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shape + state_shape
            return (output_shape, *state_shape, *state_shape)
        return tuple(output_shape)

    def forward(self, sequences: torch.Tensor, initial_state=None, mask=None, training=None):
        kwargs = {"training": training, "mask": mask}
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        if self.return_state:
            states = (*y[1:], *y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        output = _merge(self.merge_mode, y, y_rev)
        if self.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output

    def _raw_mask(self, inputs, mask):
        mask = nest.flatten(mask)[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else (mask, mask)
        else:
            output_mask = None if self.merge_mode else (None, None)
        if self.return_state and self.states is not None:
            heads = output_mask if isinstance(output_mask, tuple) else (output_mask,)
            return (*heads, *(None for _ in nest.flatten(self.states)))
        return output_mask

    def compute_mask(self, inputs, mask=None):
        return self._raw_mask(inputs, mask)

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def reset_state(self) -> None:
        """Sets both directions' states back to zeros (stateful layers only)."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        self.reset_state()

    def get_config(self) -> dict:
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialization.serialize(self.forward_layer),
                "backward_layer": serialization.serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = serialization.deserialize(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = serialization.deserialize(backward, custom_objects=custom_objects)
        return cls(**config)


def _merge(mode, y: torch.Tensor, y_rev: torch.Tensor):
    if mode == "concat":
        return torch.cat([y, y_rev], -1)
    if mode == "sum":
        return y + y_rev
    if mode == "ave":
        return (y + y_rev) / 2
    if mode == "mul":
        return y * y_rev
    return (y, y_rev)
