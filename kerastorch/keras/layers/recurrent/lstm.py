"""LSTMCell and LSTM (Hochreiter & Schmidhuber, 1997), in Keras's weight layout.

Weights: `kernel` `(input_dim, 4 * units)`, `recurrent_kernel` `(units, 4 * units)`,
`bias` `(4 * units,)`, gates in the order i, f, c, o — torch's order too (i, f, g, o),
so the fused kernel takes transposed views of the Keras variables as they are.
"""

from __future__ import annotations

import torch

from kerastorch.keras import activations, initializers
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import resolve_activation
from kerastorch.keras.layers.recurrent.base_cell import RecurrentCell, weight
from kerastorch.keras.layers.recurrent.rnn_layers import RecurrentLayer, cell_properties


class LSTMCell(RecurrentCell):
    """One step of an LSTM: `(inputs, [h, c]) -> (h', [h', c'])`.

    Args:
        units: the size of the output and of each state (a positive integer).
        activation: the cell and output activation (default tanh).
        recurrent_activation: the gates' activation (default sigmoid).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        unit_forget_bias: initialize the forget gate's bias to ones (the bias
            initializer fills the rest).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: the fraction of input units dropped when training.
        recurrent_dropout: the fraction of state units dropped when training.
        seed: the seed of the dropout masks.

    Input shape: `(batch, features)` and states `[(batch, units), (batch, units)]`.
    Output shape: `(batch, units)`.

    Example:
        >>> rnn = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(4))
        >>> rnn(tf.ones((32, 10, 8))).shape
        TensorShape([32, 4])
    """

    _gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation, self._recurrent_act = resolve_activation(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        # Keras's "implementation 1" (one dropout mask per gate) whenever recurrent dropout is set.
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self._dropout_count = 4
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape) -> None:
        self._add_kernels(input_shape[-1])
        initializer = self.bias_initializer
        if self.unit_forget_bias:
            initializer = ForgetBias(self.bias_initializer, self.units)
        self._add_bias((self.units * 4,), initializer)

    def _fused(self, inputs: torch.Tensor, training: bool):
        if self.activation is not activations.tanh or self.recurrent_activation is not activations.sigmoid:
            return None
        inputs = self._fused_inputs(inputs, training)
        if inputs is None:
            return None
        return "lstm", inputs, self._fused_params(inputs.dtype)

    def _recur(self, z: torch.Tensor, states: list, training: bool):
        h, c = states
        z = z + self._recurrent_term(h, weight(self.recurrent_kernel, z.dtype), training)
        i, f, g, o = z.chunk(4, 1)
        act, gate = self._act, self._recurrent_act
        c = gate(f) * c + gate(i) * act(g)
        h = gate(o) * act(c)
        return h, [h, c]

    def _returned_states(self, new_states: list, nested: bool):
        return new_states

    def get_config(self) -> dict:
        return {**super().get_config(), **self._base_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias, **self._families_config(),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


class ForgetBias(initializers.Initializer):
    """The bias initializer of `unit_forget_bias`: ones for the forget gate, `initializer` elsewhere."""

    def __init__(self, initializer, units: int):
        self.initializer = initializer
        self.units = units

    def raw(self, shape: tuple, dtype: torch.dtype, device) -> torch.Tensor:
        fill = initializers.raw_initializer(self.initializer)
        u = self.units
        return torch.cat([fill((u,), dtype, device), torch.ones((u,), dtype=dtype, device=device),
                          fill((2 * u,), dtype, device)])


@cell_properties("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
                 "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                 "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                 "bias_constraint", "dropout", "recurrent_dropout")
class LSTM(RecurrentLayer):
    """Long Short-Term Memory layer (Hochreiter, 1997).

    Runs torch's fused LSTM kernel when the activations are tanh/sigmoid and no
    recurrent dropout is active (masked inputs included when each sample's unmasked
    steps are contiguous, e.g. padded sequences); otherwise a step loop.

    Args:
        units: the size of the output and of each state (a positive integer).
        activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, unit_forget_bias,
            kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed: as for `LSTMCell`.
        activity_regularizer: a regularizer for the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.
        use_cudnn: `"auto"`, True or False (kept for compatibility: the fused
            kernel is used whenever it applies).

    Input shape: `(batch, time, features)`.
    Output shape: `(batch, units)`, `(batch, time, units)` with `return_sequences`;
    with `return_state`, followed by the final `h` and `c`.

    Example:
        >>> lstm = tf.keras.layers.LSTM(4, return_sequences=True, return_state=True)
        >>> sequences, h, c = lstm(tf.ones((32, 10, 8)))
        >>> sequences.shape, h.shape
        (TensorShape([32, 10, 4]), TensorShape([32, 4]))
    """

    _cell_class = LSTMCell
    _cell_name = "lstm_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed=None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, use_cudnn="auto", **kwargs):
        cell_args = dict(units=units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, unit_forget_bias=unit_forget_bias,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                         dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                         implementation=kwargs.pop("implementation", 2))
        super().__init__(cell_args, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, use_cudnn=use_cudnn, **kwargs)
        self.input_spec = InputSpec(ndim=3)
