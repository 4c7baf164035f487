"""GRUCell and GRU (Cho et al., 2014), in Keras's weight layout.

Weights: `kernel` `(input_dim, 3 * units)` and `recurrent_kernel` `(units, 3 * units)`
with the gates in Keras's order z (update), r (reset), h (candidate); `bias` is
`(2, 3 * units)` (input and recurrent biases) with `reset_after=True`, else
`(3 * units,)`. torch's GRU orders its gates r, z, n and applies the reset gate
after the recurrent matmul, i.e. it is Keras's `reset_after=True` GRU: that variant
runs on the fused kernel with the gate blocks reordered; `reset_after=False` loops.
"""

from __future__ import annotations

import torch

from kerastorch.keras import activations
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import resolve_activation
from kerastorch.keras.layers.recurrent.base_cell import RecurrentCell, weight
from kerastorch.keras.layers.recurrent.dropout_cell import applies
from kerastorch.keras.layers.recurrent.rnn_layers import RecurrentLayer, cell_properties


def _torch_gate_order(value: torch.Tensor, units: int) -> torch.Tensor:
    """Keras's z, r, h column blocks as torch's r, z, n."""
    return torch.cat([value[..., units:2 * units], value[..., :units], value[..., 2 * units:]], -1)


class GRUCell(RecurrentCell):
    """One step of a GRU: `(inputs, h) -> (h', h')`.

    Args:
        units: the size of the output and of the state (a positive integer).
        activation: the candidate activation (default tanh).
        recurrent_activation: the gates' activation (default sigmoid).
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: the fraction of input units dropped when training.
        recurrent_dropout: the fraction of state units dropped when training.
        reset_after: apply the reset gate after the recurrent matmul (the cuDNN and
            torch convention; separate input and recurrent biases) or before.
        seed: the seed of the dropout masks.

    Input shape: `(batch, features)` and a state `(batch, units)`.
    Output shape: `(batch, units)`.

    Example:
        >>> tf.keras.layers.RNN(tf.keras.layers.GRUCell(4))(tf.ones((32, 10, 8))).shape
        TensorShape([32, 4])
    """

    _gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, reset_after: bool = True, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation, self._recurrent_act = resolve_activation(recurrent_activation)
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self._dropout_count = 3
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape) -> None:
        self._add_kernels(input_shape[-1])
        shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_bias(shape, self.bias_initializer)

    def _input_bias(self, dtype: torch.dtype):
        if self.bias is None:
            return None
        bias = weight(self.bias, dtype)
        return bias[0] if self.reset_after else bias

    def _fused(self, inputs: torch.Tensor, training: bool):
        if (not self.reset_after or self.activation is not activations.tanh
                or self.recurrent_activation is not activations.sigmoid):
            return None
        inputs = self._fused_inputs(inputs, training)
        if inputs is None:
            return None
        u = self.units
        params = [_torch_gate_order(weight(self.kernel, inputs.dtype), u).t(),
                  _torch_gate_order(weight(self.recurrent_kernel, inputs.dtype), u).t()]
        if self.bias is not None:
            bias = _torch_gate_order(weight(self.bias, inputs.dtype), u)
            params += [bias[0], bias[1]]
        return "gru", inputs, params

    def _recur(self, x: torch.Tensor, states: list, training: bool):
        h = states[0]
        u = self.units
        kernel = weight(self.recurrent_kernel, x.dtype)
        x_z, x_r, x_h = x.chunk(3, 1)
        dropped = applies(training, self.recurrent_dropout)
        if dropped:
            mask = self._recurrent_mask(h)
            h_z, h_r, h_h = h * mask[0], h * mask[1], h * mask[2]  # recurrent dropout: one mask per gate
        if self.reset_after:
            if dropped:
                inner = torch.cat([h_z @ kernel[:, :u], h_r @ kernel[:, u:2 * u], h_h @ kernel[:, 2 * u:]], 1)
            else:
                inner = h @ kernel
            if self.bias is not None:
                inner = inner + weight(self.bias, x.dtype)[1]
            r_z, r_r, r_h = inner.chunk(3, 1)
        else:
            if dropped:
                r_z, r_r = h_z @ kernel[:, :u], h_r @ kernel[:, u:2 * u]
            else:
                r_z, r_r = (h @ kernel[:, :2 * u]).chunk(2, 1)
        z = self._recurrent_act(x_z + r_z)
        r = self._recurrent_act(x_r + r_r)
        if self.reset_after:
            candidate = self._act(x_h + r * r_h)
        else:
            candidate = self._act(x_h + (r * (h_h if dropped else h)) @ kernel[:, 2 * u:])
        h = z * h + (1 - z) * candidate
        return h, [h]

    def get_config(self) -> dict:
        return {**super().get_config(), **self._base_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias, **self._families_config(), "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "reset_after": self.reset_after, "seed": self.seed}


@cell_properties("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                 "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                 "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                 "recurrent_dropout", "reset_after")
class GRU(RecurrentLayer):
    """Gated Recurrent Unit layer (Cho et al., 2014).

    With `reset_after=True` (the default), tanh/sigmoid activations and no active
    recurrent dropout it runs torch's fused GRU kernel (masked inputs included when
    each sample's unmasked steps are contiguous); otherwise a step loop.

    Args:
        units: the size of the output and of the state (a positive integer).
        activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, kernel_regularizer,
            recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
            reset_after, seed: as for `GRUCell`.
        activity_regularizer: a regularizer for the outputs.
        return_sequences, return_state, go_backwards, stateful, unroll: as for `RNN`.
        use_cudnn: `"auto"`, True or False (kept for compatibility).

    Input shape: `(batch, time, features)`.
    Output shape: `(batch, units)`, `(batch, time, units)` with `return_sequences`;
    with `return_state`, followed by the final state.

    Example:
        >>> gru = tf.keras.layers.GRU(4, return_sequences=True, return_state=True)
        >>> sequences, state = gru(tf.ones((32, 10, 8)))
        >>> state.shape
        TensorShape([32, 4])
    """

    _cell_class = GRUCell
    _cell_name = "gru_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout: float = 0.0, recurrent_dropout: float = 0.0, seed=None,
                 return_sequences: bool = False, return_state: bool = False, go_backwards: bool = False,
                 stateful: bool = False, unroll: bool = False, reset_after: bool = True, use_cudnn="auto",
                 **kwargs):
        cell_args = dict(units=units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                         dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after, seed=seed,
                         implementation=kwargs.pop("implementation", 2))
        super().__init__(cell_args, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, use_cudnn=use_cudnn, **kwargs)
        self.input_spec = InputSpec(ndim=3)
