"""`keras.callbacks.Callback`, the hooks of `fit` / `evaluate` / `predict`, and `CallbackList`.

The training loop talks to one `CallbackList` (its raw entry point): it calls the hooks
with logs whose values may be 0-d torch tensors still on the device. Epoch-level and
begin/end hooks convert them to Python floats (one host sync per epoch, as Keras's
`pythonify_logs`: nested dicts flattened, keys sorted). Batch-level hooks call only the
callbacks that override them, and convert the values only if one of those needs Python
numbers: built-in callbacks that read batch logs lazily (`ProgbarLogger`, which reads
them at most once per display refresh) set `_accepts_raw_logs`, so a `fit` with the
default callbacks never waits on the device between steps. A batch-level `logs` given
as a plain dict is passed on flattened with its keys sorted, values untouched; any other
Mapping (a lazy view of the metrics) is passed on as it is.

When several processes train together (`tf.distribute`), the callbacks that print or
write files (`_chief_only`) are called in the chief process (rank 0) only; the others
(History, EarlyStopping, schedulers) run in every process, on the same all-reduced logs.
"""

from __future__ import annotations

import numpy as np
from torch.nn.parallel import DistributedDataParallel

from kerastorch.distribute import cluster
from kerastorch.keras import _serialization as ser
from kerastorch.keras.utils.progbar import to_host


@ser.keras_export("keras.callbacks.Callback")
class Callback:
    """Base class of callbacks: override the hooks of the stages you want to act on.

    A callback passed to `fit`, `evaluate` or `predict` gets the model (`self.model`)
    and the loop's parameters (`self.params`: `verbose`, `epochs`, `steps`). `logs` holds
    the metric results: at the end of a batch those so far in the epoch, at the end of
    an epoch those of the epoch (validation results prefixed with `val_`).

    Example:
        >>> class StopAtLoss(tf.keras.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         if logs["loss"] < 0.1:
        ...             self.model.stop_training = True
    """

    # True on built-in callbacks whose batch hooks read device tensors themselves (lazily).
    _accepts_raw_logs = False
    # True on callbacks that print or write files: with several processes, the chief's alone run.
    _chief_only = False

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params: dict) -> None:
        """Records the loop's parameters (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model) -> None:
        """Records the model the callback acts on."""
        self._model = model

    @property
    def model(self):
        """The model (the wrapped module when the model is in a `DistributedDataParallel`)."""
        if isinstance(self._model, DistributedDataParallel):
            return self._model.module
        return self._model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of epoch `epoch` (0-based) of `fit`."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch with its metric results (and `val_` ones)."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before training batch `batch` (0-based within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a training batch with the metric results so far in the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before a batch of `evaluate` (or of validation in `fit`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a batch of `evaluate` (or of validation in `fit`)."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a batch of `predict` (`logs["outputs"]` holds its outputs)."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `fit`."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of `fit` with the last epoch's logs."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `evaluate` (or of validation in `fit`)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of `evaluate` (or of validation) with its results."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `predict`."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of `predict`."""


def pythonify_logs(logs) -> dict:
    """`logs` flattened, sorted by key, with tensors and scalars as Python floats (Keras's rule)."""
    result = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        value = to_host(value)
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.reshape(())
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        result[key] = value
    return result


def _sorted_flat(logs: dict) -> dict:
    result = {key: logs[key] for key in sorted(logs)}
    if dict not in map(type, result.values()):
        return result
    flat = {}
    for key, value in result.items():
        if isinstance(value, dict):
            flat.update(_sorted_flat(value))
        else:
            flat[key] = value
    return flat


def _overrides(callback: Callback, hook: str) -> bool:
    """Whether calling `callback.<hook>` does anything (a subclass or an instance sets it)."""
    if hook in vars(callback) or getattr(type(callback), hook) is not getattr(Callback, hook):
        return True
    if hook.startswith("on_train_batch_"):  # the default forwards to the legacy alias
        return _overrides(callback, hook.replace("train_", ""))
    return False


def _takes_raw_logs(callback: Callback, hook: str) -> bool:
    """Whether `callback.<hook>` is a built-in one that reads device tensors itself."""
    if not callback._accepts_raw_logs or hook in vars(callback):
        return False
    # A user subclass of a built-in callback that overrides the hook gets Python numbers.
    names = (hook, hook.replace("train_", "")) if hook.startswith("on_train_batch_") else (hook,)
    return all(getattr(type(callback), name).__module__.startswith(__package__) for name in names)


@ser.keras_export("keras.callbacks.CallbackList")
class CallbackList(Callback):
    """Calls a list of callbacks together; `fit` adds `History` and `ProgbarLogger` to it.

    Args:
        callbacks: the callbacks (a list, possibly nested).
        add_history: add a `History` callback, unless one is in `callbacks`.
        add_progbar: add a `ProgbarLogger`, unless one is in `callbacks`.
        model: the model the callbacks act on.
        **params: the loop's parameters (`verbose`, `epochs`, `steps`) for `set_params`.
    """

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False, model=None,
                 **params):
        super().__init__()
        self.callbacks = _flatten(callbacks) if callbacks else []
        self._open_blocks = 0
        self._plans = {}
        self._planned_for = None
        self._add_default_callbacks(add_history, add_progbar)
        if not cluster.is_chief():
            self.callbacks = [cb for cb in self.callbacks if not cb._chief_only]
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        from kerastorch.keras.callbacks.history import History
        from kerastorch.keras.callbacks.progbar_logger import ProgbarLogger

        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def set_params(self, params: dict) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model) -> None:
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _each(self, hook: str, *args) -> None:
        logs = pythonify_logs(args[-1])
        for callback in self.callbacks:
            getattr(callback, hook)(*args[:-1], logs)

    def _batch(self, hook: str, batch: int, logs) -> None:
        if self._planned_for != self.callbacks:
            self._plans = {}
            self._planned_for = list(self.callbacks)
        plan = self._plans.get(hook)
        if plan is None:
            chosen = [cb for cb in self.callbacks if _overrides(cb, hook)]
            plan = self._plans[hook] = ([getattr(cb, hook) for cb in chosen],
                                        not all(_takes_raw_logs(cb, hook) for cb in chosen))
        methods, needs_python = plan
        if not methods:
            return
        if needs_python:
            logs = pythonify_logs(logs)
        elif logs is None or type(logs) is dict:
            logs = _sorted_flat(logs or {})
        for method in methods:
            method(batch, logs=logs)

    def _begin(self, hook: str, logs) -> None:
        self._open_blocks += 1
        self._each(hook, logs)

    def _end(self, hook: str, logs) -> None:
        self._each(hook, logs)
        self._open_blocks -= 1
        if self._open_blocks < 0:
            raise ValueError("`on_xxx_end` called without corresponding `on_xxx_begin`")

    def on_batch_begin(self, batch, logs=None):
        self._batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._batch("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._batch("on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._each("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._each("on_epoch_end", epoch, logs)

    def on_train_begin(self, logs=None):
        self._begin("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._end("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._begin("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._end("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._begin("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._end("on_predict_end", logs)


def _flatten(callbacks) -> list:
    if isinstance(callbacks, (list, tuple)):
        return [cb for item in callbacks for cb in _flatten(item)]
    return [callbacks]
