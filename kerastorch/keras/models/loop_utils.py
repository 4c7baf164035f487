"""Helpers of the training loops: batches grouped per execution, the logs fit hands to
callbacks (read from the device only when asked), and conversions to the host."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import nest
from kerastorch.keras.models import data_adapter
from kerastorch.keras.models.compile_utils import CompileMetrics


def packed(batch):
    """A batch as Keras hands it to a step: `x`, `(x, y)` or `(x, y, sample_weight)`."""
    x, y, sample_weight = batch
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def executions(batches, per_execution: int):
    """`(first step, last step, batches)` per execution of `steps_per_execution` steps: the
    callbacks see one batch per execution, numbered as Keras numbers them (the last
    execution of an epoch ends at `first + per_execution - 1` even when it is shorter)."""
    group, begin = [], 0
    for step, batch in enumerate(batches):
        if not group:
            begin = step
        group.append(batch)
        if len(group) == per_execution:
            yield begin, begin + per_execution - 1, group
            group = []
    if group:
        yield begin, begin + per_execution - 1, group


def should_validate(epoch: int, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, list):
        return epoch + 1 in validation_freq
    raise ValueError(f"Expected `validation_freq` to be a list or int. Received: validation_freq={validation_freq} "
                     f"of the type {type(validation_freq)}.")


def callback_list(callbacks, **kwargs):
    from kerastorch.keras import callbacks as callbacks_module

    if isinstance(callbacks, callbacks_module.CallbackList):
        return callbacks
    return callbacks_module.CallbackList(callbacks, **kwargs)


class LazyLogs(Mapping):
    """Batch logs whose values (device tensors) are computed only when a callback reads them:
    the progress bar does at each refresh, History at the end of an epoch. Keys are sorted
    and the compiled metrics appear under their result names, as in Keras's logs."""

    def __init__(self, metrics: list):
        self._metrics = {}
        for metric in metrics:
            if isinstance(metric, CompileMetrics):
                self._metrics.update(zip(metric.names, metric.metrics))
            else:
                self._metrics[metric.name] = metric
        self._keys = sorted(self._metrics)

    def __getitem__(self, key):
        return self._metrics[key].raw_result()

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def raw(x):
    return nest.map(lambda v: v if v is None else data_adapter.to_device(v), x)


def facade(x):
    return wrap(x) if isinstance(x, torch.Tensor) else x


def to_host(logs) -> dict:
    """The epoch's logs as Python floats, nesting and order kept (the callbacks flatten and sort
    them as Keras's `pythonify_logs` does): the one host sync of an epoch."""
    values = {}
    for key in logs:
        value = logs[key]
        if value is not None:
            values[key] = to_host(value) if isinstance(value, Mapping) else float(value)
    return values


def batch_size(x) -> int:
    for leaf in nest.flatten(x):
        if hasattr(leaf, "shape") and len(leaf.shape):
            return int(leaf.shape[0])
    return 1


def numpy(x):
    if isinstance(x, torch.Tensor):
        return host_array(x.detach())
    return np.asarray(x)


def concat(parts: list):
    if isinstance(parts[0], torch.Tensor):
        return host_array(torch.cat([p.detach() for p in parts]))
    return np.concatenate([np.asarray(p) for p in parts])


def host_array(raw: torch.Tensor) -> np.ndarray:
    # numpy has no bfloat16 (a mixed_bfloat16 model's outputs): float32 holds its values exactly.
    return (raw.float() if raw.dtype is torch.bfloat16 else raw).cpu().numpy()
