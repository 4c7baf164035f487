"""Depthwise and separable convolutions: DepthwiseConv1D/2D, SeparableConv1D/2D.

A depthwise convolution filters each input channel on its own with `depth_multiplier`
kernels: Keras's kernel `(k..., channels, multiplier)` gives output channel
`c * multiplier + m`, which is torch's grouped convolution with `groups=channels` and
the kernel reshaped (a view) to `(channels * multiplier, 1, k...)`. A separable
convolution is a depthwise one (no bias) followed by a 1x1 convolution with the
`pointwise_kernel` `(1..., channels * multiplier, filters)`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

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
    conv_output_shape,
    float_input,
    from_torch_layout,
    lifted,
    padded_conv,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    to_torch_layout,
    torch_kernel,
)


class _DepthwiseBase(Layer):
    """The settings and the depthwise step both depthwise and separable layers share."""

    _weights = ("depthwise", "bias")  # the prefixes of the weight options, in Keras's config order

    def __init__(self, rank: int, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
                 activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                 bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, filters=None,
                 **kwargs):
        kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        strides = standardize_tuple(strides, rank, "strides")
        dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        padding = standardize_padding(padding)
        data_format = standardize_data_format(data_format)
        check_positive("depth_multiplier", depth_multiplier)
        check_positive("filters", filters)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = kernel_size
        self.strides = strides
        self.padding = padding
        self.data_format = data_format
        self.dilation_rate = dilation_rate
        self.activation, self._act = resolve_activation(activation)
        self.use_bias = use_bias
        set_weight_options(self, "depthwise", depthwise_initializer, depthwise_regularizer,
                           depthwise_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_last = data_format == "channels_last"
        self._torch_args = (lifted(strides, rank), lifted(dilation_rate, rank))

    def _input_channels(self, input_shape):
        channel_axis = -1 if self._channels_last else 1
        channels = input_shape[channel_axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: channels})
        return channels

    def _depthwise(self, inputs: torch.Tensor, kernel: torch.Tensor, bias) -> torch.Tensor:
        """The depthwise convolution on torch-layout data (`kernel` is Keras's layout)."""
        x = to_torch_layout(float_input(inputs, kernel), self.rank, self._channels_last)
        channels = x.shape[1]
        bias = None if bias is None else bias.to(x.dtype)
        kernel = kernel.to(x.dtype).reshape(*kernel.shape[:-2], 1, channels * self.depth_multiplier)
        kernel = torch_kernel(kernel, self.rank)
        return padded_conv(x, kernel, bias, self.padding, *self._torch_args, channels)

    def _leading_config(self) -> dict:
        return {"depth_multiplier": self.depth_multiplier}

    def get_config(self) -> dict:
        return {**super().get_config(), **self._leading_config(), "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, **weight_options_config(self, *self._weights, activity=True)}


class BaseDepthwiseConv(_DepthwiseBase):
    """The N-D depthwise convolution (DepthwiseConv1D/2D's base).

    Args:
        rank: the number of spatial axes.
        depth_multiplier: the number of output channels per input channel.
        kernel_size, strides, padding (`"valid"`/`"same"`), data_format, dilation_rate:
            as the convolutions.
        activation, use_bias: as Dense.
        depthwise_initializer, depthwise_regularizer, depthwise_constraint: for the
            kernel `(k..., channels, depth_multiplier)`.
        bias_initializer, bias_regularizer, bias_constraint, activity_regularizer: as Dense.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, *new_spatial, channels * depth_multiplier)`.
    """

    def __init__(self, rank: int, depth_multiplier, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias: bool = True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)

    def build(self, input_shape) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = add_weight_with_options(
            self, "depthwise", (*self.kernel_size, channels, self.depth_multiplier), name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = add_weight_with_options(self, "bias", (self.depth_multiplier * channels,))

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        y = self._depthwise(inputs, self.kernel._t, None if self.bias is None else self.bias._t)
        return self._act(from_torch_layout(y, self.rank, self._channels_last))

    def compute_output_shape(self, input_shape) -> tuple:
        channels = tuple(input_shape)[-1 if self._channels_last else 1]
        filters = None if channels is None else channels * self.depth_multiplier
        return conv_output_shape(input_shape, filters, self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate, (*self.kernel_size, channels, filters))


class BaseSeparableConv(_DepthwiseBase):
    """The N-D separable convolution (SeparableConv1D/2D's base): depthwise, then 1x1.

    Args:
        rank: the number of spatial axes.
        depth_multiplier: the depthwise output channels per input channel.
        filters: the number of output channels of the pointwise step.
        kernel_size, strides, padding (`"valid"`/`"same"`), data_format, dilation_rate:
            of the depthwise step.
        activation, use_bias: as Dense.
        depthwise_initializer, depthwise_regularizer, depthwise_constraint: for the
            `depthwise_kernel` `(k..., channels, depth_multiplier)`.
        pointwise_initializer, pointwise_regularizer, pointwise_constraint: for the
            `pointwise_kernel` `(1..., channels * depth_multiplier, filters)`.
        bias_initializer, bias_regularizer, bias_constraint, activity_regularizer: as Dense.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, *new_spatial, filters)`.
    """

    _weights = ("depthwise", "pointwise", "bias")

    def __init__(self, rank: int, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint,
                         filters=filters, **kwargs)
        self.filters = filters
        set_weight_options(self, "pointwise", pointwise_initializer, pointwise_regularizer,
                           pointwise_constraint)

    def build(self, input_shape) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = add_weight_with_options(
            self, "depthwise", (*self.kernel_size, channels, self.depth_multiplier), name="depthwise_kernel")
        self.pointwise_kernel = add_weight_with_options(
            self, "pointwise", (*(1,) * self.rank, self.depth_multiplier * channels, self.filters),
            name="pointwise_kernel")
        self.bias = add_weight_with_options(self, "bias", (self.filters,)) if self.use_bias else None

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        z = self._depthwise(inputs, self.depthwise_kernel._t, None)
        pointwise = self.pointwise_kernel._t.to(z.dtype)
        bias = None if self.bias is None else self.bias._t.to(z.dtype)
        if self._channels_last:  # a matmul over the channels of the contiguous NHWC depthwise output
            y = from_torch_layout(z, self.rank, True)
            return self._act(F.linear(y, pointwise.reshape(pointwise.shape[-2:]).t(), bias))
        y = (F.conv2d if self.rank < 3 else F.conv3d)(z, torch_kernel(pointwise, self.rank), bias)
        return self._act(from_torch_layout(y, self.rank, False))

    def compute_output_shape(self, input_shape) -> tuple:
        channels = tuple(input_shape)[-1 if self._channels_last else 1]
        kernel_shape = (*self.kernel_size, channels, self.filters)
        return conv_output_shape(input_shape, self.filters, self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate, kernel_shape)

    def _leading_config(self) -> dict:
        return {**super()._leading_config(), "filters": self.filters}


class DepthwiseConv1D(BaseDepthwiseConv):
    """A 1-D depthwise convolution: each channel filtered on its own by `depth_multiplier` kernels.

    Args:
        kernel_size: an int or one int, the window length.
        strides, padding, depth_multiplier, data_format, dilation_rate, activation, use_bias,
        depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, bias_constraint: see `BaseDepthwiseConv`.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, new_steps, channels * depth_multiplier)`.

    Example:
        >>> tf.keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(tf.ones((1, 8, 4))).shape
        TensorShape([1, 6, 8])
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias: bool = True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)


class DepthwiseConv2D(BaseDepthwiseConv):
    """A 2-D depthwise convolution: each channel filtered on its own by `depth_multiplier` kernels.

    Args:
        kernel_size: an int or 2 ints, the window's height and width.
        strides, padding, depth_multiplier, data_format, dilation_rate, activation, use_bias,
        depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, bias_constraint: see `BaseDepthwiseConv`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, new_height, new_width, channels * depth_multiplier)`.

    Example:
        >>> layer = tf.keras.layers.DepthwiseConv2D(3, padding="same")
        >>> layer(tf.ones((1, 8, 8, 4))).shape, [w.shape for w in layer.weights]
        (TensorShape([1, 8, 8, 4]), [TensorShape([3, 3, 4, 1]), TensorShape([4])])
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)


class SeparableConv1D(BaseSeparableConv):
    """A 1-D separable convolution: a depthwise convolution, then a pointwise (1x1) one.

    Args:
        filters: the number of output channels.
        kernel_size: an int or one int, the depthwise window length.
        strides, padding, data_format, dilation_rate, depth_multiplier, activation, use_bias,
        depthwise_initializer, pointwise_initializer, bias_initializer, depthwise_regularizer,
        pointwise_regularizer, bias_regularizer, activity_regularizer, depthwise_constraint,
        pointwise_constraint, bias_constraint: see `BaseSeparableConv`.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, new_steps, filters)`.

    Example:
        >>> tf.keras.layers.SeparableConv1D(8, 3, padding="same")(tf.ones((1, 10, 4))).shape
        TensorShape([1, 10, 8])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, depth_multiplier, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class SeparableConv2D(BaseSeparableConv):
    """A 2-D separable convolution: a depthwise convolution, then a pointwise (1x1) one.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 2 ints, the depthwise window's height and width.
        strides, padding, data_format, dilation_rate, depth_multiplier, activation, use_bias,
        depthwise_initializer, pointwise_initializer, bias_initializer, depthwise_regularizer,
        pointwise_regularizer, bias_regularizer, activity_regularizer, depthwise_constraint,
        pointwise_constraint, bias_constraint: see `BaseSeparableConv`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, new_height, new_width, filters)`.

    Example:
        >>> tf.keras.layers.SeparableConv2D(16, 3, depth_multiplier=2)(tf.ones((1, 8, 8, 4))).shape
        TensorShape([1, 6, 6, 16])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, depth_multiplier, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)


SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
