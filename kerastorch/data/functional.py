"""Transformations through user functions: `map`, `filter`, `flat_map`.

A function receives the element as `Tensor`s (a plain tuple is passed as separate
arguments, as TF does) and runs eagerly on every element. TF learns the element spec
of a `map` by tracing the function; here it is inferred, when asked, by calling the
function on two placeholder elements — zeros whose unknown dimensions are 2, and ones
whose unknown dimensions are 3: an output dimension that differs between them is
unknown. If the function fails on placeholders, the first two real elements are used.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.data import structure
from kerastorch.data.dataset import AUTOTUNE, UNKNOWN_CARDINALITY, Dataset
from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, kernel_error
from kerastorch.framework.tensor_spec import TensorSpec


def call(fn, element):
    """`fn` on an element as user code sees it (a tuple unpacked into arguments)."""
    args = structure.wrap(element)
    return fn(*args) if type(args) is tuple else fn(args)


def _placeholder(spec, size: int, value: int):
    """`value`s shaped like `spec`, its unknown dimensions `size`."""
    def filled(leaf: TensorSpec):
        dims = tuple(size if d is None else d for d in leaf.shape.as_list())
        if leaf.dtype == dtypes.string:
            return np.full(dims, b"a" * value, dtype=object)
        return torch.full(dims, value, dtype=leaf.dtype._torch, device=_device.current())
    return structure.map_structure(filled, spec)


def _merged(first: TensorSpec, second: TensorSpec) -> TensorSpec:
    """The spec both outputs fit: dimensions that differ are unknown."""
    a, b = first.shape, second.shape
    if a.rank != b.rank:
        return TensorSpec(None, first.dtype)
    return TensorSpec([x if x == y else None for x, y in zip(a.as_list(), b.as_list())], first.dtype)


def _has_unknown_rank(spec) -> bool:
    return any(leaf.shape.rank is None for leaf in structure.flatten(spec))


def _merged_specs(first, second):
    return structure.pack(first, [_merged(a, b) for a, b in zip(structure.flatten(first), structure.flatten(second))])


def infer(fn, parent: Dataset, describe):
    """The spec `describe(fn(element))` gives for the parent's elements (see the module doc)."""
    spec = parent.element_spec
    if not _has_unknown_rank(spec):
        try:
            return _merged_specs(describe(call(fn, _placeholder(spec, 2, 0))),
                                 describe(call(fn, _placeholder(spec, 3, 1))))
        except Exception:  # the function needs real data: it is probed with real elements below
            pass
    found = [describe(call(fn, element)) for element, _ in zip(parent._raw(), range(2))]
    if not found:
        raise ValueError("Cannot infer the element spec of the function's outputs: the function fails on "
                         "placeholder elements and the dataset is empty.")
    return _merged_specs(found[0], found[-1])


def _check_parallel_calls(num_parallel_calls) -> None:
    if num_parallel_calls is not None and int(num_parallel_calls) != AUTOTUNE and int(num_parallel_calls) <= 0:
        raise kernel_error(InvalidArgumentError, "num_parallel_calls must be greater than zero.",
                           "ParallelMapDatasetV2")


class _MapDataset(Dataset):
    """`Dataset.map`."""

    def __init__(self, parent: Dataset, fn, num_parallel_calls=None):
        _check_parallel_calls(num_parallel_calls)
        self._parent = parent
        self._fn = fn
        if num_parallel_calls is not None:
            self._repr_name = "_ParallelMapDataset"

    def _spec(self):
        return infer(self._fn, self._parent, lambda out: structure.spec_of(structure.output_element(out)))

    def _cardinality(self) -> int:
        return self._parent._cardinality()

    def _elements(self, device):
        for element in self._parent._raw(device):
            yield structure.output_element(call(self._fn, element))


class _FilterDataset(Dataset):
    """`Dataset.filter`: keeps the elements whose predicate is a scalar `True`."""

    def __init__(self, parent: Dataset, predicate):
        self._parent = parent
        self._predicate = predicate

    def _spec(self):
        return self._parent.element_spec

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY

    def _elements(self, device):
        for element in self._parent._raw(device):
            keep = structure.output_element(call(self._predicate, element))
            if isinstance(keep, (tuple, dict)) or keep.ndim != 0 or structure.dtype_of(keep) != dtypes.bool:
                raise ValueError(f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but "
                                 f"its return type is {structure.spec_of(keep)}.")
            if bool(keep):
                yield element


class _FlatMapDataset(Dataset):
    """`Dataset.flat_map`: every element becomes a dataset; their elements follow each other."""

    def __init__(self, parent: Dataset, fn):
        self._parent = parent
        self._fn = fn

    def _spec(self):
        return infer(self._fn, self._parent, lambda out: _dataset_of(out).element_spec)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY

    def _elements(self, device):
        for element in self._parent._raw(device):
            yield from _dataset_of(call(self._fn, element))._raw(device)


def _dataset_of(value) -> Dataset:
    if not isinstance(value, Dataset):
        raise TypeError(f"The `map_func` argument must return a `Dataset` object. Got {type(value)!r}.")
    return value

