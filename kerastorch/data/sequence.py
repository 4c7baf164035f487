"""Transformations of the order and extent of a dataset: take, skip, repeat, concatenate,
zip, cache and prefetch. Row datasets (`rows.py`) keep their rows: these only cut or
repeat the index stream."""

from __future__ import annotations

import itertools

from kerastorch.data import rows as _rows
from kerastorch.data import structure
from kerastorch.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from kerastorch.framework.errors import InvalidArgumentError, kernel_error
from kerastorch.framework.tensor_spec import TensorSpec


class _Unary(Dataset):
    """A transformation of one dataset that keeps its element spec."""

    def __init__(self, parent: Dataset):
        self._parent = parent

    def _spec(self):
        return self._parent.element_spec


class _TakeDataset(_Unary):
    """`Dataset.take`: the first `count` elements (a negative count: all)."""

    def __init__(self, parent: Dataset, count):
        super().__init__(parent)
        self._count = int(count)

    def _cardinality(self) -> int:
        parent = self._parent._cardinality()
        if self._count == -1:
            return parent
        if self._count < 0 or parent == UNKNOWN_CARDINALITY:
            return UNKNOWN_CARDINALITY
        return self._count if parent == INFINITE_CARDINALITY else min(parent, self._count)

    def _rows(self, device):
        rows = self._parent._rows(device)
        if rows is None or self._count < 0:
            return rows
        return rows.with_chunks(lambda: _rows.window(rows.chunks(), 0, self._count))

    def _elements(self, device):
        elements = self._parent._raw(device)
        return elements if self._count < 0 else itertools.islice(elements, self._count)


class _SkipDataset(_Unary):
    """`Dataset.skip`: all but the first `count` elements (a negative count: none)."""

    def __init__(self, parent: Dataset, count):
        super().__init__(parent)
        self._count = int(count)

    def _cardinality(self) -> int:
        parent = self._parent._cardinality()
        if self._count < 0:
            return 0
        return parent if parent < 0 else max(parent - self._count, 0)

    def _rows(self, device):
        rows = self._parent._rows(device)
        if rows is None:
            return None
        if self._count < 0:
            return rows.with_chunks(lambda: iter(()))
        return rows.with_chunks(lambda: _rows.window(rows.chunks(), self._count, None))

    def _elements(self, device):
        if self._count < 0:
            return iter(())
        return itertools.islice(self._parent._raw(device), self._count, None)


class _RepeatDataset(_Unary):
    """`Dataset.repeat`: `count` passes (forever for None or -1; an empty pass ends it)."""

    def __init__(self, parent: Dataset, count):
        super().__init__(parent)
        self._count = -1 if count is None else int(count)

    def _cardinality(self) -> int:
        parent = self._parent._cardinality()
        if self._count < 0:
            return 0 if parent == 0 else INFINITE_CARDINALITY
        if self._count == 0:
            return 0
        return parent if parent < 0 else parent * self._count

    def _passes(self, one_pass, size=lambda item: 1):
        """`one_pass()` again and again (`size` of an item: how many elements it holds)."""
        passes = itertools.count() if self._count < 0 else range(self._count)
        for _ in passes:
            seen = 0
            for item in one_pass():
                seen += size(item)
                yield item
            if seen == 0:
                return

    def _rows(self, device):
        rows = self._parent._rows(device)
        if rows is None:
            return None
        return rows.with_chunks(lambda: self._passes(rows.chunks, _rows.chunk_length))

    def _elements(self, device):
        return self._passes(lambda: self._parent._raw(device))


class _ConcatenateDataset(Dataset):
    """`Dataset.concatenate`: the elements of one dataset, then another's."""

    def __init__(self, first: Dataset, second: Dataset):
        a, b = first.element_spec, second.element_spec
        if not structure.same_structure(a, b) or any(
                x.dtype != y.dtype for x, y in zip(structure.flatten(a), structure.flatten(b))):
            raise TypeError(f"Incompatible dataset elements:\n  {a} vs.   {b}")
        self._first, self._second = first, second

    def _spec(self):
        a, b = self._first.element_spec, self._second.element_spec
        return structure.pack(a, [TensorSpec(x.shape.most_specific_compatible_shape(y.shape), x.dtype)
                                  for x, y in zip(structure.flatten(a), structure.flatten(b))])

    def _cardinality(self) -> int:
        a, b = self._first._cardinality(), self._second._cardinality()
        if INFINITE_CARDINALITY in (a, b):
            return INFINITE_CARDINALITY
        if UNKNOWN_CARDINALITY in (a, b):
            return UNKNOWN_CARDINALITY
        return a + b

    def _elements(self, device):
        return itertools.chain(self._first._raw(device), self._second._raw(device))


class _ZipDataset(Dataset):
    """`Dataset.zip`: elements of several datasets side by side, until the shortest ends."""

    def __init__(self, datasets):
        if isinstance(datasets, list):
            raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                            "`tf.data.Dataset` objects. Python `list` is not supported and you should use "
                            "`tuple` instead.")
        for leaf in structure.flatten(datasets):
            if not isinstance(leaf, Dataset):
                raise TypeError(f"Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                f"`tf.data.Dataset` objects but encountered object of type {type(leaf)}.")
        self._datasets = datasets

    def _spec(self):
        return structure.map_structure(lambda ds: ds.element_spec, self._datasets)

    def _cardinality(self) -> int:
        result = INFINITE_CARDINALITY
        for ds in structure.flatten(self._datasets):
            count = ds._cardinality()
            if count == UNKNOWN_CARDINALITY:
                return UNKNOWN_CARDINALITY
            if count != INFINITE_CARDINALITY and (result == INFINITE_CARDINALITY or count < result):
                result = count
        return result

    def _elements(self, device):
        passes = [ds._raw(device) for ds in structure.flatten(self._datasets)]
        for parts in zip(*passes):
            yield structure.pack(self._datasets, parts)


class CacheDataset(_Unary):
    """`Dataset.cache`: the first complete pass is kept (in memory) and replayed."""

    def __init__(self, parent: Dataset):
        super().__init__(parent)
        self._kept = {}

    def _cardinality(self) -> int:
        return self._parent._cardinality()

    def _replay(self, key, one_pass):
        if key in self._kept:
            yield from self._kept[key]
            return
        seen = []
        for item in one_pass():
            seen.append(item)
            yield item
        self._kept[key] = seen

    def _rows(self, device):
        rows = self._parent._rows(device)
        if rows is None:
            return None
        return rows.with_chunks(lambda: self._replay("rows", rows.chunks))

    def _elements(self, device):
        return self._replay(device, lambda: self._parent._raw(device))


class _PrefetchDataset(_Unary):
    """`Dataset.prefetch`: accepted; elements are produced as they are asked for."""

    def __init__(self, parent: Dataset, buffer_size):
        if int(buffer_size) < AUTOTUNE:
            raise kernel_error(InvalidArgumentError, "buffer_size must be >= 0 or set buffer_size to be -1 for "
                               "auto-tuning", "PrefetchDataset")
        super().__init__(parent)

    def _cardinality(self) -> int:
        return self._parent._cardinality()

    def _rows(self, device):
        return self._parent._rows(device)

    def _elements(self, device):
        return self._parent._raw(device)
