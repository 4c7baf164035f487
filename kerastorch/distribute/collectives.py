"""Collectives on torch tensors across the training processes (identities for a process alone).

Every process must call the same collectives in the same order: the training loop
calls these at points all processes reach together (the end of a step, of an epoch, of
`predict`), never from code that only the chief runs.
"""

from __future__ import annotations

import torch
import torch.distributed as dist

from kerastorch.distribute import cluster


def sum_tensors(tensors: list) -> list:
    """The elementwise sums over the processes of `tensors` (one all-reduce, in float64)."""
    return sum_tensors_async(tensors)()


def sum_tensors_async(tensors: list):
    """Starts `sum_tensors` on a snapshot of `tensors`; returns the function that waits for the sums."""
    if not cluster.connected() or not tensors:
        values = [t.detach().clone() for t in tensors]
        return lambda: values
    flat = torch.cat([t.detach().reshape(-1).to(torch.float64) for t in tensors])
    work = dist.all_reduce(flat, async_op=True)

    def sums() -> list:
        work.wait()
        pieces = flat.split([t.numel() for t in tensors])
        return [piece.reshape(t.shape).to(t.dtype) for piece, t in zip(pieces, tensors)]

    return sums


def differentiable_sum(value: torch.Tensor) -> torch.Tensor:
    """`value` summed over the processes, with the gradient of a sum (the gradients summed back)."""
    if not cluster.connected():
        return value
    from torch.distributed.nn.functional import all_reduce

    return all_reduce(value)


def reduce(op: str, value: torch.Tensor, axis) -> torch.Tensor:
    """`value` of every process summed (`"SUM"`) or averaged (`"MEAN"`), elementwise (`axis=None`)
    or also along `axis` (an average then counts the elements along it in every process)."""
    if axis is None:
        total, count = value, 1
    else:
        total, count = value.sum(dim=axis), value.shape[axis]
    if cluster.connected():
        total, count = sum_tensors([total, torch.tensor(float(count), device=value.device)])
    if op == "SUM":
        return total
    if not total.is_floating_point():  # TF's mean of integers divides as `truediv`: float64
        total = total.to(torch.float64)
    return total / count


def gather(value: torch.Tensor, axis: int) -> torch.Tensor:
    """Every process's `value` concatenated along `axis` in rank order (sizes along it may differ)."""
    if not cluster.connected():
        return value
    moved = value.movedim(axis, 0)
    sizes = _all_sizes(torch.tensor([moved.shape[0]], device=value.device))
    parts = _padded_gather(moved, int(sizes.max()))
    return torch.cat([part[:size] for part, size in zip(parts, sizes.reshape(-1).tolist())]).movedim(0, axis)


def gather_batches(batches: list) -> list:
    """The outputs of every process for each batch, in sample order.

    Args:
        batches: per batch, this process's outputs (a structure of torch tensors whose first
            axis is this process's share of the batch); every process has as many batches.

    Returns:
        One structure: per leaf, the batches' outputs of all processes, batch after batch and
        within a batch rank after rank (the order of the samples before sharding).
    """
    from kerastorch.keras.engine import nest

    leaves = [nest.flatten(batch) for batch in batches]
    columns = list(zip(*leaves))
    gathered = []
    for column in columns:
        device = column[0].device
        local = torch.cat(column)
        sizes = _all_sizes(torch.tensor([part.shape[0] for part in column], device=device))
        parts = _padded_gather(local, int(sizes.sum(dim=1).max()))
        offsets = [0] * len(parts)
        pieces = []
        for batch in range(len(column)):
            for rank, part in enumerate(parts):
                size = int(sizes[rank, batch])
                pieces.append(part[offsets[rank]:offsets[rank] + size])
                offsets[rank] += size
        gathered.append(torch.cat(pieces))
    return nest.pack_like(batches[0], gathered)


def broadcast_from_chief(value: torch.Tensor) -> torch.Tensor:
    """The chief's `value` (e.g. a shuffled order, so that every process reads the same batches)."""
    if cluster.connected():
        dist.broadcast(value, src=0)
    return value


def _all_sizes(local: torch.Tensor) -> torch.Tensor:
    """`local` (a 1-D int tensor, the same length everywhere) of every process, as rows."""
    rows = [torch.empty_like(local) for _ in range(cluster.world_size())]
    dist.all_gather(rows, local)
    return torch.stack(rows).cpu()


def _padded_gather(local: torch.Tensor, length: int) -> list:
    """Every process's `local`, padded along the first axis to `length` for the all-gather."""
    padded = local.new_zeros((length, *local.shape[1:]))
    padded[:local.shape[0]] = local
    parts = [torch.empty_like(padded) for _ in range(cluster.world_size())]
    dist.all_gather(parts, padded)
    return parts
