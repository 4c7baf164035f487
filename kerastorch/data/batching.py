"""`batch`, `padded_batch` and `unbatch`.

`batch` over a row dataset (`rows.py`) slices or gathers the stored tensors, one torch
call per tensor and batch; otherwise it stacks the elements.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from kerastorch.data import structure
from kerastorch.data.dataset import UNKNOWN_CARDINALITY, Dataset
from kerastorch.framework import dtypes
from kerastorch.framework.convert import to_raw
from kerastorch.framework.errors import DataLossError, InvalidArgumentError, kernel_error
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.framework.tensor_spec import TensorSpec


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class _Batching(Dataset):
    """What `batch` and `padded_batch` share: the size, the remainder, the cardinality."""

    _op = "BatchDatasetV2"

    def __init__(self, parent: Dataset, batch_size, drop_remainder: bool):
        size = int(batch_size)
        if size <= 0:
            raise kernel_error(InvalidArgumentError, "Batch size must be greater than zero.", self._op)
        self._parent = parent
        self._batch_size = size
        self._drop_remainder = bool(drop_remainder)

    def _cardinality(self) -> int:
        count = self._parent._cardinality()
        if count < 0:
            return count
        rounding = math.floor if self._drop_remainder else math.ceil
        return rounding(count / self._batch_size)

    def _batched_spec(self, shapes: list):
        """The spec of a batch of elements with `shapes` (one per component)."""
        lead = self._batch_size if self._drop_remainder else None
        specs = structure.flatten(self._parent.element_spec)
        return structure.pack(self._parent.element_spec, [
            TensorSpec(None if shape.rank is None else [lead, *shape.as_list()], spec.dtype)
            for spec, shape in zip(specs, shapes)])

    def _groups(self, device):
        group = []
        for element in self._parent._raw(device):
            group.append(element)
            if len(group) == self._batch_size:
                yield group
                group = []
        if group and not self._drop_remainder:
            yield group


class _BatchDataset(_Batching):
    """`Dataset.batch`."""

    def _spec(self):
        return self._batched_spec([spec.shape for spec in structure.flatten(self._parent.element_spec)])

    def _elements(self, device):
        rows = self._parent._rows(device)
        if rows is not None:
            yield from rows.batches(self._batch_size, self._drop_remainder)
            return
        for group in self._groups(device):
            columns = zip(*(structure.flatten(element) for element in group))
            yield structure.pack(group[0], [_stacked(i, list(c)) for i, c in enumerate(columns)])


def _stacked(component: int, leaves: list):
    first = tuple(leaves[0].shape)
    for index, leaf in enumerate(leaves[1:], 1):
        if tuple(leaf.shape) != first:
            raise kernel_error(InvalidArgumentError, f"Cannot batch tensors with different shapes in component "
                               f"{component}. First element had shape {_dims(first)} and element {index} had "
                               f"shape {_dims(leaf.shape)}.", "IteratorGetNext")
    return structure.stack(leaves)


class _PaddedBatchDataset(_Batching):
    """`Dataset.padded_batch`: components padded to `padded_shapes` (None: the batch's largest)."""

    _op = "PaddedBatchDatasetV2"

    def __init__(self, parent: Dataset, batch_size, padded_shapes, padding_values, drop_remainder: bool):
        super().__init__(parent, batch_size, drop_remainder)
        specs = structure.flatten(parent.element_spec)
        if padded_shapes is None:
            for index, spec in enumerate(specs):
                if spec.shape.rank is None:
                    raise ValueError(f"You must provide `padded_shapes` argument because component {index} has "
                                     f"unknown rank.")
            shapes = [spec.shape for spec in specs]
        else:
            shapes = [_padded_shape(s, spec) for s, spec in zip(_up_to(parent.element_spec, padded_shapes), specs)]
        self._shapes = shapes
        self._values = [_padding_value(v, spec) for v, spec in zip(_up_to(parent.element_spec, padding_values),
                                                                     specs)]

    def _spec(self):
        return self._batched_spec(self._shapes)

    def _elements(self, device):
        for group in self._groups(device):
            columns = zip(*(structure.flatten(element) for element in group))
            yield structure.pack(group[0], [_padded(list(c), shape, value)
                                            for c, shape, value in zip(columns, self._shapes, self._values)])


def _up_to(spec, values) -> list:
    """`values` per component of `spec`: one value for all, or a structure matching it."""
    if not isinstance(spec, (tuple, dict)) or not isinstance(values, (tuple, dict)):
        return [values] * len(structure.flatten(spec))
    if isinstance(spec, dict):
        return [v for k in spec for v in _up_to(spec[k], values[k])]
    return [v for s, value in zip(spec, values) for v in _up_to(s, value)]


def _padded_shape(value, spec: TensorSpec) -> TensorShape:
    dims = value._t.tolist() if hasattr(value, "_t") else value
    if not isinstance(dims, (list, tuple, TensorShape)):
        raise ValueError(f"Padded shape {value} must be a `tf.int64` vector tensor, but its shape was ().")
    shape = TensorShape([None if d is None or d == -1 else d for d in dims])
    known = spec.shape.as_list() if spec.shape.rank is not None else None
    if known is not None and (shape.rank != len(known) or any(
            p is not None and s is not None and p < s for p, s in zip(shape.as_list(), known))):
        raise ValueError(f"The padded shape {shape} is not compatible with the shape {spec.shape} of the "
                         f"corresponding input component.")
    return shape


def _padding_value(value, spec: TensorSpec):
    if value is None:
        return b"" if spec.dtype == dtypes.string else 0
    raw = to_raw(value)
    dtype = structure.dtype_of(raw)
    if dtype != spec.dtype:
        raise TypeError(f"Invalid `padding_values`. `padding_values` values type {dtype!r} does not match type "
                        f"{spec.dtype!r} of the corresponding input component.")
    return raw.reshape(()).item() if isinstance(raw, torch.Tensor) else raw.reshape(())[()]


def _padded(leaves: list, shape: TensorShape, value):
    """The leaves padded with `value` to `shape` (unknown dimensions: the largest) and stacked."""
    sizes = [max(int(leaf.shape[axis]) for leaf in leaves) if d is None else d
             for axis, d in enumerate(shape.as_list())]
    if any(leaf.ndim != len(sizes) or any(a > b for a, b in zip(leaf.shape, sizes)) for leaf in leaves):
        raise kernel_error(DataLossError, "Attempted to pad to a smaller size than the input element.",
                           "IteratorGetNext")
    if isinstance(leaves[0], np.ndarray):
        out = np.full((len(leaves), *sizes), value, dtype=object)
    else:
        out = torch.full((len(leaves), *sizes), value, dtype=leaves[0].dtype, device=leaves[0].device)
    for row, leaf in enumerate(leaves):
        out[(row, *(slice(0, d) for d in leaf.shape))] = leaf
    return out


class _UnbatchDataset(Dataset):
    """`Dataset.unbatch`: every element split along its first dimension."""

    def __init__(self, parent: Dataset):
        specs = structure.flatten(parent.element_spec)
        if any(spec.shape.rank == 0 for spec in specs):
            raise ValueError("Cannot unbatch an input with scalar components.")
        known = {spec.shape[0] for spec in specs if spec.shape.rank is not None and spec.shape[0] is not None}
        if len(known) > 1:
            first, second = sorted(known)[:2]
            raise ValueError(f"`unbatch()` is only supported for datasets of elements whose components have a "
                             f"matching leading dimension. Encountered both {first} and {second}.")
        self._parent = parent

    def _spec(self):
        return structure.map_structure(lambda s: TensorSpec(None if s.shape.rank is None else s.shape[1:], s.dtype),
                                       self._parent.element_spec)

    def _cardinality(self) -> int:
        """Known when every element holds the same known (non-zero) number of rows."""
        count = self._parent._cardinality()
        leading = {s.shape[0] if s.shape.rank else None for s in structure.flatten(self._parent.element_spec)}
        rows = leading.pop() if len(leading) == 1 else None
        if not rows:
            return UNKNOWN_CARDINALITY
        return count if count < 0 else count * rows

    def _elements(self, device):
        for element in self._parent._raw(device):
            leaves = structure.flatten(element)
            sizes = [int(leaf.shape[0]) for leaf in leaves]
            for index, size in enumerate(sizes):
                if size != sizes[0]:
                    raise kernel_error(InvalidArgumentError, f"Input element must have the same batch size in "
                                       f"each component. Component 0 had size {sizes[0]} but component {index} "
                                       f"had size {size}.", "IteratorGetNext")
            columns = [leaf.unbind(0) if isinstance(leaf, torch.Tensor) else [leaf[i, ...] for i in range(sizes[0])]
                       for leaf in leaves]
            for parts in zip(*columns):
                yield structure.pack(element, parts)
