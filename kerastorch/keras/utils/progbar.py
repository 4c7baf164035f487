"""`keras.utils.Progbar`: Keras 3's progress bar, byte for byte.

Values may be Python numbers, numpy values or 0-d torch tensors (on any device): a
tensor is read on the host only when a line is drawn, at most once per `interval`
seconds, so a training loop that updates the bar every step does not wait on the
device in between. `ProgbarLogger` passes the logs mapping itself (`values` a Mapping):
then nothing of it is read until a line is drawn.

Where the line goes: on a terminal (or in a notebook) the bar is redrawn in place with
`\\r`, as Keras does. When stdout is not a terminal (a log file, a pipe) only the final
line of each bar is written, so logs are not flooded; Keras 3.15 on Linux/macOS redraws
with `\\r` there too (it treats every POSIX system as a terminal).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable, Mapping

import numpy as np
import torch

from kerastorch.keras import _serialization as ser

_NOTHING = frozenset()


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes `message` to stdout and flushes it, as Keras's `io_utils.print_msg`."""
    message = f"{message}\n" if line_break else str(message)
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        # A stream that cannot encode the bar's "━" gets Keras 2's "=" instead.
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(message.replace("━", "=").encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()


def is_dynamic_display() -> bool:
    """Whether stdout can redraw a line in place (a terminal, a notebook, PyCharm's console)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty()) or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def to_host(value):
    """A log value as Keras displays it: a tensor becomes a Python float (or a numpy array)."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        return value.item() if value.dim() == 0 else value.cpu().numpy()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        return to_host(value.numpy())
    return value


@ser.keras_export("keras.utils.Progbar")
class Progbar:
    """Displays a progress bar.

    If neither `stateful_metrics` nor `stateless_metrics` is given, every value is
    averaged over the steps before display.

    Args:
        target: the total number of steps, None if unknown.
        width: the bar's width in characters.
        verbose: 0 (silent), 1 (a live bar) or 2 (one line when done).
        interval: the minimum time between two redraws, in seconds.
        stateful_metrics: names of values displayed as given (all others averaged).
        stateless_metrics: names of values averaged (all others displayed as given).
            Give at most one of the two.
        unit_name: what a step is called in the display (`"step"`, `"sample"`).

    Example:
        >>> bar = tf.keras.utils.Progbar(10)
        >>> for step in range(10):
        ...     bar.update(step + 1, [("loss", 0.5)])
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Iterable[str] | None = None, stateless_metrics: Iterable[str] | None = None,
                 unit_name: str = "step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Only one of `stateful_metrics` or `stateless_metrics` can be provided. "
                             "`stateful_metrics` is used to make metrics stateless by default (with an "
                             "exclusion list), while `stateless_metrics` is used to make metrics stateful "
                             "by default (with an exclusion list).")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._dynamic_display = is_dynamic_display()
        self._seen_so_far = 0
        self._values = {}  # name -> [sum of value * steps, steps]
        self._values_order = []
        self._pending = None  # a logs Mapping not read yet
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Records step `current` and redraws the bar if `interval` has passed.

        Args:
            current: the index of the current step (1-based: steps done so far).
            values: `(name, value)` pairs for the last step (or a Mapping of them); a name
                in `stateful_metrics` is displayed as given, others are averaged over steps.
            finalize: whether this is the last update; default `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if not finalize and self.stateless_metrics == _NOTHING and isinstance(values, Mapping):
            # Nothing is averaged: only the latest values count, read when a line is drawn.
            self._pending = values
        else:
            values = list(values.items()) if isinstance(values, Mapping) else values or ()
            self._flush_pending(replaced={name for name, _ in values} if finalize else ())
            self._record(values, current, finalize)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            if self._dynamic_display or finalize:
                self._draw(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            self._draw_summary(current, now, time_per_unit)
        self._last_update = now

    def add(self, n: int, values=None) -> None:
        """`update` to `n` steps further than the last one."""
        self.update(self._seen_so_far + n, values)

    def _record(self, values, current: int, finalize: bool) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if self.stateful_metrics is not None:
                averaged = name not in self.stateful_metrics
            else:
                averaged = name in self.stateless_metrics
            if not averaged or finalize:
                self._values[name] = [value, 1]
                continue
            # Weighted by the steps since the last update (at least one: a bar without a
            # target may see the same step twice).
            steps = max(current - self._seen_so_far, 1)
            if isinstance(value, torch.Tensor) and value.is_floating_point():
                value = value.detach().double()
            if name in self._values:
                self._values[name][0] += value * steps
                self._values[name][1] += steps
            else:
                self._values[name] = [value * steps, steps]

    def _flush_pending(self, replaced=()) -> None:
        """Records the pending logs; names in `replaced` get a new value at once, so only
        their place in the display order is taken (their values are not read)."""
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        for name in pending:
            if name not in self._values_order:
                self._values_order.append(name)
            if name not in replaced:
                self._values[name] = [pending[name], 1]

    def _averages(self):
        self._flush_pending()
        for name in self._values_order:
            total, count = self._values[name]
            total = to_host(total)
            if not isinstance(total, float):
                total = np.mean(total)
            yield name, total / max(1, count)

    def _draw(self, current: int, now: float, time_per_unit: float, finalize: bool) -> None:
        message = ("\b" * self._prev_total_width + "\r") if self._dynamic_display else ""
        ansi_len = 0  # characters of colour codes, which take no room on screen
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            bar = f"\x1b[1m{int(current):{digits}d}/{int(self.target)}\x1b[0m "
            ansi_len += 8
            done = int(self.width * (float(current) / self.target))
            if done > 0:
                bar += f"\33[32m{'━' * done}\x1b[0m"
                ansi_len += 9
            bar += f"\33[37m{'━' * (self.width - done)}\x1b[0m"
            ansi_len += 9
        else:
            bar = f"{int(current):7d}/Unknown"
        if self.target is not None and self.target > 0 and not finalize:
            info = f" \x1b[1m{_eta(time_per_unit * (self.target - current))}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        ansi_len += 8
        info += _format_time(time_per_unit, self.unit_name)
        for name, avg in self._averages():
            info += f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}"
        message += bar + info
        total_width = len(bar) + len(info) - ansi_len
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def _draw_summary(self, current: int, now: float, time_per_unit: float) -> None:
        digits = int(math.log10(self.target)) + 1
        info = f"{int(current):{digits}d}/{int(self.target)} - {now - self._start:.0f}s -"
        info += _format_time(time_per_unit, self.unit_name)
        for name, avg in self._averages():
            # No abs() here, as in Keras: negative values are shown in exponent form.
            info += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
        print_msg(info + "\n", line_break=False)

    def _estimate_step_duration(self, current: int, now: float) -> float:
        """Seconds per step; the first step (tracing, warm-up) is left out once there are more."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit


def _eta(seconds: float) -> str:
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int((seconds % 3600) // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def _format_time(time_per_unit: float, unit_name: str) -> str:
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1000.0:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1000000.0:.0f}us/{unit_name}"
