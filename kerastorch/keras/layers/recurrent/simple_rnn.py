"""SimpleRNNCell and SimpleRNN: `h' = activation(x @ kernel + h @ recurrent_kernel + bias)`."""

from __future__ import annotations

import torch

from kerastorch.keras import activations
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers.recurrent.base_cell import RecurrentCell, weight
from kerastorch.keras.layers.recurrent.rnn_layers import RecurrentLayer, cell_properties


class SimpleRNNCell(RecurrentCell):
    """One step of a fully connected RNN: `(inputs, h) -> (h', h')`.

    Args:
        units: the size of the output and of the state (a positive integer).
        activation: the activation (default tanh).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: the fraction of input units dropped when training.
        recurrent_dropout: the fraction of state units dropped when training.
        seed: the seed of the dropout masks.

    Input shape: `(batch, features)` and a state `(batch, units)`.
    Output shape: `(batch, units)`.

    Example:
        >>> tf.keras.layers.RNN(tf.keras.layers.SimpleRNNCell(4))(tf.ones((32, 10, 8))).shape
        TensorShape([32, 4])
    """

    def __init__(self, units, activation="tanh", use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape) -> None:
        self._add_kernels(input_shape[-1])
        self._add_bias((self.units,), self.bias_initializer)

    def _fused(self, inputs: torch.Tensor, training: bool):
        kind = {id(activations.tanh): "rnn_tanh", id(activations.relu): "rnn_relu"}.get(id(self.activation))
        inputs = None if kind is None else self._fused_inputs(inputs, training)
        if inputs is None:
            return None
        return kind, inputs, self._fused_params(inputs.dtype)

    def _recur(self, x: torch.Tensor, states: list, training: bool):
        output = self._act(x + self._recurrent_term(states[0], weight(self.recurrent_kernel, x.dtype), training))
        return output, [output]

    def get_config(self) -> dict:
        return {**super().get_config(), **self._base_config(), "use_bias": self.use_bias,
                **self._families_config(), "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


@cell_properties("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                 "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                 "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")
class SimpleRNN(RecurrentLayer):
    """Fully connected RNN whose output is fed back as its next input.

    With a tanh or relu activation and no active recurrent dropout it runs torch's
    fused RNN kernel; otherwise a step loop.

    Args:
        units: the size of the output and of the state (a positive integer).
        activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer,
            bias_regularizer, kernel_constraint, recurrent_constraint,
            bias_constraint, dropout, recurrent_dropout, seed: as for `SimpleRNNCell`.
        activity_regularizer: accepted and ignored, as Keras 3 does.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.

    Input shape: `(batch, time, features)`.
    Output shape: `(batch, units)`, `(batch, time, units)` with `return_sequences`;
    with `return_state`, followed by the final state.

    Example:
        >>> tf.keras.layers.SimpleRNN(4)(tf.ones((32, 10, 8))).shape
        TensorShape([32, 4])
    """

    _cell_class = SimpleRNNCell
    _cell_name = "simple_rnn_cell"
    _cell_keys_not_in_config = ("seed",)

    def __init__(self, units, activation="tanh", use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False, seed=None, **kwargs):
        cell_args = dict(units=units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                         kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed)
        # Keras 3's SimpleRNN takes `activity_regularizer` but never hands it to the layer.
        super().__init__(cell_args, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)
        self.input_spec = [InputSpec(ndim=3)]
