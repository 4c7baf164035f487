"""`RNN`: runs a cell over the time axis (the base of SimpleRNN, LSTM, GRU, ConvLSTM)."""

from __future__ import annotations

import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import naming, nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.layers import serialization
from kerastorch.keras.layers.recurrent import sequence
from kerastorch.keras.layers.recurrent.dropout_cell import DropoutRNNCell
from kerastorch.keras.layers.recurrent.stacked_cells import StackedRNNCells


class RNN(Layer):
    """Base class for recurrent layers: applies a cell to every step of a sequence.

    Args:
        cell: an RNN cell (a layer with `call(inputs, states)` returning
            `(output, new_states)` and a `state_size`), or a list of cells (stacked).
        return_sequences: return the output of every step, not only the last one.
        return_state: also return the final states.
        go_backwards: process the sequence in reverse (and return it reversed).
        stateful: the final states of a batch are the initial states of the next one.
        unroll: accepted for compatibility (the loop is the same).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments: `sequences` `(batch, time, features)`, `initial_state` (a list of
    state tensors), `mask` `(batch, time)` booleans, `training`.

    Input shape: `(batch, time, ...)`.
    Output shape: `(batch, time, output_size)` with `return_sequences`, else
    `(batch, output_size)`; with `return_state`, followed by the states.

    Example:
        >>> layer = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(4), return_sequences=True)
        >>> layer(tf.ones((2, 5, 3))).shape
        TensorShape([2, 5, 4])
    """

    def __init__(self, cell, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError(f"The RNN cell should have a `state_size` attribute (single integer or list of "
                             f"integers, one integer per RNN state). Received: cell={cell}")
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        object.__setattr__(self, "states", None)  # state variables are not weights: kept untracked
        self._expected_batch_size = None
        state_size = getattr(cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError("state_size must be an integer, or a list/tuple of integers (one for each state "
                             "tensor).")
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    # -- shapes and masks -------------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        states = [(batch, s) if isinstance(s, int) else [(batch, d) for d in s] for s in self.state_size]
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError("output_size must be an integer.")
        output = (batch, length, output_size) if self.return_sequences else (batch, output_size)
        return (output, *states) if self.return_state else output

    def _mask_structure(self, mask):
        mask = nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None for _ in self.state_size] if self.return_state else output_mask

    def compute_mask(self, inputs, mask=None):
        return self._mask_structure(mask)

    def _raw_mask(self, inputs, mask):
        return self._mask_structure(mask)

    # -- building and states ----------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None) -> None:
        step_shape = (sequences_shape[0], *tuple(sequences_shape)[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(f"When using `stateful=True` in a RNN, the batch size must be static. Found "
                                     f"dynamic batch size: sequence.shape={tuple(sequences_shape)}")
                self._create_state_variables(sequences_shape[0])
                self._expected_batch_size = sequences_shape[0]

    def _create_state_variables(self, batch_size: int) -> None:
        path = naming.current_path()
        initial = self._initial_raw(batch_size, dtypes.as_dtype(self.variable_dtype)._torch, _device.current())
        states = nest.map(lambda v: KerasVariable(v, trainable=False, dtype=self.variable_dtype, name="rnn_state",
                                                  path=path), initial)
        object.__setattr__(self, "states", states)

    def _initial_raw(self, batch: int, dtype: torch.dtype, device) -> list:
        return sequence.initial_state(self.cell, batch, dtype, device)

    def get_initial_state(self, batch_size: int) -> list:
        """The states a sequence starts from (zeros unless the cell defines them)."""
        raw = self._initial_raw(batch_size, dtypes.as_dtype(self.compute_dtype)._torch, _device.current())
        return nest.map(wrap, raw)

    def reset_state(self) -> None:
        """Sets the states of a stateful layer back to zeros."""
        if self.states is not None:
            for v in nest.flatten(self.states):
                v.assign(torch.zeros_like(v._param))

    def reset_states(self) -> None:
        """`reset_state()` (the Keras 2 name)."""
        self.reset_state()

    def _start_states(self, sequences: torch.Tensor, initial_state) -> list:
        if initial_state is None:
            if self.stateful:
                # A copy: the variables are updated after the call while autograd may still need these.
                return nest.map(lambda v: _state_tensor(v._t.clone(), sequences), self.states)
            return self._initial_raw(sequences.shape[0], sequences.dtype, sequences.device)
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        return nest.map(lambda s: _state_tensor(s, sequences), states)

    # -- calling ----------------------------------------------------------------------
    def forward(self, sequences: torch.Tensor, initial_state=None, mask=None, training=None):
        training = bool(training)
        if not sequences.is_floating_point():
            sequences = sequences.to(dtypes.as_dtype(self.compute_dtype)._torch)
        states = self._start_states(sequences, initial_state)
        if self.stateful and self._expected_batch_size not in (None, sequences.shape[0]):
            raise ValueError(f"If an RNN is stateful, the batch size of the input sequences must be the same as "
                             f"the batch size of the initial state. \n- Expected batch size: "
                             f"{self._expected_batch_size}\n- Received batch size: {sequences.shape[0]}")
        if mask is not None:
            mask = nest.flatten(mask)[0]
            mask = mask.to(torch.bool) if mask.dim() == 2 else mask.reshape(mask.shape[:2]).to(torch.bool)
        if self.go_backwards:
            sequences = sequences.flip(1)
            mask = None if mask is None else mask.flip(1)
        outputs, states = sequence.run(self.cell, sequences, states, mask, training)
        _reset_dropout(self.cell)
        if self.zero_output_for_mask and mask is not None:
            outputs = torch.where(mask.view(*mask.shape, *([1] * (outputs.dim() - 2))), outputs, 0)
        if self.stateful:
            for variable, value in zip(nest.flatten(self.states), nest.flatten(states)):
                variable.assign(value.detach().to(variable._param.dtype))
        output = outputs if self.return_sequences else outputs[:, -1]
        if self.return_state:
            return (output, *states)
        return output

    def get_config(self) -> dict:
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards, "stateful": self.stateful,
                "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask,
                "cell": serialization.serialize(self.cell)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        cell = serialization.deserialize(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _state_tensor(value, like: torch.Tensor) -> torch.Tensor:
    raw = value if isinstance(value, torch.Tensor) else unwrap(value)
    return raw.to(device=like.device, dtype=like.dtype)


def _reset_dropout(cell) -> None:
    """Forgets the cells' dropout masks: the next call draws new ones."""
    if isinstance(cell, DropoutRNNCell) and (cell._dropout_mask is not None
                                             or cell._recurrent_dropout_mask is not None):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    if isinstance(cell, StackedRNNCells):
        for inner in cell.cells:
            _reset_dropout(inner)
