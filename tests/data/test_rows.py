"""Index streams: windows over chunks and batches as slices or gathers."""

import pytest
import torch

from kerastorch.data import rows


def _as_lists(items) -> list:
    return [list(range(i.start, i.stop)) if isinstance(i, slice) else
            list(i) if isinstance(i, range) else i.tolist() for i in items]


@pytest.mark.parametrize(("start", "stop", "expected"), [(0, None, list(range(8))), (2, 6, [2, 3, 4, 5]),
                                                          (5, None, [5, 6, 7]), (9, None, []), (0, 0, [])], ids=str)
def test_window(start, stop, expected):
    chunks = [range(0, 3), torch.tensor([3, 4, 5]), range(6, 8)]
    assert sum(_as_lists(rows.window(iter(chunks), start, stop)), []) == expected


def test_batches_inside_a_range_are_slices():
    out = list(rows.batch_indices(iter([range(10)]), 4, drop_remainder=False))
    assert [type(b) for b in out] == [slice, slice, slice]
    assert _as_lists(out) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_batches_across_chunks_are_gathered():
    out = list(rows.batch_indices(iter([range(3), torch.tensor([9, 8]), range(3)]), 4, drop_remainder=True))
    assert [type(b) for b in out] == [torch.Tensor, torch.Tensor]
    assert _as_lists(out) == [[0, 1, 2, 9], [8, 0, 1, 2]]


def test_grouped_and_indices_round_trip():
    ints = list(range(rows.GROUP + 5))
    groups = list(rows.grouped(iter(ints)))
    assert [len(g) for g in groups] == [rows.GROUP, 5]
    assert list(rows.indices(iter(groups))) == ints
