"""Regularization layers: Dropout and its spatial forms, GaussianNoise, GaussianDropout,
AlphaDropout and ActivityRegularization.

The random layers act only when called with `training=True` (None counts as inference)
and pass masks through. Each draws from its own stream: its op seed is fixed when it is
created (its `seed`, else one drawn from the global seed of `tf.random.set_seed`, as a
Keras layer's SeedGenerator is), so rebuilding a model after setting the same global
seed gives the same noise, while successive calls of one layer give new noise.
"""

from __future__ import annotations

import math

import torch

from kerastorch.keras import regularizers
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers.reshaping import standardize_data_format
from kerastorch.ops import random_ops, seeded_draws

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def _check_rate(value, name: str = "rate") -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"Invalid value received for argument `{name}`. Expected a float value between 0 "
                         f"and 1. Received: {name}={value}")


def _check_noise_shape(noise_shape):
    if noise_shape is None:
        return None
    head = "Invalid value received for argument `noise_shape`."
    if isinstance(noise_shape, str):
        raise ValueError(f"{head} Expected a tuple or list of integers. Received: noise_shape={noise_shape}")
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(f"{head} Expected an iterable of integers (e.g., a tuple or list). Received: "
                         f"noise_shape={noise_shape}") from None
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if not isinstance(dim, int):
            raise ValueError(f"{head} Expected all elements to be integers or None. Received element at "
                             f"index {i}: {dim} (type: {type(dim).__name__})")
        if dim <= 0:
            raise ValueError(f"{head} Expected all dimensions to be positive integers or None. Received "
                             f"negative or zero value at index {i}: {dim}")
    return noise_shape


class _Noise(Layer):
    """A layer drawing random numbers in training (holds the op seed of its stream)."""

    _default_masking = True

    def _init_seed(self, seed, active: bool) -> None:
        self.seed = seed
        # Drawn now, as Keras seeds a layer's SeedGenerator at construction.
        self._op_seed = random_ops.get_seed(seed)[1] if active else None

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)


class Dropout(_Noise):
    """Sets a random fraction `rate` of the inputs to 0 in training, scaling the rest
    by `1 / (1 - rate)` so the expected sum is unchanged.

    Args:
        rate: the fraction of inputs to drop, in [0, 1].
        noise_shape: the shape of the keep/drop mask, broadcast against the input;
            None entries take the input's size (`(None, 1, None)` drops the same
            features at every time step).
        seed: the op seed of the layer's random stream.

    Input shape: any. Output shape: the input's.

    Example:
        >>> layer = tf.keras.layers.Dropout(0.5)
        >>> layer(tf.ones((2, 3)), training=False).numpy()
        array([[1., 1., 1.],
               [1., 1., 1.]], dtype=float32)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        _check_rate(rate)
        noise_shape = _check_noise_shape(noise_shape)
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self._init_seed(seed, rate > 0)

    def _mask_shape(self, inputs: torch.Tensor) -> tuple:
        if self.noise_shape is None:
            return inputs.shape
        return tuple(inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return torch.zeros_like(inputs)
        keep = seeded_draws.bernoulli(self._mask_shape(inputs), 1 - self.rate, inputs.dtype, inputs.device,
                                      self._op_seed)
        return inputs * keep.mul_(1 / (1 - self.rate))

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}


class _SpatialDropout(Dropout):
    """Dropout of whole channels (the same mask at every spatial position)."""

    rank = 0

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        data_format = standardize_data_format(data_format)
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = data_format
        self._channel_axis = 1 if data_format == "channels_first" else self.rank + 1
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _mask_shape(self, inputs: torch.Tensor) -> tuple:
        return tuple(d if i in (0, self._channel_axis) else 1 for i, d in enumerate(inputs.shape))

    def get_config(self) -> dict:
        # Keras's spatial dropouts list only these (no `trainable`, `dtype` as a name).
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype,
                "data_format": self.data_format}


class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole feature maps of a 3D input: drops entire channels.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        seed: the op seed of the layer's random stream.

    Input shape: `(batch, steps, channels)`. Output shape: the input's.

    Example:
        >>> tf.keras.layers.SpatialDropout1D(0.5)(tf.ones((2, 4, 3))).shape
        TensorShape([2, 4, 3])
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, None, seed=seed, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole channels of an image batch.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: the op seed of the layer's random stream.

    Input shape: `(batch, rows, cols, channels)` (channels last). Output shape: the input's.

    Example:
        >>> tf.keras.layers.SpatialDropout2D(0.5)(tf.ones((2, 4, 4, 3))).shape
        TensorShape([2, 4, 4, 3])
    """

    rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Dropout of whole channels of a volume batch.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: the op seed of the layer's random stream.

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels last). Output shape: the input's.

    Example:
        >>> tf.keras.layers.SpatialDropout3D(0.5)(tf.ones((1, 2, 2, 2, 3))).shape
        TensorShape([1, 2, 2, 2, 3])
    """

    rank = 3


class GaussianNoise(_Noise):
    """Adds zero-centred Gaussian noise of standard deviation `stddev` in training.

    Args:
        stddev: the noise's standard deviation, in [0, 1].
        seed: the op seed of the layer's random stream.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.GaussianNoise(0.1)(tf.ones((2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        _check_rate(stddev, "stddev")
        super().__init__(**kwargs)
        self.stddev = stddev
        self._init_seed(seed, stddev > 0)

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        if not training or self.stddev == 0:
            return inputs
        noise = seeded_draws.normal(inputs.shape, 0.0, float(self.stddev), inputs.dtype, inputs.device,
                                    self._op_seed)
        return inputs + noise

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_Noise):
    """Multiplies the inputs by Gaussian noise of mean 1 and standard deviation
    `sqrt(rate / (1 - rate))` in training.

    Args:
        rate: the drop probability of the equivalent Dropout, in [0, 1].
        seed: the op seed of the layer's random stream.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.GaussianDropout(0.2)(tf.ones((2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, rate, seed=None, **kwargs):
        _check_rate(rate)
        super().__init__(**kwargs)
        self.rate = rate
        self._init_seed(seed, rate > 0)

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = seeded_draws.normal(inputs.shape, 1.0, stddev, inputs.dtype, inputs.device, self._op_seed)
        return inputs * noise

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class AlphaDropout(_Noise):
    """Dropout that keeps the mean and variance of its inputs (for SELU networks):
    dropped inputs are set to SELU's negative saturation value, then an affine map
    restores the statistics.

    This is `tf.keras`'s AlphaDropout (Keras's legacy layer): `rate` is not
    validated and the config has no `noise_shape`.

    Args:
        rate: the fraction of inputs to drop.
        noise_shape: the shape of the keep/drop mask (None entries take the input's size).
        seed: the op seed of the layer's random stream.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.AlphaDropout(0.1)(tf.ones((2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self._init_seed(seed, True)

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        if not training or self.rate <= 0:
            return inputs
        shape = inputs.shape if self.noise_shape is None else tuple(
            inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        uniform = seeded_draws.uniform(shape, torch.float32, inputs.device, self._op_seed)
        kept = (uniform >= self.rate).to(inputs.dtype)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class ActivityRegularization(Layer):
    """Passes its input through and adds `l1 * sum(|x|) + l2 * sum(x**2)`, divided by
    the batch size, to `losses`.

    Args:
        l1, l2: the L1 and L2 factors (non-negative floats).

    Input shape: any. Output shape: the input's.

    Example:
        >>> layer = tf.keras.layers.ActivityRegularization(l1=0.1)
        >>> _ = layer(tf.constant([[1.0, -2.0]]))
        >>> float(layer.losses[0])
        0.30000001192092896
    """

    _default_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
