"""Core layers: Dense (the template every built-in layer follows), EinsumDense, Identity."""

from __future__ import annotations

import re

import torch

from kerastorch.keras import activations
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.initializers import VarianceScaling
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)


class Dense(Layer):
    """A densely connected layer: `activation(inputs @ kernel + bias)`.

    Args:
        units: the output size (a positive integer).
        activation: an activation function or its name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (or names).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints applied after updates.

    Input shape: `(batch, ..., input_dim)`.
    Output shape: `(batch, ..., units)`.

    Example:
        >>> layer = tf.keras.layers.Dense(10, activation="relu")
        >>> layer(tf.ones((4, 8))).shape
        TensorShape([4, 10])
    """

    _default_masking = True

    def __init__(self, units, activation=None, use_bias: bool = True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        refuse_unsupported(lora_rank=lora_rank, quantization_config=quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. "
                             f"Received: units={units}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation, self._act = resolve_activation(activation)
        self.use_bias = use_bias
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape) -> None:
        input_dim = input_shape[-1]
        self.kernel = add_weight_with_options(self, "kernel", (input_dim, self.units))
        self.bias = add_weight_with_options(self, "bias", (self.units,)) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def forward(self, inputs: torch.Tensor, training=None) -> torch.Tensor:
        kernel = self.kernel._t
        if not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        if self.bias is None:
            out = torch.matmul(inputs, kernel)
        elif inputs.dim() == 2:
            out = torch.addmm(self.bias._t, inputs, kernel)
        else:
            out = torch.matmul(inputs, kernel) + self.bias._t
        return self._act(out)

    def compute_output_shape(self, input_shape) -> tuple:
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                **weight_options_config(self, "kernel", "bias"), "quantization_config": None}


class EinsumDense(Layer):
    """A dense layer whose computation is an einsum: `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: an einsum equation `ab,bc->ac`, `...ab,bc->...ac` or `ab...,bc->ac...`
            (the input's axes, the kernel's, the output's).
        output_shape: the output shape without the batch axis and the elided axes; an int
            for one axis, None for an axis the input gives.
        activation: an activation function or its name; None is linear.
        bias_axes: the output axes (letters of the output spec) that get a bias, or None.
        kernel_initializer, bias_initializer: initializers (or names); a variance-scaling
            kernel initializer takes its fans from the equation's input and output axes.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints applied after updates.

    Input shape: any rank matching the equation's input spec.
    Output shape: `(batch, *output_shape)` with the elided axes kept.

    Example:
        >>> layer = tf.keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
        >>> layer(tf.ones((2, 32, 128))).shape
        TensorShape([2, 32, 64])
    """

    def __init__(self, equation: str, output_shape, activation=None, bias_axes: str | None = None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        refuse_unsupported(lora_rank=lora_rank, quantization_config=quantization_config)
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation, self._act = resolve_activation(activation)
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)

    def build(self, input_shape) -> None:
        kernel_shape, bias_shape, _, input_axes, output_axes = einsum_shapes(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling) and (init.input_axes is None or init.output_axes is None):
            # Keras computes the fans from the equation's axes, keeping the initializer's seed.
            init = type(init).from_config({**init.get_config(), "seed": init.seed, "input_axes": input_axes,
                                           "output_axes": output_axes})
        self.kernel = add_weight_with_options(self, "kernel", tuple(kernel_shape), initializer=init)
        self.bias = None if bias_shape is None else add_weight_with_options(self, "bias", tuple(bias_shape))

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        kernel = self.kernel._t
        if not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        out = torch.einsum(self.equation, inputs, kernel)
        if self.bias is not None:
            out = out + self.bias._t
        return self._act(out)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(einsum_shapes(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "output_shape": self.partial_output_shape, "equation": self.equation,
                "activation": activations.serialize(self.activation), "bias_axes": self.bias_axes,
                **weight_options_config(self, "kernel", "bias", activity=True), "quantization_config": None}


class Identity(Layer):
    """Returns its inputs unchanged (a placeholder layer); masks pass through.

    Input shape: anything (a tensor or a structure of tensors).
    Output shape: the same.
    """

    _default_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def forward(self, inputs):
        return inputs


def refuse_unsupported(**options) -> None:
    """A clear ValueError for Keras options kerastorch does not offer (LoRA, quantization), when set."""
    for name, value in options.items():
        if value is not None:
            raise ValueError(f"kerastorch does not support `{name}` (LoRA and quantization are not "
                             f"available). Received: {name}={value}")


_EQUATION_FORMS = (
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), None),
    (re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)"), "left"),
    (re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\."), "right"),
)


def einsum_shapes(equation: str, bias_axes: str | None, input_shape, output_shape) -> tuple:
    """What an EinsumDense equation implies for an input shape, as Keras derives it.

    Returns `(kernel_shape, bias_shape or None, full_output_shape, input_axes, output_axes)`,
    the last two being the kernel axes that come from the input and from the output (the
    fans of a variance-scaling initializer).
    """
    (in_spec, kernel_spec, out_spec), elided_side = _parse_equation(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    full = [input_shape[0], *output_shape]
    if elided > 0 and elided_side == "left":
        full[1:1] = input_shape[1:elided]
    elif elided > 0:
        full.extend(input_shape[len(input_shape) - elided:])
    offset = elided if elided_side == "left" else 0
    in_axis = {d: i + offset for i, d in enumerate(in_spec)}
    out_axis = {d: i + offset for i, d in enumerate(out_spec)}
    for dim in in_spec:
        if dim in out_axis and full[out_axis[dim]] is not None and full[out_axis[dim]] != input_shape[in_axis[dim]]:
            raise ValueError(f"Input shape and output shape do not match at shared dimension '{dim}'. Input shape "
                             f"is {input_shape[in_axis[dim]]}, and output shape is {full[out_axis[dim]]}.")
    for dim in out_spec:
        if dim not in in_spec and dim not in kernel_spec:
            raise ValueError(f"Dimension '{dim}' was specified in the output '{out_spec}' but has no corresponding "
                             f"dim in the input spec '{in_spec}' or weight spec '{out_spec}'")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, dim in enumerate(kernel_spec):
        if dim in out_axis:
            kernel_shape.append(full[out_axis[dim]])
            output_axes.append(i)
        elif dim in in_axis:
            kernel_shape.append(input_shape[in_axis[dim]])
            input_axes.append(i)
        else:
            raise ValueError(f"Weight dimension '{dim}' did not have a match in either the input spec '{in_spec}' "
                             f"or the output spec '{out_spec}'. For this layer, the weight must be fully specified.")
    return kernel_shape, _bias_shape(bias_axes, out_spec, full, offset, elided, elided_side), full, \
        input_axes, output_axes


def _parse_equation(equation: str) -> tuple:
    """The input, kernel and output specs, and the side of the ellipsis (None, "left", "right")."""
    for pattern, side in _EQUATION_FORMS:
        match = pattern.match(equation)
        if match:
            return match.groups(), side
    raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                     "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def _bias_shape(bias_axes, out_spec: str, full: list, offset: int, elided: int, elided_side) -> list | None:
    """The bias broadcasts from the first biased output axis on; other axes after it get size 1."""
    if bias_axes is None:
        return None
    for char in bias_axes:
        if char not in out_spec:
            raise ValueError(f"Bias dimension '{char}' was requested, but is not part of the output spec "
                             f"'{out_spec}'")
    first = min(out_spec.find(char) for char in bias_axes)
    shape = [full[i + offset] if char in bias_axes else 1 for i, char in enumerate(out_spec) if i >= first]
    if elided > 0 and elided_side != "left":
        shape.extend([1] * elided)
    return shape
