"""A custom `train_step` on several processes, with the semantics of TF's MirroredStrategy.

TF runs a model's own `train_step` on every replica and keeps the replicas equal this way:

- a Keras loss reduced to a mean (`"sum_over_batch_size"`, `"mean"`, …) is scaled by
  `1 / num_replicas_in_sync` (Keras's `scale_loss_for_distribution`), as are the layers'
  own losses that `compute_loss` adds;
- `optimizer.apply_gradients` sums the replicas' gradients before the update.

So a step built on `self.compute_loss` (or on Keras losses) updates with the mean of the
replicas' gradients (the single-process step on the global batch, for equal shares),
while a hand-made mean (`tf.reduce_mean`) is not scaled and its summed gradients are
`num_replicas` times larger: both as on TF. The values the step records in its metrics
are the scaled ones, as TF records them too (the compiled loss's per-output trackers
record them unscaled, as Keras does).

The built-in step does not take this path: it averages through DistributedDataParallel.
"""

from __future__ import annotations

import contextlib
import functools

import torch
import torch.distributed as dist

_replicas = [1]  # the processes the running custom step spans (1: no custom step on several)


@contextlib.contextmanager
def custom_step(replicas: int):
    """The scope of one custom training step run on `replicas` processes."""
    _replicas.append(replicas)
    try:
        yield
    finally:
        _replicas.pop()


def replicas() -> int:
    """The processes the running custom step spans (1 outside a custom step on several)."""
    return _replicas[-1]


def loss_scale() -> float | None:
    """The factor of a mean loss (`1 / replicas`) inside a custom step on several processes, else None."""
    replicas = _replicas[-1]
    return 1.0 / replicas if replicas > 1 else None


def summed_gradients(grads: list) -> list:
    """`grads` (torch tensors or None) summed over the processes inside a custom step, else as they are."""
    if _replicas[-1] == 1:
        return grads
    present = [g for g in grads if g is not None]
    if not present:
        return grads
    dtype = functools.reduce(torch.promote_types, (g.dtype for g in present))
    flat = torch.cat([g.reshape(-1).to(dtype) for g in present])
    dist.all_reduce(flat)
    pieces = iter(flat.split([g.numel() for g in present]))
    return [None if g is None else next(pieces).reshape(g.shape).to(g.dtype) for g in grads]
