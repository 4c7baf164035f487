"""What `fit`/`evaluate`/`predict` accept as data, turned into batches of torch tensors.

Arrays (numpy, kerastorch Tensors, torch tensors, and lists/dicts of them for several
inputs or outputs) are moved to the device once per call; a batch is an index slice of
them (a view when not shuffled, one gather per tensor when shuffled), so a step costs
no host work. Python generators, `keras.utils.PyDataset`-like sequences and torch
`DataLoader`s/`Dataset`s give batches that are converted as they come. A `tf.data.Dataset`
gives its elements as batches, read on the device (a dataset of stored tensors slices them
there, see `kerastorch/data/rows.py`).

While a strategy trains on several processes (`kerastorch/distribute`), every process walks
the same global batches and reads its share of each (`sharding.bounds`); a shuffled order
is the chief's, broadcast. A torch DataLoader with a `DistributedSampler` already gives
each process its own batches and is read as it is.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from kerastorch.data.dataset import INFINITE_CARDINALITY, Dataset
from kerastorch.distribute import collectives, sharding
from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import to_raw
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras import config
from kerastorch.keras.engine import nest
from kerastorch.ops import random_ops


def to_device(value, float_dtype=None):
    """A leaf of user data as a torch tensor on the current device (floats as `float_dtype`)."""
    if value is None:
        return None
    if isinstance(value, TensorLike):
        raw = value._t
    elif isinstance(value, torch.Tensor):
        raw = value
    else:
        array = np.asarray(value)
        if array.dtype.kind in "OSU":
            return array
        if array.dtype == np.float64 and float_dtype is not None:
            array = array.astype(float_dtype)
        if array.dtype.kind in "biuf" and array.flags.c_contiguous and array.flags.writeable and array.dtype.isnative:
            raw = torch.from_numpy(array)  # shares the memory: nothing in fit writes to its data
        else:
            raw = to_raw(array)
    if isinstance(raw, torch.Tensor):
        raw = raw.to(_device.current(), non_blocking=True)
    return raw


def _floatx_leaf(value):
    raw = to_device(value, "float32")
    if isinstance(raw, torch.Tensor) and raw.is_floating_point():
        floatx = dtypes.as_dtype(config.floatx())._torch
        if raw.dtype != floatx:
            raw = raw.to(floatx)
    return raw


def unpack(data):
    """`(x, y, sample_weight)` from a batch given as `x`, `(x,)`, `(x, y)` or `(x, y, sw)`."""
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
                         f"found: {data}")
    return data, None, None


def _sizes(structure) -> list:
    return [int(x.shape[0]) for x in nest.flatten(structure) if x is not None and hasattr(x, "shape")]


def _length(structure) -> int:
    """The number of samples of `(x, y, sample_weight)`, the same in every array (Keras's check)."""
    lengths = set(_sizes(structure))
    if len(lengths) > 1:
        message = "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples."
        for label, part in zip(("x", "y", "sample_weight"), structure):
            if part is not None:
                message += f"'{label}' sizes: {', '.join(str(size) for size in _sizes(part))}\n"
        raise ValueError(message)
    return lengths.pop() if lengths else 0


class _Epochs:
    """How an epoch walks the data, as Keras's EpochIterator: without `steps` every epoch is one
    full pass; with `steps` the pass goes on across epochs, `steps` batches at a time, and an
    epoch that reaches its end stops early (with Keras's warning) and the next starts a new pass."""

    num_batches = None  # batches in a pass, when known
    explicit_steps = None
    _pass = None  # the pass that explicit `steps` continue across epochs

    def _one_pass(self):
        raise NotImplementedError

    def batches(self):
        """Yields `(x, y, sample_weight)` batches for one epoch."""
        if self.explicit_steps is None:
            yield from self._one_pass()
            self._epoch_end()
            return
        if self._pass is None:
            self._pass, self._seen = iter(self._one_pass()), 0
        for _ in range(self.explicit_steps):
            if self.num_batches is not None and self._seen >= self.num_batches:
                _ran_out()
                break
            self._seen += 1
            batch = next(self._pass, None)
            if batch is None:
                _ran_out()
                self._pass = None
                break
            yield batch
        if self.num_batches is not None and self._seen >= self.num_batches:
            self._pass = None
        self._epoch_end()

    def _epoch_end(self) -> None:
        pass

    def reset(self) -> None:
        """Starts a new pass at the next epoch (`evaluate` does, so `steps` read the first batches)."""
        self._pass = None


def _ran_out() -> None:
    warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or generator "
                  "can generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` "
                  "function when building your dataset.", stacklevel=4)


class ArrayData(_Epochs):
    """In-memory data: batches are slices of tensors already on the device.

    Args:
        x, y, sample_weight: arrays or structures of arrays with the same first axis.
        batch_size: samples per batch (default 32).
        shuffle: reshuffle the order every epoch (`"batch"`: shuffle whole batches).
        class_weight: `{class index: weight}` folded into the sample weights.
        steps: batches per epoch (default: one pass over the data; see `_Epochs`).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                 steps=None):
        # As Keras's array slicing, floats of another dtype than floatx become floatx (x, y and weights).
        self.x, self.y, self.sample_weight = nest.map(_floatx_leaf, (x, y, sample_weight))
        self.size = _length((self.x, self.y, self.sample_weight))
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self._given_sample_weight = self.sample_weight  # what a validation split takes: no class weights
        if class_weight is not None:
            self.sample_weight = _apply_class_weight(
                self.y, self.sample_weight, _class_table(class_weight, _first_device(self.y)),
                "You cannot `class_weight` and `sample_weight` at the same time.")
        self.explicit_steps = steps
        self._count_batches()

    def _count_batches(self) -> None:
        self.num_batches = max(math.ceil(self.size / self.batch_size), 1)
        self.steps = self.explicit_steps if self.explicit_steps is not None else self.num_batches

    def split(self, fraction: float):
        """The last `fraction` of the samples as validation data, the rest kept (Keras's split, which
        checks no range: the cut is `floor(size * (1 - fraction))`, as a slice bound)."""
        cut = math.floor(self.size * (1.0 - fraction))
        if cut == 0 or cut == self.size:
            raise ValueError(f"Training data contains {self.size} samples, which is not sufficient to split it "
                             f"into a validation and training set as specified by `validation_split={fraction}`. "
                             f"Either provide more data, or a different value for the `validation_split` argument.")
        tail = _slice_all((self.x, self.y, self._given_sample_weight), slice(cut, self.size))
        self.x, self.y, self.sample_weight = _slice_all((self.x, self.y, self.sample_weight), slice(0, cut))
        self.size = _length((self.x, self.y, self.sample_weight))
        self._count_batches()
        return tail

    def _one_pass(self):
        order = None
        shard = sharding.current_shard()
        if self.shuffle == "batch":
            order = _batch_shuffled(self.size, self.batch_size, self.x)
        elif self.shuffle:
            device = _first_device(self.x)
            order = torch.randperm(self.size, device=device, generator=random_ops.generator(device=device))
        if order is not None and shard is not None:
            order = collectives.broadcast_from_chief(order)
        for start in range(0, self.num_batches * self.batch_size, self.batch_size):
            end = min(start + self.batch_size, self.size)
            if shard is not None:
                low, high = sharding.bounds(end - start, shard)
                start, end = start + low, start + high
            index = slice(start, end) if order is None else order[start:end]
            yield _slice_all((self.x, self.y, self.sample_weight), index)


class IterableData(_Epochs):
    """Batches from a generator, a sequence of batches (PyDataset), a DataLoader or a Dataset."""

    def __init__(self, source, steps=None, batch_size=None, class_weight=None):
        if isinstance(source, torch.utils.data.Dataset) and not isinstance(source, torch.utils.data.IterableDataset):
            source = torch.utils.data.DataLoader(source, batch_size=batch_size or 32)
        self.source = source
        self.explicit_steps = steps
        if hasattr(source, "__len__"):
            self.num_batches = len(source)
        self.steps = steps if steps is not None else self.num_batches
        self._iterator = None
        self.class_weight = class_weight
        self._table = None
        # A DistributedSampler gives each process its own samples already.
        self._sharded = isinstance(getattr(source, "sampler", None), torch.utils.data.DistributedSampler)

    def _one_pass(self):
        if hasattr(self.source, "__getitem__") and hasattr(self.source, "__len__") and not isinstance(
                self.source, torch.utils.data.DataLoader):
            items = (self.source[i] for i in range(len(self.source)))
        elif _reiterable(self.source):
            items = iter(self.source)
        else:
            if self._iterator is None:
                self._iterator = iter(self.source)
            items = self._iterator
        shard = None if self._sharded else sharding.current_shard()
        for batch in items:
            if isinstance(batch, list):
                batch = tuple(batch)
            x, y, sw = unpack(batch)
            x, y, sw = (nest.map(lambda v: to_device(v, "float32"), x), nest.map(to_device, y),
                        nest.map(lambda v: to_device(v, "float32"), sw))
            if shard is not None:
                x, y, sw = sharding.shard_structure((x, y, sw), shard)
            if self.class_weight is not None and y is not None:
                if self._table is None:
                    self._table = _class_table(self.class_weight, _first_device(y))
                sw = _apply_class_weight(y, sw, self._table, "You cannot specify `class_weight` and "
                                         "`sample_weight` at the same time.")
            yield x, y, sw

    def _epoch_end(self) -> None:
        if hasattr(self.source, "on_epoch_end"):
            self.source.on_epoch_end()


class DatasetData(IterableData):
    """The elements of a `tf.data.Dataset` as batches; its cardinality is the steps per epoch."""

    def __init__(self, dataset: Dataset, steps=None, class_weight=None):
        count = dataset._cardinality()
        if count == INFINITE_CARDINALITY and steps is None:
            raise ValueError("When passing an infinitely repeating dataset, please specify how many batches make "
                             "an epoch (`steps_per_epoch` in `fit`, `steps` in `evaluate` and `predict`). "
                             f"Received: steps={steps}")
        super().__init__(_OnDevice(dataset), steps=steps, class_weight=class_weight)
        self.num_batches = count if count >= 0 else None
        self.steps = steps if steps is not None else self.num_batches


class _OnDevice:
    """A dataset's passes, read on the current device."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def __iter__(self):
        return self.dataset._raw(_device.current())


def one_batch(x, y=None, sample_weight=None, class_weight=None) -> tuple:
    """All of the data as one `(x, y, sample_weight)` batch (`train_on_batch` and co.)."""
    data = ArrayData(x, y, sample_weight, class_weight=class_weight)
    batch = data.x, data.y, data.sample_weight
    shard = sharding.current_shard()
    return batch if shard is None else sharding.shard_structure(batch, shard)


def adapt(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None, steps=None):
    """The data object for `fit`/`evaluate`/`predict` arguments."""
    if isinstance(x, sharding.DistributedDataset):
        x = x.dataset  # batches are split across the processes here, as for any dataset
    if isinstance(x, Dataset):
        _refuse_separate_targets("tf.data.Dataset", y, sample_weight)
        if shuffle:
            warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` was provided as a "
                          "tf.data.Dataset. The Dataset is expected to already be shuffled (via "
                          "`.shuffle(buffer_size)`).", stacklevel=3)
        return DatasetData(x, steps, class_weight)
    if _is_iterable_source(x):
        kind = _source_kind(x)
        _refuse_separate_targets(kind, y, sample_weight)
        if class_weight is not None and kind == "generator":
            raise ValueError(f"Argument `class_weight` is not supported for Python generator inputs. Received: "
                             f"class_weight={class_weight}")
        if class_weight is not None and kind.startswith("torch"):
            raise ValueError(f"Argument `class_weight` is not supported for torch DataLoader inputs. You can modify "
                             f"your `__getitem__ ` method to return input tensor, label and class_weight. "
                             f"Alternatively, use a custom training loop. See the User Guide https://keras.io/guides/"
                             f"custom_train_step_in_torch/#supporting-sampleweight-amp-classweight for more details. "
                             f"Received: class_weight={class_weight}")
        return IterableData(x, steps=steps, batch_size=batch_size, class_weight=class_weight)
    return ArrayData(x, y, sample_weight, batch_size, shuffle, class_weight, steps)


def _refuse_separate_targets(kind: str, y, sample_weight) -> None:
    for value, name, what in ((y, "y", "the targets"), (sample_weight, "sample_weights", "the sample weights")):
        if value is not None:
            raise ValueError(f"When providing `x` as a {kind}, `{name}` should not be passed. Instead, {what} "
                             f"should be included as part of the {kind}.")


def _is_iterable_source(x) -> bool:
    if isinstance(x, (np.ndarray, torch.Tensor, TensorLike, list, tuple, dict)) or x is None:
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__getitem__")


def _source_kind(x) -> str:
    """The name Keras's messages give a source of batches."""
    if isinstance(x, torch.utils.data.DataLoader):
        return "torch DataLoader"
    if isinstance(x, torch.utils.data.Dataset):
        return "torch Dataset"
    if hasattr(x, "__getitem__") and hasattr(x, "__len__"):
        return "PyDataset"
    return "generator"


def _reiterable(source) -> bool:
    return isinstance(source, torch.utils.data.DataLoader) or (
        hasattr(source, "__iter__") and not hasattr(source, "__next__"))


def _slice_all(structure, index):
    return nest.map(lambda v: None if v is None else v[index], structure)


def _first_device(structure):
    for leaf in nest.flatten(structure):
        if isinstance(leaf, torch.Tensor):
            return leaf.device
    return torch.device("cpu")


def _batch_shuffled(size, batch_size, x):
    device = _first_device(x)
    starts = torch.randperm(math.ceil(size / batch_size), device=device,
                            generator=random_ops.generator(device=device)) * batch_size
    return torch.cat([torch.arange(s, min(s + batch_size, size), device=starts.device) for s in starts.tolist()])


def _class_table(class_weight: dict, device) -> torch.Tensor:
    """`class_weight` as a lookup table on the device (a class missing from the dict weighs 1)."""
    weights = {int(key): float(value) for key, value in class_weight.items()}
    return torch.tensor([weights.get(i, 1.0) for i in range(max(max(weights) + 1, 1))], device=device)


def _apply_class_weight(y, sample_weight, table: torch.Tensor, both_message: str):
    """Sample weights from a `_class_table` as Keras derives them: the class of a row is its rounded
    label (the argmax of a one-hot row); classes outside the table weigh 1. On the device, with
    no host sync (a `PyDataset` gets them every batch)."""
    if sample_weight is not None:
        raise ValueError(both_message)
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for Models with a single output.")
    labels = y
    if labels.dim() > 1:
        labels = labels.argmax(-1) if labels.shape[-1] != 1 else labels.squeeze(-1)
    labels = torch.round(labels).long() if labels.is_floating_point() else labels.long()
    size = table.shape[0]
    inside = (labels >= 0) & (labels < size)
    return torch.where(inside, table[labels.clamp(0, size - 1)], torch.ones((), device=labels.device))
