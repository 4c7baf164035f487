"""Feature scaling layers: Rescaling and Normalization (with `adapt`)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import TensorLike, wrap
from kerastorch.keras import backend
from kerastorch.keras.engine.base_layer import Layer


class Rescaling(Layer):
    """Multiplies inputs by `scale` and adds `offset`: `inputs * scale + offset`.

    Args:
        scale: a float, or a list of floats broadcast against the last axis.
        offset: a float (or list), added after scaling.

    Input shape: any; integer inputs (images as `uint8`) are cast to the layer's dtype.
    Output shape: the input shape.

    Example:
        >>> layer = tf.keras.layers.Rescaling(1.0 / 255)
        >>> layer(tf.constant([0, 255], dtype="uint8")).numpy()
        array([0., 1.], dtype=float32)
    """

    _default_masking = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self._constants = None  # (device, scale, offset) torch tensors, made on first call

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = dtypes.as_dtype(self.compute_dtype)._torch
        if self._constants is None or self._constants[0] != (inputs.device, dtype):
            self._constants = ((inputs.device, dtype), _constant(self.scale, dtype, inputs.device),
                               _constant(self.offset, dtype, inputs.device))
        return inputs.to(dtype) * self._constants[1] + self._constants[2]

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": _plain(self.scale), "offset": _plain(self.offset)}


def _constant(value, dtype, device) -> torch.Tensor:
    return torch.as_tensor(np.asarray(unwrap(value) if isinstance(value, TensorLike) else value),
                           dtype=dtype, device=device)


def _plain(value):
    if isinstance(value, TensorLike):
        value = value.numpy()
    return value.tolist() if isinstance(value, np.ndarray) else value


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance: `(x - mean) / sqrt(var)`.

    The mean and variance come from the `mean`/`variance` arguments, or from `adapt(data)`,
    which stores them in the non-trainable weights `mean`, `variance` and `count`.

    Args:
        axis: the axis or axes that keep their own statistics (default -1, the features);
            None for one scalar mean and variance.
        mean, variance: fixed statistics (scalars or arrays broadcast to the kept axes).
        invert: apply the inverse transformation, `x * sqrt(var) + mean`.

    Input shape: any. Output shape: the input shape.

    Example:
        >>> layer = tf.keras.layers.Normalization(axis=-1)
        >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
        >>> layer(np.array([[1.0, 20.0]])).numpy()
        array([[0., 0.]], dtype=float32)
    """

    _default_masking = True

    def __init__(self, axis=-1, mean=None, variance=None, invert: bool = False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        if (mean is not None) != (variance is not None):
            raise ValueError(f"When setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"When setting values directly, `mean` and `variance` must have the same "
                                 f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                                 f"{np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(f"The rank of `mean` must be less than or equal to the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                                 f"{self.axis}")
        self._fixed = None  # (mean, variance) torch tensors when given as arguments

    def build(self, input_shape) -> None:
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                             f"ndim={ndim}, while axis={self.axis}")
        self._build_input_shape = tuple(input_shape)
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(f"All `axis` values to be kept must have a known shape. Received "
                                 f"axis={self.axis}, inputs.shape={tuple(input_shape)}, with unknown axis "
                                 f"at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros",
                                         trainable=False)
        else:
            self._fixed = (self._broadcast(self.input_mean), self._broadcast(self.input_variance))

    def _broadcast(self, value) -> torch.Tensor:
        value = torch.as_tensor(np.asarray(value), dtype=self._torch_dtype())
        if value.dim():
            expanded = [1] * len(self._broadcast_shape)
            for i in range(1, value.dim() + 1):
                expanded[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(expanded)
        return value.expand(self._broadcast_shape)

    @property
    def mean(self):
        """The mean broadcast against the inputs (a Tensor), once built."""
        return None if not self.built else wrap(self._stats()[0])

    @property
    def variance(self):
        """The variance broadcast against the inputs (a Tensor), once built."""
        return None if not self.built else wrap(self._stats()[1])

    def _torch_dtype(self) -> torch.dtype:
        return dtypes.as_dtype(self.compute_dtype)._torch

    def _stats(self, device=None) -> tuple:
        if self._fixed is not None:
            if device is not None and self._fixed[0].device != device:
                self._fixed = tuple(s.to(device) for s in self._fixed)
            return self._fixed
        dtype = self._torch_dtype()
        # Read from the weights on every call, so set_weights and loaded files take effect.
        return (self.adapt_mean._t.reshape(self._broadcast_shape).to(device, dtype),
                self.adapt_variance._t.reshape(self._broadcast_shape).to(device, dtype))

    def adapt(self, data) -> None:
        """Computes the mean and variance of `data` along the reduced axes and stores them.

        Args:
            data: a numpy array, a Tensor, or an iterable of batches (arrays or Tensors).
        """
        batches = None
        if isinstance(data, (np.ndarray, TensorLike)):
            shape = tuple(data.shape)
        elif hasattr(data, "__iter__"):
            it = iter(data)
            first = next(it, None)
            if first is None:
                raise ValueError("adapt() received an empty iterable (no batches). Expected at least one "
                                 "batch. Pass a non-empty iterable of arrays or tensors, e.g. layer.adapt([x]) "
                                 "or layer.adapt(list_of_batches).")
            first = first[0] if isinstance(first, tuple) else first
            if not hasattr(first, "shape"):
                raise TypeError(f"adapt() expects an iterable that yields arrays or tensors with a `.shape` "
                                f"attribute (e.g. numpy arrays or backend tensors). Got an element of type "
                                f"{type(first).__name__}. Ensure each yielded element is array-like with a "
                                f"`.shape` attribute.")
            shape = tuple(first.shape)
            batches = itertools.chain([first], it)
        else:
            raise TypeError(f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, backend "
                            f"tensors, `tf.data.Dataset`, `keras.utils.PyDataset`, and iterables of batches "
                            f"(e.g. list, generator).")
        if not self.built:
            self.build(shape)
        elif any(shape[d] != self._build_input_shape[d] for d in self._keep_axis):
            raise ValueError(f"The layer was built with input_shape={self._build_input_shape}, but adapt() "
                             f"is being called with data with an incompatible shape, data.shape={shape}")
        if self._fixed is not None:
            raise AttributeError("'Normalization' object has no attribute 'adapt_mean'")
        if batches is None:
            if isinstance(data, np.ndarray):
                mean = np.mean(data, axis=self._reduce_axis)
                var = np.var(data, axis=self._reduce_axis)
            else:
                raw = unwrap(data).to(self._torch_dtype())
                var, mean = torch.var_mean(raw, dim=self._reduce_axis, correction=0)
        else:
            mean, var = self._combine(batches)
        self.adapt_mean.assign(np.asarray(mean.cpu() if isinstance(mean, torch.Tensor) else mean))
        self.adapt_variance.assign(np.asarray(var.cpu() if isinstance(var, torch.Tensor) else var))

    def _combine(self, batches) -> tuple:
        """The mean and variance over batches, merged one batch at a time (Keras's formula)."""
        dtype = self._torch_dtype()
        mean = var = torch.zeros(self._mean_and_var_shape, dtype=dtype)
        total = 0
        for batch in batches:
            batch = batch[0] if isinstance(batch, tuple) else batch
            raw = torch.as_tensor(np.asarray(batch)) if not isinstance(batch, TensorLike) else unwrap(batch)
            raw = raw.to("cpu", dtype)
            for d in self._keep_axis:
                if raw.shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"adapt() yielded a batch with incompatible shape. Expected "
                                     f"{self._build_input_shape}, got {tuple(raw.shape)}.")
            batch_var, batch_mean = torch.var_mean(raw, dim=self._reduce_axis, correction=0)
            count = math.prod(raw.shape[d] for d in self._reduce_axis) if self._reduce_axis else 1
            total += count
            weight = float(count) / total
            keep = 1.0 - weight
            new_mean = mean * keep + batch_mean * weight
            var = (var + (mean - new_mean) ** 2) * keep + (batch_var + (batch_mean - new_mean) ** 2) * weight
            mean = new_mean
        return mean, var

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = inputs.to(self._torch_dtype())
        mean, variance = self._stats(inputs.device)
        scale = torch.clamp_min(torch.sqrt(variance), backend.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(), "variance": np.array(self.input_variance).tolist()}
