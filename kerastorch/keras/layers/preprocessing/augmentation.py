"""Random image augmentation: RandomFlip, RandomRotation, RandomZoom.

As in Keras 3, these layers transform only when training: `training=True`, or no
`training` at all (a direct call or `model(x)`; `fit` trains, `predict`/`evaluate` do
not). Otherwise they return the images cast to the compute dtype. Random draws come
from `random_ops.generator(seed)`, so `tf.random.set_seed` and the layer's `seed`
make them reproducible (the numbers differ from TensorFlow's generator).
"""

from __future__ import annotations

import math

import torch

from kerastorch.framework import dtypes
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers.preprocessing import _image_ops, _strings
from kerastorch.keras.layers.preprocessing.image import from_nhwc, to_nhwc
from kerastorch.keras.layers.reshaping import standardize_data_format
from kerastorch.ops import random_ops

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class _RandomImageLayer(Layer):
    """What the random image layers share: seed, data format, training default, dtype."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = standardize_data_format(data_format)

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        inputs = _strings.as_array(inputs).to(dtypes.as_dtype(self.compute_dtype)._torch)
        # None counts as training: Keras's `call(data, training=True)` default (checked under TF).
        if training is not None and not bool(training):
            return inputs
        images = to_nhwc(inputs, self.data_format)
        out = self._transform(images, random_ops.generator(self.seed, images.device))
        return from_nhwc(out, inputs, self.data_format)

    def _uniform(self, n: int, low: float, high: float, gen) -> torch.Tensor:
        u = torch.rand((n, 1), generator=gen, device=gen.device, dtype=torch.float32)
        return u * (high - low) + low

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)


def _check_modes(fill_mode: str, interpolation: str) -> None:
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}.")
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}.")


class RandomFlip(_RandomImageLayer):
    """Randomly flips each image left-right and/or top-bottom while training.

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"` (default; an
            image is then flipped both ways or not at all, as Keras does).
        seed: an integer seed for the random draws.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, height, width, channels)` or `(height, width, channels)`.
    Output shape: the input shape, in the layer's compute dtype.

    Example:
        >>> layer = tf.keras.layers.RandomFlip("horizontal", seed=1)
        >>> layer(tf.ones((2, 4, 4, 3)), training=True).shape
        TensorShape([2, 4, 4, 3])
    """

    # Keras's `_allow_non_tensor_positional_args`: Python lists (and strings) are valid inputs.
    _allow_non_tensor_positional_args = True

    def __init__(self, mode: str = "horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = mode
        self.autocast = False  # as Keras (`_convert_input_args = False`); forward casts

    def _transform(self, images: torch.Tensor, gen) -> torch.Tensor:
        flips = torch.rand((images.shape[0], 1, 1, 1), generator=gen, device=gen.device) <= 0.5
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            images = torch.where(flips, images.flip(2), images)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            images = torch.where(flips, images.flip(1), images)
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode, "data_format": self.data_format}


def _factor_error(factor) -> ValueError:
    return ValueError(f"The `factor` argument should be a number (or a list of two numbers) in the range "
                      f"[-1, 1]. Received: factor={factor}")


class RandomRotation(_RandomImageLayer):
    """Rotates each image by a random angle while training.

    Args:
        factor: a fraction of a full turn `f` (angles drawn from `[-f, f] * 360` degrees),
            or a pair `(lower, upper)`; positive angles turn counter-clockwise.
        fill_mode: how points outside the image are filled: `"reflect"` (default),
            `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an integer seed for the random draws.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, height, width, channels)` or `(height, width, channels)`.
    Output shape: the input shape, in the layer's compute dtype.

    Example:
        >>> layer = tf.keras.layers.RandomRotation(0.1, seed=1)
        >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
        TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor, fill_mode: str = "reflect", interpolation: str = "bilinear", seed=None,
                 fill_value: float = 0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = _rotation_factor(factor or 0.0)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        _check_modes(fill_mode, interpolation)

    def _transform(self, images: torch.Tensor, gen) -> torch.Tensor:
        n, h, w, _ = images.shape
        angle = self._uniform(n, self.factor[0] * 360.0, self.factor[1] * 360.0, gen)[:, 0]
        angle = angle * torch.tensor(math.pi / 180.0, dtype=torch.float32)
        cx = 0.5 * (torch.tensor(float(w), dtype=torch.float32) - 1)
        cy = 0.5 * (torch.tensor(float(h), dtype=torch.float32) - 1)
        cos, sin = torch.cos(angle), torch.sin(angle)
        zero = torch.zeros_like(angle)
        # Keras's affine matrix with no shear, translation or scaling (its term order kept).
        a2 = zero + cx - cx * cos - cy * -sin
        b2 = zero + cy - cx * sin - cy * cos
        matrix = torch.stack([cos, -sin, a2, sin, cos, b2, zero, zero], dim=1)
        return _image_ops.affine_transform(images, matrix, self.interpolation, self.fill_mode, self.fill_value)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "data_format": self.data_format,
                "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "interpolation": self.interpolation, "seed": self.seed}


def _rotation_factor(factor) -> tuple:
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > 1 or factor[1] < -1:
            raise _factor_error(factor)
        lower, upper = sorted(factor)
    elif isinstance(factor, (int, float)):
        if factor < -1 or factor > 1:
            raise _factor_error(factor)
        factor = abs(factor)
        lower, upper = max(-factor, -1), factor
    else:
        raise _factor_error(factor)
    return lower, upper


_ZOOM_ERROR = ("The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers) "
               "in the range (-1.0, 1.0]. ")


def _zoom_range(factor, name: str) -> tuple:
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(_ZOOM_ERROR + f"Received: {name}={factor}")
        for value in factor:
            _check_zoom(value)
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)):
        _check_zoom(factor)
        return -abs(factor), abs(factor)
    raise ValueError(_ZOOM_ERROR + f"Received: {name}={factor}")


def _check_zoom(value) -> None:
    if value > 1.0 or value <= -1.0:
        raise ValueError(_ZOOM_ERROR + f"Received: input_number={value}")


class RandomZoom(_RandomImageLayer):
    """Zooms each image in or out by a random factor while training.

    Args:
        height_factor: `f` (zoom factors drawn from `[1 - f, 1 + f]`) or a pair
            `(lower, upper)` giving `[1 + lower, 1 + upper]`; positive values zoom out
            (the image shrinks), negative values zoom in. Each bound in (-1, 1].
        width_factor: the same for the width; None (default) zooms both axes by the
            height factor, keeping the aspect ratio.
        fill_mode, interpolation, seed, fill_value, data_format: as in `RandomRotation`.

    Input shape: `(batch, height, width, channels)` or `(height, width, channels)`.
    Output shape: the input shape, in the layer's compute dtype.

    Example:
        >>> layer = tf.keras.layers.RandomZoom(0.2, seed=1)
        >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
        TensorShape([2, 8, 8, 3])
    """

    def __init__(self, height_factor, width_factor=None, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed=None, fill_value: float = 0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _zoom_range(height_factor, "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _zoom_range(width_factor, "width_factor")
        _check_modes(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation

    def _transform(self, images: torch.Tensor, gen) -> torch.Tensor:
        n, h, w, _ = images.shape
        zoom_h = self._uniform(n, 1.0 + self.height_lower, 1.0 + self.height_upper, gen)
        zoom_w = zoom_h
        if self.width_factor is not None:
            zoom_w = self._uniform(n, 1.0 + self.width_lower, 1.0 + self.width_upper, gen)
        x_offset = ((torch.tensor(float(w)) - 1.0) / 2.0) * (1.0 - zoom_w)
        y_offset = ((torch.tensor(float(h)) - 1.0) / 2.0) * (1.0 - zoom_h)
        zero = torch.zeros_like(zoom_h)
        matrix = torch.cat([zoom_w, zero, x_offset, zero, zoom_h, y_offset, zero, zero], dim=1)
        return _image_ops.affine_transform(images, matrix, self.interpolation, self.fill_mode, self.fill_value)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value, "data_format": self.data_format}
