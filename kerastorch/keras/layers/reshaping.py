"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector (and the argument helpers
the padding, cropping and upsampling layers share)."""

from __future__ import annotations

import math

import torch

from kerastorch.keras.config import standardize_data_format
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers.conv_base import standardize_tuple


def pairs(value, n: int, name: str, invalid: str) -> tuple:
    """`n` (before, after) pairs from an int, `n` ints or `n` pairs (padding, cropping).

    `invalid` is Keras's message for a value that is neither an int nor a sequence.
    """
    if isinstance(value, int):
        # Keras rejects a negative int for cropping here; a negative padding fails later, in the op.
        if value < 0 and name == "cropping":
            raise ValueError(f"`cropping` cannot be negative. Received: cropping={value}.")
        return ((value, value),) * n
    if not hasattr(value, "__len__"):
        raise ValueError(invalid)
    if len(value) != n:
        received = f"{name}={value}" if n == 2 else f"{value}"
        raise ValueError(f"`{name}` should have {'two' if n == 2 else n} elements. Received: {received}.")
    ordinals = ("1st", "2nd", "3rd")
    return tuple(standardize_tuple(v, 2, f"{ordinals[i]} entry of {name}", allow_zero=True, int_like=True)
                 for i, v in enumerate(value))


class Flatten(Layer):
    """Flattens each sample to one axis; the batch axis is kept.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`; with
            channels first, the channel axis is moved last before flattening, so the
            result orders features as the channels-last layout does.

    Input shape: `(batch, ...)`; a `(batch,)` input becomes `(batch, 1)`.
    Output shape: `(batch, prod(...))`.

    Example:
        >>> tf.keras.layers.Flatten()(tf.ones((2, 3, 4))).shape
        TensorShape([2, 12])
    """

    _keep_input_dtype = True

    def __init__(self, data_format=None, **kwargs):
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.data_format = data_format
        self._channels_first = data_format == "channels_first"
        self.input_spec = InputSpec(min_ndim=1)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if self._channels_first and inputs.dim() > 2:
            inputs = inputs.movedim(1, -1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape) -> tuple:
        rest = tuple(input_shape)[1:]
        if any(d is None for d in rest):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(rest))

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


def _check_target_shape(target: tuple) -> None:
    for dim in target:
        if dim < -1:
            raise ValueError(f"Each dimension in `target_shape` must be a non-negative integer, or `-1` for "
                             f"a single unknown dimension. Received: target_shape={target}.")
    if sum(1 for d in target if d == -1) > 1:
        raise ValueError(f"There must be at most one unknown dimension (-1) in `target_shape`. Received: "
                         f"target_shape={target}.")


def _resolve_target(input_shape: tuple, target: tuple) -> tuple:
    """`target` with its -1 resolved for a sample shape (None when unknown), checking sizes."""
    if None in input_shape:
        return tuple(None if d == -1 else d for d in target)
    size = math.prod(input_shape)
    if -1 not in target:
        if size != math.prod(target):
            raise ValueError(f"The total size of the tensor must be unchanged. Received: "
                             f"input_shape={input_shape}, target_shape={target}")
        return target
    known = math.prod(d for d in target if d != -1)
    if known == 0 or size % known:
        raise ValueError(f"The total size of the tensor must be unchanged, however, the input size cannot by "
                         f"divided by the specified dimensions in target_shape. Received: "
                         f"input_shape={input_shape}, target_shape={target}")
    return tuple(size // known if d == -1 else d for d in target)


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: the new sample shape (without the batch axis); one entry may
            be -1, inferred from the size of the input.

    Input shape: `(batch, ...)` with as many elements per sample as `target_shape`.
    Output shape: `(batch, *target_shape)`.

    Example:
        >>> tf.keras.layers.Reshape((-1, 2))(tf.ones((4, 12))).shape
        TensorShape([4, 6, 2])
    """

    _keep_input_dtype = True

    def __init__(self, target_shape, **kwargs):
        target_shape = tuple(target_shape)
        _check_target_shape(target_shape)
        super().__init__(**kwargs)
        self.target_shape = target_shape
        self._resolved = None  # (sample shape, resolved target) of the last call

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        sample = tuple(inputs.shape[1:])
        if self._resolved is None or self._resolved[0] != sample:
            self._resolved = (sample, _resolve_target(sample, self.target_shape))
        return inputs.reshape(inputs.shape[0], *self._resolved[1])

    def compute_output_shape(self, input_shape) -> tuple:
        return (input_shape[0], *_resolve_target(tuple(input_shape)[1:], self.target_shape))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permutes the non-batch axes of the input.

    Args:
        dims: the permutation of the axes `1 … rank-1` (1-based, the batch axis is
            not included): `(2, 1)` swaps the two axes of a `(batch, a, b)` input.

    Input shape: `(batch, d1, …, dn)` with `n = len(dims)`.
    Output shape: the input's axes reordered by `dims`.

    Example:
        >>> tf.keras.layers.Permute((2, 1))(tf.ones((2, 10, 64))).shape
        TensorShape([2, 64, 10])
    """

    _keep_input_dtype = True

    def __init__(self, dims, **kwargs):
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                             f"`dims` must be consecutive and start from 1. Received dims={dims}")
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        self._axes = (0, *self.dims)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.permute(self._axes)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape[d] for d in self._axes)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats a `(batch, features)` input `n` times along a new axis 1.

    Args:
        n: the number of repetitions (a positive integer).

    Input shape: `(batch, features)`.
    Output shape: `(batch, n, features)`.

    Example:
        >>> tf.keras.layers.RepeatVector(3)(tf.ones((2, 32))).shape
        TensorShape([2, 3, 32])
    """

    def __init__(self, n, **kwargs):
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        super().__init__(**kwargs)
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.unsqueeze(1).expand(-1, self.n, -1).contiguous()

    def compute_output_shape(self, input_shape) -> tuple:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
