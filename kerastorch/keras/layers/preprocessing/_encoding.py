"""Integer indices to one-hot, multi-hot and count vectors (Keras's categorical encoding)."""

from __future__ import annotations

import torch

from kerastorch.framework import dtypes


def encode(indices: torch.Tensor, output_mode: str, depth: int, dtype, count_weights=None) -> torch.Tensor:
    """Encodes int `indices` as Keras's `encode_categorical_inputs` does.

    Args:
        indices: an integer tensor; values outside `[0, depth)` are dropped (TF's
            bincount ignores them; the lookup layers mark mask tokens that way).
        output_mode: `"int"` (a cast), `"one_hot"` (the last axis is replaced by the
            encoding when it has size 1, else one is appended), `"multi_hot"` or
            `"count"` (the last axis is summarized into `depth` bins).
        depth: the number of bins.
        dtype: the output dtype (a name or DType).
        count_weights: optional per-index weights for `"count"` (the output takes their dtype).
    """
    target = dtypes.as_dtype(dtype)._torch
    if output_mode == "int":
        return indices.to(target)
    if indices.dim() == 0:
        indices = indices.unsqueeze(-1)
    if output_mode == "one_hot":
        if indices.dim() > 1 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        indices = indices.unsqueeze(-1)
    indices = indices.long()
    valid = (indices >= 0) & (indices < depth)
    if count_weights is not None:
        target = count_weights.dtype
        values = torch.where(valid, count_weights.expand_as(indices), 0).to(target)
    else:
        values = valid.to(target)
    out = torch.zeros((*indices.shape[:-1], depth), dtype=target, device=indices.device)
    out = out.scatter_add(-1, torch.where(valid, indices, 0), values)
    if output_mode in ("multi_hot", "one_hot"):
        out = (out > 0).to(target)
    return out
