"""The training loop's hooks for a model whose strategy trains on several processes.

`fit`, `evaluate` and `predict` run inside the scope of the model's strategy (the one in
scope when the model was made, as Keras records it). While that strategy spans several
processes:

- the data adapters give each process its share of every batch (`sharding.py`);
- the training step forwards through DistributedDataParallel (`ddp.py`);
- the logs the callbacks see are computed from the metrics' states summed over the
  processes (`metric_sync.py`), so every process reports the same numbers; values a custom
  test step returns are averaged (Keras's `"auto"` reduction);
- `predict` gathers every process's outputs, in sample order.

A process alone, or a model without a strategy, takes none of these paths.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import torch

from kerastorch.distribute import collectives, sharding
from kerastorch.distribute.ddp import ReplicatedModel
from kerastorch.distribute.metric_sync import SyncedLogs
from kerastorch.distribute.strategy import get_strategy, has_strategy


def strategy_at_creation():
    """The strategy a model made now belongs to: the one in scope, or None (Keras's rule)."""
    return get_strategy() if has_strategy() else None


def in_strategy_scope(method):
    """Runs a `fit`/`evaluate`/`predict`-like method inside the scope of the model's strategy."""

    @functools.wraps(method)
    def run(model, *args, **kwargs):
        strategy = model.__dict__.get("_distribute_strategy")
        if strategy is None:
            return method(model, *args, **kwargs)
        with strategy.scope():
            return method(model, *args, **kwargs)

    return run


def spans_processes() -> bool:
    """Whether the strategy in scope trains on several processes."""
    return sharding.current_shard() is not None


def replicated(model) -> ReplicatedModel | None:
    """The model's DDP wrapper while its strategy trains on several processes, else None."""
    if sharding.current_shard() is None:
        return None
    wrapper = model.__dict__.get("_replicated")
    if wrapper is None:
        wrapper = model.__dict__["_replicated"] = ReplicatedModel(model)
    return wrapper


def check_train_step(model) -> None:
    """Refuses a custom `train_step` on several processes: its gradients (from a GradientTape)
    would not pass through DDP, and the processes' weights would drift apart."""
    if sharding.current_shard() is not None:
        raise NotImplementedError(
            f"kerastorch trains a model with a custom `train_step` on one process only: its gradients "
            f"would not be averaged across the {sharding.current_shard()[1]} processes. Use the built-in "
            f"`train_step`, with the custom computation in the model's `call` or in a loss.")


def reduced_results(metrics, logs: Mapping) -> Mapping:
    """`logs` (the lazy results of `metrics`) computed from the metrics' states summed over the processes."""
    return SyncedLogs(list(metrics), logs)


def averaged(logs):
    """The values a custom step returned, averaged over the processes (tensor values only)."""
    if sharding.current_shard() is None or not isinstance(logs, Mapping):
        return logs
    keys = [key for key in logs if isinstance(logs[key], torch.Tensor)]
    world = sharding.current_shard()[1]
    means = [total / world for total in collectives.sum_tensors([logs[key] for key in keys])]
    return {**logs, **dict(zip(keys, means))}


def gathered(outputs: list) -> list:
    """`predict`'s per-batch outputs of this process, as one batch holding every process's outputs."""
    if sharding.current_shard() is None or not outputs:
        return outputs
    return [collectives.gather_batches(outputs)]
