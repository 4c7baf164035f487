"""Elements that are rows of stored tensors, described as a stream of row indices.

`from_tensor_slices` stores its tensors stacked; `take`, `skip`, `repeat`, `shuffle`
and `cache` then only reorder or cut the index stream, and `batch` turns consecutive
indices into one slice (a view) or one gather per tensor — never a per-element stack.
A stream is an iterator of chunks: a `range` (contiguous rows) or a 1-D int64 CPU tensor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch

from kerastorch.data import structure

GROUP = 4096  # indices per chunk a reordering stream hands on


class Rows:
    """A pass over `base` (a structure of tensors with a common first dimension) in the
    order `chunks()` gives (a fresh stream on every call)."""

    def __init__(self, base, chunks: Callable[[], Iterator]):
        self.base = base
        self.chunks = chunks

    def elements(self) -> Iterator:
        for index in indices(self.chunks()):
            yield structure.map_structure(lambda leaf, i=index: structure.rows(leaf, i), self.base)

    def with_chunks(self, chunks: Callable[[], Iterator]) -> Rows:
        return Rows(self.base, chunks)

    def batches(self, size: int, drop_remainder: bool) -> Iterator:
        """Batches of `size` rows: a slice of the base when the rows are contiguous."""
        for index in batch_indices(self.chunks(), size, drop_remainder):
            yield structure.map_structure(lambda leaf, i=index: structure.rows(leaf, i), self.base)


def chunk_length(chunk) -> int:
    return len(chunk) if isinstance(chunk, range) else int(chunk.shape[0])


def indices(chunks: Iterator) -> Iterator[int]:
    """The stream as Python ints."""
    for chunk in chunks:
        yield from chunk if isinstance(chunk, range) else chunk.tolist()


def grouped(ints: Iterator[int]) -> Iterator[torch.Tensor]:
    """Python ints as a stream of index tensors of `GROUP` entries."""
    group = []
    for i in ints:
        group.append(i)
        if len(group) == GROUP:
            yield torch.tensor(group, dtype=torch.int64)
            group = []
    if group:
        yield torch.tensor(group, dtype=torch.int64)


def window(chunks: Iterator, start: int, stop: int | None) -> Iterator:
    """The part of the stream from position `start` to `stop` (None: to the end)."""
    position = 0
    for chunk in chunks:
        if stop is not None and position >= stop:
            return
        length = chunk_length(chunk)
        low, high = max(start - position, 0), length if stop is None else min(stop - position, length)
        if low < high:
            yield chunk if (low, high) == (0, length) else chunk[low:high]
        position += length


def batch_indices(chunks: Iterator, size: int, drop_remainder: bool) -> Iterator:
    """Consecutive groups of `size` indices: a `slice` when contiguous, else an index tensor."""
    pending, count = [], 0
    for chunk in chunks:
        offset, length = 0, chunk_length(chunk)
        while offset < length:
            take = min(size - count, length - offset)
            pending.append(chunk[offset:offset + take])
            count += take
            offset += take
            if count == size:
                yield _joined(pending)
                pending, count = [], 0
    if pending and not drop_remainder:
        yield _joined(pending)


def _joined(pieces: list):
    if len(pieces) == 1 and isinstance(pieces[0], range):
        return slice(pieces[0].start, pieces[0].stop)
    return torch.cat([torch.arange(p.start, p.stop) if isinstance(p, range) else p for p in pieces])
