"""Convolutional LSTM: ConvLSTMCell and ConvLSTM1D/2D/3D.

Weights keep Keras's layout: `kernel` `(k..., input_channels, 4 * filters)`,
`recurrent_kernel` `(k..., filters, 4 * filters)`, `bias` `(4 * filters,)`, gates
i, f, c, o. A sequence runs in torch's channels-first layout: the input convolution
of every step at once (time folded into the batch), then one recurrent
convolution per step ("same" padding, stride 1, as Keras).
"""

from __future__ import annotations

import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.tensor import wrap
from kerastorch.keras import activations
from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers import conv_base
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)
from kerastorch.keras.layers.recurrent import sequence
from kerastorch.keras.layers.recurrent.base_cell import weight
from kerastorch.keras.layers.recurrent.dropout_cell import DropoutRNNCell, applies, clip_rate
from kerastorch.keras.layers.recurrent.lstm import ForgetBias
from kerastorch.keras.layers.recurrent.rnn_layers import RecurrentLayer, cell_properties

_WEIGHTS = ("kernel", "recurrent", "bias")


class ConvLSTMCell(DropoutRNNCell, Layer):
    """One step of a convolutional LSTM (the cell of ConvLSTM1D/2D/3D).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: ints or tuples of `rank` ints.
        padding: `"valid"` or `"same"` (the input convolution's).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, unit_forget_bias,
            kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed: as for `LSTMCell`.
    """

    _dropout_count = 4

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.rank = rank
        if rank > 3:
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}")
        self.filters = filters
        self.kernel_size = conv_base.standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_base.standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_base.standardize_padding(padding)
        self.data_format = conv_base.standardize_data_format(data_format)
        self.dilation_rate = conv_base.standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please "
                             f"provide `strides=1` or `dilation_rate=1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation, self._act = resolve_activation(activation)
        self.recurrent_activation, self._recurrent_act = resolve_activation(recurrent_activation)
        self.use_bias = use_bias
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "recurrent", recurrent_initializer, recurrent_regularizer,
                           recurrent_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.unit_forget_bias = unit_forget_bias
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # the states are feature maps: see `compute_output_shape`
        self._channels_last = self.data_format == "channels_last"

    def build(self, inputs_shape, states_shape=None) -> None:
        inputs_shape = tuple(inputs_shape)
        if self._channels_last:
            self.spatial_dims, input_dim = inputs_shape[1:-1], inputs_shape[-1]
        else:
            self.spatial_dims, input_dim = inputs_shape[2:], inputs_shape[1]
        if None in self.spatial_dims:
            raise ValueError(f"ConvLSTM layers only support static input shapes for the spatial dimension. "
                             f"Received invalid input shape: input_shape={inputs_shape}")
        if input_dim is None:
            raise ValueError(f"The channel dimension of the inputs (last axis) should be defined. Found None. "
                             f"Full input shape received: input_shape={inputs_shape}")
        self.input_dim = input_dim
        width = self.filters * 4
        self.kernel = add_weight_with_options(self, "kernel", (*self.kernel_size, input_dim, width))
        self.recurrent_kernel = add_weight_with_options(self, "recurrent", (*self.kernel_size, self.filters, width),
                                                        name="recurrent_kernel")
        self.bias = None
        if self.use_bias:
            initializer = ForgetBias(self.bias_initializer, self.filters) if self.unit_forget_bias else \
                self.bias_initializer
            self.bias = add_weight_with_options(self, "bias", (width,), initializer=initializer)

    def compute_output_shape(self, inputs_shape, states_shape=None):
        kernel_shape = (*self.kernel_size, inputs_shape[-1 if self._channels_last else 1], self.filters * 4)
        shape = conv_base.conv_output_shape(inputs_shape, self.filters, self.kernel_size, self.strides, self.padding,
                                            self.data_format, self.dilation_rate, kernel_shape)
        return shape, [shape, shape]

    def _initial_state(self, batch: int, dtype: torch.dtype, device) -> list:
        inputs_shape = ((batch, *self.spatial_dims, self.input_dim) if self._channels_last
                        else (batch, self.input_dim, *self.spatial_dims))
        shape = self.compute_output_shape(inputs_shape)[0]
        return [torch.zeros(shape, dtype=dtype, device=device) for _ in range(2)]

    def get_initial_state(self, batch_size=None) -> list:
        """Zero `h` and `c` feature maps for a batch of `batch_size`."""
        raw = self._initial_state(batch_size, dtypes.as_dtype(self.compute_dtype)._torch, _device.current())
        return [wrap(s) for s in raw]

    _native_initial_state = get_initial_state

    # -- computing, in torch's layout ---------------------------------------------------
    def _to_torch(self, x: torch.Tensor) -> torch.Tensor:
        return conv_base.to_torch_layout(x, self.rank, self._channels_last)

    def _from_torch(self, y: torch.Tensor) -> torch.Tensor:
        return conv_base.from_torch_layout(y, self.rank, self._channels_last)

    def _conv(self, x: torch.Tensor, kernel: torch.Tensor, strides: tuple, padding: str, dilation: tuple):
        rank = self.rank
        return conv_base.padded_conv(x, kernel, None, padding, conv_base.lifted(strides, rank),
                                     conv_base.lifted(dilation, rank))

    def _input_convs(self, x: torch.Tensor, steps: int, training: bool) -> torch.Tensor:
        """The input convolution of every step: `(batch * steps, C, ...)` -> `(batch * steps, 4F, ...)`."""
        kernel = conv_base.torch_kernel(weight(self.kernel, x.dtype), self.rank)
        if applies(training, self.dropout):
            # One mask per sample (drawn like its first step), shared by all its steps.
            mask = self._input_mask(x[0::steps]).repeat_interleave(steps, dim=1)
            z = torch.cat([self._conv(x * m, k, self.strides, self.padding, self.dilation_rate)
                           for m, k in zip(mask, kernel.chunk(4, 0))], 1)
        else:
            z = self._conv(x, kernel, self.strides, self.padding, self.dilation_rate)
        if self.bias is not None:
            z = z + weight(self.bias, x.dtype).view(1, -1, *([1] * (z.dim() - 2)))
        return z

    def _recur(self, z: torch.Tensor, states: list, training: bool):
        h, c = states
        kernel = conv_base.torch_kernel(weight(self.recurrent_kernel, z.dtype), self.rank)
        ones = (1,) * self.rank
        if applies(training, self.recurrent_dropout):
            mask = self._recurrent_mask(h)
            r = torch.cat([self._conv(h * m, k, ones, "same", ones) for m, k in zip(mask, kernel.chunk(4, 0))], 1)
        else:
            r = self._conv(h, kernel, ones, "same", ones)
        i, f, g, o = (z + r).chunk(4, 1)
        gate = self._recurrent_act
        c = gate(f) * c + gate(i) * self._act(g)
        h = gate(o) * self._act(c)
        return h, [h, c]

    def _run_sequence(self, inputs: torch.Tensor, states: list, mask, training: bool):
        batch, steps = inputs.shape[:2]
        if not inputs.is_floating_point():
            inputs = inputs.to(self.kernel._t.dtype)
        z = self._input_convs(self._to_torch(inputs.reshape(batch * steps, *inputs.shape[2:])), steps, training)
        z = z.reshape(batch, steps, *z.shape[1:])
        states = [self._to_torch(s) for s in states]
        outputs, states = sequence.masked_loop(lambda t, s: self._recur(z[:, t], s, training), steps, states, mask)
        outputs = self._from_torch(outputs.reshape(batch * steps, *outputs.shape[2:]))
        return outputs.reshape(batch, steps, *outputs.shape[1:]), [self._from_torch(s) for s in states]

    def forward(self, inputs: torch.Tensor, states, training=None):
        outputs, new_states = self._run_sequence(inputs[:, None], list(states), None, bool(training))
        return outputs[:, 0], new_states

    _native_forward = forward

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
                **weight_options_config(self, *_WEIGHTS, families=("initializer",)),
                "unit_forget_bias": self.unit_forget_bias,
                **weight_options_config(self, *_WEIGHTS, families=("regularizer", "constraint")),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


@cell_properties("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
                 "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                 "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                 "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                 "recurrent_dropout")
class ConvLSTM(RecurrentLayer):
    """An LSTM whose input and recurrent transformations are convolutions (base of ConvLSTM1D/2D/3D).

    Args:
        rank: the number of spatial axes.
        filters, kernel_size, strides, padding, data_format, dilation_rate,
            activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, unit_forget_bias,
            kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed: as for `ConvLSTMCell`.
        return_sequences, return_state, go_backwards, stateful: as for `RNN`.
    """

    _cell_class = ConvLSTMCell
    _cell_name = "conv_lstm_cell"

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed=None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False, **kwargs):
        cell_args = dict(rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                         dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed)
        super().__init__(cell_args, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state_shape = tuple(self.cell.compute_output_shape((batch, *tuple(sequences_shape)[2:]))[0][1:])
        output = (batch, steps, *state_shape) if self.return_sequences else (batch, *state_shape)
        if self.return_state:
            return output, (batch, *state_shape), (batch, *state_shape)
        return output

    def _mask_structure(self, mask):
        mask = nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate: the
            convolutions' settings (see `ConvLSTMCell`).
        **kwargs: the other arguments of `ConvLSTM` (activations, initializers,
            regularizers, constraints, dropout, return_sequences, return_state,
            go_backwards, stateful).

    Input shape: `(batch, time, steps, channels)` (channels after time for `"channels_first"`).
    Output shape: the last step's `h` (every step's with `return_sequences`); with
    `return_state`, followed by the final `h` and `c`.

    Example:
        >>> layer = tf.keras.layers.ConvLSTM1D(8, 3)
        >>> layer(tf.ones((2, 5, 10, 3))).shape
        TensorShape([2, 8, 8])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, **kwargs)


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate: the
            convolutions' settings (see `ConvLSTMCell`).
        **kwargs: the other arguments of `ConvLSTM` (activations, initializers,
            regularizers, constraints, dropout, return_sequences, return_state,
            go_backwards, stateful).

    Input shape: `(batch, time, rows, cols, channels)` (channels after time for `"channels_first"`).
    Output shape: the last step's `h` (every step's with `return_sequences`); with
    `return_state`, followed by the final `h` and `c`.

    Example:
        >>> layer = tf.keras.layers.ConvLSTM2D(8, 3)
        >>> layer(tf.ones((2, 5, 10, 10, 3))).shape
        TensorShape([2, 8, 8, 8])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, **kwargs)


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate: the
            convolutions' settings (see `ConvLSTMCell`).
        **kwargs: the other arguments of `ConvLSTM` (activations, initializers,
            regularizers, constraints, dropout, return_sequences, return_state,
            go_backwards, stateful).

    Input shape: `(batch, time, d1, d2, d3, channels)` (channels after time for `"channels_first"`).
    Output shape: the last step's `h` (every step's with `return_sequences`); with
    `return_state`, followed by the final `h` and `c`.

    Example:
        >>> layer = tf.keras.layers.ConvLSTM3D(8, 3)
        >>> layer(tf.ones((2, 5, 6, 6, 6, 3))).shape
        TensorShape([2, 4, 4, 4, 8])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, **kwargs)
