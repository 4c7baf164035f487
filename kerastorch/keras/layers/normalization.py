"""Normalization layers: LayerNormalization, GroupNormalization, UnitNormalization and
RMSNormalization (BatchNormalization, with its moving statistics, is in `batch_normalization.py`).

Statistics are computed in at least float32 (Keras upcasts half-precision inputs) and
the result is cast to the layer's compute dtype. The common cases run torch's fused
kernels (`layer_norm`, `group_norm`, `rms_norm`), on channels-first views of the
channels-last data where needed; the rest follow Keras's formulas.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from kerastorch.framework import dtypes
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    set_weight_options,
    weight_options_config,
)


def working(x: torch.Tensor) -> torch.Tensor:
    """`x` in Keras's `result_type(x.dtype, "float32")`: half precision and integers become float32."""
    return x if x.dtype in (torch.float32, torch.float64) else x.to(torch.float32)


def out_dtype(layer: Layer) -> torch.dtype:
    """The torch dtype of the layer's compute dtype (what Keras casts the outputs to)."""
    return dtypes.as_dtype(layer.compute_dtype)._torch


def check_axes(axis, input_shape) -> tuple:
    """Keras's `compute_output_shape` for normalization layers: the axes must exist."""
    for a in (axis if isinstance(axis, (list, tuple)) else [axis]):
        if a >= len(input_shape) or a < -len(input_shape):
            raise ValueError(f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                             f"Received: axis={axis}")
    return tuple(input_shape)


def _trailing(axes: list, ndim: int) -> bool:
    """Whether `axes` (Keras's sorted list) are exactly the last axes, in order (torch's normalized_shape)."""
    positive = [a % ndim for a in axes]
    return positive == list(range(ndim - len(axes), ndim))


def add_gamma_beta(layer: Layer, shape: tuple, gamma: bool, beta: bool) -> None:
    """Creates `layer.gamma` then `layer.beta` (Keras's order), each only when asked for, else None."""
    layer.gamma = add_weight_with_options(layer, "gamma", shape, autocast=False) if gamma else None
    layer.beta = add_weight_with_options(layer, "beta", shape, autocast=False) if beta else None


class LayerNormalization(Layer):
    """Normalizes each example over `axis`: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    Args:
        axis: the axis or list of axes to normalize over (default the last).
        epsilon: added to the variance.
        center, scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: the weights' families.
        rms_scaling: deprecated (Keras warns): scale by the variance without centering.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.LayerNormalization()(tf.constant([[1.0, 3.0]])).numpy()
        array([[-0.999..., 0.999...]], dtype=float32)
    """

    _default_masking = True

    def __init__(self, axis=-1, epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales "
                          "the input by the variance, not the root mean square. To correctly use RMS "
                          "Normalization, please use `keras.layers.RMSNormalization` instead.", stacklevel=2)
        if not isinstance(axis, (list, tuple, int)):
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: "
                            f"{axis!r}")
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        set_weight_options(self, "beta", beta_initializer, beta_regularizer, beta_constraint)
        set_weight_options(self, "gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.autocast = False

    def build(self, input_shape) -> None:
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[a] for a in self.axis)
        add_gamma_beta(self, shape, self.scale or self.rms_scaling, self.center and not self.rms_scaling)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = working(inputs)
        ndim = x.dim()
        gamma = None if self.gamma is None else self.gamma._t.to(x.dtype)
        beta = None if self.beta is None else self.beta._t.to(x.dtype)
        if not self.rms_scaling and _trailing(self.axis, ndim):
            shape = tuple(x.shape[a] for a in self.axis)
            return F.layer_norm(x, shape, gamma, beta, self.epsilon).to(out_dtype(self))
        dims = [a % ndim for a in self.axis]
        # Keras reshapes (not transposes) the weights to the broadcast shape, whatever the axes' order.
        broadcast = [x.shape[i] if i in dims else 1 for i in range(ndim)]
        if self.rms_scaling:
            out = x * torch.rsqrt(x.var(dim=dims, correction=0, keepdim=True) + self.epsilon)
            return (out if gamma is None else out * gamma.reshape(broadcast)).to(out_dtype(self))
        var, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
        inv = torch.rsqrt(var + self.epsilon)
        if gamma is not None:
            inv = inv * gamma.reshape(broadcast)
        shift = -mean * inv
        if beta is not None:
            shift = shift + beta.reshape(broadcast)
        return (x * inv + shift).to(out_dtype(self))

    def compute_output_shape(self, input_shape) -> tuple:
        return check_axes(self.axis, input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale, "rms_scaling": self.rms_scaling,
                **weight_options_config(self, "beta", "gamma")}


class GroupNormalization(Layer):
    """Normalizes each example over groups of channels (and all other non-batch axes).

    Args:
        groups: the number of groups (it must divide the channels); -1 makes one group
            per channel (instance normalization).
        axis: the channels axis.
        epsilon, center, scale, beta_*/gamma_*: as for LayerNormalization.

    Input shape: any (channels at `axis`). Output shape: the input's.

    Example:
        >>> tf.keras.layers.GroupNormalization(groups=2)(tf.ones((1, 5, 4))).shape
        TensorShape([1, 5, 4])
    """

    _default_masking = True

    def __init__(self, groups: int = 32, axis: int = -1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(f"Received an invalid value for argument `groups`, expected a positive integer "
                             f"(or `-1` for instance normalization). Received: groups={groups}")
        super().__init__(**kwargs)
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        set_weight_options(self, "beta", beta_initializer, beta_regularizer, beta_constraint)
        set_weight_options(self, "gamma", gamma_initializer, gamma_regularizer, gamma_constraint)

    def build(self, input_shape) -> None:
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                             f"received an input with shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of channels "
                             f"({dim}).")
        if dim % self.groups != 0:
            # (sic) Keras's wording.
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                             f"({dim}).")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        add_gamma_beta(self, (dim,), self.scale, self.center)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = working(inputs)
        axis = self.axis % x.dim()
        gamma = None if self.gamma is None else self.gamma._t.to(x.dtype)
        beta = None if self.beta is None else self.beta._t.to(x.dtype)
        out = F.group_norm(x.movedim(axis, 1), self.groups, gamma, beta, self.epsilon).movedim(1, axis)
        if inputs.is_floating_point():
            out = out.to(inputs.dtype)  # Keras casts back to the input's dtype first
        return out.to(out_dtype(self))

    def compute_output_shape(self, input_shape) -> tuple:
        return check_axes(self.axis, input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, **weight_options_config(self, "beta", "gamma")}


class UnitNormalization(Layer):
    """Scales each example to unit L2 norm over `axis`: `x / max(||x||, 1e-12)`.

    Args:
        axis: the axis or list of axes the norm is taken over.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy()
        array([[0.6, 0.8]], dtype=float32)
    """

    _default_masking = True

    def __init__(self, axis=-1, **kwargs):
        if not isinstance(axis, (list, tuple, int)):
            raise TypeError(f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                            f"Received: axis={axis}")
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self._dims = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        self.built = True  # Keras builds it at construction: it has no weights

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs if inputs.is_floating_point() else inputs.to(torch.float32)
        # x * rsqrt(sum(x^2)) with the inverse norm capped at 1/epsilon, as Keras's `normalize`.
        inv = torch.rsqrt(torch.sum(torch.square(x), dim=self._dims, keepdim=True))
        return x * torch.clamp(inv, max=1e12)

    def compute_output_shape(self, input_shape) -> tuple:
        for a in (self.axis if isinstance(self.axis, list) else [self.axis]):
            if a >= len(input_shape) or a < -len(input_shape):
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}.")
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class RMSNormalization(Layer):
    """Root-mean-square normalization: `x * rsqrt(mean(x^2) + epsilon) * scale`.

    Args:
        axis: the axis or list of axes the mean is taken over.
        epsilon: added to the mean square.

    Input shape: any. Output shape: the input's.

    Example:
        >>> tf.keras.layers.RMSNormalization()(tf.ones((2, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, axis=-1, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape) -> None:
        self.axis = sorted(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]
        self.scale = self.add_weight(name="scale", shape=tuple(input_shape[a] for a in self.axis),
                                     initializer="ones")

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = working(inputs)
        scale = self.scale._t.to(x.dtype)
        if _trailing(self.axis, x.dim()):
            out = F.rms_norm(x, scale.shape, scale, self.epsilon)
        else:
            dims = [a % x.dim() for a in self.axis]
            out = x * torch.rsqrt(torch.mean(torch.square(x), dim=dims, keepdim=True) + self.epsilon) * scale
        return out.to(inputs.dtype if inputs.is_floating_point() else out.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return check_axes(self.axis, input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}


__all__ = ["GroupNormalization", "LayerNormalization", "RMSNormalization", "UnitNormalization"]
