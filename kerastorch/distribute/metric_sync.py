"""The metrics' results over all processes: their states summed (Keras's metric variables
aggregate by sum, the loss tracker's total and count too), then the results computed.

Every process starts the all-reduce of a snapshot of the states at the same points (the
end of each step, of an epoch, of `evaluate`), asynchronously: the all-reduce runs while
the next step computes, and a reader (the progress bar at its refresh, the end of the
epoch) waits only for it. Reading starts no collective, so it is safe wherever it happens
(in the chief alone, or in a callback only one process has). To read, the summed states
are put into the metrics, the results computed and the metrics' own states put back.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

from kerastorch.distribute import collectives


class SyncedLogs(Mapping):
    """Logs whose values are the metrics' results over all processes, computed at the first read.

    Args:
        metrics: the metrics (Keras metrics and loss trackers) behind `logs`.
        logs: the lazy mapping of this process's results, read with the summed states.
    """

    def __init__(self, metrics, logs: Mapping):
        self._logs = logs
        self._states = _states(metrics)
        self._totals = collectives.sum_tensors_async([state.read() for state in self._states])
        self._values = None

    def __getitem__(self, key):
        if self._values is None:
            self._values = self._compute()
        return self._values[key]

    def __iter__(self):
        return iter(self._logs)

    def __len__(self) -> int:
        return len(self._logs)

    def _compute(self) -> dict:
        saved = [state.swap(total) for state, total in zip(self._states, self._totals())]
        try:
            return {key: _fresh(self._logs[key]) for key in self._logs}
        finally:
            for state, value in zip(self._states, saved):
                state.swap(value)


def _fresh(value):
    # A result may be a state tensor itself (a sum): copy it before the state is put back.
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    return value.clone() if isinstance(value, torch.Tensor) else value


def _states(metrics) -> list:
    from kerastorch.keras.models.compile_utils import MeanTracker

    states, seen = [], set()
    for metric in metrics:
        if isinstance(metric, MeanTracker):
            if metric.total is not None:  # None alike in every process: they ran the same steps
                states.append(_TrackerState(metric))
            continue
        for variable in metric.variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                states.append(_VariableState(variable))
    return states


class _VariableState:
    """A metric variable: read, and replaced in place (and back)."""

    def __init__(self, variable):
        self._param = variable._param

    def read(self) -> torch.Tensor:
        return self._param.detach()

    def swap(self, value: torch.Tensor) -> torch.Tensor:
        old = self._param.detach().clone()
        with torch.no_grad():
            self._param.copy_(value)
        return old


class _TrackerState:
    """A loss tracker's total and count (the count may be a Python number)."""

    def __init__(self, tracker):
        self._tracker = tracker

    def read(self) -> torch.Tensor:
        total = self._tracker.total
        return torch.stack([total.detach().to(torch.float64).reshape(()),
                            torch.as_tensor(self._tracker.count, dtype=torch.float64, device=total.device)])

    def swap(self, value) -> tuple:
        tracker = self._tracker
        old = (tracker.total, tracker.count)
        if isinstance(value, tuple):
            tracker.total, tracker.count = value
        else:
            tracker.total, tracker.count = value[0].to(tracker.total.dtype), value[1].to(tracker.total.dtype)
        return old
