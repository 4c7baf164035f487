"""Training for models: compile, fit, evaluate, predict and the per-batch steps.

The built-in steps run on torch tensors: the forward pass is the model's `_raw_call`,
gradients come from `torch.autograd.grad` over the trainable Parameters, the optimizer
updates them with fused foreach ops, and the loss and metric accumulators stay on the
device. The host reads values only when a progress bar refreshes and at the end of an
epoch. A model whose `train_step`/`test_step`/`predict_step` is overridden (TF style,
with `tf.GradientTape` and `self.optimizer.apply_gradients`) gets facade Tensors.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import call_context, layer_state, nest
from kerastorch.keras.models import data_adapter
from kerastorch.keras.models.compile_utils import CompileLoss, CompileMetrics


class _Mean:
    """A mean accumulated on the device (the loss shown by fit/evaluate)."""

    def __init__(self, name: str):
        self.name = name
        self.total = None
        self.count = None

    def reset_state(self) -> None:
        self.total = self.count = None

    def update_state(self, values, sample_weight=None) -> None:
        """Adds a loss value (a Tensor), weighted by `sample_weight` (default 1)."""
        self.raw_update(data_adapter.to_device(values), 1 if sample_weight is None else int(sample_weight))

    @property
    def variables(self) -> list:
        return []

    def raw_update(self, value: torch.Tensor, weight: int) -> None:
        value = value.detach() * weight
        if self.total is None:
            self.total, self.count = value, weight
        else:
            self.total, self.count = self.total + value, self.count + weight

    def raw_result(self) -> torch.Tensor | None:
        return None if self.total is None else self.total / self.count

    def result(self):
        value = self.raw_result()
        return wrap(value if value is not None else torch.tensor(0.0))


class Trainer:
    """The training half of `keras.Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._loss_tracker = _Mean("loss")
        self._compile_loss = None
        self._compile_metrics = None
        self._initial_epoch = None  # set by BackupAndRestore to resume an interrupted fit
        self._step_variables = None  # (trainable variables, their Parameters) for the current epoch

    # -- compile ------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly: bool = False, steps_per_execution: int = 1, jit_compile="auto",
                auto_scale_loss: bool = True) -> None:
        """Sets the optimizer, loss(es) and metrics that `fit` and `evaluate` use.

        Args:
            optimizer: an optimizer or its name.
            loss: a loss (name, function or Loss), or one per output (list or dict).
            loss_weights: the weights of the outputs' losses (list or dict).
            metrics: metrics (names, functions or Metric objects), or per output.
            weighted_metrics: metrics that take the sample weights.
            run_eagerly, steps_per_execution, jit_compile: accepted (kerastorch runs eagerly).
        """
        from kerastorch.keras import optimizers

        self.optimizer = optimizers.get(optimizer)
        names = self._output_names()
        self._compile_loss = CompileLoss(loss, loss_weights, names) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics, names)
        self._compile_config = {"optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics}
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self.compiled = True

    def _output_names(self) -> list:
        outputs = getattr(self, "_outputs_struct", None)
        if isinstance(outputs, dict):
            return list(outputs)
        flat = nest.flatten(outputs) if outputs is not None else [None]
        if len(flat) == 1:
            return ["output"]
        return [t._keras_history.operation.name for t in flat]

    @property
    def metrics(self) -> list:
        """`[loss tracker, compile_metrics]` as Keras 3 (the latter when metrics were compiled)."""
        found = [self._loss_tracker]
        if self._compile_metrics is not None and (self._compile_metrics._metrics or self._compile_metrics._weighted):
            found.append(self._compile_metrics)
        return found

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def _flat_metrics(self) -> list:
        """The metrics whose values the logs show: the loss, then each compiled metric."""
        found = [self._loss_tracker]
        if self._compile_metrics is not None:
            found.extend(self._compile_metrics.metrics)
        return found

    def reset_metrics(self) -> None:
        self._loss_tracker.reset_state()
        if self._compile_metrics is not None:
            self._compile_metrics.reset_state()

    def _results(self):
        """The current metric values, computed (on the device) only when read."""
        return _LazyLogs(self._flat_metrics())

    # -- the steps on torch tensors -------------------------------------------------------
    def _raw_train_step(self, x, y, sample_weight) -> None:
        variables, params = self._step_variables or self._collect_step_variables()
        layer_state.new_generation()  # the layers' activity losses of earlier steps are stale
        with call_context.keep_graph():
            y_pred = self._raw_call((x,), {"training": True})
            loss = self._raw_total_loss(y, y_pred, sample_weight)
        grads = torch.autograd.grad(loss, params, allow_unused=True) if params else []
        self.optimizer.apply_raw(list(grads), variables)
        self._track(loss, x, y, y_pred, sample_weight)

    def _collect_step_variables(self) -> tuple:
        """The trainable variables and their Parameters, gathered once per epoch (walking the
        layer tree every step would cost more than a small model's step)."""
        variables = self.trainable_weights
        self._step_variables = (variables, [v._param for v in variables])
        return self._step_variables

    def _raw_test_step(self, x, y, sample_weight) -> None:
        layer_state.new_generation()
        with torch.no_grad():
            y_pred = self._raw_call((x,), {"training": False})
            loss = self._raw_total_loss(y, y_pred, sample_weight)
            self._track(loss, x, y, y_pred, sample_weight)

    def _raw_total_loss(self, y, y_pred, sample_weight) -> torch.Tensor:
        loss = self._compile_loss.raw(y, y_pred, sample_weight) if self._compile_loss is not None else None
        for extra in self._raw_losses():
            loss = extra if loss is None else loss + extra
        if loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return loss

    def _track(self, loss, x, y, y_pred, sample_weight) -> None:
        self._loss_tracker.raw_update(loss, _batch_size(x))
        if self._compile_metrics is not None and y is not None:
            with torch.no_grad():
                self._compile_metrics.raw_update(y, y_pred, sample_weight)

    def _overridden(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(Trainer, name)

    # -- the public steps (overridable, TF style) -----------------------------------------
    def train_step(self, data) -> dict:
        """One training step on a batch `(x, y, sample_weight)`; returns the metric values."""
        x, y, sw = data_adapter.unpack(data)
        self._raw_train_step(_raw(x), _raw(y), _raw(sw))
        return nest.map(_facade, self._results())

    def test_step(self, data) -> dict:
        """One evaluation step on a batch; returns the metric values."""
        x, y, sw = data_adapter.unpack(data)
        self._raw_test_step(_raw(x), _raw(y), _raw(sw))
        return nest.map(_facade, self._results())

    def predict_step(self, data):
        """The model's outputs for a batch."""
        x, _, _ = data_adapter.unpack(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training: bool = True):
        """The compiled loss plus the layers' losses, as a Tensor (for custom `train_step`s)."""
        return wrap(self._raw_total_loss(_raw(y), _raw(y_pred), _raw(sample_weight)))

    def _run_train_batch(self, batch) -> dict:
        if self._overridden("train_step"):
            with call_context.keep_graph():
                logs = self.train_step(_packed(nest.map(_facade, batch)))
            return _flat_logs(nest.map(_raw, logs))
        self._raw_train_step(*batch)
        return self._results()

    def _run_test_batch(self, batch) -> dict:
        if self._overridden("test_step"):
            return _flat_logs(nest.map(_raw, self.test_step(_packed(nest.map(_facade, batch)))))
        self._raw_test_step(*batch)
        return self._results()

    def _run_predict_batch(self, batch):
        if self._overridden("predict_step"):
            return nest.map(_raw, self.predict_step(_packed(nest.map(_facade, batch))))
        with torch.no_grad():
            return self._raw_call((batch[0],), {"training": False})

    # -- fit / evaluate / predict -----------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose="auto", callbacks=None,
            validation_split: float = 0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch: int = 0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq: int = 1):
        """Trains the model for `epochs` passes over the data; returns the `History`."""
        self._assert_compiled("fit")
        data = data_adapter.adapt(x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch)
        validation = None
        if validation_split and validation_data is None:
            if not isinstance(data, data_adapter.ArrayData):
                raise ValueError("`validation_split` is only supported for tensors or NumPy arrays.")
            vx, vy, vsw = data.split(validation_split)
            validation = data_adapter.ArrayData(vx, vy, vsw, validation_batch_size or data.batch_size,
                                                steps=validation_steps)
        elif validation_data is not None:
            vx, vy, vsw = data_adapter.unpack(tuple(validation_data) if isinstance(validation_data, list)
                                              else validation_data)
            validation = data_adapter.adapt(vx, vy, vsw, validation_batch_size or batch_size,
                                            steps=validation_steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = _callback_list(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                       verbose=verbose, epochs=epochs, steps=data.steps)
        self.stop_training = False
        self.train()  # torch's module mode, for wrapped torch modules
        callback_list.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            self._step_variables = None  # trainable flags may have changed between epochs
            for step, batch in enumerate(data.batches()):
                callback_list.on_train_batch_begin(step)
                logs = self._run_train_batch(batch)
                callback_list.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = _to_host(logs)
            if validation is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_data(validation, callback_list, in_fit=True)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > initial_epoch:
            self.optimizer.finalize_variable_values(self.trainable_weights)  # EMA weights, as Keras
        callback_list.on_train_end(logs=epoch_logs if epochs > initial_epoch else {})
        return self.history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict: bool = False, **kwargs):
        """The loss and metrics on the data: a scalar, a list `[loss, *metrics]` or a dict."""
        self._assert_compiled("evaluate")
        data = data_adapter.adapt(x, y, sample_weight, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = _callback_list(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                       steps=data.steps)
        logs = self._evaluate_data(data, callback_list, in_fit=False)
        if return_dict:
            return logs
        values = [logs["loss"]] + [v for k, v in logs.items() if k != "loss"]
        return values[0] if len(values) == 1 else values

    def _evaluate_data(self, data, callback_list, in_fit: bool) -> dict:
        self.reset_metrics()
        self.eval()
        callback_list.on_test_begin()
        logs = {}
        for step, batch in enumerate(data.batches()):
            callback_list.on_test_batch_begin(step)
            logs = self._run_test_batch(batch)
            callback_list.on_test_batch_end(step, logs)
        logs = _to_host(logs)
        callback_list.on_test_end(logs)
        if in_fit:
            self.train()
        return logs

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on all the data, as numpy arrays (batched)."""
        data = data_adapter.adapt(x, None, None, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = _callback_list(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                       steps=data.steps)
        self.eval()
        callback_list.on_predict_begin()
        outputs = []
        for step, batch in enumerate(data.batches()):
            callback_list.on_predict_batch_begin(step)
            out = self._run_predict_batch(batch)
            outputs.append(out)
            callback_list.on_predict_batch_end(step, {"outputs": out})
        callback_list.on_predict_end()
        self.train()
        if not outputs:
            raise ValueError("Expected at least one batch of data to predict on. Received an empty dataset.")
        return nest.pack_like(outputs[0], [_concat([nest.flatten(o)[i] for o in outputs])
                                           for i in range(len(nest.flatten(outputs[0])))])

    # -- one batch ----------------------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict: bool = False):
        """One training step on one batch; returns the loss (and metrics) after it."""
        self._assert_compiled("train_on_batch")
        data = data_adapter.ArrayData(x, y, sample_weight, batch_size=None, class_weight=class_weight)
        data.batch_size, data.steps = max(data.size, 1), 1
        self.reset_metrics()
        self._step_variables = None
        logs = _to_host(self._run_train_batch(next(data.batches())))
        return logs if return_dict else _as_list(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        """The loss (and metrics) on one batch."""
        self._assert_compiled("test_on_batch")
        data = data_adapter.ArrayData(x, y, sample_weight)
        data.batch_size, data.steps = max(data.size, 1), 1
        self.reset_metrics()
        logs = _to_host(self._run_test_batch(next(data.batches())))
        return logs if return_dict else _as_list(logs)

    def predict_on_batch(self, x):
        """The model's outputs for one batch, as numpy arrays."""
        data = data_adapter.ArrayData(x)
        data.batch_size, data.steps = max(data.size, 1), 1
        out = self._run_predict_batch(next(data.batches()))
        return nest.map(_numpy, out)

    def _assert_compiled(self, what: str) -> None:
        if not self.compiled:
            raise ValueError(f"You must call `compile()` before using the model. Called `{what}()` on "
                             f"'{self.name}'.")


def _packed(batch):
    """A batch as Keras hands it to a step: `x`, `(x, y)` or `(x, y, sample_weight)`."""
    x, y, sample_weight = batch
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _flat_logs(logs) -> dict:
    """A step's returned logs with nested dicts (`compile_metrics`) flattened, as Keras shows them."""
    flat = {}
    for key, value in (logs or {}).items():
        if isinstance(value, dict):
            flat.update(_flat_logs(value))
        else:
            flat[key] = value
    return flat


def _callback_list(callbacks, **kwargs):
    from kerastorch.keras import callbacks as callbacks_module

    if isinstance(callbacks, callbacks_module.CallbackList):
        return callbacks
    return callbacks_module.CallbackList(callbacks, **kwargs)


class _LazyLogs(Mapping):
    """Batch logs whose values (device tensors) are computed only when a callback reads them:
    the progress bar does at each refresh, History at the end of an epoch."""

    def __init__(self, metrics: list):
        self._metrics = {m.name: m for m in metrics}
        self._keys = sorted(self._metrics)

    def __getitem__(self, key):
        return self._metrics[key].raw_result()

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _raw(x):
    return nest.map(lambda v: v if v is None else data_adapter.to_device(v), x)


def _facade(x):
    return wrap(x) if isinstance(x, torch.Tensor) else x


def _to_host(logs) -> dict:
    """Metric values as Python floats (sorted by name, as Keras): the one host sync of an epoch."""
    return {k: float(logs[k]) for k in sorted(logs) if logs[k] is not None}


def _as_list(logs: dict):
    values = [logs["loss"]] + [v for k, v in logs.items() if k != "loss"] if "loss" in logs else list(
        logs.values())
    return values[0] if len(values) == 1 else values


def _batch_size(x) -> int:
    for leaf in nest.flatten(x):
        if hasattr(leaf, "shape") and len(leaf.shape):
            return int(leaf.shape[0])
    return 1


def _numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _concat(parts: list):
    if isinstance(parts[0], torch.Tensor):
        return torch.cat([p.detach() for p in parts]).cpu().numpy()
    return np.concatenate([np.asarray(p) for p in parts])
