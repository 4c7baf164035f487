"""Upsampling layers: UpSampling1D, UpSampling2D (nearest or interpolating), UpSampling3D.

UpSampling2D's interpolating modes reproduce `tf.image.resize` (no antialiasing) for
integer factors: `bilinear` is torch's half-pixel bilinear; `area` equals `nearest`
(each output pixel lies inside one input pixel); `bicubic` and `lanczos3`/`lanczos5`
apply per-axis interpolation matrices built with TF's formulas (see `_matrix`).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 -- torch's conventional alias

from kerastorch.framework.host_cache import host_cache
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers.conv_base import standardize_tuple
from kerastorch.keras.layers.reshaping import standardize_data_format

_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def _repeat(inputs: torch.Tensor, first: int, sizes: tuple) -> torch.Tensor:
    """Each element repeated `sizes[i]` times along axis `first + i` (one copy)."""
    shape = list(inputs.shape)
    view, expanded = [], []
    for axis, dim in enumerate(shape):
        i = axis - first
        if 0 <= i < len(sizes):
            view += [dim, 1]
            expanded += [dim, sizes[i]]
            shape[axis] = dim * sizes[i]
        else:
            view.append(dim)
            expanded.append(dim)
    return inputs.reshape(view).expand(expanded).reshape(shape)


def _keys_cubic(t: np.ndarray) -> np.ndarray:
    """TF's bicubic weights of the taps at distances 1+t, t, 1-t, 2-t (Keys, a = -0.5).

    TF reads them from a 1024-entry table, so `t` is rounded to multiples of 1/1024
    first (resize_bicubic_op.cc, half-pixel centers); this matters for factors like 3.
    """
    a = np.float32(-0.5)
    t = (np.rint(t * 1024) / 1024).astype(np.float32)

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], axis=-1)


def _lanczos(radius: int, x: np.ndarray) -> np.ndarray:
    x = np.abs(x).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi**2 * x * x)
    return np.where(x > radius, 0.0, np.where(x < 1e-3, 1.0, value)).astype(np.float32)


@host_cache(maxsize=64)
def _matrix(method: str, size: int, factor: int) -> np.ndarray:
    """The `(size * factor, size)` matrix resizing one axis as tf.image.resize does."""
    out = size * factor
    weights = np.zeros((out, size), np.float32)
    centers = (np.arange(out, dtype=np.float32) + np.float32(0.5)) * np.float32(size / out)
    if method == "bicubic":
        # resize_bicubic: taps floor(x)-1 … floor(x)+2 around x = center - 0.5; taps
        # outside the image get no weight and the rest are renormalized.
        x = centers - np.float32(0.5)
        base = np.floor(x)
        taps = base[:, None].astype(np.int64) + np.arange(-1, 3)
        tap_weights = _keys_cubic(x - base)
    else:
        # scale_and_translate: taps within `radius` of the center, renormalized.
        radius = int(method[-1])
        taps = np.floor(centers)[:, None].astype(np.int64) + np.arange(-radius - 1, radius + 2)
        tap_weights = _lanczos(radius, taps.astype(np.float32) + np.float32(0.5) - centers[:, None])
    inside = (taps >= 0) & (taps < size)
    tap_weights = np.where(inside, tap_weights, 0.0).astype(np.float32)
    tap_weights /= tap_weights.sum(axis=1, keepdims=True)
    rows = np.broadcast_to(np.arange(out)[:, None], taps.shape)
    np.add.at(weights, (rows[inside], taps[inside]), tap_weights[inside])
    return weights


def _resize(images: torch.Tensor, factors: tuple, method: str) -> torch.Tensor:
    """A channels-last `(batch, rows, cols, channels)` batch resized by integer `factors`."""
    if method in ("nearest", "area"):
        return _repeat(images, 1, factors)
    if not images.is_floating_point():
        # Keras resizes integers in float32 and rounds back (half to even, as torch.round).
        return _resize(images.to(torch.float32), factors, method).round().to(images.dtype)
    if method == "bilinear":
        # A channels-first view of channels-last memory: torch keeps that layout, no copy.
        size = (images.shape[1] * factors[0], images.shape[2] * factors[1])
        return F.interpolate(images.permute(0, 3, 1, 2), size=size, mode="bilinear",
                             align_corners=False).permute(0, 2, 3, 1)
    rows, cols = (torch.from_numpy(_matrix(method, n, f)).to(images.device, images.dtype)
                  for n, f in zip(images.shape[1:3], factors))
    return torch.einsum("ip,bpqc,jq->bijc", rows, images, cols)


class UpSampling1D(Layer):
    """Repeats each time step `size` times along the time axis.

    Args:
        size: the upsampling factor (a positive integer).

    Input shape: `(batch, steps, features)`.
    Output shape: `(batch, steps * size, features)`.

    Example:
        >>> tf.keras.layers.UpSampling1D(2)(tf.ones((2, 3, 4))).shape
        TensorShape([2, 6, 4])
    """

    def __init__(self, size=2, **kwargs):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        super().__init__(**kwargs)
        self.size = size
        self.input_spec = InputSpec(ndim=3)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return _repeat(inputs, 1, (self.size,))

    def compute_output_shape(self, input_shape) -> tuple:
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}


class _UpSampling(Layer):
    """Scales the spatial axes by integer factors (UpSampling2D/3D's shared body)."""

    rank = 0

    def __init__(self, size, data_format=None, **kwargs):
        size = standardize_tuple(size, self.rank, "size", int_like=True)
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.size = size
        self.data_format = data_format
        self._first = 2 if data_format == "channels_first" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return _repeat(inputs, self._first, self.size)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = list(input_shape)
        for i, factor in enumerate(self.size):
            if shape[self._first + i] is not None:
                shape[self._first + i] *= factor
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}


class UpSampling2D(_UpSampling):
    """Scales the rows and columns of an image batch by integer factors.

    Args:
        size: an int or a pair `(rows, cols)` of upsampling factors.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        interpolation: `"nearest"` (repeat rows and columns, the default),
            `"bilinear"`, `"bicubic"`, `"area"`, `"lanczos3"` or `"lanczos5"`, with
            `tf.image.resize`'s semantics (half-pixel centers, no antialiasing).

    Input shape: `(batch, rows, cols, channels)` (channels last).
    Output shape: `(batch, rows * size[0], cols * size[1], channels)`.

    Example:
        >>> tf.keras.layers.UpSampling2D((1, 2))(tf.ones((2, 2, 1, 3))).shape
        TensorShape([2, 2, 2, 3])
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, **kwargs)
        self.interpolation = interpolation.lower()

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.interpolation not in _INTERPOLATIONS:
            raise ValueError(f"Invalid value for argument `interpolation`. Expected of one "
                             f"{_INTERPOLATIONS}. Received: interpolation={self.interpolation}")
        if self.interpolation == "nearest":
            return _repeat(inputs, self._first, self.size)
        if self._first == 2:
            return _resize(inputs.permute(0, 2, 3, 1), self.size, self.interpolation).permute(0, 3, 1, 2)
        return _resize(inputs, self.size, self.interpolation)

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    """Repeats each voxel `size` times along the three spatial axes.

    Args:
        size: an int or three ints, the factors for the three spatial axes.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels last).
    Output shape: each spatial axis multiplied by its factor.

    Example:
        >>> tf.keras.layers.UpSampling3D(2)(tf.ones((1, 2, 2, 2, 3))).shape
        TensorShape([1, 4, 4, 4, 3])
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)

