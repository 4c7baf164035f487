"""What the callbacks that watch one logged quantity share (Keras's `MonitorCallback`).

The direction of improvement comes from `mode`, or in `"auto"` mode from the name:
`loss` (and `val_loss`) go down, a compiled metric goes the way its `_direction` says
(`"up"` or `"down"`). Values are compared as Keras compares them with `ops.less` /
`ops.greater`: a Python number as float32, a numpy value in its dtype, the two then
promoted (float32 with float64 compares in float64).
"""

from __future__ import annotations

import warnings

import numpy as np

from kerastorch.keras.callbacks.callback import Callback
from kerastorch.keras.utils.progbar import to_host


def _keras_scalar(value):
    value = to_host(value)
    # Keras converts each operand on its own: a Python number becomes a float32 tensor, a
    # numpy value keeps its dtype (np.float64 is a float subclass, hence the exact type).
    return np.float32(value) if type(value) in (int, float) else value


def _compare(op, a, b) -> bool:
    return bool(op(_keras_scalar(a), _keras_scalar(b)))


def less(a, b) -> bool:
    """`a < b` as Keras's `ops.less` decides it for two logged values."""
    return _compare(np.less, a, b)


def greater(a, b) -> bool:
    """`a > b` as Keras's `ops.greater` decides it for two logged values."""
    return _compare(np.greater, a, b)


class MonitorCallback(Callback):
    """A callback watching `logs[monitor]` for improvements.

    Args:
        monitor: the logged quantity, e.g. `"val_loss"`.
        mode: `"min"`, `"max"` or `"auto"` (an unknown mode warns and means `"auto"`).
        baseline: the value to beat at first (None: anything is an improvement).
        min_delta: the smallest change that counts as an improvement.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: float | None = None,
                 min_delta: float = 0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                          stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = less
        elif self.mode == "max":
            self.monitor_op = greater
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = less
            for metric in _compiled_metrics(self.model):
                if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                    self.monitor_op = greater if metric._direction == "up" else less
            if self.monitor_op is None:
                raise ValueError(f"{type(self).__name__} callback received monitor={self.monitor}, but Keras "
                                 "isn't able to automatically determine whether that metric should be "
                                 "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                                 "highest metric value, or pass `mode='min'` in order to use the lowest value.")
        if self.monitor_op is less:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        if reference_value is None:
            return True
        return self.monitor_op(monitor_value - self.min_delta, reference_value)


def _compiled_metrics(model) -> list:
    """The model's metric objects, containers (with a `metrics` list) opened."""
    found = []
    for metric in getattr(model, "metrics", None) or ():
        inner = getattr(metric, "metrics", None)
        found.extend(inner if isinstance(inner, (list, tuple)) else [metric])
    return found
