"""Pooling layers: Max/AveragePooling1D/2D/3D and GlobalMax/GlobalAveragePooling1D/2D/3D.

TF's `"same"` pooling pads `(before, after)` per axis with the odd element after, and
averages over the real (unpadded) elements only. torch pools pad symmetrically, so the
odd element comes from `ceil_mode` or a dropped first window (`_same_padding`); torch's
max pool skips padding and its average pool with `count_include_pad=False` divides by
the real elements, as TF. Layouts are shared with
the convolutions (`conv_base`): channels-last views, rank 1 lifted to rank 2.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.framework.host_cache import host_cache
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers import compiled_max_pool
from kerastorch.keras.layers.conv_base import (
    conv_output_length,
    from_torch_layout,
    lifted,
    np_format,
    same_pads,
    standardize_data_format,
    standardize_tuple,
    to_torch_layout,
)

_MAX_POOLS = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOLS = {2: F.avg_pool2d, 3: F.avg_pool3d}


@host_cache(maxsize=512)
def _same_padding(sizes: tuple, pool_size: tuple, strides: tuple) -> tuple:
    """torch's symmetric padding for TF's "same" pooling, and the axes whose first output to drop.

    An axis padded (before, before + 1) uses `padding=before` and `ceil_mode` when its stride
    is above 1; with stride 1 `ceil_mode` cannot add the window, so the axis is padded by
    `before + 1` on both sides and its first window (one element too early) dropped.
    """
    padding, shifted = [], []
    for axis, (n, k, s) in enumerate(zip(sizes, pool_size, strides), start=2):
        before, after = same_pads(n, k, s)
        shift = s == 1 and after > before
        padding.append(after if shift else before)
        if shift:
            shifted.append(axis)
    return tuple(padding), tuple(shifted)


class BasePooling(Layer):
    """Max or average pooling over `rank` spatial axes (the pooling layers' base).

    Args:
        pool_size: an int or `rank` ints, the window size.
        strides: an int or `rank` ints; None is `pool_size`.
        rank: the number of spatial axes.
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, *pooled, channels)`.
    """

    def __init__(self, pool_size, strides, rank: int, pool_mode: str = "max", padding="valid",
                 data_format=None, name=None, **kwargs):
        pool_size = standardize_tuple(pool_size, rank, "pool_size")
        strides = pool_size if strides is None else strides
        strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        data_format = standardize_data_format(data_format)
        super().__init__(name=name, **kwargs)
        self.pool_size = pool_size
        self.strides = strides
        self.pool_mode = pool_mode
        self.padding = padding
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True  # no weights: built at construction, as Keras
        self._rank = rank
        self._channels_last = data_format == "channels_last"
        self._torch_args = (lifted(pool_size, rank), lifted(strides, rank))
        dims = 2 if rank < 3 else 3
        self._pool = _MAX_POOLS[dims] if pool_mode == "max" else _AVG_POOLS[dims]

    def _mode(self) -> str:
        mode = self.padding.lower() if isinstance(self.padding, str) else self.padding
        if mode not in ("valid", "same"):
            raise ValueError(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={mode}")
        return mode

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = to_torch_layout(inputs, self._rank, self._channels_last)
        pool_size, strides = self._torch_args
        same = self._mode() == "same"
        padding, shifted = _same_padding(tuple(x.shape[2:]), pool_size, strides) if same else (0, ())
        if self.pool_mode == "max":
            if torch.compiler.is_compiling() and x.device.type == "cpu":
                y = compiled_max_pool.max_pool(x, pool_size, strides, padding, same)
            else:
                y = self._pool(x, pool_size, strides, padding, ceil_mode=same)
        else:
            if not x.is_floating_point():
                x = x.to(torch.float32)
            y = self._pool(x, pool_size, strides, padding, ceil_mode=same, count_include_pad=False)
        for axis in shifted:
            y = y.narrow(axis, 1, y.shape[axis] - 1)
        return from_torch_layout(y, self._rank, self._channels_last)

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        mode = self._mode()
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        out = tuple(conv_output_length(n, k, s, mode)
                    for n, k, s in zip(spatial, self.pool_size, self.strides))
        if mode == "valid" and any(o is not None and o <= 0 for o in out):
            raise ValueError(f"Computed output size would be zero or negative. Received: `inputs.shape="
                             f"{np_format(input_shape)}`, `pool_size={np_format(self.pool_size)}`, "
                             f"`strides={self.strides}`, `padding={mode}`.")
        if self._channels_last:
            return (input_shape[0], *out, input_shape[-1])
        return (input_shape[0], input_shape[1], *out)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class BaseGlobalPooling(Layer):
    """Max or mean over all spatial axes (the global pooling layers' base).

    Args:
        rank: the number of spatial axes.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: keep the spatial axes with length 1.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, channels)`, or `(batch, 1..., channels)` with `keepdims`.
    """

    def __init__(self, rank: int, data_format=None, keepdims: bool = False, **kwargs):
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.data_format = data_format
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True  # no weights: built at construction, as Keras
        self._rank = rank
        first = 1 if data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        ones = (1,) * self._rank if self.keepdims else ()
        if self.data_format == "channels_last":
            return (input_shape[0], *ones, input_shape[-1])
        return (input_shape[0], input_shape[1], *ones)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class _GlobalMax(BaseGlobalPooling):
    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.amax(inputs, dim=self._axes, keepdim=self.keepdims)


class _GlobalAverage(BaseGlobalPooling):
    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not inputs.is_floating_point():
            inputs = inputs.to(torch.float32)
        return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)


class MaxPooling1D(BasePooling):
    """Max pooling over steps: the maximum of each window.

    Args:
        pool_size: an int, the window size (default 2).
        strides, padding, data_format: see `BasePooling` (strides default to `pool_size`).

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, pooled_steps, channels)`.

    Example:
        >>> tf.keras.layers.MaxPooling1D(2)(tf.ones((1, 5, 3))).shape
        TensorShape([1, 2, 3])
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, 1, pool_mode="max", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over height and width: the maximum of each window.

    Args:
        pool_size: an int or 2 ints, the window size (default (2, 2)).
        strides, padding, data_format: see `BasePooling`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, pooled_height, pooled_width, channels)`.

    Example:
        >>> tf.keras.layers.MaxPooling2D()(tf.ones((1, 28, 28, 3))).shape
        TensorShape([1, 14, 14, 3])
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 2, pool_mode="max", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling over spatial axes: the maximum of each window.

    Args:
        pool_size: an int or 3 ints, the window size (default (2, 2, 2)).
        strides, padding, data_format: see `BasePooling`.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, pooled_d1, pooled_d2, pooled_d3, channels)`.

    Example:
        >>> tf.keras.layers.MaxPooling3D(padding="same")(tf.ones((1, 5, 5, 5, 2))).shape
        TensorShape([1, 3, 3, 3, 2])
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, 3, pool_mode="max", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class AveragePooling1D(BasePooling):
    """Average pooling over steps: the mean of each window (TF's "same" counts real elements only).

    Args:
        pool_size: an int, the window size.
        strides, padding, data_format: see `BasePooling`.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, pooled_steps, channels)`.

    Example:
        >>> tf.keras.layers.AveragePooling1D(2, strides=1)(tf.ones((1, 5, 3))).shape
        TensorShape([1, 4, 3])
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, 1, pool_mode="average", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over height and width: the mean of each window (TF's "same" counts real elements only).

    Args:
        pool_size: an int or 2 ints, the window size.
        strides, padding, data_format: see `BasePooling`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, pooled_height, pooled_width, channels)`.

    Example:
        >>> tf.keras.layers.AveragePooling2D(3, strides=2, padding="same")(tf.ones((1, 8, 8, 3))).shape
        TensorShape([1, 4, 4, 3])
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, 2, pool_mode="average", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling over spatial axes: the mean of each window (TF's "same" counts real elements only).

    Args:
        pool_size: an int or 3 ints, the window size.
        strides, padding, data_format: see `BasePooling`.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, pooled_d1, pooled_d2, pooled_d3, channels)`.

    Example:
        >>> tf.keras.layers.AveragePooling3D(2)(tf.ones((1, 4, 4, 4, 2))).shape
        TensorShape([1, 2, 2, 2, 2])
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, 3, pool_mode="average", padding=padding, data_format=data_format,
                         name=name, **kwargs)


class GlobalMaxPooling1D(_GlobalMax):
    """Global max pooling: the maximum over the spatial axes of each channel.

    Args:
        data_format, keepdims: see `BaseGlobalPooling`.

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, channels)`.

    Example:
        >>> tf.keras.layers.GlobalMaxPooling1D()(tf.ones((2, 5, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(1, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling2D(_GlobalMax):
    """Global max pooling: the maximum over the spatial axes of each channel.

    Args:
        data_format, keepdims: see `BaseGlobalPooling`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, 1, channels)`.

    Example:
        >>> tf.keras.layers.GlobalMaxPooling2D()(tf.ones((2, 4, 4, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(2, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling3D(_GlobalMax):
    """Global max pooling: the maximum over the spatial axes of each channel.

    Args:
        data_format, keepdims: see `BaseGlobalPooling`.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, 1, 1, channels)`.

    Example:
        >>> tf.keras.layers.GlobalMaxPooling3D()(tf.ones((2, 2, 2, 2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(3, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling2D(_GlobalAverage):
    """Global average pooling: the mean over the spatial axes of each channel.

    Args:
        data_format, keepdims: see `BaseGlobalPooling`.

    Input shape: `(batch, height, width, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, 1, channels)`.

    Example:
        >>> tf.keras.layers.GlobalAveragePooling2D()(tf.ones((2, 4, 4, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(2, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling3D(_GlobalAverage):
    """Global average pooling: the mean over the spatial axes of each channel.

    Args:
        data_format, keepdims: see `BaseGlobalPooling`.

    Input shape: `(batch, d1, d2, d3, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, 1, 1, channels)`.

    Example:
        >>> tf.keras.layers.GlobalAveragePooling3D()(tf.ones((2, 2, 2, 2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(3, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling1D(_GlobalAverage):
    """Global average pooling over steps; with a mask, the mean over the unmasked steps.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: keep the steps axis with length 1.

    Call arguments:
        mask: `(batch, steps)` booleans, True for the steps to average (the output has no mask).

    Input shape: `(batch, steps, channels)`.
    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, channels)`.

    Example:
        >>> x = tf.constant([[[1.0], [3.0], [8.0]]])
        >>> tf.keras.layers.GlobalAveragePooling1D()(x, mask=tf.constant([[True, True, False]])).numpy()
        array([[2.]], dtype=float32)
    """

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def forward(self, inputs: torch.Tensor, mask=None) -> torch.Tensor:
        if mask is None:
            return super().forward(inputs)
        if not inputs.is_floating_point():
            inputs = inputs.to(torch.float32)
        mask = mask.to(torch.bool).unsqueeze(-1 if self.data_format == "channels_last" else 1)
        total = torch.where(mask, inputs, 0).sum(dim=self._axes, keepdim=self.keepdims)
        return total / mask.to(inputs.dtype).sum(dim=self._axes, keepdim=self.keepdims)

    def _raw_mask(self, inputs, mask):
        return None


MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (GlobalAveragePooling1D, GlobalAveragePooling2D,
                                                     GlobalAveragePooling3D)
