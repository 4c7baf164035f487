"""`Dataset.shuffle`: TF's buffer shuffle, seeded by TF's rules.

The buffer holds the next `buffer_size` elements; each output is drawn uniformly from
it and its place is refilled from the input, so an element moves at most
`buffer_size - 1` places ahead. The draws come from a torch generator of the
dataset's own, seeded from TF's `(global seed, op seed)` pair when there is one, so a
seeded pipeline repeats exactly (TF's own order cannot be matched: another RNG). The
same code shuffles row indices (`rows.py`) and generic elements, so a dataset gives the
same order whether or not it is batched afterwards.
"""

from __future__ import annotations

import torch

from kerastorch.data import rows as _rows
from kerastorch.data.dataset import UNKNOWN_CARDINALITY, Dataset
from kerastorch.framework.errors import InvalidArgumentError, kernel_error
from kerastorch.ops import random_ops

_DRAWS = 1024  # uniform numbers drawn from the generator at a time
_END = object()


def _uniforms(generator: torch.Generator):
    while True:
        yield from torch.rand(_DRAWS, dtype=torch.float64, generator=generator).tolist()


def shuffled(items, buffer_size: int | None, generator: torch.Generator):
    """The items in buffer-shuffled order (`buffer_size` None: one buffer for everything)."""
    items = iter(items)
    draws = _uniforms(generator)
    buffer = []
    for item in items:
        buffer.append(item)
        if buffer_size is not None and len(buffer) == buffer_size:
            break
    while buffer:
        pick = int(next(draws) * len(buffer))
        chosen = buffer[pick]
        refill = next(items, _END)
        if refill is _END:
            buffer[pick] = buffer[-1]
            buffer.pop()
        else:
            buffer[pick] = refill
        yield chosen


class _ShuffleDataset(Dataset):
    """`Dataset.shuffle` (see the module doc)."""

    def __init__(self, parent: Dataset, buffer_size, seed=None, reshuffle_each_iteration: bool = True):
        size = int(buffer_size)
        if size <= 0 and size != UNKNOWN_CARDINALITY:
            raise kernel_error(InvalidArgumentError, "buffer_size must be greater than zero or "
                               "UNKNOWN_CARDINALITY", "ShuffleDatasetV3")
        self._parent = parent
        self._buffer_size = None if size == UNKNOWN_CARDINALITY else size
        pair = random_ops.get_seed(seed)
        self._seed = None if pair[0] is None else random_ops.mix_seeds(*pair)
        if self._seed is None:
            self._seed = torch.Generator().seed()  # drawn once: the order of each pass is still fresh
        self._reshuffle = reshuffle_each_iteration
        self._generator = torch.Generator().manual_seed(self._seed)

    def _spec(self):
        return self._parent.element_spec

    def _cardinality(self) -> int:
        return self._parent._cardinality()

    def _pass_generator(self) -> torch.Generator:
        """The draws of one pass: a stream that goes on across passes, or the same every pass."""
        if self._reshuffle:
            return self._generator
        return torch.Generator().manual_seed(self._seed)

    def _rows(self, device):
        rows = self._parent._rows(device)
        if rows is None:
            return None
        return rows.with_chunks(lambda: _rows.grouped(
            shuffled(_rows.indices(rows.chunks()), self._buffer_size, self._pass_generator())))

    def _elements(self, device):
        return shuffled(self._parent._raw(device), self._buffer_size, self._pass_generator())
