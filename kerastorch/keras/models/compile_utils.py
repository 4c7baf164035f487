"""What `compile(loss=..., metrics=...)` becomes: per-output losses and metrics on torch tensors.

Keras matches losses, loss weights and metrics to the model's outputs by position (a
list) or by output name (a dict); a single loss or metric list applies to every
output. Metric strings such as `"accuracy"` are resolved against the loss and the
shapes of the first batch, so resolution waits for `build(y_true, y_pred)`.
"""

from __future__ import annotations

import torch

from kerastorch.distribute import replica_step
from kerastorch.keras.engine import nest


def _per_output(value, output_names: list, what: str) -> list:
    """`value` as one entry per output (a list, a dict by output name, or one for all)."""
    count = len(output_names)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in output_names]
        if unknown:
            raise ValueError(f"Unknown entries in {what} dictionary: {unknown}. Only expected following keys: "
                             f"{output_names}")
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and count > 1 and (what == "loss" or all(
            isinstance(v, (list, tuple)) or v is None for v in value)):
        if len(value) != count:
            raise ValueError(f"For a model with multiple outputs, when providing the `{what}` argument as a "
                             f"list, it should have as many entries as the model has outputs. Received:\n"
                             f"{what}={value}\nof length {len(value)} whereas the model has {count} outputs.")
        return list(value)
    return [value] * count


class MeanTracker:
    """A mean accumulated on the device: the loss shown by fit/evaluate, and each output's loss.

    Keras 3 keeps it in a `keras.metrics.Mean`; here the count is a Python number (the
    batch sizes), so a step adds one kernel, not two. `update_state` takes what `Mean`
    takes (values of any shape, optional sample weights), for custom `train_step`s.
    """

    def __init__(self, name: str):
        self.name = name
        self.total = None
        self.count = None

    def reset_state(self) -> None:
        self.total = self.count = None

    def update_state(self, values, sample_weight=None) -> None:
        """Adds `values` (their per-sample means), weighted by `sample_weight` (default 1 each)."""
        from kerastorch.keras.metrics.reduction import reduce_to_samplewise
        from kerastorch.keras.models.data_adapter import to_device

        raw = to_device(values).detach().float()
        if raw.dim() == 0 and (sample_weight is None or isinstance(sample_weight, (int, float))):
            self.raw_update(raw, 1 if sample_weight is None else sample_weight)
            return
        weight = None if sample_weight is None else to_device(sample_weight).detach().float()
        raw, weight = reduce_to_samplewise(raw, weight, torch.mean, torch.float32)
        self._add(raw.sum(), raw.shape[0] if weight is None and raw.dim() else 1 if weight is None else weight.sum())

    @property
    def variables(self) -> list:
        return []

    def raw_update(self, value: torch.Tensor, weight) -> None:
        """Adds a 0-d value (a batch's loss) weighted by the batch size, on the device."""
        if value.dim() and not value.numel():
            return  # an empty share of a batch (a process of a distributed run got no samples)
        self._add(value.detach() * weight, weight)

    def _add(self, total, count) -> None:
        if self.total is None:
            self.total, self.count = total, count
        else:
            self.total, self.count = self.total + total, self.count + count

    def raw_result(self) -> torch.Tensor:
        """The mean so far (0 before any value, as Keras's `Mean`)."""
        return torch.zeros(()) if self.total is None else self.total / self.count

    def result(self):
        from kerastorch.framework.tensor import wrap

        return wrap(self.raw_result())


class CompileLoss:
    """The compiled loss: one loss per output (resolved on the first batch), weighted, summed.

    With more than one loss, each output's unweighted loss is also tracked, as Keras's
    `<output>_loss` metrics (`metrics`). TF's compiled step reads the batch size from the
    static shape, unknown there, so each batch counts once: the tracked value is the mean
    of the batches' losses; with `run_eagerly=True` batches count by their size.
    """

    def __init__(self, loss, loss_weights, output_names: list, run_eagerly: bool = False):
        self.output_names = output_names
        self.run_eagerly = run_eagerly
        self.entries = _per_output(loss, output_names, "loss")
        if all(e is None for e in self.entries):
            raise ValueError("The model was compiled without a loss: `compile(loss=...)` is required to train.")
        weights = _per_output(loss_weights, output_names, "loss_weights") if loss_weights is not None else None
        self.weights = [1.0 if w is None else float(w) for w in weights] if weights else [1.0] * len(self.entries)
        self.losses = None
        self.trackers = [None] * len(self.entries)

    @property
    def metrics(self) -> list:
        return [tracker for tracker in self.trackers if tracker is not None]

    def build(self, y_true, y_pred) -> None:
        """Resolves each entry (`"crossentropy"` depends on the shapes) into a Loss."""
        from kerastorch.keras import losses

        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        self.losses = [losses.compile_loss(e, t, p) for e, t, p in zip(self.entries, trues, preds)]
        if sum(loss is not None for loss in self.losses) > 1:
            self.trackers = [None if loss is None else MeanTracker(f"{name}_loss")
                             for loss, name in zip(self.losses, self.output_names)]

    def raw(self, y_true, y_pred, sample_weight=None) -> torch.Tensor:
        """The total loss (a 0-d torch tensor) for a batch; `Loss.raw` applies output masks."""
        if self.losses is None:
            self.build(y_true, y_pred)
        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        weights = _output_weights(sample_weight, self.output_names)
        total = None
        for loss, weight, tracker, true, pred, sw in zip(self.losses, self.weights, self.trackers, trues, preds,
                                                         weights):
            if loss is None:
                continue
            value = loss.raw(true, pred, sample_weight=sw)
            if tracker is not None:  # the unscaled value (Keras's `unscale_loss_for_distribution`)
                replicas = replica_step.replicas()
                tracker.raw_update(value * replicas if replicas > 1 else value,
                                   pred.shape[0] if self.run_eagerly else 1)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics of every output, resolved on the first batch.

    As in Keras 3 it is itself one metric of the model (`model.metrics` is
    `[loss, compile_metrics, ...]`): a custom `train_step` calls its
    `update_state(y, y_pred)` and its `result()` is a dict of the metrics' values. The
    metrics keep their own names (`"accuracy"`); the result names them as Keras does:
    prefixed by the output's name when the model has several outputs, `_1`, `_2` for
    repeats, and `weighted_` for a weighted metric whose name is already taken.
    """

    name = "compile_metrics"

    def __init__(self, metrics, weighted_metrics, output_names: list):
        self.output_names = output_names
        self._metrics = metrics
        self._weighted = weighted_metrics
        self.built = False
        self.entries = []  # (output index, metric, weighted)
        self.names = []  # the result's name of each entry

    def build(self, y_true, y_pred) -> None:
        from kerastorch.keras.metrics import compile_utils as metrics_module

        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        for weighted, spec in ((False, self._metrics), (True, self._weighted)):
            if spec is None:
                continue
            for index, items in enumerate(_per_output(spec, self.output_names, "metrics")):
                for item in items or ():
                    metric = metrics_module.resolve_compile_metric(item, tuple(trues[index].shape),
                                                                   tuple(preds[index].shape))
                    self.entries.append((index, metric, weighted))
        self.names = self._result_names()
        self.built = True

    def _result_names(self) -> list:
        prefixes = [f"{name}_" if len(self.output_names) > 1 else "" for name in self.output_names]
        counts, names = {}, []
        for index, metric, weighted in self.entries:
            name = prefixes[index] + metric.name
            if name in counts and weighted:
                name = f"{prefixes[index]}weighted_{metric.name}"
            if name in counts:
                counts[name] += 1
                name = f"{name}_{counts[name] - 1}"
            else:
                counts[name] = 1
            names.append(name)
        return names

    @property
    def metrics(self) -> list:
        return [metric for _, metric, _ in self.entries]

    def raw_update(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        weights = _output_weights(sample_weight, self.output_names)
        for index, metric, weighted in self.entries:
            metric.raw_update(trues[index], preds[index], sample_weight=weights[index] if weighted else None)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Updates every compiled metric (on kerastorch Tensors, for custom `train_step`s)."""
        from kerastorch.keras.models.data_adapter import to_device

        raw = nest.map(lambda v: None if v is None else to_device(v), (y_true, y_pred, sample_weight))
        with torch.no_grad():
            self.raw_update(*raw)

    def raw_result(self) -> dict:
        """`{name: value}` of the compiled metrics, as torch tensors."""
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        return {name: metric.raw_result() for name, metric in zip(self.names, self.metrics)}

    def result(self) -> dict:
        """`{name: value}` of the compiled metrics."""
        from kerastorch.framework.tensor import wrap

        return {name: wrap(value) for name, value in self.raw_result().items()}

    @property
    def variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]


def _flat_outputs(value, output_names: list) -> list:
    if isinstance(value, dict):
        return [value.get(name) for name in output_names]
    if len(output_names) == 1 and not isinstance(value, (list, tuple)):
        return [value]
    return nest.flatten(value)


def _output_weights(sample_weight, output_names: list) -> list:
    """One sample weight per output: a single one applies to every output (Keras repeats it)."""
    if sample_weight is None:
        return [None] * len(output_names)
    if isinstance(sample_weight, (list, tuple, dict)):
        return _flat_outputs(sample_weight, output_names)
    return [sample_weight] * len(output_names)
