"""How `Model.compile(metrics=[...])` turns one entry into a `Metric` (Keras 3.15's `get_metric`).

`resolve_compile_metric(identifier, y_true_shape, y_pred_shape)` is the Model's entry:

- `"accuracy"` / `"acc"` (any case) become `BinaryAccuracy` when the prediction's last
  dimension is 1, `SparseCategoricalAccuracy` when the labels have a lower rank than the
  predictions (or a last dimension of 1 against more classes), `CategoricalAccuracy`
  otherwise. Keras 3 decides from the shapes alone; the loss plays no part (unlike
  Keras 2), and `"crossentropy"` / `"ce"` are not metric names (`ValueError`, as Keras 3).
- any other identifier goes through `keras.metrics.get` (names such as `"mse"`, `"auc"`,
  `"AUC"`, `"binary_accuracy"`, config dicts, classes, instances, functions);
- the metric is named by the string it was given (`"acc"`, `"mse"` -> history keys
  `acc`, `mse`), else by the object's name; a plain function is wrapped in a
  `MeanMetricWrapper` named after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from kerastorch.keras.engine.naming import to_snake_case
from kerastorch.keras.metrics import get
from kerastorch.keras.metrics.accuracy import BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy
from kerastorch.keras.metrics.base import Metric
from kerastorch.keras.metrics.reduction import MeanMetricWrapper


def _object_name(obj) -> str:
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


def is_binary_or_sparse_categorical(y_true_shape: Sequence, y_pred_shape: Sequence) -> tuple:
    """`(is_binary, is_sparse_categorical)` as Keras infers them from the shapes."""
    is_binary = y_pred_shape[-1] == 1
    is_sparse = len(y_true_shape) < len(y_pred_shape) or (y_true_shape[-1] == 1 and y_pred_shape[-1] > 1)
    return is_binary, is_sparse


def resolve_compile_metric(identifier, y_true_shape: Sequence, y_pred_shape: Sequence) -> Metric:
    """The metric a `compile(metrics=...)` entry stands for, for one output.

    Args:
        identifier: a name, config dict, `Metric` class or instance, or function.
        y_true_shape: the labels' shape (a batch's; only ranks and last dimensions count).
        y_pred_shape: the predictions' shape.
    """
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        if is_binary:
            metric = BinaryAccuracy(name=str(identifier))
        elif is_sparse:
            metric = SparseCategoricalAccuracy(name=str(identifier))
        else:
            metric = CategoricalAccuracy(name=str(identifier))
    else:
        metric = get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = name
    return metric
