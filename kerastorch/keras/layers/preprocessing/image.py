"""Deterministic image layers: Resizing and CenterCrop (batched NHWC or single HWC images)."""

from __future__ import annotations

import torch

from kerastorch.framework import dtypes
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers.preprocessing import _image_ops
from kerastorch.keras.layers.reshaping import standardize_data_format

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def to_nhwc(inputs: torch.Tensor, data_format: str) -> torch.Tensor:
    """A batched channels-last view of image(s) of rank 3 or 4."""
    if inputs.dim() not in (3, 4):
        raise ValueError(f"Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
                         f"Received input with shape: images.shape={tuple(inputs.shape)}")
    images = inputs if inputs.dim() == 4 else inputs.unsqueeze(0)
    return images.permute(0, 2, 3, 1) if data_format == "channels_first" else images


def from_nhwc(images: torch.Tensor, like: torch.Tensor, data_format: str) -> torch.Tensor:
    """Undoes `to_nhwc` for the input `like`."""
    if data_format == "channels_first":
        images = images.permute(0, 3, 1, 2)
    return images if like.dim() == 4 else images.squeeze(0)


def image_output_shape(input_shape, height: int, width: int, data_format: str) -> tuple:
    """`input_shape` with its height and width axes replaced."""
    shape = list(input_shape)
    first = (1 if len(shape) == 4 else 0) + (1 if data_format == "channels_first" else 0)
    shape[first], shape[first + 1] = height, width
    return tuple(shape)


def _saturate_cast(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    if not dtype.is_floating_point and dtype is not torch.bool:
        info = torch.iinfo(dtype)
        x = x.clamp(info.min, info.max)
    return x.to(dtype)


class Resizing(Layer):
    """Resizes images to `(height, width)`, as `tf.image.resize` (half-pixel centers).

    Args:
        height, width: the output size.
        interpolation: `"bilinear"` (default), `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"` or `"lanczos5"`.
        crop_to_aspect_ratio: crop the largest centered window with the target aspect
            ratio first, so the image is not distorted.
        pad_to_aspect_ratio: pad evenly with `fill_value` to the target aspect ratio first.
        fill_mode: only `"constant"`.
        fill_value: the padding value for `pad_to_aspect_ratio`.
        antialias: filter when downsampling (bilinear, bicubic, Lanczos), as TF does.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, height, width, channels)` or `(height, width, channels)`.
    Output shape: the same with the new height and width. Integer images keep their dtype
    (rounded, saturated); float images come out in the layer's compute dtype.

    Example:
        >>> tf.keras.layers.Resizing(2, 3)(tf.ones((1, 4, 4, 3))).shape
        TensorShape([1, 2, 3, 3])
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.data_format = standardize_data_format(data_format)
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def _check(self) -> None:
        if self.interpolation not in RESIZE_INTERPOLATIONS:
            raise ValueError(f"Invalid value for argument `interpolation`. Expected of one "
                             f"{RESIZE_INTERPOLATIONS}. Received: interpolation={self.interpolation}")
        if self.fill_mode != "constant":
            raise ValueError(f"Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
                             f"Received: fill_mode={self.fill_mode}")
        if self.pad_to_aspect_ratio and self.crop_to_aspect_ratio:
            raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check()
        images = to_nhwc(inputs, self.data_format)
        if self.crop_to_aspect_ratio:
            images = _image_ops.crop_to_aspect(images, self.height, self.width)
        elif self.pad_to_aspect_ratio:
            images = _image_ops.pad_to_aspect(images, self.height, self.width, self.fill_value)
        out = _image_ops.resize(images, self.height, self.width, self.interpolation, self.antialias)
        if out.dtype != inputs.dtype:
            if not inputs.dtype.is_floating_point:
                out = torch.round(out)
            out = _saturate_cast(out, inputs.dtype)
        return from_nhwc(out, inputs, self.data_format)

    def compute_output_shape(self, input_shape) -> tuple:
        return image_output_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias, "data_format": self.data_format}


class CenterCrop(Layer):
    """Crops the central `(height, width)` window of images.

    An image smaller than the target in either dimension is instead cropped to the
    target aspect ratio and resized (bilinear), as Keras's `smart_resize`.

    Args:
        height, width: the output size.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, height, width, channels)` or `(height, width, channels)`.
    Output shape: the same with the new height and width, in the layer's compute dtype.

    Example:
        >>> tf.keras.layers.CenterCrop(2, 2)(tf.ones((1, 4, 4, 3))).shape
        TensorShape([1, 2, 2, 3])
    """

    def __init__(self, height: int, width: int, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.data_format = standardize_data_format(data_format)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        images = to_nhwc(inputs.to(dtypes.as_dtype(self.compute_dtype)._torch), self.data_format)
        h_diff, w_diff = images.shape[1] - self.height, images.shape[2] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            out = images[:, top:top + self.height, left:left + self.width, :]
        else:
            cropped = _image_ops.crop_to_aspect(images, self.height, self.width)
            out = _image_ops.resize(cropped, self.height, self.width, "bilinear").to(images.dtype)
        return from_nhwc(out, inputs, self.data_format)

    def compute_output_shape(self, input_shape) -> tuple:
        if len(input_shape) not in (3, 4) or isinstance(input_shape[0], (list, tuple)):
            raise ValueError("`input_shape` must be a non-nested tuple or list of rank-1 with size 3 "
                             "(unbatched) or 4 (batched). ")
        return image_output_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width,
                "data_format": self.data_format}
