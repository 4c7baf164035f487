"""`keras.callbacks.EarlyStopping`: stop `fit` when a monitored quantity stops improving."""

from __future__ import annotations

import warnings

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.monitor import MonitorCallback
from kerastorch.keras.utils.progbar import print_msg


@ser.keras_export("keras.callbacks.EarlyStopping")
class EarlyStopping(MonitorCallback):
    """Stops training when `monitor` has not improved for `patience` epochs.

    Args:
        monitor: the logged quantity to watch.
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints a line when stopping or restoring weights.
        mode: `"min"`, `"max"` or `"auto"` (the direction inferred from the name).
        baseline: a value the monitored quantity must beat; until it does, the
            patience counter keeps running.
        restore_best_weights: at the end of training, set the weights of the best
            epoch (even if none beat `baseline`).
        start_from_epoch: epochs of warm-up before watching starts.

    Example:
        >>> callback = tf.keras.callbacks.EarlyStopping(monitor="loss", patience=3)
        >>> model.fit(x, y, epochs=10, callbacks=[callback])
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0, verbose: int = 0,
                 mode: str = "auto", baseline: float | None = None, restore_best_weights: bool = False,
                 start_from_epoch: int = 0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        # A callback can be reused across `fit` calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics exist by now
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Patience restarts only when both the baseline and the best so far are beaten.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """`logs[monitor]`, or None with a warning naming the logged quantities."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                          f"Available metrics are: {','.join(logs)}", stacklevel=2)
        return value
