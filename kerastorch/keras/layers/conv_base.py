"""What the convolution and pooling layers share: argument checks, TF's padding, layouts.

Layout: Keras data is channels-last (`NHWC`); torch's kernels want `NCHW`. A
channels-last tensor permuted to `NCHW` is a view whose memory is torch's
`channels_last` format, so torch's convolutions and pools run on it without a copy
and return channels-last results, which permute back to contiguous `NHWC` views.
One-dimensional data is lifted to two dimensions with a unit height axis: torch's
`conv1d` and pools have no channels-last path.

Padding: TF's `"same"` pads `max((out - 1) * stride + dilated_kernel - size, 0)` in
total with the odd element at the end. torch pads symmetrically, so an asymmetric
case pads the input explicitly (`_ConvPads.explicit`).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.framework.host_cache import host_cache
from kerastorch.keras import activations
from kerastorch.keras.config import standardize_data_format
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    resolve_activation,
    set_weight_options,
    weight_options_config,
)


def standardize_tuple(value, n: int, name: str, allow_zero: bool = False, int_like: bool = False) -> tuple:
    """`value` (an int or `n` ints) as a tuple of `n` ints, with Keras's errors.

    By default only ints pass (torch's convolutions and pools take nothing else); with
    `int_like`, as in Keras, so do bools and anything `int()` takes.
    """
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int) and (int_like or not isinstance(value, bool)):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        refused = not int_like and not all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        if len(values) != n or refused:
            raise ValueError(message)
        for item in values:
            try:
                int(item)
            except (ValueError, TypeError):
                raise ValueError(f"{message}including element {item} of type {type(item)}") from None
    bad = {v for v in values if v < 0 or (v == 0 and not allow_zero)}
    if bad:
        raise ValueError(f"{message}, including values {bad} that do not satisfy "
                         f"`value {'>= 0' if allow_zero else '> 0'}`")
    return values


def standardize_padding(value, allow_causal: bool = False) -> str:
    """`"valid"`, `"same"` (or `"causal"` where allowed), case-insensitive."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be a list/tuple or one of "
                         f"{{{', '.join(repr(a) for a in allowed)}}}. Received: {padding}")
    return padding


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple:
    """TF's `"same"` padding of one axis: (before, after), the odd element after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class _ConvPads:
    """How to pad one call: symmetric `padding` for torch, or `explicit` F.pad widths."""

    __slots__ = ("padding", "explicit")

    def __init__(self, padding: tuple, explicit: tuple | None):
        self.padding = padding
        self.explicit = explicit


@host_cache(maxsize=512)
def conv_pads(mode: str, sizes: tuple, kernel: tuple, strides: tuple, dilation: tuple) -> _ConvPads:
    """The padding of a (lifted) convolution for spatial `sizes` in torch's axis order."""
    if mode == "valid":
        return _ConvPads((0,) * len(sizes), None)
    if mode == "causal":
        pairs = [(d * (k - 1), 0) for k, d in zip(kernel, dilation)]
    else:
        pairs = [same_pads(n, k, s, d) for n, k, s, d in zip(sizes, kernel, strides, dilation)]
    if all(before == after for before, after in pairs):
        return _ConvPads(tuple(before for before, _ in pairs), None)
    explicit = tuple(w for before, after in reversed(pairs) for w in (before, after))
    return _ConvPads((0,) * len(sizes), explicit)


def padded_conv(x: torch.Tensor, kernel: torch.Tensor, bias, padding: str, strides: tuple, dilation: tuple,
                groups: int = 1) -> torch.Tensor:
    """torch's convolution of channels-first `x` (rank 1 lifted) with TF's `padding` mode.

    `kernel` is in torch's layout, `strides` and `dilation` in torch's lifted order.
    """
    pads = conv_pads(padding, tuple(x.shape[2:]), tuple(kernel.shape[2:]), strides, dilation)
    if pads.explicit is not None:
        x = F.pad(x, pads.explicit)
    conv = F.conv2d if x.dim() == 4 else F.conv3d
    return conv(x, kernel, bias, strides, pads.padding, dilation, groups)


def conv_output_length(size, kernel: int, stride: int, padding: str, dilation: int = 1):
    """Keras's output length of a convolution or pool axis (None stays None)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1


def to_torch_layout(x: torch.Tensor, rank: int, channels_last: bool) -> torch.Tensor:
    """Keras data as a channels-first view for torch (rank 1 lifted to rank 2)."""
    if rank == 1:
        x = x.unsqueeze(1 if channels_last else 2)
    return x.movedim(-1, 1) if channels_last else x


def from_torch_layout(y: torch.Tensor, rank: int, channels_last: bool) -> torch.Tensor:
    """The inverse of `to_torch_layout`."""
    if channels_last:
        y = y.movedim(1, -1)
    return y.squeeze(1 if channels_last else 2) if rank == 1 else y


def torch_kernel(kernel: torch.Tensor, rank: int) -> torch.Tensor:
    """A Keras kernel `(k..., in, out)` as torch's `(out, in, k...)` view (rank 1 lifted)."""
    if rank == 1:
        kernel = kernel.unsqueeze(0)
    spatial = kernel.dim() - 2
    return kernel.permute(spatial + 1, spatial, *range(spatial))


def lifted(values: tuple, rank: int, unit: int = 1) -> tuple:
    """Per-axis settings in torch's lifted order (a unit height axis for rank 1)."""
    return (unit, *values) if rank == 1 else tuple(values)


def float_input(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """Integer inputs as the weights' float dtype."""
    return x if x.is_floating_point() else x.to(like.dtype)


def np_format(values) -> str:
    """A sequence as numpy prints an array (`[1 1]`), as Keras's messages show them."""
    return f"[{' '.join(str(v) for v in values)}]"


def conv_output_shape(input_shape, filters: int, kernel_size: tuple, strides: tuple, padding: str,
                      data_format: str, dilation_rate: tuple, kernel_shape: tuple) -> tuple:
    """Keras's output shape of a convolution, with its errors."""
    input_shape = tuple(input_shape)
    if len(kernel_shape) != len(input_shape):
        raise ValueError(f"Kernel shape must have the same length as input, but received kernel of shape "
                         f"{kernel_shape} and input of shape {input_shape}.")
    channels_last = data_format == "channels_last"
    spatial = input_shape[1:-1] if channels_last else input_shape[2:]
    out = tuple(conv_output_length(n, k, s, padding, d)
                for n, k, s, d in zip(spatial, kernel_size, strides, dilation_rate))
    if padding == "valid" and any(o is not None and o <= 0 for o in out):
        raise ValueError(f"Computed output size would be zero or negative. Received `inputs shape="
                         f"{input_shape}`, `kernel shape={kernel_shape}`, "
                         f"`dilation_rate={np_format(dilation_rate)}`, `strides={strides}`, `padding={padding}`.")
    if channels_last:
        return (input_shape[0], *out, filters)
    return (input_shape[0], filters, *out)


class BaseConv(Layer):
    """The N-D convolution `activation(conv(inputs, kernel) + bias)` (Conv1D/2D/3D's base).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels (a positive integer).
        kernel_size: an int or `rank` ints, the window size.
        strides: an int or `rank` ints; strides above 1 exclude dilation above 1.
        padding: `"valid"`, `"same"` (TF's, the odd element at the end) or, for rank 1,
            `"causal"` (left padding only).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: an int or `rank` ints, the spacing of the kernel taps.
        groups: the number of channel groups (divides both input channels and `filters`).
        activation: an activation function or its name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (or names).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints applied after updates.

    Input shape: `(batch, *spatial, channels)` (channels_last).
    Output shape: `(batch, *new_spatial, filters)`.
    """

    def __init__(self, rank: int, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        strides = standardize_tuple(strides, rank, "strides")
        dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        padding = standardize_padding(padding, allow_causal=rank == 1)
        data_format = standardize_data_format(data_format)
        check_positive("filters", filters)
        if groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups}.")
        if filters is not None and filters % groups != 0:
            raise ValueError(f"The number of filters must be evenly divisible by the number of groups. "
                             f"Received: groups={groups}, filters={filters}.")
        check_strides_dilation(strides, dilation_rate)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = kernel_size
        self.strides = strides
        self.dilation_rate = dilation_rate
        self.padding = padding
        self.data_format = data_format
        self.activation, self._act = resolve_activation(activation)
        self.use_bias = use_bias
        set_weight_options(self, "kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        set_weight_options(self, "bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_last = data_format == "channels_last"
        self._torch_args = (lifted(strides, rank), lifted(dilation_rate, rank))

    def build(self, input_shape) -> None:
        channel_axis = -1 if self._channels_last else 1
        in_channels = input_shape[channel_axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: in_channels})
        if in_channels is not None and in_channels % self.groups != 0:
            raise ValueError(f"The number of input channels must be evenly divisible by the number of "
                             f"groups. Received groups={self.groups}, but the input has {in_channels} channels "
                             f"(full input shape is {tuple(input_shape)}).")
        kernel_shape = (*self.kernel_size, None if in_channels is None else in_channels // self.groups,
                        self.filters)
        self.compute_output_shape(input_shape)
        self.kernel = add_weight_with_options(self, "kernel", kernel_shape)
        self.bias = add_weight_with_options(self, "bias", (self.filters,)) if self.use_bias else None

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        kernel = self.kernel._t
        x = to_torch_layout(float_input(inputs, kernel), self.rank, self._channels_last)
        kernel = kernel.to(x.dtype)
        bias = None if self.bias is None else self.bias._t.to(x.dtype)
        y = padded_conv(x, torch_kernel(kernel, self.rank), bias, self.padding, *self._torch_args, self.groups)
        return self._act(from_torch_layout(y, self.rank, self._channels_last))

    def compute_output_shape(self, input_shape) -> tuple:
        channels = tuple(input_shape)[-1 if self._channels_last else 1]
        kernel_shape = (*self.kernel_size, channels, self.filters)
        return conv_output_shape(input_shape, self.filters, self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate, kernel_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                **weight_options_config(self, "kernel", "bias", activity=True)}


def check_positive(name: str, value) -> None:
    """Keras's check of `filters` / `depth_multiplier` (None passes)."""
    if value is not None and value <= 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly positive value. "
                         f"Received {name}={value}.")


def check_strides_dilation(strides: tuple, dilation_rate: tuple) -> None:
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                         f"Received: strides={strides} and dilation_rate={dilation_rate}")

