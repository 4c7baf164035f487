"""Training for models: compile, fit, evaluate, predict and the per-batch steps.

The built-in steps run on torch tensors: the forward pass is the model's `_raw_call`,
gradients come from `torch.autograd.grad` over the trainable Parameters, the optimizer
updates them with fused foreach ops, and the loss and metric accumulators stay on the
device. The host reads values only when a progress bar refreshes and at the end of an
epoch. A model whose `train_step`/`test_step`/`predict_step` is overridden (TF style,
with `tf.GradientTape` and `self.optimizer.apply_gradients`) gets facade Tensors.
"""

from __future__ import annotations

import warnings

import torch

from kerastorch.distribute import replica_step
from kerastorch.distribute import training as distributed
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import pythonify_logs
from kerastorch.keras.engine import call_context, layer_state, nest
from kerastorch.keras.models import data_adapter, loop_utils
from kerastorch.keras.models.compile_utils import CompileLoss, CompileMetrics, MeanTracker
from kerastorch.keras.models.compiled_steps import CompiledSteps


class Trainer:
    """The training half of `keras.Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self.steps_per_execution = 1
        self._loss_tracker = MeanTracker("loss")
        self._compile_loss = None
        self._compile_metrics = None
        self._initial_epoch = None  # set by BackupAndRestore to resume an interrupted fit
        self._step_variables = None  # (trainable variables, their Parameters) since `compile`
        self._step_logs = None  # the built-in steps' logs, made once the metrics are built
        self._distribute_strategy = distributed.strategy_at_creation()
        self._jit_compile = None  # resolved by `compile`; False until then

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
            steps_per_execution: how many batches run between two calls of the batch-level
                callbacks (and progress updates).
            run_eagerly: run custom steps as plain Python (kerastorch always does); with
                `jit_compile=True`, it turns compilation off (with a warning), as in Keras.
            jit_compile: `True` runs the built-in steps' forward passes (and their backward
                passes) through `torch.compile`; `"auto"` (the default) and `False` run
                eagerly, as Keras 3 does on torch. See `compiled_steps.py`.
            auto_scale_loss: under the `"mixed_float16"` policy, wrap the optimizer in a
                `LossScaleOptimizer`.
        """
        from kerastorch.keras import optimizers
        from kerastorch.keras.optimizers import loss_scale_optimizer

        self.optimizer = loss_scale_optimizer.for_policy(optimizers.get(optimizer), self.dtype_policy,
                                                         auto_scale_loss)
        names = self._output_names()
        self._compile_loss = CompileLoss(loss, loss_weights, names, run_eagerly) if loss is not None else None
        self._compile_metrics = (CompileMetrics(metrics, weighted_metrics, names)
                                 if metrics is not None or weighted_metrics is not None else None)
        self._loss_tracker = MeanTracker("loss")
        self._step_logs = None
        self._step_variables = None
        self._compile_config = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                                "weighted_metrics": weighted_metrics}
        self.run_eagerly = run_eagerly
        if not isinstance(steps_per_execution, int) or isinstance(steps_per_execution, bool) \
                or steps_per_execution < 1:
            raise ValueError(f"`steps_per_execution` must be a positive integer. Received: "
                             f"steps_per_execution={steps_per_execution}")
        self.steps_per_execution = steps_per_execution
        if jit_compile == "auto":
            jit_compile = False  # Keras 3's "auto" on torch
        if jit_compile and run_eagerly:
            warnings.warn("If `run_eagerly` is True, then `jit_compile` cannot also be True. Disabling "
                          "`jit_compile`.", stacklevel=2)
            jit_compile = False
        self._compile_config["jit_compile"] = jit_compile
        self.jit_compile = jit_compile
        self.compiled = True

    def get_compile_config(self) -> dict:
        """What `compile` was given, serialized (the `compile_config` of a `.keras` file); {} if not compiled."""
        if not self.compiled:
            return {}
        config = {"optimizer": self.optimizer, **self._compile_config, "run_eagerly": self.run_eagerly,
                  "steps_per_execution": self.steps_per_execution}
        return ser.serialize_keras_object(config)

    def compile_from_config(self, config: dict) -> None:
        """Compiles the model as `get_compile_config()` describes, and builds the optimizer's variables."""
        if type(self).compile is not Trainer.compile:
            warnings.warn("`compile()` was not called as part of model loading because the model's `compile()` "
                          "method is custom. All subclassed Models that have `compile()` overridden should also "
                          "override `get_compile_config()` and `compile_from_config(config)`. Alternatively, you "
                          "can call `compile()` manually after loading.", stacklevel=2)
            return
        self.compile(**ser.deserialize_keras_object(config))
        if self.built:
            self.optimizer.build(self.trainable_variables)

    @property
    def jit_compile(self):
        """Whether the built-in steps run through `torch.compile` (set by `compile`, or directly)."""
        return False if self._jit_compile is None else self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value) -> None:
        self._jit_compile = value
        self.__dict__["_compiled_steps"] = CompiledSteps(self) if value else None

    def _jit_steps(self) -> CompiledSteps | None:
        """The compiled steps, when `jit_compile` is on and a first (eager) training or inference
        step has built the model; None otherwise."""
        steps = self.__dict__.get("_compiled_steps")
        if steps is None or not self.built:
            return None
        return steps

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
        """Keras 3's list: the loss tracker, `compile_metrics`, each output's loss tracker (when
        compiled), the metrics held in the model's attributes, then those of every layer below
        (not of nested models). As in Keras, a metric two layers down is listed by its parent
        layer and again on its own."""
        found = []
        if self.compiled:
            found.append(self._loss_tracker)
            if self._compile_metrics is not None:
                found.append(self._compile_metrics)
            if self._compile_loss is not None:
                found.extend(self._compile_loss.metrics)
        found.extend(self._own_metrics())
        for layer in self._flatten_layers(include_self=False):
            if not isinstance(layer, Trainer):
                found.extend(layer.metrics)
        return found

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    @property
    def distribute_strategy(self):
        """The `tf.distribute` strategy the model was made under, else the one in scope now."""
        return self._distribute_strategy or distributed.get_strategy()

    def _results(self):
        """The current metric values; on several processes, computed now from the metrics' states
        summed over all of them (every process calls this at the same steps)."""
        logs = self._local_results()
        if distributed.spans_processes():
            return distributed.reduced_results(logs._metrics.values(), logs)
        return logs

    def _local_results(self):
        """The current metric values, computed (on the device) only when read; the same object
        every step once the compiled losses and metrics are built (on the first batch)."""
        if self._step_logs is not None:
            return self._step_logs
        logs = loop_utils.LazyLogs(self.metrics)
        if (self._compile_metrics is None or self._compile_metrics.built) and (
                self._compile_loss is None or self._compile_loss.losses is not None):
            self._step_logs = logs
        return logs

    def _metrics_result_or(self, logs):
        """Keras's rule for a step's last logs: when they name the same keys as the metrics'
        results (a custom step returning `{"loss": ...}`), the metrics' values replace them."""
        if isinstance(logs, loop_utils.LazyLogs):
            return logs
        results = self._results()
        return results if set(logs) == set(results) else logs

    def _flatten_in_order(self, logs: dict):
        """`evaluate`'s list (Keras's order): the values of the metrics by their own names in
        `metrics` order (compiled metrics by their unprefixed names, repeated where a name
        repeats), then the other logs by sorted name; one value alone is returned bare."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(m.name for m in metric.metrics)
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    # -- the steps on torch tensors -------------------------------------------------------
    def _raw_train_step(self, x, y, sample_weight) -> None:
        layer_state.new_generation()  # the layers' activity losses of earlier steps are stale
        with call_context.keep_graph():
            loss, y_pred = self._train_forward_and_loss(x, y, sample_weight)
        # After the forward pass: a model first built by it has its variables only now.
        variables, params = self._step_variables or self._collect_step_variables()
        # Keras differentiates the scaled loss (`loss_scale_factor`, a LossScaleOptimizer's scale).
        scaled = self.optimizer.scale_loss(loss)
        grads = self._gradients(scaled, params)
        self.optimizer.apply_raw(list(grads), variables)
        self._track(loss, x, y, y_pred, sample_weight)

    def _train_forward_and_loss(self, x, y, sample_weight) -> tuple:
        """The training forward pass and the loss; the forward pass through DistributedDataParallel
        on several processes, and compiled (`jit_compile`) from the second step after `compile`
        (the first gathers the trained variables)."""
        jit = self._jit_steps() if self._step_variables is not None else None
        replicated = distributed.replicated(self)
        if replicated is not None:
            y_pred = replicated.forward(x, jit)
        elif jit is not None:
            return jit.run("train", self, x, y, sample_weight)
        else:
            y_pred = self._raw_call((x,), {"training": True})
        return self._raw_total_loss(y, y_pred, sample_weight), y_pred

    def _gradients(self, loss: torch.Tensor, params: list):
        """The gradients of `loss` for `params`; on several processes, averaged over them by DDP."""
        replicated = distributed.replicated(self)
        if replicated is None:
            return torch.autograd.grad(loss, params, allow_unused=True) if params else []
        return replicated.gradients(loss, params)

    def _collect_step_variables(self) -> tuple:
        """The trainable variables and their Parameters, gathered at the first training step after
        `compile` and kept until the next `compile`: as in Keras 3 on TF, whose compiled train
        function holds the variables it was traced with, a layer's `trainable` set later takes
        effect only after a new `compile()` (walking the layer tree every step would also cost
        more than a small model's step)."""
        variables = self.trainable_weights
        self._step_variables = (variables, [v._param for v in variables])
        return self._step_variables

    def _drop_frozen_variables(self) -> None:
        """Leaves out of the gathered variables those frozen since (once per epoch): TF would go on
        training them until the next `compile`, but torch cannot differentiate a frozen Parameter."""
        if self._step_variables is not None and not all(p.requires_grad for p in self._step_variables[1]):
            kept = [(v, p) for v, p in zip(*self._step_variables) if p.requires_grad]
            self._step_variables = ([v for v, _ in kept], [p for _, p in kept])

    def _raw_test_step(self, x, y, sample_weight) -> None:
        layer_state.new_generation()
        jit = self._jit_steps()
        with torch.no_grad():
            if jit is not None:
                loss, y_pred = jit.run("test", self, x, y, sample_weight)
            else:
                y_pred = self._raw_call((x,), {"training": False})
                loss = self._raw_total_loss(y, y_pred, sample_weight)
            self._track(loss, x, y, y_pred, sample_weight)

    def _raw_total_loss(self, y, y_pred, sample_weight) -> torch.Tensor:
        loss = self._compile_loss.raw(y, y_pred, sample_weight) if self._compile_loss is not None else None
        replica_factor = replica_step.loss_scale()  # a custom step on several processes, as Keras on TF
        for extra in self._step_extra_losses():
            if replica_factor is not None:
                extra = extra * replica_factor
            loss = extra if loss is None else loss + extra
        if loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return loss

    def _step_extra_losses(self) -> list:
        """The layers' losses of this step's forward pass and the weight penalties: from the
        loss generation and the gathered variables, not a walk of the layer tree each step."""
        compiling = torch.compiler.is_compiling()  # a compiled step keeps no per-layer losses
        if self._step_variables is None and not compiling:
            return self._raw_losses()
        from kerastorch.keras.engine.layer_state import _regularize

        variables = self.trainable_weights if self._step_variables is None else self._step_variables[0]
        return layer_state.generation_losses() + [_regularize(v) for v in variables if v.regularizer is not None]

    def _track(self, loss, x, y, y_pred, sample_weight) -> None:
        if loss.dim() and not loss.numel():
            return  # an empty batch (a process's share of a batch smaller than the process count) adds nothing
        self._loss_tracker.raw_update(loss, loop_utils.batch_size(x))
        if self._compile_metrics is not None and y is not None:
            with torch.no_grad():
                self._compile_metrics.raw_update(y, y_pred, sample_weight)

    def _overridden(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(Trainer, name)

    # -- the public steps (overridable, TF style) -----------------------------------------
    def train_step(self, data) -> dict:
        """One training step on a batch `(x, y, sample_weight)`; returns the metric values."""
        x, y, sw = data_adapter.unpack(data)
        self._raw_train_step(loop_utils.raw(x), loop_utils.raw(y), loop_utils.raw(sw))
        return nest.map(loop_utils.facade, self._results())

    def test_step(self, data) -> dict:
        """One evaluation step on a batch; returns the metric values."""
        x, y, sw = data_adapter.unpack(data)
        self._raw_test_step(loop_utils.raw(x), loop_utils.raw(y), loop_utils.raw(sw))
        return nest.map(loop_utils.facade, self._results())

    def predict_step(self, data):
        """The model's outputs for a batch."""
        x, _, _ = data_adapter.unpack(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training: bool = True):
        """The compiled loss plus the layers' losses, as a Tensor (for custom `train_step`s)."""
        return wrap(self._raw_total_loss(loop_utils.raw(y), loop_utils.raw(y_pred), loop_utils.raw(sample_weight)))

    @property
    def compiled_metrics(self):
        """Keras 2's `compiled_metrics` (deprecated in Keras 3): `update_state` updates every
        metric of `metrics`, a `Mean` (the loss tracker too) with `y_pred`, as Keras 3 does."""
        return _DeprecatedCompiledMetrics(self)

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Keras 2's `compiled_loss` (deprecated in Keras 3): `compute_loss(y=y, y_pred=y_pred)`."""
        warnings.warn("`model.compiled_loss()` is deprecated. Instead, use `model.compute_loss(x, y, y_pred, "
                      "sample_weight, training)`.", stacklevel=2)
        return self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=sample_weight)

    def _run_train_batch(self, batch) -> dict:
        if self._overridden("train_step"):
            self._warn_custom_step("train_step")
            with call_context.keep_graph(), distributed.custom_train_step():
                logs = self.train_step(loop_utils.packed(nest.map(loop_utils.facade, batch)))
            return distributed.averaged(nest.map(loop_utils.raw, logs))
        self._raw_train_step(*batch)
        return self._results()

    def _run_test_batch(self, batch) -> dict:
        if self._overridden("test_step"):
            self._warn_custom_step("test_step")
            return distributed.averaged(nest.map(loop_utils.raw, self.test_step(loop_utils.packed(nest.map(loop_utils.facade, batch)))))
        self._raw_test_step(*batch)
        return self._results()

    def _run_predict_batch(self, batch):
        if self._overridden("predict_step"):
            self._warn_custom_step("predict_step")
            return nest.map(loop_utils.raw, self.predict_step(loop_utils.packed(nest.map(loop_utils.facade, batch))))
        layer_state.new_generation()
        jit = self._jit_steps()
        with torch.no_grad():
            if jit is not None:
                return jit.run("predict", self, batch[0])
            return self._raw_call((batch[0],), {"training": False})

    def _warn_custom_step(self, name: str) -> None:
        steps = self.__dict__.get("_compiled_steps")
        if steps is not None:
            steps.warn_once(name, f"`jit_compile=True`: the model's custom `{name}` runs eagerly (kerastorch "
                                  f"compiles the built-in steps only; a GradientTape cannot be traced).")

    # -- fit / evaluate / predict -----------------------------------------------------------
    @distributed.in_strategy_scope
    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose="auto", callbacks=None,
            validation_split: float = 0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch: int = 0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq: int | list = 1):
        """Trains the model for `epochs` passes over the data; returns the `History`."""
        self._assert_compiled()
        data = data_adapter.adapt(x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch)
        validation = None
        if validation_split and validation_data is None:
            if not isinstance(data, data_adapter.ArrayData):
                raise ValueError(f"Argument `validation_split` is only supported for tensors or NumPy arrays."
                                 f"Found incompatible type in the input: {[type(x)]}")
            vx, vy, vsw = data.split(validation_split)
            validation = data_adapter.ArrayData(vx, vy, vsw, validation_batch_size or data.batch_size,
                                                steps=validation_steps)
        elif validation_data is not None:
            vx, vy, vsw = data_adapter.unpack(tuple(validation_data) if isinstance(validation_data, list)
                                              else validation_data)
            validation = data_adapter.adapt(vx, vy, vsw, validation_batch_size or batch_size,
                                            steps=validation_steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = loop_utils.callback_list(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                       verbose=verbose, epochs=epochs, steps=data.steps)
        self.stop_training = False
        self.train()  # torch's module mode, for wrapped torch modules
        callback_list.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            self._drop_frozen_variables()
            for begin, end, group in loop_utils.executions(data.batches(), self.steps_per_execution):
                callback_list.on_train_batch_begin(begin)
                for batch in group:
                    logs = self._run_train_batch(batch)
                callback_list.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            epoch_logs = loop_utils.to_host(self._metrics_result_or(logs))
            if validation is not None and loop_utils.should_validate(epoch, validation_freq):
                val_logs = self._evaluate_data(validation, callback_list, in_fit=True)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > initial_epoch:
            self.optimizer.finalize_variable_values(self.trainable_weights)  # EMA weights, as Keras
        callback_list.on_train_end(logs=epoch_logs if epochs > initial_epoch else {})
        return self.history

    @distributed.in_strategy_scope
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict: bool = False, **kwargs):
        """The loss and metrics on the data: a scalar, a list `[loss, *metrics]` or a dict."""
        self._assert_compiled()
        data = data_adapter.adapt(x, y, sample_weight, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = loop_utils.callback_list(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                       steps=data.steps)
        logs = self._evaluate_data(data, callback_list, in_fit=False)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _evaluate_data(self, data, callback_list, in_fit: bool) -> dict:
        data.reset()
        self.reset_metrics()
        self.eval()
        callback_list.on_test_begin()
        logs = {}
        for begin, end, group in loop_utils.executions(data.batches(), self.steps_per_execution):
            callback_list.on_test_batch_begin(begin)
            for batch in group:
                logs = self._run_test_batch(batch)
            callback_list.on_test_batch_end(end, logs)
        logs = pythonify_logs(self._metrics_result_or(logs))
        callback_list.on_test_end(logs)
        if in_fit:
            self.train()
        return logs

    @distributed.in_strategy_scope
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on all the data, as numpy arrays (batched)."""
        data = data_adapter.adapt(x, None, None, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = loop_utils.callback_list(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                       steps=data.steps)
        self.eval()
        callback_list.on_predict_begin()
        outputs = []
        for begin, end, group in loop_utils.executions(data.batches(), self.steps_per_execution):
            callback_list.on_predict_batch_begin(begin)
            outs = [self._run_predict_batch(batch) for batch in group]
            outputs.extend(outs)
            out = outs[0] if len(outs) == 1 else nest.pack_like(
                outs[0], [loop_utils.concat([nest.flatten(o)[i] for o in outs]) for i in range(len(nest.flatten(outs[0])))])
            callback_list.on_predict_batch_end(end, {"outputs": out})
        callback_list.on_predict_end()
        outputs = distributed.gathered(outputs)
        self.train()
        if not outputs:
            raise ValueError("Expected at least one batch of data to predict on. Received an empty dataset.")
        return nest.pack_like(outputs[0], [loop_utils.concat([nest.flatten(o)[i] for o in outputs])
                                           for i in range(len(nest.flatten(outputs[0])))])

    # -- one batch ----------------------------------------------------------------------
    @distributed.in_strategy_scope
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict: bool = False):
        """One training step on one batch; returns the loss (and metrics) after it."""
        self._assert_compiled()
        if class_weight is not None and sample_weight is not None:
            raise ValueError(f"Arguments `sample_weight` and `class_weight` cannot be specified at the same time. "
                             f"Received: sample_weight={sample_weight}, class_weight={class_weight}")
        batch = data_adapter.one_batch(x, y, sample_weight, class_weight)
        self.reset_metrics()
        self._drop_frozen_variables()
        logs = pythonify_logs(self._run_train_batch(batch))
        return logs if return_dict else self._flatten_in_order(logs)

    @distributed.in_strategy_scope
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        """The loss (and metrics) on one batch."""
        self._assert_compiled()
        self.reset_metrics()
        logs = pythonify_logs(self._run_test_batch(data_adapter.one_batch(x, y, sample_weight)))
        return logs if return_dict else self._flatten_in_order(logs)

    @distributed.in_strategy_scope
    def predict_on_batch(self, x):
        """The model's outputs for one batch, as numpy arrays."""
        out = distributed.gathered([self._run_predict_batch(data_adapter.one_batch(x))])[0]
        return nest.map(loop_utils.numpy, out)

    def _assert_compiled(self) -> None:
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")


class _DeprecatedCompiledMetrics:
    def __init__(self, model):
        self._model = model

    def update_state(self, y, y_pred, sample_weight=None) -> None:
        from kerastorch.keras.metrics import Mean

        warnings.warn("`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n```\nfor metric in "
                      "self.metrics:\n    metric.update_state(y, y_pred)\n```\n", stacklevel=2)
        for metric in self._model.metrics:
            if isinstance(metric, (Mean, MeanTracker)):
                metric.update_state(y_pred, sample_weight=sample_weight)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
