"""`StackedRNNCells`: a list of cells acting as one cell (each feeds the next)."""

from __future__ import annotations

import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers import serialization
from kerastorch.keras.layers.recurrent import sequence


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that they behave as a single cell.

    At each step the first cell reads the input, each next cell reads the previous
    cell's output; the states are one entry per cell.

    Args:
        cells: a list of RNN cells (layers with `call(inputs, states)` and `state_size`).

    Example:
        >>> cells = [tf.keras.layers.LSTMCell(8), tf.keras.layers.LSTMCell(4)]
        >>> tf.keras.layers.RNN(tf.keras.layers.StackedRNNCells(cells))(tf.ones((2, 5, 3))).shape
        TensorShape([2, 4])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(f"All cells must have a `call` method. Received cell without a `call` method: "
                                 f"{cell}")
            if "state_size" not in dir(cell):
                raise ValueError(f"All cells must have a `state_size` attribute. Received cell without a "
                                 f"`state_size`: {cell}")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        return last.state_size[0] if isinstance(last.state_size, (list, tuple)) else last.state_size

    def build(self, input_shape) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            if getattr(cell, "output_size", None) is not None:
                output_dim = cell.output_size
            elif isinstance(cell.state_size, (list, tuple)):
                output_dim = cell.state_size[0]
            else:
                output_dim = cell.state_size
            input_shape = (nest.flatten(input_shape)[0], output_dim)

    def _initial_state(self, batch: int, dtype: torch.dtype, device) -> list:
        return [sequence.initial_state(cell, batch, dtype, device, single_as_list=False) for cell in self.cells]

    def get_initial_state(self, batch_size=None) -> list:
        """The initial states of every cell (zeros unless a cell defines its own)."""
        raw = self._initial_state(batch_size, dtypes.as_dtype(self.compute_dtype)._torch, _device.current())
        return nest.map(wrap, raw)

    _native_initial_state = get_initial_state

    def forward(self, inputs: torch.Tensor, states, training=None):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            as_list = isinstance(cell_states, (list, tuple))
            inputs, cell_states = sequence.caller(cell, training)(inputs, _as_list(cell_states))
            new_states.append(_restore(cell_states, as_list))
        return inputs, new_states[0] if len(new_states) == 1 else new_states

    _native_forward = forward

    def _run_sequence(self, inputs: torch.Tensor, states, mask, training: bool):
        # Cell by cell over the whole sequence: equal to stepping the stack, since a masked
        # step's results are discarded by every cell alike.
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            as_list = isinstance(cell_states, (list, tuple))
            inputs, cell_states = sequence.run(cell, inputs, _as_list(cell_states), mask, training)
            new_states.append(_restore(cell_states, as_list))
        return inputs, new_states[0] if len(new_states) == 1 else new_states

    def get_config(self) -> dict:
        return {**super().get_config(), "cells": [serialization.serialize(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        cells = [serialization.deserialize(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _as_list(states) -> list:
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _restore(new_states, as_list: bool):
    """A cell's new states in the form its states came in (Keras's StackedRNNCells rule)."""
    new_states = _as_list(new_states)
    return new_states[0] if len(new_states) == 1 and not as_list else new_states
