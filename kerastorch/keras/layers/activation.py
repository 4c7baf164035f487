"""Activation layers: Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax."""

from __future__ import annotations

import warnings

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import activations
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)

_relu = activations.raw_activation(activations.relu)
_elu = activations.raw_activation(activations.elu)
_softmax = activations.raw_activation(activations.softmax)


class _Elementwise(Layer):
    """A weightless layer applied elementwise: built at creation, masks pass through."""

    _default_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)


class Activation(_Elementwise):
    """Applies an activation function to its input.

    Args:
        activation: an activation function or the name of one in `keras.activations`.

    Input shape: anything. Output shape: the same.

    Example:
        >>> tf.keras.layers.Activation("relu")(np.array([-3.0, -1.0, 0.0, 2.0]))
        <tf.Tensor: shape=(4,), dtype=float32, numpy=array([0., 0., 0., 2.], dtype=float32)>
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation, self._act = resolve_activation(activation)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not inputs.is_floating_point():
            # The public function applies Keras's rules for integer inputs (kept, cast or refused).
            return unwrap(self.activation(wrap(inputs)))
        return self._act(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class ReLU(_Elementwise):
    """Rectified linear unit with Keras's options: `max(x, 0)` by default.

    `f(x) = max_value` for `x >= max_value`, `x` for `threshold <= x < max_value`,
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: the largest output (>= 0); None is unbounded.
        negative_slope: the slope below the threshold (>= 0).
        threshold: the value below which the output is damped (>= 0).

    Input shape: anything. Output shape: the same.
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs):
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: max_value={max_value}")
        for name, value in (("negative_slope", negative_slope), ("threshold", threshold)):
            if value is None or value < 0.0:
                raise ValueError(f"{name} of a ReLU layer cannot be None or a negative value. Received: "
                                 f"{name}={value}")
        super().__init__(**kwargs)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return _relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                     threshold=self.threshold)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(_Elementwise):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        negative_slope: the slope for negative inputs (>= 0); `alpha` is its deprecated name.

    Input shape: anything. Output shape: the same (integers become float32).
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                             f"Expected a float. Received: negative_slope={negative_slope}")
        super().__init__(**kwargs)
        self.negative_slope = negative_slope

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if not inputs.is_floating_point():
            inputs = inputs.to(torch.float32)
        return torch.nn.functional.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(_Elementwise):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: the scale of the negative part.

    Input shape: anything. Output shape: the same.
    """

    def __init__(self, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return _elu(inputs, self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class PReLU(Layer):
    """Parametric ReLU: `x` for `x >= 0`, `alpha * x` otherwise, with a learned `alpha`.

    `alpha` has the input's shape without the batch axis; `shared_axes` share one value
    along those axes (e.g. `[1, 2]` after a Conv2D: one alpha per channel).

    Args:
        alpha_initializer: the initializer of `alpha` (default zeros).
        alpha_regularizer: a regularizer for `alpha`.
        alpha_constraint: a constraint for `alpha`.
        shared_axes: an axis or a list of axes (counting the batch as 0) sharing alpha.

    Input shape: `(batch, ...)`. Output shape: the same.
    """

    _default_masking = True

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        set_weight_options(self, "alpha", alpha_initializer, alpha_regularizer, alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape) -> None:
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            param_shape[axis - 1] = 1
        self.alpha = add_weight_with_options(self, "alpha", param_shape)
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if i not in (self.shared_axes or ())}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        # Keras's relu(x) - alpha * relu(-x): both parts have zero gradient at x = 0.
        return torch.relu(inputs) - self.alpha._t * torch.relu(-inputs)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), **weight_options_config(self, "alpha"),
                "shared_axes": self.shared_axes}


class Softmax(_Elementwise):
    """Softmax along `axis`, with an optional mask of the positions to keep.

    Masked positions (mask False, or <= 0.5 for a numeric mask) get the logit -1e9
    (-3e4 in float16) before the softmax and 0 after it, so a fully masked row is zeros.

    Args:
        axis: an axis, or a list of axes normalized together.

    Call arguments:
        inputs: the logits.
        mask: a mask broadcastable to `inputs` (each axis 1 or the input's size).

    Input shape: anything. Output shape: the same.

    Example:
        >>> tf.keras.layers.Softmax()(np.array([1.0, 2.0, 1.0]))
        <tf.Tensor: shape=(3,), dtype=float32, numpy=array([0.21194157, 0.5761169 , 0.21194157], dtype=float32)>
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def forward(self, inputs: torch.Tensor, mask=None) -> torch.Tensor:
        if mask is not None:
            _check_mask(inputs, mask)
            if mask.dtype != torch.bool:
                mask = mask > 0.5
            inputs = torch.where(mask, inputs, -3e4 if inputs.dtype == torch.float16 else -1e9)
        axis = self.axis
        if isinstance(axis, (tuple, list)) and len(axis) > 1:
            out = torch.exp(inputs - torch.logsumexp(inputs, dim=tuple(axis), keepdim=True))
        else:
            out = _softmax(inputs, axis[0] if isinstance(axis, (tuple, list)) else axis)
        if mask is not None:
            out = torch.where(mask, out, 0.0)
        return out

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def _check_mask(inputs: torch.Tensor, mask: torch.Tensor) -> None:
    if mask.dim() > inputs.dim():
        raise ValueError("The `mask` must be broadcastable to `inputs` and must not have more dimensions. "
                         f"Received: inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}")
    for m_dim, i_dim in zip(reversed(mask.shape), reversed(inputs.shape)):
        if m_dim not in (1, i_dim):
            raise ValueError("The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or "
                             "match the corresponding input dimension. Received: "
                             f"inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}")
