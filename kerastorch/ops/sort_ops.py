"""Sorting and selection: `tf.sort`, `tf.argsort`, `tf.math.top_k`, `tf.unique`, …

TF's orders are kept: sorts are stable (equal values keep their input order), `top_k`
lists the lower index first among equal values, NaN counts as the largest value, and
`unique` lists values in the order they first appear.
"""

from __future__ import annotations

import collections

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, _wrap_strings, wrap
from kerastorch.ops._util import SIGNED, OpDef, legacy_name, wrapped_error

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])

_TOP_K = OpDef("TopKV2", "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64",
               "input:T, k:Tk -> values:T, indices:index_type",
               "attr=sorted:bool,default=true; {T}; "
               "attr=Tk:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
               "attr=index_type:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, DT_INT64]")
_IN_TOP_K = OpDef("InTopKV2", "int32, int64", "predictions:float, targets:T, k:T -> precision:bool",
                  "attr=T:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]")
# TF sorts ascending by negating and taking top_k, so Neg's types (plus unsigned) come first.
_NEG = OpDef("Neg", SIGNED)
_INDEX_TYPES = (torch.int16, torch.int32, torch.int64)
_DIRECTIONS = ("ASCENDING", "DESCENDING")


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None) -> TopKV2:  # noqa: A002
    """The `k` largest entries along the last axis, largest first, and their indices.

    Args:
        input: a real tensor of rank >= 1.
        k: how many entries to keep (0 <= k <= size of the last axis).
        sorted: TF leaves the order open when False; the result is sorted either way.
        index_type: dtype of the indices, int32 (default), int16 or int64.

    Returns:
        `TopKV2(values, indices)`.
    """
    raw = unwrap(input)
    _TOP_K.check(raw)
    out = dtypes.as_dtype(index_type)._torch
    if out not in _INDEX_TYPES:
        raise _TOP_K.error("index_type", legacy_name(out), "int16, int32, int64")
    k = int(k)
    if raw.ndim == 0:
        raise wrapped_error(InvalidArgumentError, "TopKV2", raw, "input must be >= 1-D, got shape []")
    if k < 0:
        raise wrapped_error(InvalidArgumentError, "TopKV2", raw, f"Need k >= 0, got {k}")
    if k > raw.shape[-1]:
        raise wrapped_error(InvalidArgumentError, "TopKV2", raw,
                            f"input must have at least k columns. Had {raw.shape[-1]}, needed {k}")
    # A stable sort, not torch.topk: TF puts the lower index first among equal values.
    values, indices = torch.sort(raw, dim=-1, descending=True, stable=True)
    return TopKV2(wrap(values[..., :k]), wrap(indices[..., :k].to(out)))


def in_top_k(targets, predictions, k, name=None) -> Tensor:
    """Whether each row's target class is among the `k` highest predictions of that row.

    Ties count for the target (fewer than `k` values strictly greater is enough); a row
    with a non-finite prediction, or a target out of range, gives False.

    Args:
        targets: int32/int64 class indices, shape `(batch,)`.
        predictions: float32 scores, shape `(batch, classes)`.
        k: how many top classes count.
    """
    scores = unwrap(predictions)
    labels = unwrap(targets)
    if scores.dtype is not torch.float32:
        raise op_error(InvalidArgumentError, "cannot compute InTopKV2 as input #0(zero-based) was expected "
                       f"to be a float tensor but is a {legacy_name(scores.dtype)} tensor", "InTopKV2")
    _IN_TOP_K.check(labels)
    if labels.shape[0] != scores.shape[0]:
        raise wrapped_error(InvalidArgumentError, "InTopKV2", scores, f"First dimension of predictions "
                            f"{scores.shape[0]} must match length of targets {labels.shape[0]}")
    classes = scores.shape[1]
    in_range = (labels >= 0) & (labels < classes)
    picked = torch.gather(scores, 1, labels.clamp(0, max(classes - 1, 0)).long()[:, None])
    better = torch.sum(scores > picked, dim=1)
    finite = torch.all(torch.isfinite(scores), dim=1)
    return wrap(in_range & finite & (better < int(k)))


def sort(values, axis=-1, direction="ASCENDING", name=None) -> Tensor:
    """`values` sorted along `axis` (stable; NaN last when ascending).

    Args:
        direction: `"ASCENDING"` or `"DESCENDING"` (upper case, as TF requires).
    """
    raw, axis, descending = _sort_args(values, axis, direction)
    return wrap(torch.sort(raw, dim=axis, descending=descending, stable=True).values)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None) -> Tensor:
    """The int32 indices that sort `values` along `axis`; always stable (TF's CPU order)."""
    raw, axis, descending = _sort_args(values, axis, direction)
    return wrap(torch.sort(raw, dim=axis, descending=descending, stable=True).indices.to(torch.int32))


def _sort_args(values, axis, direction):
    if direction not in _DIRECTIONS:
        raise ValueError(f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. "
                         f"Received: direction={direction}")
    raw = unwrap(values)
    descending = direction == "DESCENDING"
    if not descending and raw.dtype is not torch.uint8:
        _NEG.check(raw)
    _TOP_K.check(raw)
    axis = int(axis)
    if not -raw.ndim <= axis < raw.ndim:
        shown = axis + raw.ndim if axis < 0 else axis
        # TF fails here in the strided slice that reads the axis' length.
        error = wrapped_error(InvalidArgumentError, "StridedSlice", raw,
                              f"slice index {shown} of dimension 0 out of bounds.")
        raise InvalidArgumentError(None, None, error.message + "strided_slice/")
    return raw, axis, descending


def unique(x, out_idx=dtypes.int32, name=None) -> Unique:
    """The distinct values of a 1-D tensor in order of first appearance, and each element's index.

    Returns:
        `Unique(y, idx)` with `x == tf.gather(y, idx)`; `idx` has dtype `out_idx`.
    """
    y, idx, _ = _unique(x, out_idx)
    return Unique(y, idx)


def unique_with_counts(x, out_idx=dtypes.int32, name=None) -> UniqueWithCounts:
    """As `unique`, plus how often each distinct value occurs (`count`, dtype `out_idx`)."""
    return UniqueWithCounts(*_unique(x, out_idx))


def _unique(x, out_idx):
    raw = unwrap(x)
    index_type = dtypes.as_dtype(out_idx)
    if raw.ndim != 1:
        raise wrapped_error(InvalidArgumentError, "Unique", raw, "unique expects a 1D vector.")
    if type(raw) is np.ndarray:
        values, first, inverse, counts = np.unique(raw, return_index=True, return_inverse=True,
                                                   return_counts=True)
        order = np.argsort(first, kind="stable")
        rank = np.argsort(order, kind="stable")
        idx = torch.from_numpy(rank[inverse.reshape(-1)]).to(index_type._torch)
        count = torch.from_numpy(counts[order]).to(index_type._torch)
        return _wrap_strings(values[order]), wrap(idx), wrap(count)
    values, inverse, counts = torch.unique(raw, sorted=True, return_inverse=True, return_counts=True)
    # torch lists the values sorted; TF in order of first appearance.
    positions = torch.arange(raw.shape[0], device=raw.device)
    first = torch.full_like(values, raw.shape[0], dtype=torch.int64).scatter_reduce(
        0, inverse, positions, "amin")
    order = torch.argsort(first)
    rank = torch.argsort(order)
    return (wrap(values[order]), wrap(rank[inverse].to(index_type._torch)),
            wrap(counts[order].to(index_type._torch)))
