"""`keras.callbacks.ReduceLROnPlateau`: lower the learning rate when a quantity stops improving."""

from __future__ import annotations

import warnings

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.learning_rate_scheduler import learning_rate_value, log_learning_rates
from kerastorch.keras.callbacks.monitor import MonitorCallback
from kerastorch.keras.utils.progbar import print_msg


@ser.keras_export("keras.callbacks.ReduceLROnPlateau")
class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: the logged quantity to watch.
        factor: the multiplier, below 1 (`new_lr = lr * factor`).
        patience: epochs without improvement before a reduction.
        verbose: 1 prints the new rate.
        mode: `"min"`, `"max"` or `"auto"` (the direction inferred from the name).
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the lowest rate it sets.

    Example:
        >>> reduce_lr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5)
        >>> model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0,
                 **kwargs):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def _reduce_optimizer_lr(self, optimizer, epoch: int, name: str = "") -> bool:
        old_lr = learning_rate_value(optimizer)
        if not old_lr > np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            which = f" {name}" if name else ""
            print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{which} learning rate to {new_lr}.")
        return True

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics exist by now
        logs = log_learning_rates(self.model.optimizer, logs or {})
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                optimizer = self.model.optimizer
                if hasattr(optimizer, "optimizers"):
                    reduced = [self._reduce_optimizer_lr(o, epoch, f"{o.name}") for o in optimizer.optimizers]
                else:
                    reduced = [self._reduce_optimizer_lr(optimizer, epoch)]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the callback is waiting out its cooldown after a reduction."""
        return self.cooldown_counter > 0
