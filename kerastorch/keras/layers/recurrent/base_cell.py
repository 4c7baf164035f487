"""What the built-in cells (SimpleRNNCell, LSTMCell, GRUCell) share.

Each cell's arithmetic is split in two so a whole sequence runs fast: `_project`
maps every step's input through the kernel at once (one matmul for the sequence),
and `_recur` does the per-step rest. `_run_sequence` prefers torch's fused kernel
(`_fused` says when it applies and gives the weights in torch's layout) and falls
back to looping `_recur` over the projections.
"""

from __future__ import annotations

import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.tensor import wrap
from kerastorch.keras import activations
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)
from kerastorch.keras.layers.recurrent import fused, sequence
from kerastorch.keras.layers.recurrent.dropout_cell import DropoutRNNCell, applies, clip_rate


def check_units(units) -> None:
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError(f"Received an invalid value for argument `units`, expected a positive integer, "
                         f"got {units}.")


def weight(variable, dtype: torch.dtype) -> torch.Tensor:
    """A variable's value in the compute dtype (variables stay float32 under mixed precision)."""
    value = variable._t
    return value if value.dtype == dtype else value.to(dtype)


class RecurrentCell(DropoutRNNCell, Layer):
    """Base of the built-in cells: configuration, weights, one step, a whole sequence."""

    _gates = 1

    def __init__(self, units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                 kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                 recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs):
        check_units(units)
        super().__init__(**kwargs)
        self.units = units
        self.activation, self._act = resolve_activation(activation)
        self.use_bias = use_bias
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "recurrent", recurrent_initializer, recurrent_regularizer,
                           recurrent_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.seed = seed

    def _add_kernels(self, input_dim: int) -> None:
        width = self.units * self._gates
        self.kernel = add_weight_with_options(self, "kernel", (input_dim, width))
        self.recurrent_kernel = add_weight_with_options(self, "recurrent", (self.units, width),
                                                        name="recurrent_kernel")

    def _add_bias(self, shape: tuple, initializer) -> None:
        self.bias = None
        if self.use_bias:
            self.bias = add_weight_with_options(self, "bias", shape, initializer=initializer)

    # -- states -------------------------------------------------------------------------
    def _initial_state(self, batch: int, dtype: torch.dtype, device) -> list:
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        zeros = torch.zeros((batch, self.units), dtype=dtype, device=device)
        return [zeros] * len(sizes)  # one tensor for all: states are never written in place

    def get_initial_state(self, batch_size=None) -> list:
        """Zero states for a batch of `batch_size`, one per entry of `state_size`."""
        raw = self._initial_state(batch_size, dtypes.as_dtype(self.compute_dtype)._torch, _device.current())
        return [wrap(s) for s in raw]

    _native_initial_state = get_initial_state

    # -- computing ----------------------------------------------------------------------
    def _input_bias(self, dtype: torch.dtype):
        return None if self.bias is None else weight(self.bias, dtype)

    def _project(self, inputs: torch.Tensor, training: bool) -> torch.Tensor:
        """`inputs @ kernel + bias` for `(batch, time, features)` inputs, with input dropout."""
        kernel = weight(self.kernel, inputs.dtype)
        if applies(training, self.dropout):
            mask = self._input_mask(inputs[:, 0])
            if self._dropout_count is None:
                z = torch.matmul(inputs * mask[:, None], kernel)
            else:
                z = torch.cat([torch.matmul(inputs * m[:, None], k)
                               for m, k in zip(mask, kernel.chunk(self._dropout_count, 1))], -1)
        else:
            z = torch.matmul(inputs, kernel)
        bias = self._input_bias(inputs.dtype)
        return z if bias is None else z + bias

    def _recurrent_term(self, h: torch.Tensor, kernel: torch.Tensor, training: bool) -> torch.Tensor:
        """`h @ kernel`, with the recurrent dropout mask(s) applied to `h` when training."""
        if not applies(training, self.recurrent_dropout):
            return torch.matmul(h, kernel)
        mask = self._recurrent_mask(h)
        if self._dropout_count is None:
            return torch.matmul(h * mask, kernel)
        return torch.cat([torch.matmul(h * m, k) for m, k in zip(mask, kernel.chunk(self._dropout_count, 1))], -1)

    def _fused(self, inputs: torch.Tensor, training: bool):
        """`(kind, inputs, params)` for torch's fused kernel, or None when it does not apply."""
        return None

    def _fused_params(self, dtype: torch.dtype) -> list:
        """The weights as torch's fused kernel takes them when the gate orders agree (SimpleRNN, LSTM):
        transposed kernels, then the bias and a zero recurrent bias."""
        params = [weight(self.kernel, dtype).t(), weight(self.recurrent_kernel, dtype).t()]
        if self.bias is not None:
            bias = weight(self.bias, dtype)
            params += [bias, torch.zeros_like(bias)]
        return params

    def _fused_inputs(self, inputs: torch.Tensor, training: bool):
        """The inputs with the (single, shared by all gates) dropout mask; None if masks are per gate."""
        if applies(training, self.recurrent_dropout):
            return None
        if applies(training, self.dropout):
            if self._dropout_count is not None:
                return None
            return inputs * self._input_mask(inputs[:, 0])[:, None]
        return inputs

    def _run_sequence(self, inputs: torch.Tensor, states: list, mask, training: bool):
        setup = self._fused(inputs, training)
        if setup is not None:
            blocks = None if mask is None else fused.analyse(mask)
            if mask is None or blocks is not None:
                kind, fused_inputs, params = setup
                return fused.run(kind, fused_inputs, states, params, len(params) == 4,
                                 None if blocks == "full" else blocks)
        z = self._project(inputs, training)
        return sequence.masked_loop(lambda t, s: self._recur(z[:, t], s, training), inputs.shape[1], states, mask)

    def forward(self, inputs: torch.Tensor, states, training=None):
        nested = isinstance(states, (list, tuple))
        states = list(states) if nested else [states]
        if not inputs.is_floating_point():
            inputs = inputs.to(self.kernel._t.dtype)
        output, new_states = self._recur(self._project(inputs[:, None], bool(training))[:, 0], states,
                                         bool(training))
        return output, self._returned_states(new_states, nested)

    _native_forward = forward  # `sequence.is_native`: a subclass overriding the step loses the fast paths

    def _returned_states(self, new_states: list, nested: bool):
        return new_states if nested else new_states[0]

    def _base_config(self) -> dict:
        return {"units": self.units, "activation": activations.serialize(self.activation)}

    def _families_config(self) -> dict:
        return weight_options_config(self, "kernel", "recurrent", "bias")
