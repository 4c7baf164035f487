"""`tf.data.Dataset`: a lazy, re-iterable chain of sources and transformations.

Each transformation is a subclass (in `sources.py`, `functional.py`, `sequence.py`,
`shuffling.py`, `batching.py`) that knows its element spec and cardinality and yields
elements as nested structures of raw tensors; `iter()` starts a fresh pass and wraps
them in `Tensor`s. Datasets whose elements are rows of stored tensors (see `rows.py`)
also describe themselves as an index stream, so `batch` slices or gathers whole
batches instead of stacking elements one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kerastorch.data import structure
from kerastorch.data.rows import Rows
from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import constant
from kerastorch.framework.errors import OutOfRangeError
from kerastorch.framework.tensor import Tensor

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class Dataset:
    """A sequence of elements (nested tuples and dicts of tensors), read lazily.

    Build one with `from_tensor_slices`, `from_tensors`, `from_generator`, `range` or
    `zip`, chain transformations (`map`, `filter`, `shuffle`, `batch`, `repeat`, …) and
    iterate: every `iter()` starts over. Elements are `tf.Tensor`s.

    Example:
        >>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 2)
        >>> list(ds.as_numpy_iterator())
        [2, 4, 6]
    """

    _repr_name = None  # TF's class name where ours differs

    # -- what a subclass provides ------------------------------------------------------
    def _spec(self):
        raise NotImplementedError

    def _cardinality(self) -> int:
        raise NotImplementedError

    def _rows(self, device) -> Rows | None:
        """The elements as rows of stored tensors on `device`, when they are."""
        return None

    def _elements(self, device) -> Iterator:
        raise NotImplementedError

    # -- iteration -----------------------------------------------------------------------
    def _raw(self, device=None) -> Iterator:
        """One pass over the elements as raw structures; sources place their data on `device`."""
        rows = self._rows(device)
        if rows is not None:
            return rows.elements()
        return self._elements(device)

    def __iter__(self) -> OwnedIterator:
        return OwnedIterator(self)

    def as_numpy_iterator(self) -> Iterator:
        """The elements as numpy values (arrays, numpy scalars, bytes), keeping their structure."""
        return NumpyIterator(self)

    @property
    def element_spec(self):
        """The structure of `tf.TensorSpec`s of one element."""
        if not hasattr(self, "_element_spec"):
            self._element_spec = self._spec()
        return self._element_spec

    def cardinality(self) -> Tensor:
        """The number of elements as an int64 Tensor: `INFINITE_CARDINALITY` (-1) or
        `UNKNOWN_CARDINALITY` (-2) when it is not a known count."""
        return constant(self._cardinality(), dtypes.int64)

    def __len__(self) -> int:
        count = self._cardinality()
        if count == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if count == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return count

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        name = self._repr_name or type(self).__name__
        return f"<{name} element_spec={self.element_spec}>"

    # -- sources -------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None) -> Dataset:
        """A dataset of the slices of `tensors` along their first dimension.

        Args:
            tensors: a tensor, array or (nested) tuple/dict of them, all with the same
                first dimension. A Python list is one tensor.
            name: accepted for TF compatibility.
        """
        from kerastorch.data.sources import _TensorSliceDataset
        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None) -> Dataset:
        """A dataset of one element, `tensors`."""
        from kerastorch.data.sources import _TensorDataset
        return _TensorDataset(tensors)

    @staticmethod
    def from_generator(generator: Callable, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None) -> Dataset:
        """A dataset of what `generator()` yields, converted to the declared signature.

        Args:
            generator: a callable returning an iterator (called again for every pass).
            output_types, output_shapes: the legacy way to declare the elements.
            args: values passed to `generator` as numpy arrays.
            output_signature: a (nested) structure of `tf.TensorSpec`s.
            name: accepted for TF compatibility.
        """
        from kerastorch.data.sources import _GeneratorDataset
        return _GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None) -> Dataset:
        """`range(stop)`, `range(start, stop[, step])`: a dataset of evenly spaced integers."""
        from kerastorch.data.sources import _RangeDataset
        return _RangeDataset(*args, output_type=output_type)

    @staticmethod
    def zip(*args, datasets=None, name=None) -> Dataset:
        """A dataset of tuples (or the given structure) of the elements of several datasets."""
        from kerastorch.data.sequence import _ZipDataset
        if datasets is None:
            if not args:
                raise TypeError("Must pass at least one dataset to `zip`.")
            datasets = args[0] if len(args) == 1 else args
        return _ZipDataset(datasets)

    # -- transformations -----------------------------------------------------------------
    def map(self, map_func: Callable, num_parallel_calls=None, deterministic=None, name=None) -> Dataset:
        """Applies `map_func` to every element (a tuple element is passed as separate arguments).

        Args:
            map_func: the function; it may return a tensor or a (nested) tuple/dict.
            num_parallel_calls: accepted (`tf.data.AUTOTUNE` or a positive int); elements
                are mapped in order.
            deterministic: accepted; the order is always deterministic.
        """
        from kerastorch.data.functional import _MapDataset
        return _MapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate: Callable, name=None) -> Dataset:
        """Keeps the elements for which `predicate` returns a scalar `True`."""
        from kerastorch.data.functional import _FilterDataset
        return _FilterDataset(self, predicate)

    def flat_map(self, map_func: Callable, name=None) -> Dataset:
        """Maps every element to a dataset and concatenates them."""
        from kerastorch.data.functional import _FlatMapDataset
        return _FlatMapDataset(self, map_func)

    def batch(self, batch_size: int, drop_remainder: bool = False, num_parallel_calls=None,
              deterministic=None, name=None) -> Dataset:
        """Stacks consecutive elements into batches of `batch_size` (the last one may be
        smaller unless `drop_remainder`)."""
        from kerastorch.data.batching import _BatchDataset
        return _BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size: int, padded_shapes=None, padding_values=None,
                     drop_remainder: bool = False, name=None) -> Dataset:
        """Batches elements of different shapes, padding each component to `padded_shapes`
        (default: the largest in the batch) with `padding_values` (default 0, or b'')."""
        from kerastorch.data.batching import _PaddedBatchDataset
        return _PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def unbatch(self, name=None) -> Dataset:
        """Splits every element along its first dimension into separate elements."""
        from kerastorch.data.batching import _UnbatchDataset
        return _UnbatchDataset(self)

    def shuffle(self, buffer_size: int, seed=None, reshuffle_each_iteration: bool = True,
                name=None) -> Dataset:
        """Shuffles with a buffer: each element is drawn at random from the next `buffer_size`.

        Args:
            buffer_size: elements in the buffer (at least the dataset's size for a full shuffle).
            seed: op-level seed (TF's rules with `tf.random.set_seed`).
            reshuffle_each_iteration: a new order on every pass (else the same every pass).
        """
        from kerastorch.data.shuffling import _ShuffleDataset
        return _ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None) -> Dataset:
        """The dataset `count` times over (`None` or -1: forever)."""
        from kerastorch.data.sequence import _RepeatDataset
        return _RepeatDataset(self, count)

    def take(self, count, name=None) -> Dataset:
        """The first `count` elements (-1: all)."""
        from kerastorch.data.sequence import _TakeDataset
        return _TakeDataset(self, count)

    def skip(self, count, name=None) -> Dataset:
        """All but the first `count` elements (-1: none)."""
        from kerastorch.data.sequence import _SkipDataset
        return _SkipDataset(self, count)

    def concatenate(self, dataset: Dataset, name=None) -> Dataset:
        """This dataset's elements followed by `dataset`'s (same structure and dtypes)."""
        from kerastorch.data.sequence import _ConcatenateDataset
        return _ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None) -> Dataset:
        """`(index, element)` pairs, the index an int64 counting from `start`."""
        return Dataset.zip((Dataset.range(start, 2**63 - 1), self))

    def cache(self, filename: str = "", name=None) -> Dataset:
        """Keeps the elements of the first complete pass in memory and replays them."""
        from kerastorch.data.sequence import CacheDataset
        return CacheDataset(self)

    def prefetch(self, buffer_size, name=None) -> Dataset:
        """Accepted for TF compatibility (`tf.data.AUTOTUNE` or a count); elements come in order."""
        from kerastorch.data.sequence import _PrefetchDataset
        return _PrefetchDataset(self, buffer_size)

    def apply(self, transformation_func: Callable) -> Dataset:
        """`transformation_func(self)`, for chaining."""
        return transformation_func(self)

    def reduce(self, initial_state, reduce_func: Callable):
        """Folds the elements into a state: `state = reduce_func(state, element)`."""
        state = structure.output_element(initial_state)
        for element in self._raw(_device.current()):
            state = structure.output_element(reduce_func(structure.wrap(state), structure.wrap(element)))
        return structure.wrap(state)


class OwnedIterator:
    """One pass over a dataset (`iter(dataset)`): `next()` gives the next element."""

    def __init__(self, dataset: Dataset):
        self._dataset = dataset
        self._elements = dataset._raw(_device.current())

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self) -> OwnedIterator:
        return self

    def __next__(self):
        return structure.wrap(next(self._elements))

    def next(self):
        return self.__next__()

    def get_next(self):
        """The next element; `tf.errors.OutOfRangeError` at the end."""
        try:
            return self.__next__()
        except StopIteration:
            raise OutOfRangeError(None, None, "End of sequence") from None


class NumpyIterator:
    """A dataset's elements as numpy values (`Dataset.as_numpy_iterator`)."""

    def __init__(self, dataset: Dataset):
        self._elements = dataset._raw()

    def __iter__(self) -> NumpyIterator:
        return self

    def __next__(self):
        return structure.map_structure(structure.to_numpy, next(self._elements))

    def next(self):
        return self.__next__()
