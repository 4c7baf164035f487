"""Where datasets start: tensor slices, a single element, a range of integers, a Python generator."""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.data import structure
from kerastorch.data.dataset import UNKNOWN_CARDINALITY, Dataset
from kerastorch.data.rows import GROUP, Rows
from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, kernel_error
from kerastorch.framework.tensor import TensorLike
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.framework.tensor_spec import TensorSpec

_ROWS_LIMIT = 1 << 22  # a range up to this size is stored, so shuffle and batch work on indices


class _Stored(Dataset):
    """Rows of tensors kept stacked (placed once per device they are read on)."""

    def __init__(self, base):
        self._base = base
        self._placed = {}

    def _rows(self, device) -> Rows:
        base = self._placed.get(device)
        if base is None:
            base = structure.map_structure(lambda leaf: structure.place(leaf, device), self._base)
            self._placed[device] = base
        count = self._cardinality()
        return Rows(base, lambda: iter((range(count),)))


class _TensorSliceDataset(_Stored):
    """`Dataset.from_tensor_slices`: the rows of tensors sharing their first dimension."""

    def __init__(self, tensors):
        base = structure.input_element(tensors)
        leaves = structure.flatten(base)
        for leaf in leaves:
            if leaf.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        sizes = [int(leaf.shape[0]) for leaf in leaves]
        for size in sizes[1:]:
            if size != sizes[0]:
                raise ValueError(f"Dimensions {sizes[0]} and {size} are not compatible")
        super().__init__(base)
        self._count = sizes[0]

    def _spec(self):
        return structure.spec_of(self._base, drop_first=True)

    def _cardinality(self) -> int:
        return self._count


class _TensorDataset(_Stored):
    """`Dataset.from_tensors`: one element."""

    def __init__(self, tensors):
        self._element = structure.input_element(tensors)
        super().__init__(structure.map_structure(lambda leaf: leaf[None], self._element))

    def _spec(self):
        return structure.spec_of(self._element)

    def _cardinality(self) -> int:
        return 1


class _RangeDataset(Dataset):
    """`Dataset.range`: integers from `start` to `stop` by `step`, as Python's `range`."""

    def __init__(self, *args, output_type=dtypes.int64):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid `args`. The length of `args` should be between 1 and 3 but was "
                             f"{len(args)}.")
        bounds = [int(a) for a in args]
        start, stop, step = (0, bounds[0], 1) if len(bounds) == 1 else (*bounds, 1)[:3]
        if step == 0:
            raise kernel_error(InvalidArgumentError, "step must be a non-zero integer.", "RangeDataset")
        self._range = range(start, stop, step)
        self._dtype = dtypes.as_dtype(output_type)

    def _spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self) -> int:
        return len(self._range)

    def _values(self, part: range, device) -> torch.Tensor:
        values = torch.arange(part.start, part.stop, part.step, dtype=torch.int64, device=device)
        return values.to(self._dtype._torch)

    def _rows(self, device) -> Rows | None:
        if len(self._range) > _ROWS_LIMIT:
            return None
        count = len(self._range)
        return Rows(self._values(self._range, device), lambda: iter((range(count),)))

    def _elements(self, device):
        for offset in range(0, len(self._range), GROUP):
            yield from self._values(self._range[offset:offset + GROUP], device).unbind(0)


class _GeneratorDataset(Dataset):
    """`Dataset.from_generator`: what a Python generator yields, converted to a signature."""

    _repr_name = "_FlatMapDataset"

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            if output_types is not None:
                raise TypeError("The `output_types` argument can not be used together with the "
                                "`output_signature` argument.")
            if output_shapes is not None:
                raise TypeError("The `output_shapes` argument can not be used together with the "
                                "`output_signature` argument.")
            for spec in structure.flatten(output_signature):
                if not isinstance(spec, TensorSpec):
                    raise TypeError(f"`output_signature` must contain objects that are subclass of "
                                    f"`tf.TypeSpec` but found {type(spec)} which is not.")
            self._signature = output_signature
        elif output_types is None:
            raise TypeError("To specify the output signature you need to provide either the "
                            "`output_signature` argument or the `output_types` argument.")
        else:
            self._signature = _legacy_signature(output_types, output_shapes)
        self._generator = generator
        self._args = tuple(structure.to_numpy(structure.to_leaf(a)) for a in (args or ()))

    def _spec(self):
        return self._signature

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY

    def _elements(self, device):
        for value in self._generator(*self._args):
            yield _converted(value, self._signature, device)


def _legacy_signature(types, shapes):
    """`output_types` with `output_shapes` (shapes are leaves where `output_types` has a dtype)."""
    if not isinstance(types, (tuple, dict)):
        return TensorSpec(shapes, dtypes.as_dtype(types))
    keys = list(types) if isinstance(types, dict) else range(len(types))
    parts = {k: _legacy_signature(types[k], None if shapes is None else shapes[k]) for k in keys}
    if isinstance(types, dict):
        return parts
    return type(types)(*parts.values()) if structure.is_namedtuple(types) else tuple(parts.values())


def _generator_error(message: str) -> InvalidArgumentError:
    return kernel_error(InvalidArgumentError, f"TypeError: `generator` {message}", "IteratorGetNext")


def _converted(value, signature, device):
    """A yielded value as an element of `signature` (TF converts with numpy, so 1.5 -> int 1)."""
    if isinstance(signature, TensorSpec):
        return _converted_leaf(value, signature, device)
    if isinstance(signature, dict) and isinstance(value, dict) and value.keys() == signature.keys():
        return {k: _converted(value[k], s, device) for k, s in signature.items()}
    if isinstance(signature, tuple) and isinstance(value, tuple) and len(value) == len(signature):
        return structure.pack(signature, [_converted(v, s, device) for v, s in zip(value, signature)])
    expected = structure.map_structure(lambda spec: f"tf.{spec.dtype.name}", signature)
    raise _generator_error(f"yielded an element that did not match the expected structure. The expected "
                           f"structure was {_plain(expected)}, but the yielded element was {value}.")


def _plain(expected) -> str:
    return str(expected).replace("'", "")


def _converted_leaf(value, spec: TensorSpec, device):
    dtype = spec.dtype
    if isinstance(value, TensorLike) and value.dtype == dtype:
        leaf = structure.to_leaf(value)
    else:
        try:
            array = (structure.to_leaf(value, dtypes.string) if dtype == dtypes.string
                     else np.asarray(value, dtype=dtype.as_numpy_dtype))
        except (TypeError, ValueError):
            raise _generator_error(f"yielded an element that did not match the expected structure. The "
                                   f"expected structure was {spec}, but the yielded element was "
                                   f"{value}.") from None
        leaf = array if dtype == dtypes.string else torch.from_numpy(np.array(array))
    if not spec.shape.is_compatible_with(TensorShape(tuple(leaf.shape))):
        raise _generator_error(f"yielded an element of shape {TensorShape(tuple(leaf.shape))} where an "
                               f"element of shape {spec.shape} was expected.")
    return structure.place(leaf, device)
