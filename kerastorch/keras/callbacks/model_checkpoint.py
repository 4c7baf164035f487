"""`keras.callbacks.ModelCheckpoint`: save the model (or its weights) during `fit`."""

from __future__ import annotations

import os
import warnings

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import pythonify_logs
from kerastorch.keras.callbacks.monitor import MonitorCallback
from kerastorch.keras.utils.progbar import print_msg


@ser.keras_export("keras.callbacks.ModelCheckpoint")
class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights every epoch (or every `save_freq` batches).

    Args:
        filepath: where to save; it may hold `str.format` fields filled from `epoch`
            (1-based), `batch` (1-based, with an integer `save_freq`) and the logs, e.g.
            `"{epoch:02d}-{val_loss:.2f}.keras"`. It ends in `.weights.h5` with
            `save_weights_only=True`, else in `.keras` or `.h5`.
        monitor: the logged quantity `save_best_only` compares.
        verbose: 1 prints a line for every save (or skipped save).
        save_best_only: save only when `monitor` improves on the best so far.
        save_weights_only: `model.save_weights(path)` instead of `model.save(path)`.
        mode: `"min"`, `"max"` or `"auto"` (the direction inferred from the name).
        save_freq: `"epoch"`, or a number of batches between saves.
        initial_value_threshold: the value to beat for the first save (with
            `save_best_only`).

    Example:
        >>> checkpoint = tf.keras.callbacks.ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}.keras")
        >>> model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[checkpoint])
    """

    _accepts_raw_logs = True  # batch logs are read only when a save is due
    _chief_only = True

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", save_freq="epoch",
                 initial_value_threshold: float | None = None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath) if isinstance(filepath, os.PathLike) else filepath
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or integer "
                             "values")
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                                 "provided must end in `.weights.h5` (Keras weights format). Received: "
                                 f"filepath={self.filepath}")
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError("The filepath provided must end in `.keras` (Keras model format). Received: "
                             f"filepath={self.filepath}")

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=pythonify_logs(logs))

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics exist by now
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch: batches count from 0
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch: int, logs, filepath: str) -> bool:
        logs = logs or {}
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=2)
            return True
        if isinstance(current, np.ndarray) and current.ndim > 0:
            warnings.warn(f"Can save best model only when `monitor` is a scalar value. Received: {current}. "
                          "Falling back to `save_best_only=False`.", stacklevel=2)
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, saving "
                          f"model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch: int, batch: int | None, logs) -> None:
        filepath = self._get_file_path(epoch, batch, logs)
        try:
            if not self._should_save_model(epoch, logs, filepath):
                return
            dirname = os.path.dirname(filepath)
            if dirname:
                os.makedirs(dirname, exist_ok=True)
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")
        except IsADirectoryError as error:
            raise OSError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                          f"existing directory: {filepath}") from error

    def _get_file_path(self, epoch: int, batch: int | None, logs) -> str:
        logs = logs or {}
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}') \
                from error
