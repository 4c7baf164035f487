"""Transposed convolutions: Conv1DTranspose, Conv2DTranspose, Conv3DTranspose.

The kernel is `(k..., filters, in_channels)` as Keras's. The output length per axis is
Keras's (`deconv_output_length`), and the values are TF's `conv_transpose`: the
gradient of a convolution from an input of that length, i.e. torch's full transposed
convolution (length `(n - 1) * stride + dilated_kernel`) read from TF's `"same"`
offset, cropped or zero-extended at the end to the output length. torch's symmetric
`padding` and end-side `output_padding` do most of that; a leftover crop is a slice.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.framework.host_cache import host_cache
from kerastorch.keras import activations
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)
from kerastorch.keras.layers.conv_base import (
    check_positive,
    check_strides_dilation,
    float_input,
    from_torch_layout,
    lifted,
    same_pads,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    to_torch_layout,
    torch_kernel,
)


def deconv_output_length(size, kernel: int, stride: int, padding: str, output_padding, dilation: int = 1):
    """Keras's output length of a transposed convolution axis (None stays None)."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


@host_cache(maxsize=512)
def _transpose_plan(padding: str, sizes: tuple, kernel: tuple, strides: tuple, dilation: tuple,
                    output_padding: tuple) -> tuple:
    """(torch padding, torch output_padding, per-axis (start, length) crops or None) for one call."""
    pads, extras, crops = [], [], []
    for n, k, s, d, op in zip(sizes, kernel, strides, dilation, output_padding):
        out = deconv_output_length(n, k, s, padding, op, d)
        full = (n - 1) * s + (k - 1) * d + 1
        start = 0 if padding == "valid" else same_pads(out, k, s, d)[0]
        end_crop = full - start - out
        if end_crop < 0:  # always below the stride: Keras checks output_padding < strides
            pads.append(start)
            extras.append(-end_crop)
            crops.append(None)
        else:
            pad = min(start, end_crop)
            pads.append(pad)
            extras.append(0)
            crops.append(None if start == end_crop else (start - pad, out))
    return tuple(pads), tuple(extras), tuple(crops) if any(c is not None for c in crops) else None


class BaseConvTranspose(Layer):
    """The N-D transposed convolution (Conv1DTranspose/2D/3D's base).

    Args:
        rank: the number of spatial axes.
        filters: the number of output channels.
        kernel_size: an int or `rank` ints.
        strides: an int or `rank` ints; above 1 excludes `dilation_rate` above 1.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or `rank` ints below `strides`: extra length at
            the end of each axis.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: an int or `rank` ints.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, *new_spatial, filters)`, each new axis
    `(n - 1) * stride + kernel + extra` ("valid") or `n * stride` ("same", no output_padding).
    """

    def __init__(self, rank: int, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        strides = standardize_tuple(strides, rank, "strides")
        dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        padding = standardize_padding(padding)
        if output_padding is not None:
            output_padding = standardize_tuple(output_padding, rank, "output_padding", allow_zero=True)
        data_format = standardize_data_format(data_format)
        check_positive("filters", filters)
        for i, (op, s) in enumerate(zip(output_padding or (), strides)):
            if op >= s:
                raise ValueError(f"`output_padding` must be strictly less than `strides` for all dimensions. "
                                 f"At dimension {i}, `output_padding` is {op} but `strides` is {s}. "
                                 f"Received: output_padding={output_padding}, strides={strides}")
        check_strides_dilation(strides, dilation_rate)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.padding = padding
        self.output_padding = output_padding
        self.data_format = data_format
        self.dilation_rate = dilation_rate
        self.activation, self._act = resolve_activation(activation)
        self.use_bias = use_bias
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_last = data_format == "channels_last"
        self._torch_args = (lifted(kernel_size, rank), lifted(strides, rank), lifted(dilation_rate, rank),
                            lifted(output_padding or (None,) * rank, rank, unit=None))
        self._conv_transpose = F.conv_transpose2d if rank < 3 else F.conv_transpose3d

    def build(self, input_shape) -> None:
        channel_axis = -1 if self._channels_last else 1
        in_channels = input_shape[channel_axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: in_channels})
        self.kernel = add_weight_with_options(self, "kernel", (*self.kernel_size, self.filters, in_channels))
        self.bias = add_weight_with_options(self, "bias", (self.filters,)) if self.use_bias else None

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        kernel = self.kernel._t
        x = to_torch_layout(float_input(inputs, kernel), self.rank, self._channels_last)
        kernel = torch_kernel(kernel.to(x.dtype), self.rank)  # (k..., out, in) -> (in, out, k...)
        bias = None if self.bias is None else self.bias._t.to(x.dtype)
        ksize, strides, dilation, output_padding = self._torch_args
        pads, extras, crops = _transpose_plan(self.padding, tuple(x.shape[2:]), ksize, strides, dilation,
                                              output_padding)
        y = self._conv_transpose(x, kernel, bias, strides, pads, extras, 1, dilation)
        if crops is not None:
            for axis, crop in enumerate(crops, start=2):
                if crop is not None:
                    y = y.narrow(axis, crop[0], crop[1])
        return self._act(from_torch_layout(y, self.rank, self._channels_last))

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        output_padding = self.output_padding or (None,) * self.rank
        out = tuple(deconv_output_length(n, k, s, self.padding, op, d) for n, k, s, op, d in
                    zip(spatial, self.kernel_size, self.strides, output_padding, self.dilation_rate))
        if self._channels_last:
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "output_padding": self.output_padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                **weight_options_config(self, "kernel", "bias", activity=True)}


class Conv1DTranspose(BaseConvTranspose):
    """A 1-D transposed convolution (the gradient of Conv1D with respect to its input).

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, output_padding, data_format, dilation_rate: see
            `BaseConvTranspose` (one int each for the axis).
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, new_steps, filters)`.

    Example:
        >>> tf.keras.layers.Conv1DTranspose(4, 3, strides=2, padding="same")(tf.ones((1, 5, 2))).shape
        TensorShape([1, 10, 4])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


class Conv2DTranspose(BaseConvTranspose):
    """A 2-D transposed convolution ("deconvolution"), e.g. to upsample feature maps.

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, output_padding, data_format, dilation_rate: see
            `BaseConvTranspose` (an int or 2 ints each).
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, new_height, new_width, filters)`.

    Example:
        >>> tf.keras.layers.Conv2DTranspose(4, 3, strides=2)(tf.ones((1, 5, 5, 2))).shape
        TensorShape([1, 11, 11, 4])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


class Conv3DTranspose(BaseConvTranspose):
    """A 3-D transposed convolution over `(batch, d1, d2, d3, channels)`.

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, output_padding, data_format, dilation_rate: see
            `BaseConvTranspose` (an int or 3 ints each).
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, new_d1, new_d2, new_d3, filters)`.

    Example:
        >>> tf.keras.layers.Conv3DTranspose(3, 2, strides=2)(tf.ones((1, 4, 4, 4, 2))).shape
        TensorShape([1, 8, 8, 8, 3])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
