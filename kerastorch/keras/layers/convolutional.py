"""Convolution layers: Conv1D, Conv2D, Conv3D (kernel `(k..., in / groups, filters)` as Keras)."""

from __future__ import annotations

from kerastorch.keras.layers.conv_base import BaseConv


class Conv1D(BaseConv):
    """A 1-D convolution (temporal), e.g. over `(batch, steps, channels)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or one int, the window length.
        strides: an int or one int; above 1 excludes `dilation_rate` above 1.
        padding: `"valid"`, `"same"` or `"causal"` (output `t` sees inputs up to `t`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: the spacing of the kernel taps.
        groups: channel groups; input channels and `filters` must be divisible by it.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, new_steps, filters)`.

    Example:
        >>> layer = tf.keras.layers.Conv1D(8, 3, padding="causal")
        >>> layer(tf.ones((2, 10, 4))).shape
        TensorShape([2, 10, 8])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias: bool = True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class Conv2D(BaseConv):
    """A 2-D convolution (spatial), e.g. over images `(batch, height, width, channels)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 2 ints, the window's height and width.
        strides: an int or 2 ints; above 1 excludes `dilation_rate` above 1.
        padding: `"valid"` or `"same"` (TF's: an odd total padding puts the extra row or
            column at the end).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: the spacing of the kernel taps.
        groups: channel groups; input channels and `filters` must be divisible by it.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, new_height, new_width, filters)`.

    Example:
        >>> layer = tf.keras.layers.Conv2D(32, 3, activation="relu")
        >>> layer(tf.ones((4, 28, 28, 3))).shape
        TensorShape([4, 26, 26, 32])
        >>> layer.count_params()
        896
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class Conv3D(BaseConv):
    """A 3-D convolution (spatial or spatio-temporal) over `(batch, d1, d2, d3, channels)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or 3 ints, the window size.
        strides: an int or 3 ints; above 1 excludes `dilation_rate` above 1.
        padding: `"valid"` or `"same"` (TF's).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: the spacing of the kernel taps.
        groups: channel groups; input channels and `filters` must be divisible by it.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, new_d1, new_d2, new_d3, filters)`.

    Example:
        >>> tf.keras.layers.Conv3D(4, 3)(tf.ones((1, 8, 8, 8, 2))).shape
        TensorShape([1, 6, 6, 6, 4])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
