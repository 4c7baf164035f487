"""The gradient and weight transforms around an update, on lists of torch tensors.

Each runs a few foreach ops over all the tensors at once and never reads the device.
Gradients are never changed in place: they may be a user's tensors.
"""

from __future__ import annotations

import numpy as np
import torch


def clip_by_norm(grads: list, clipnorm: float) -> list:
    """Each gradient scaled to norm at most `clipnorm` (`tf.clip_by_norm`: `g * c / max(|g|, c)`)."""
    norms = torch._foreach_norm(grads)
    torch._foreach_maximum_(norms, clipnorm)
    clipped = torch._foreach_mul(grads, clipnorm)
    torch._foreach_div_(clipped, norms)
    return clipped


def clip_by_global_norm(grads: list, clipnorm: float) -> list:
    """All gradients scaled together so that their global norm is at most `clipnorm`.

    As Keras: `scale = c * min(1 / norm, 1 / c) + (norm - norm)`, so an infinite or NaN
    norm makes every gradient NaN instead of silently zero.
    """
    norms = torch._foreach_norm(grads)
    total = torch.linalg.vector_norm(torch.stack(norms))
    scale = clipnorm * torch.clamp(total.reciprocal(), max=1.0 / clipnorm) + (total - total)
    return torch._foreach_mul(grads, scale)


def clip_by_value(grads: list, clipvalue: float) -> list:
    """Each gradient element clipped to `[-clipvalue, clipvalue]`."""
    clipped = torch._foreach_clamp_min(grads, -clipvalue)
    torch._foreach_clamp_max_(clipped, clipvalue)
    return clipped


def clip(optimizer, grads: list) -> list:
    """The optimizer's clipping (`clipnorm`, else `global_clipnorm`, else `clipvalue`), as Keras."""
    if optimizer.clipnorm and optimizer.clipnorm > 0:
        return clip_by_norm(grads, optimizer.clipnorm)
    if optimizer.global_clipnorm and optimizer.global_clipnorm > 0:
        return clip_by_global_norm(grads, optimizer.global_clipnorm)
    if optimizer.clipvalue and optimizer.clipvalue > 0:
        return clip_by_value(grads, optimizer.clipvalue)
    return grads


def decay_weights(params: list, weight_decay: float, lr: float) -> None:
    """Decoupled weight decay before the update: `w -= w * weight_decay * lr`."""
    if params:
        decay = torch._foreach_mul(params, weight_decay)
        torch._foreach_mul_(decay, lr)
        torch._foreach_sub_(params, decay)


def update_average(averages: list, params: list, momentum: float) -> None:
    """`average = momentum * average + (1 - momentum) * w` (the EMA of the weights, momentum in float32)."""
    momentum = np.float32(momentum)
    torch._foreach_mul_(averages, float(momentum))
    torch._foreach_add_(averages, torch._foreach_mul(params, float(1 - momentum)))
