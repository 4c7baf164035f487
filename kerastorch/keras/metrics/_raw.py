"""Torch-tensor helpers the metrics share: Keras's rank matching, masks, safe division.

Also the table of public metric functions: `public(raw_fn, *names)` makes the
kerastorch-tensor form of a torch function and records the pair in `RAW_FUNCTIONS`,
so that a `MeanMetricWrapper` given the public function computes on torch tensors.
Boolean matches of a torch form come out of the public form as floatx.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import config

RAW_FUNCTIONS = {}  # public metric function -> the same function on torch tensors


def public(raw_fn: Callable, *names: str) -> Callable:
    """The kerastorch-tensor form of the torch function `raw_fn` (same name and signature),
    exported under Keras's `names` (e.g. `"keras.metrics.mse"`) if any."""

    @functools.wraps(raw_fn)
    def fn(y_true, y_pred, *args, **kwargs):
        result = raw_fn(unwrap(y_true), unwrap(y_pred), *args, **kwargs)
        return wrap(result.to(floatx()) if result.dtype == torch.bool else result)

    RAW_FUNCTIONS[fn] = raw_fn
    return ser.keras_export(*names)(fn) if names else fn


def floatx() -> torch.dtype:
    """`keras.config.floatx()` as a torch dtype."""
    return dtypes.as_dtype(config.floatx())._torch


def as_float(x: torch.Tensor) -> torch.Tensor:
    """`x` itself if floating, else cast to floatx (Keras's ops promote ints so)."""
    return x if x.is_floating_point() else x.to(floatx())


def squeeze_or_expand(x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True):
    """Keras's `squeeze_or_expand_to_same_rank`: fix a rank difference of one trailing 1-dim."""
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype: torch.dtype):
    """A Keras mask folded into the sample weights (the "sum" reduction's rule)."""
    if mask is None:
        return sample_weight
    float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand(float_mask, sample_weight.to(dtype))
    return sample_weight * float_mask


def divide_no_nan(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """`x / y`, 0 where `y` is 0 (TF's `divide_no_nan`)."""
    return torch.where(y == 0, 0.0, x / y)
