"""Keras masks: a boolean tensor riding on a layer's output (`output._keras_mask`).

The mask is kept on the torch tensor itself (torch tensors take attributes), so it
survives the facade's wrap/unwrap in both directions; `Tensor._keras_mask` reads it
back as a Tensor, as TF users do.
"""

from __future__ import annotations

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import Tensor, wrap


def get_mask(raw):
    """The mask on a torch tensor, or None."""
    return getattr(raw, "_keras_mask", None) if isinstance(raw, torch.Tensor) else None


def set_mask(raw, mask) -> None:
    """Puts `mask` (a torch bool tensor or None) on the torch tensor `raw`."""
    if isinstance(raw, torch.Tensor):
        raw._keras_mask = mask


def _read(tensor: Tensor):
    mask = get_mask(tensor._t)
    return None if mask is None else wrap(mask)


def _write(tensor: Tensor, mask) -> None:
    set_mask(tensor._t, None if mask is None else unwrap(mask))


Tensor._keras_mask = property(_read, _write)
