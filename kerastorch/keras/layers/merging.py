"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot,
and their functional forms (`keras.layers.add(...)` …).

A merge layer is called on a list of tensors. The elementwise ones broadcast as Keras
does: inputs of lower rank get size-1 axes inserted after the batch axis. Output masks:
the elementwise layers OR the inputs' masks (None if one input has none); Maximum,
Minimum and Multiply also let masked entries drop out of the values; Concatenate
concatenates the masks (an unmasked input counts as all True); Dot gives no mask.
"""

from __future__ import annotations

import functools

import torch

from kerastorch.keras.engine import masking
from kerastorch.keras.engine.base_layer import Layer

_EPSILON = 1e-7  # Keras's backend.epsilon(), the floor of Dot's normalization


class Merge(Layer):
    """The base of the merge layers: checks the list of inputs, broadcasts ranks, merges masks."""

    _default_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reshape_required = False

    def build(self, input_shape) -> None:
        if not isinstance(input_shape[0], (tuple, list)):
            raise ValueError("A merge layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape} (not a list of shapes)")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received tensors with shapes "
                             f"{input_shape}")
        _merged_shape(input_shape)
        self._reshape_required = len({len(s) for s in input_shape}) != 1

    def forward(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: inputs={inputs} "
                             "(not a list of tensors)")
        if self._reshape_required:
            rank = max(x.dim() for x in inputs)
            inputs = [x.reshape(x.shape[:1] + (1,) * (rank - x.dim()) + x.shape[1:]) for x in inputs]
        return self._merge(inputs)

    def _merge(self, inputs: list) -> torch.Tensor:
        raise NotImplementedError

    def _raw_mask(self, inputs, mask):
        if mask is None or any(m is None for m in mask):
            return None
        return functools.reduce(torch.logical_or, mask)

    def compute_output_shape(self, input_shape) -> tuple:
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch, *_merged_shape(input_shape))


def _merged_shape(input_shapes) -> tuple:
    """The broadcast shape of the inputs without their batch axis (Keras's right-aligned rule)."""
    out = tuple(input_shapes[0][1:])
    for shape in input_shapes[1:]:
        out = _broadcast(out, tuple(shape[1:]))
    return out


def _broadcast(shape1: tuple, shape2: tuple) -> tuple:
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return shape1
    out = list(shape1[:-len(shape2)])
    for i, j in zip(shape1[-len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}")
        else:
            out.append(i)
    return tuple(out)


class Add(Merge):
    """Adds a list of inputs elementwise.

    Example:
        >>> tf.keras.layers.Add()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
        TensorShape([2, 3])
    """

    def _merge(self, inputs: list) -> torch.Tensor:
        return functools.reduce(torch.add, inputs)


class Subtract(Merge):
    """Subtracts the second of two inputs from the first.

    Example:
        >>> tf.keras.layers.Subtract()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
        TensorShape([2, 3])
    """

    def build(self, input_shape) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: "
                             f"input_shape={input_shape}")

    def _merge(self, inputs: list) -> torch.Tensor:
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        return inputs[0] - inputs[1]


class Average(Merge):
    """Averages a list of inputs elementwise (integers give float64, or float32 below 32 bits).

    Example:
        >>> tf.keras.layers.Average()([tf.ones((2, 3)), tf.zeros((2, 3))]).shape
        TensorShape([2, 3])
    """

    def _merge(self, inputs: list) -> torch.Tensor:
        total = functools.reduce(torch.add, inputs)
        if not (total.is_floating_point() or total.is_complex()):
            # TF's true division of integers: float64 from 32 bits up, float32 below.
            total = total.to(torch.float64 if total.element_size() >= 4 else torch.float32)
        return total / len(inputs)


class Multiply(Merge):
    """Multiplies a list of inputs elementwise; masked entries count as 1 (0 where all are masked).

    Example:
        >>> tf.keras.layers.Multiply()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
        TensorShape([2, 3])
    """

    def _merge(self, inputs: list) -> torch.Tensor:
        masks = [masking.get_mask(x) for x in inputs]
        if all(m is None for m in masks):
            return functools.reduce(torch.mul, inputs)
        out, any_kept = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = mask.unsqueeze(-1)
                x = torch.where(mask, x, torch.ones((), dtype=x.dtype, device=x.device))
                any_kept = mask if any_kept is None else any_kept | mask
            out = x if out is None else out * x
        if all(m is not None for m in masks):
            out = torch.where(any_kept, out, torch.zeros((), dtype=out.dtype, device=out.device))
        return out


class _Extremum(Merge):
    """Maximum / Minimum: a masked entry takes the other inputs' value, so it never wins."""

    _op = None

    def _merge(self, inputs: list) -> torch.Tensor:
        out, out_mask = inputs[0], masking.get_mask(inputs[0])
        out_mask = None if out_mask is None else out_mask.unsqueeze(-1)
        for x in inputs[1:]:
            mask = masking.get_mask(x)
            mask = None if mask is None else mask.unsqueeze(-1)
            if mask is not None:
                x = torch.where(mask, x, out)
            if out_mask is not None:
                out = torch.where(out_mask, out, x)
            out_mask = out_mask | mask if mask is not None and out_mask is not None else None
            out = self._op(out, x)
        return out


class Maximum(_Extremum):
    """The elementwise maximum of a list of inputs.

    Example:
        >>> tf.keras.layers.Maximum()([tf.ones((2, 3)), tf.zeros((2, 3))]).shape
        TensorShape([2, 3])
    """

    _op = torch.maximum


class Minimum(_Extremum):
    """The elementwise minimum of a list of inputs.

    Example:
        >>> tf.keras.layers.Minimum()([tf.ones((2, 3)), tf.zeros((2, 3))]).shape
        TensorShape([2, 3])
    """

    _op = torch.minimum


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`; the other axes must match.

    Args:
        axis: the concatenation axis.

    Example:
        >>> tf.keras.layers.Concatenate(axis=1)([tf.ones((2, 2, 5)), tf.ones((2, 1, 5))]).shape
        TensorShape([2, 3, 5])
    """

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape) -> None:
        if len(input_shape) < 1 or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 input. "
                             f"Received: input_shape={input_shape}")
        # Keras compares the shapes with the concatenation axis removed, batch axis included.
        reduced = set()
        for shape in input_shape:
            shape = list(shape)
            if len(shape) > self.axis:
                del shape[self.axis]
            reduced.add(tuple(shape))
        if len(reduced) == 1:
            return
        ranks = {len(s) for s in reduced}
        if len(ranks) != 1 or any(len({s[i] for s in reduced} - {None}) > 1 for i in range(ranks.pop())):
            raise ValueError("A `Concatenate` layer requires inputs with matching shapes except for the "
                             f"concatenation axis. Received: input_shape={input_shape}")

    def _merge(self, inputs: list) -> torch.Tensor:
        return torch.cat(inputs, dim=self.axis)

    def _raw_mask(self, inputs, mask):
        if mask is None or all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = torch.ones(x.shape, dtype=torch.bool, device=x.device)
            elif m.dim() < x.dim():
                m = m.unsqueeze(-1).expand(x.shape)
            full.append(m)
        return torch.cat(full, dim=self.axis).any(dim=-1)

    def compute_output_shape(self, input_shape) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(f"A `Concatenate` layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape}")
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            if out[self.axis] is None or shape[self.axis] is None:
                out[self.axis] = None
                break
            out[self.axis] += shape[self.axis]
        return tuple(out)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """The dot product of two inputs along an axis of each, sample by sample.

    For inputs `(batch, 3, 5)` and `(batch, 10, 3)` with `axes=(1, 2)` the output is
    `(batch, 5, 10)`: the first input's other axes, then the second's (without its batch
    axis); a result of rank 1 becomes `(batch, 1)`.

    Args:
        axes: an axis for both inputs, or a pair `(axis of the first, axis of the second)`;
            never 0 (the batch axis).
        normalize: L2-normalize both inputs along the axes first (the output is then the
            cosine similarity).

    Example:
        >>> tf.keras.layers.Dot(axes=1)([tf.ones((2, 3)), tf.ones((2, 3))])
        <tf.Tensor: shape=(2, 1), dtype=float32, numpy=
        array([[3.],
               [3.]], dtype=float32)>
    """

    def __init__(self, axes, normalize: bool = False, **kwargs):
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Invalid type for argument `axes`: it should be a list or an int. Received: "
                                f"axes={axes}")
            if len(axes) != 2:
                raise ValueError(f"Invalid format for argument `axes`: it should contain two elements. Received: "
                                 f"axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(f"Invalid format for argument `axes`: list elements should be integers. "
                                 f"Received: axes={axes}")
        super().__init__(**kwargs)
        self.axes = axes
        self.normalize = normalize

    def _axes(self, rank1: int, rank2: int) -> list:
        if isinstance(self.axes, int):
            return [self.axes % rank1, self.axes % rank2] if self.axes < 0 else [self.axes] * 2
        return [a % r if a < 0 else a for a, r in zip(self.axes, (rank1, rank2))]

    def build(self, input_shape) -> None:
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = input_shape
        axes = self._axes(len(shape1), len(shape2)) if isinstance(self.axes, int) else self.axes
        if shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis {axes[0]}) != "
                             f"{shape2[axes[1]]} (at axis {axes[1]}). Full input shapes: {shape1}, {shape2}")

    def _merge(self, inputs: list) -> torch.Tensor:
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        x, y = inputs
        axes = self._axes(x.dim(), y.dim())
        if self.normalize:
            x, y = _l2_normalize(x, axes[0]), _l2_normalize(y, axes[1])
        return _batch_dot(x, y, axes)

    def _raw_mask(self, inputs, mask):
        return None

    def compute_output_shape(self, input_shape) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._axes(len(shape1), len(shape2)) if isinstance(self.axes, int) else self.axes
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        out = shape1 + shape2[1:]
        return tuple(out + [1] if len(out) == 1 else out)

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    # Keras: x * min(rsqrt(sum(x^2)), 1 / epsilon).
    inv_norm = torch.rsqrt(torch.sum(x * x, dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / _EPSILON)


def _batch_dot(x: torch.Tensor, y: torch.Tensor, axes: list) -> torch.Tensor:
    """Per-sample dot product: x's summed axis moved last, y's moved to 1, then one bmm."""
    if x.dim() < 2 or y.dim() < 2:
        raise ValueError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.")
    if 0 in axes:
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy "
                         "batch dimension to your inputs using keras.ops.expand_dims(x, 0)")
    if x.shape[axes[0]] != y.shape[axes[1]]:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {tuple(x.shape)} and {tuple(y.shape)} with "
                         f"axes={axes}. x.shape[{axes[0]}] != y.shape[{axes[1]}] "
                         f"({x.shape[axes[0]]} != {y.shape[axes[1]]}).")
    x = x.movedim(axes[0], -1)
    y = y.movedim(axes[1], 1)
    batch, depth = x.shape[0], x.shape[-1]
    x_mid, y_tail = x.shape[1:-1], y.shape[2:]
    out = torch.bmm(x.reshape(batch, -1, depth), y.reshape(batch, depth, -1))
    out = out.reshape(batch, *x_mid, *y_tail)
    return out.reshape(batch, 1) if out.dim() == 1 else out


def add(inputs, **kwargs):
    """`Add(**kwargs)(inputs)`: the elementwise sum of a list of tensors."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract(**kwargs)(inputs)`: the first of two tensors minus the second."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply(**kwargs)(inputs)`: the elementwise product of a list of tensors."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average(**kwargs)(inputs)`: the elementwise mean of a list of tensors."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum(**kwargs)(inputs)`: the elementwise maximum of a list of tensors."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum(**kwargs)(inputs)`: the elementwise minimum of a list of tensors."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis: int = -1, **kwargs):
    """`Concatenate(axis=axis, **kwargs)(inputs)`: the tensors joined along `axis`."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """`Dot(axes=axes, **kwargs)(inputs)`: the per-sample dot product of two tensors."""
    return Dot(axes=axes, **kwargs)(inputs)
