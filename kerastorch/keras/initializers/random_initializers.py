"""The random initializers: normal, uniform, truncated normal, variance scaling, orthogonal.

Numbers come from torch generators (see `base.py` for the seed rules), so they are not
TF's numbers; the distributions are Keras's, including the variance-scaling fans and the
truncated normal's stddev correction.
"""

from __future__ import annotations

import math

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.initializers.base import RandomInitializer, require_float, sampling_dtype

# The stddev of a standard normal truncated to [-2, 2]: dividing by it makes the
# truncated draw's stddev the wanted one (Keras and TF use this constant).
_TRUNCATED_STDDEV = 0.87962566103423978


def _normal(init: RandomInitializer, shape: tuple, dtype: torch.dtype, mean, stddev) -> torch.Tensor:
    require_float(init, dtype)
    out = torch.randn(shape, dtype=sampling_dtype(dtype), generator=init._generator())
    return (out * stddev + mean).to(dtype)


def _truncated_normal(init: RandomInitializer, shape: tuple, dtype: torch.dtype, mean, stddev) -> torch.Tensor:
    require_float(init, dtype)
    out = torch.empty(shape, dtype=sampling_dtype(dtype))
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=init._generator())
    return (out * stddev + mean).to(dtype)


def _uniform(init: RandomInitializer, shape: tuple, dtype: torch.dtype, minval, maxval) -> torch.Tensor:
    require_float(init, dtype)
    out = torch.rand(shape, dtype=sampling_dtype(dtype), generator=init._generator())
    return (out * (maxval - minval) + minval).to(dtype)


@ser.keras_export("keras.initializers.RandomNormal", "keras.initializers.random_normal")
class RandomNormal(RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: the mean of the values.
        stddev: their standard deviation.
        seed: an int for reproducible values; None draws a seed at creation.

    Example:
        >>> values = tf.keras.initializers.RandomNormal(stddev=1.0, seed=1)((2, 2))
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        return _normal(self, shape, dtype, self.mean, self.stddev)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@ser.keras_export("keras.initializers.TruncatedNormal", "keras.initializers.truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution; values beyond two stddevs from the mean are redrawn.

    Args:
        mean: the mean of the normal before truncation.
        stddev: its standard deviation (the truncated values' stddev is about 0.88 times it).
        seed: an int for reproducible values; None draws a seed at creation.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        return _truncated_normal(self, shape, dtype, self.mean, self.stddev)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@ser.keras_export("keras.initializers.RandomUniform", "keras.initializers.random_uniform")
class RandomUniform(RandomInitializer):
    """Draws uniformly from `[minval, maxval)`.

    Args:
        minval: the lower bound (inclusive).
        maxval: the upper bound (exclusive).
        seed: an int for reproducible values; None draws a seed at creation.
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        return _uniform(self, shape, dtype, self.minval, self.maxval)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape: tuple, input_axes=None, output_axes=None) -> tuple:
    """`(fan_in, fan_out)` of a weight shape, as Keras computes them.

    A vector has fan_in = fan_out = its length; a matrix `(in, out)`; a convolution
    kernel `(*window, in, out)` multiplies both by the window size. `input_axes` and
    `output_axes`, given together, name the axes whose product is each fan.
    """
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


@ser.keras_export("keras.initializers.VarianceScaling", "keras.initializers.variance_scaling")
class VarianceScaling(RandomInitializer):
    """Draws with a variance of `scale / n`, `n` a fan of the weight shape.

    With a normal distribution the stddev (after truncation, if any) is `sqrt(scale / n)`;
    with `"uniform"` values lie in `[-limit, limit]`, `limit = sqrt(3 * scale / n)`. `n`
    is fan_in, fan_out or their mean (see `compute_fans`), at least 1.

    Args:
        scale: a positive factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (alias `"normal"`), `"untruncated_normal"` or `"uniform"`.
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes: axes whose product is fan_in (with `output_axes`).
        output_axes: axes whose product is fan_out (with `input_axes`).
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: int | None = None, input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in _MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {set(_MODES)}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Please use one of "
                             f"{set(_DISTRIBUTIONS)}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            return _truncated_normal(self, shape, dtype, 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV)
        if self.distribution == "untruncated_normal":
            return _normal(self, shape, dtype, 0.0, math.sqrt(scale))
        limit = math.sqrt(3.0 * scale)
        return _uniform(self, shape, dtype, -limit, limit)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution (Glorot, He, Lecun)."""

    _preset: tuple = ()

    def __init__(self, seed: int | None = None, input_axes=None, output_axes=None):
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed,
                         input_axes=input_axes, output_axes=output_axes)

    def get_config(self) -> dict:
        return {"seed": ser.serialize_keras_object(self._init_seed), "input_axes": self.input_axes,
                "output_axes": self.output_axes}


@ser.keras_export("keras.initializers.GlorotUniform", "keras.initializers.glorot_uniform")
class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform: `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.

    Example:
        >>> values = tf.keras.initializers.GlorotUniform(seed=1)((3, 4))
    """

    _preset = (1.0, "fan_avg", "uniform")


@ser.keras_export("keras.initializers.GlorotNormal", "keras.initializers.glorot_normal")
class GlorotNormal(_Preset):
    """Glorot (Xavier) normal: truncated normal with stddev `sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


@ser.keras_export("keras.initializers.HeNormal", "keras.initializers.he_normal")
class HeNormal(_Preset):
    """He normal: truncated normal with stddev `sqrt(2 / fan_in)`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.
    """

    _preset = (2.0, "fan_in", "truncated_normal")


@ser.keras_export("keras.initializers.HeUniform", "keras.initializers.he_uniform")
class HeUniform(_Preset):
    """He uniform: `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.
    """

    _preset = (2.0, "fan_in", "uniform")


@ser.keras_export("keras.initializers.LecunNormal", "keras.initializers.lecun_normal")
class LecunNormal(_Preset):
    """Lecun normal: truncated normal with stddev `sqrt(1 / fan_in)`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.
    """

    _preset = (1.0, "fan_in", "truncated_normal")


@ser.keras_export("keras.initializers.LecunUniform", "keras.initializers.lecun_uniform")
class LecunUniform(_Preset):
    """Lecun uniform: `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    Args:
        seed: an int for reproducible values; None draws a seed at creation.
        input_axes, output_axes: see `VarianceScaling`.
    """

    _preset = (1.0, "fan_in", "uniform")


@ser.keras_export("keras.initializers.Orthogonal", "keras.initializers.orthogonal",
                  "keras.initializers.OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """An orthogonal matrix (times `gain`), from the QR decomposition of a normal draw.

    A shape `(d0, ..., dn)` of rank > 2 is drawn as a `(d0 * ... * d(n-1), dn)` matrix
    and reshaped. The result has orthonormal columns when it has at least as many rows
    as columns, orthonormal rows otherwise.

    Args:
        gain: the factor applied to the orthogonal matrix.
        seed: an int for reproducible values; None draws a seed at creation.
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain = gain
        super().__init__(seed=seed)

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. Received: "
                             f"shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = _normal(self, (max(rows, cols), min(rows, cols)), sampling_dtype(dtype), 0.0, 1.0)
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))  # makes the decomposition unique (uniform over matrices)
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).to(dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}
