"""What `compile(loss=..., metrics=...)` becomes: per-output losses and metrics on torch tensors.

Keras matches losses, loss weights and metrics to the model's outputs by position (a
list) or by output name (a dict); a single loss or metric list applies to every
output. Metric strings such as `"accuracy"` are resolved against the loss and the
shapes of the first batch, so resolution waits for `build(y_true, y_pred)`.
"""

from __future__ import annotations

import torch

from kerastorch.keras.engine import masking, nest


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


class CompileLoss:
    """The compiled loss: one loss per output (resolved on the first batch), weighted, summed."""

    def __init__(self, loss, loss_weights, output_names: list):
        self.output_names = output_names
        self.entries = _per_output(loss, output_names, "loss")
        if all(e is None for e in self.entries):
            raise ValueError("The model was compiled without a loss: `compile(loss=...)` is required to train.")
        weights = _per_output(loss_weights, output_names, "loss_weights") if loss_weights is not None else None
        self.weights = [1.0 if w is None else float(w) for w in weights] if weights else [1.0] * len(self.entries)
        self.losses = None

    def build(self, y_true, y_pred) -> None:
        """Resolves each entry (`"crossentropy"` depends on the shapes) into a Loss."""
        from kerastorch.keras import losses

        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        self.losses = [losses.compile_loss(e, t, p) for e, t, p in zip(self.entries, trues, preds)]

    def raw(self, y_true, y_pred, sample_weight=None) -> torch.Tensor:
        """The total loss (a 0-d torch tensor) for a batch; `Loss.raw` applies output masks."""
        if self.losses is None:
            self.build(y_true, y_pred)
        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        weights = (_flat_outputs(sample_weight, self.output_names) if sample_weight is not None
                   else [None] * len(preds))
        total = None
        for loss, weight, true, pred, sw in zip(self.losses, self.weights, trues, preds, weights):
            if loss is None:
                continue
            value = loss.raw(true, pred, sample_weight=sw)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics of every output, resolved on the first batch.

    As in Keras 3 it is itself one metric of the model (`model.metrics` is
    `[loss, compile_metrics]`): a custom `train_step` calls its `update_state(y, y_pred)`
    and its `result()` is a dict of the metrics' values.
    """

    name = "compile_metrics"

    def __init__(self, metrics, weighted_metrics, output_names: list):
        self.output_names = output_names
        self._metrics = metrics
        self._weighted = weighted_metrics
        self.built = False
        self.entries = []  # (output index, metric, weighted)

    def build(self, y_true, y_pred) -> None:
        from kerastorch.keras.metrics import compile_utils as metrics_module

        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        many = len(self.output_names) > 1
        for weighted, spec in ((False, self._metrics), (True, self._weighted)):
            if spec is None:
                continue
            for index, items in enumerate(_per_output(spec, self.output_names, "metrics")):
                for item in items or ():
                    metric = metrics_module.resolve_compile_metric(item, tuple(trues[index].shape),
                                                                   tuple(preds[index].shape))
                    if weighted:
                        metric._name = f"weighted_{metric.name}"
                    if many:
                        metric._name = f"{self.output_names[index]}_{metric.name}"
                    self.entries.append((index, metric, weighted))
        self.built = True

    @property
    def metrics(self) -> list:
        return [metric for _, metric, _ in self.entries]

    def raw_update(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        trues = _flat_outputs(y_true, self.output_names)
        preds = _flat_outputs(y_pred, self.output_names)
        weights = _flat_outputs(sample_weight, self.output_names) if sample_weight is not None else None
        for index, metric, weighted in self.entries:
            pred = preds[index]
            sw = weights[index] if weighted and weights is not None else None
            metric.raw_update(trues[index], pred, sample_weight=_with_mask(sw, masking.get_mask(pred), pred))

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Updates every compiled metric (on kerastorch Tensors, for custom `train_step`s)."""
        raw = nest.map(lambda v: v._t if hasattr(v, "_t") else v, (y_true, y_pred, sample_weight))
        with torch.no_grad():
            self.raw_update(*raw)

    def result(self) -> dict:
        """`{metric name: value}` of the compiled metrics."""
        from kerastorch.framework.tensor import wrap

        return {metric.name: wrap(metric.raw_result()) for metric in self.metrics}

    @property
    def variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]


def _flat_outputs(value, output_names: list) -> list:
    if isinstance(value, dict):
        return [value.get(name) for name in output_names]
    if len(output_names) == 1 and not isinstance(value, (list, tuple)):
        return [value]
    return nest.flatten(value)


def _with_mask(sample_weight, mask, pred):
    """Keras's metric rule for an output's mask: masked entries weigh 0 (a sum, not a mean)."""
    if mask is None:
        return sample_weight
    from kerastorch.keras import losses

    return losses.apply_mask(sample_weight, mask, pred.dtype, reduction="sum")
