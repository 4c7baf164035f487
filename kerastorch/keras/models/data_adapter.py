"""What `fit`/`evaluate`/`predict` accept as data, turned into batches of torch tensors.

Arrays (numpy, kerastorch Tensors, torch tensors, and lists/dicts of them for several
inputs or outputs) are moved to the device once per call; a batch is an index slice of
them (a view when not shuffled, one gather per tensor when shuffled), so a step costs
no host work. Python generators, `keras.utils.PyDataset`-like sequences and torch
`DataLoader`s/`Dataset`s give batches that are converted as they come.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework.convert import to_raw
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras.engine import nest


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


def _length(structure) -> int:
    lengths = {int(x.shape[0]) for x in nest.flatten(structure) if x is not None and hasattr(x, "shape")}
    if len(lengths) > 1:
        raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the same number of "
                         f"samples. Received sizes: {sorted(lengths)}")
    return lengths.pop() if lengths else 0


class ArrayData:
    """In-memory data: batches are slices of tensors already on the device.

    Args:
        x, y, sample_weight: arrays or structures of arrays with the same first axis.
        batch_size: samples per batch (default 32).
        shuffle: reshuffle the order every epoch (`"batch"`: shuffle whole batches).
        class_weight: `{class index: weight}` folded into the sample weights.
        steps: batches per epoch (default: enough to cover the data once).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                 steps=None):
        self.x = nest.map(lambda v: to_device(v, "float32"), x)
        self.y = nest.map(to_device, y)
        self.sample_weight = nest.map(lambda v: to_device(v, "float32"), sample_weight)
        self.size = _length((self.x, self.y, self.sample_weight))
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        if class_weight is not None:
            self.sample_weight = _apply_class_weight(self.y, self.sample_weight, class_weight)
        self.steps = steps if steps is not None else max(math.ceil(self.size / self.batch_size), 1)

    def split(self, fraction: float):
        """The last `fraction` of the samples as validation data, the rest kept (Keras's split)."""
        if not 0 < fraction < 1:
            raise ValueError(f"`validation_split` must be in [0, 1). Received: validation_split={fraction}")
        cut = int(self.size * (1.0 - fraction))
        if cut == 0 or cut == self.size:
            raise ValueError(f"Training data contains {self.size} samples, which is not sufficient to split it "
                             f"into a validation and training set as specified by `validation_split={fraction}`.")
        head = _slice_all((self.x, self.y, self.sample_weight), slice(0, cut))
        tail = _slice_all((self.x, self.y, self.sample_weight), slice(cut, None))
        self.x, self.y, self.sample_weight = head
        self.size = cut
        self.steps = max(math.ceil(self.size / self.batch_size), 1)
        return tail

    def batches(self):
        """Yields `(x, y, sample_weight)` batches for one epoch."""
        order = None
        if self.shuffle == "batch":
            order = _batch_shuffled(self.size, self.batch_size, self.x)
        elif self.shuffle:
            order = torch.randperm(self.size, device=_first_device(self.x))
        start = 0
        for _ in range(self.steps):
            if start >= self.size:
                start = 0
            end = min(start + self.batch_size, self.size)
            index = slice(start, end) if order is None else order[start:end]
            yield _slice_all((self.x, self.y, self.sample_weight), index)
            start = end


class IterableData:
    """Batches from a generator, a sequence of batches (PyDataset), a DataLoader or a Dataset."""

    def __init__(self, source, steps=None, batch_size=None):
        if isinstance(source, torch.utils.data.Dataset) and not isinstance(source, torch.utils.data.IterableDataset):
            source = torch.utils.data.DataLoader(source, batch_size=batch_size or 32)
        self.source = source
        self.steps = steps
        if steps is None and hasattr(source, "__len__"):
            self.steps = len(source)
        self._iterator = None

    def batches(self):
        if hasattr(self.source, "__getitem__") and hasattr(self.source, "__len__") and not isinstance(
                self.source, torch.utils.data.DataLoader):
            items = (self.source[i] for i in range(len(self.source)))
        elif _reiterable(self.source):
            items = iter(self.source)
        else:
            if self._iterator is None:
                self._iterator = iter(self.source)
            items = self._iterator
        for count, batch in enumerate(items):
            if self.steps is not None and count >= self.steps:
                break
            if isinstance(batch, list):
                batch = tuple(batch)
            x, y, sw = unpack(batch)
            yield (nest.map(lambda v: to_device(v, "float32"), x), nest.map(to_device, y),
                   nest.map(lambda v: to_device(v, "float32"), sw))
        if hasattr(self.source, "on_epoch_end"):
            self.source.on_epoch_end()


def adapt(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None, steps=None):
    """The data object for `fit`/`evaluate`/`predict` arguments."""
    if _is_iterable_source(x):
        if y is not None:
            raise ValueError("`y` argument is not supported when using a generator, a dataset or a "
                             "PyDataset as input: the batches carry the targets.")
        return IterableData(x, steps=steps, batch_size=batch_size)
    return ArrayData(x, y, sample_weight, batch_size, shuffle, class_weight, steps)


def _is_iterable_source(x) -> bool:
    if isinstance(x, (np.ndarray, torch.Tensor, TensorLike, list, tuple, dict)) or x is None:
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__getitem__")


def _reiterable(source) -> bool:
    return isinstance(source, torch.utils.data.DataLoader) or (
        hasattr(source, "__iter__") and not hasattr(source, "__next__"))


def _slice_all(structure, index):
    return nest.map(lambda v: None if v is None else v[index], structure)


def _first_device(structure):
    for leaf in nest.flatten(structure):
        if isinstance(leaf, torch.Tensor):
            return leaf.device
    return None


def _batch_shuffled(size, batch_size, x):
    starts = torch.randperm(math.ceil(size / batch_size), device=_first_device(x)) * batch_size
    return torch.cat([torch.arange(s, min(s + batch_size, size), device=starts.device) for s in starts.tolist()])


def _apply_class_weight(y, sample_weight, class_weight):
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for models with a single output.")
    labels = y
    if labels.dim() > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(-1)
    labels = labels.reshape(labels.shape[0], -1)[:, 0].long()
    table = torch.ones(int(max(max(class_weight), int(labels.max()))) + 1, device=labels.device)
    for key, weight in class_weight.items():
        table[int(key)] = float(weight)
    weights = table[labels]
    return weights if sample_weight is None else sample_weight * weights
