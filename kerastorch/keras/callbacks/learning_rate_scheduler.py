"""`keras.callbacks.LearningRateScheduler`: set the learning rate at each epoch from a function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback
from kerastorch.keras.utils.progbar import print_msg, to_host


def learning_rate_value(optimizer) -> float:
    """The optimizer's current learning rate as a Python float (a float32 variable's value)."""
    return float(np.asarray(to_host(optimizer.learning_rate)))


def log_learning_rates(optimizer, logs: dict) -> dict:
    """Adds `learning_rate` (or one `learning_rate_<name>` per inner optimizer) to `logs`."""
    if hasattr(optimizer, "optimizers"):
        for inner in optimizer.optimizers:
            logs[f"learning_rate_{inner.name}"] = learning_rate_value(inner)
    else:
        logs["learning_rate"] = learning_rate_value(optimizer)
    return logs


@ser.keras_export("keras.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of every epoch.

    Args:
        schedule: a function `(epoch, lr) -> new_lr` (or `epoch -> new_lr`), `epoch`
            counted from 0, `lr` the current rate as a float; it returns a float.
        verbose: 1 prints the rate it sets.

    Example:
        >>> def scheduler(epoch, lr):
        ...     return lr if epoch < 10 else lr * 0.9
        >>> model.fit(x, y, epochs=15, callbacks=[tf.keras.callbacks.LearningRateScheduler(scheduler)])
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch: int) -> float:
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, learning_rate_value(optimizer))
        except TypeError:  # a schedule of the epoch alone (the older form)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        for inner in getattr(optimizer, "optimizers", None) or [optimizer]:
            learning_rate = self._update_optimizer_lr(inner, epoch)
            if self.verbose > 0:
                which = f"{inner.name} " if inner is not optimizer else ""
                print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which}learning rate to "
                          f"{learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        log_learning_rates(self.model.optimizer, logs or {})
