"""The training loop's hooks for a model whose strategy trains on several processes.

`fit`, `evaluate` and `predict` run inside the scope of the model's strategy (the one in
scope when the model was made, as Keras records it). While that strategy spans several
processes:

- the data adapters give each process its share of every batch (`sharding.py`);
- the training step forwards through DistributedDataParallel (`ddp.py`); a custom
  `train_step` runs with TF's replica semantics instead (`replica_step.py`);
- the logs the callbacks see are computed from the metrics' states summed over the
  processes (`metric_sync.py`), so every process reports the same numbers; values a custom
  test step returns are averaged (Keras's `"auto"` reduction);
- `predict` gathers every process's outputs, in sample order.

A process alone, or a model without a strategy, takes none of these paths.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping

import torch

from kerastorch.distribute import collectives, replica_step, sharding
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


def custom_train_step():
    """The scope of a custom `train_step`: on several processes, TF's replica semantics
    (`replica_step.py`: mean losses scaled, gradients summed); elsewhere nothing."""
    shard = sharding.current_shard()
    return replica_step.custom_step(shard[1]) if shard is not None else contextlib.nullcontext()


def reduced_results(metrics, logs: Mapping) -> Mapping:
    """`logs` (the lazy results of `metrics`) computed from the metrics' states summed over the processes."""
    return SyncedLogs(list(metrics), logs)


def averaged(logs):
    """The values a custom step returned, averaged over the processes (tensor values, nested
    dicts included): Keras's `"auto"` reduction of a step's per-replica outputs, the mean."""
    if sharding.current_shard() is None or not isinstance(logs, Mapping):
        return logs
    paths = list(_tensor_paths(logs))
    world = sharding.current_shard()[1]
    means = collectives.sum_tensors([_at(logs, path) for path in paths])
    return _replaced(logs, dict(zip(paths, (total / world for total in means))))


def _tensor_paths(logs: Mapping, prefix: tuple = ()):
    for key, value in logs.items():
        if isinstance(value, Mapping):
            yield from _tensor_paths(value, (*prefix, key))
        elif isinstance(value, torch.Tensor):
            yield (*prefix, key)


def _at(logs: Mapping, path: tuple):
    for key in path:
        logs = logs[key]
    return logs


def _replaced(logs: Mapping, values: dict, prefix: tuple = ()) -> dict:
    return {key: _replaced(value, values, (*prefix, key)) if isinstance(value, Mapping)
            else values.get((*prefix, key), value) for key, value in logs.items()}


def gathered(outputs: list) -> list:
    """`predict`'s per-batch outputs of this process, as one batch holding every process's outputs."""
    if sharding.current_shard() is None or not outputs:
        return outputs
    return [collectives.gather_batches(outputs)]
