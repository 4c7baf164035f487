"""Zero-padding and cropping layers for 1D, 2D and 3D data (ZeroPadding*, Cropping*)."""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 -- torch's conventional alias

from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers.conv_base import standardize_tuple
from kerastorch.keras.layers.reshaping import pairs, standardize_data_format

_FORMS = {
    2: ("a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), or a tuple of 2 tuples of 2 ints "
        "((top_crop, bottom_crop), (left_crop, right_crop))"),
    3: ("a tuple of 3 ints (symmetric_dim1_{kind}, symmetric_dim2_{kind}, symmetric_dim3_{kind}), or a "
        "tuple of 3 tuples of 2 ints ((left_dim1_{kind}, right_dim1_{kind}), (left_dim2_{kind}, "
        "right_dim2_{kind}), (left_dim3_{kind}, right_dim2_{kind}))"),
}


def _spatial_pairs(value, n: int, name: str) -> tuple:
    """Keras's standardization of a padding/cropping argument for `n` spatial axes."""
    if n == 1:
        return (standardize_tuple(value, 2, name, allow_zero=True, int_like=True),)
    kind = "pad" if name == "padding" else "crop"
    received = f"{name}={value}" if n == 2 or name == "padding" else f"{value}"
    invalid = (f"`{name}` should be either an int, {_FORMS[n].format(kind=kind)}. Received: {received}.")
    return pairs(value, n, name, invalid)


class _ZeroPadding(Layer):
    """Pads the `rank` spatial axes with zeros (the ZeroPadding layers' shared body)."""

    rank = 0

    def __init__(self, padding, data_format=None, **kwargs):
        data_format = standardize_data_format(data_format)
        spatial = _spatial_pairs(padding, self.rank, "padding")
        if any(p < 0 for pair in spatial for p in pair):
            # Keras fails later, in the pad op; a negative torch pad would silently crop instead.
            raise ValueError(f"`padding` cannot be negative. Received: padding={padding}.")
        super().__init__(**kwargs)
        self.data_format = data_format
        self.padding = spatial[0] if self.rank == 1 else spatial
        self._first = 2 if data_format == "channels_first" else 1
        # F.pad lists (before, after) from the last axis backwards.
        trailing = () if data_format == "channels_first" else (0, 0)
        self._pad = trailing + tuple(p for pair in reversed(spatial) for p in pair)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.pad(inputs, self._pad)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = list(input_shape)
        spatial = (self.padding,) if self.rank == 1 else self.padding
        for i, (before, after) in enumerate(spatial):
            if shape[self._first + i] is not None:
                shape[self._first + i] += before + after
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Pads the time axis of a 3D input with zeros.

    Args:
        padding: an int (same before and after) or a pair `(before, after)`.
        data_format: `"channels_last"` (default, `(batch, steps, features)`) or
            `"channels_first"` (`(batch, features, steps)`).

    Input shape: `(batch, steps, features)` (channels last).
    Output shape: `(batch, before + steps + after, features)`.

    Example:
        >>> tf.keras.layers.ZeroPadding1D(2)(tf.ones((1, 3, 4))).shape
        TensorShape([1, 7, 4])
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads the rows and columns of an image batch with zeros.

    Args:
        padding: an int, a pair `(rows, cols)` (symmetric) or a pair of pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, rows, cols, channels)` (channels last).
    Output shape: `(batch, top + rows + bottom, left + cols + right, channels)`.

    Example:
        >>> tf.keras.layers.ZeroPadding2D(((1, 0), (2, 2)))(tf.ones((1, 3, 3, 2))).shape
        TensorShape([1, 4, 7, 2])
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial axes of a volume batch with zeros.

    Args:
        padding: an int, three ints (symmetric per axis) or three pairs
            `(before, after)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels last).
    Output shape: each spatial axis grown by its padding.

    Example:
        >>> tf.keras.layers.ZeroPadding3D(1)(tf.ones((1, 2, 2, 2, 1))).shape
        TensorShape([1, 4, 4, 4, 1])
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class _Cropping(Layer):
    """Crops the `rank` spatial axes (the Cropping layers' shared body)."""

    rank = 0

    def __init__(self, cropping, data_format=None, **kwargs):
        data_format = standardize_data_format(data_format)
        spatial = _spatial_pairs(cropping, self.rank, "cropping")
        super().__init__(**kwargs)
        self.data_format = data_format
        self.cropping = spatial[0] if self.rank == 1 else spatial
        self._spatial = spatial
        self._first = 2 if data_format == "channels_first" else 1
        lead = (slice(None),) * self._first
        self._index = lead + tuple(slice(b, -a if a else None) for b, a in spatial)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _too_large(self, shape) -> bool:
        dims = shape[self._first:self._first + self.rank]
        return any(d is not None and b + a >= d for d, (b, a) in zip(dims, self._spatial))

    def _error(self, received: str) -> ValueError:
        if self.rank == 1:
            return ValueError(f"`cropping` parameter of `Cropping1D` layer must be smaller than the input "
                              f"length. {received}, cropping={self.cropping}")
        return ValueError(f"Values in `cropping` argument should be smaller than the corresponding spatial "
                          f"dimension of the input. {received}, cropping={self.cropping}")

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if self._too_large(inputs.shape):
            raise self._error(f"Received: inputs.shape={tuple(inputs.shape)}")
        return inputs[self._index]

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        if self._too_large(input_shape):
            raise self._error(f"Received: input_shape={input_shape}")
        shape = list(input_shape)
        for i, (before, after) in enumerate(self._spatial):
            if shape[self._first + i] is not None:
                shape[self._first + i] -= before + after
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}


class Cropping1D(_Cropping):
    """Crops the time axis of a 3D input.

    Args:
        cropping: an int (same at both ends) or a pair `(start, end)`.

    Input shape: `(batch, steps, features)`.
    Output shape: `(batch, steps - start - end, features)`.

    Example:
        >>> tf.keras.layers.Cropping1D((1, 2))(tf.ones((1, 5, 3))).shape
        TensorShape([1, 2, 3])
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, None, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["data_format"]
        return config


class Cropping2D(_Cropping):
    """Crops the rows and columns of an image batch.

    Args:
        cropping: an int, a pair `(rows, cols)` (symmetric) or a pair of pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, rows, cols, channels)` (channels last).
    Output shape: `(batch, rows - top - bottom, cols - left - right, channels)`.

    Example:
        >>> tf.keras.layers.Cropping2D(((1, 0), (0, 2)))(tf.ones((1, 4, 5, 3))).shape
        TensorShape([1, 3, 3, 3])
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial axes of a volume batch.

    Args:
        cropping: an int, three ints (symmetric per axis) or three pairs
            `(start, end)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels last).
    Output shape: each spatial axis shrunk by its cropping.

    Example:
        >>> tf.keras.layers.Cropping3D(1)(tf.ones((1, 4, 4, 4, 2))).shape
        TensorShape([1, 2, 2, 2, 2])
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
