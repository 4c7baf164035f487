"""Confusion metrics: TP/FP/TN/FN counts, Precision, Recall, and the X-at-Y metrics."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.metrics import confusion_matrix as cm
from kerastorch.keras.metrics._raw import divide_no_nan
from kerastorch.keras.metrics.base import Builtin


def _single_or_all(values: torch.Tensor, thresholds: cm.Thresholds) -> torch.Tensor:
    return values[0].clone() if len(thresholds) == 1 else values.clone()


class _ConditionCount(Builtin):
    """The weighted count of one confusion-matrix cell, per threshold."""

    _condition = ""

    def __init__(self, thresholds=None, name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = cm.parse_thresholds(thresholds, default=0.5)
        self._thresholds = cm.Thresholds(self.thresholds, cm.evenly_distributed(self.thresholds))
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                                             name="accumulator")

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        cm.update({self._condition: self.accumulator}, y_true, y_pred, self._thresholds,
                  sample_weight=sample_weight)

    def _result(self) -> torch.Tensor:
        return _single_or_all(self.accumulator._param, self._thresholds)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


def _count_class(cls_name: str, condition: str, what: str) -> type:
    doc = (f"The weighted number of {what}, per threshold (a scalar for one threshold).\n\n    Args:\n"
           "        thresholds: a float or list of floats in [0, 1]; a prediction above one counts as\n"
           "            positive (default 0.5).\n        name: the metric's name.\n        dtype: its dtype.\n    ")
    cls = type(cls_name, (_ConditionCount,), {"_condition": condition, "__doc__": doc})
    return ser.keras_export(f"keras.metrics.{cls_name}")(cls)


TruePositives = _count_class("TruePositives", cm.TRUE_POSITIVES, "true positives")
FalsePositives = _count_class("FalsePositives", cm.FALSE_POSITIVES, "false positives")
TrueNegatives = _count_class("TrueNegatives", cm.TRUE_NEGATIVES, "true negatives")
FalseNegatives = _count_class("FalseNegatives", cm.FALSE_NEGATIVES, "false negatives")


class _PrecisionRecall(Builtin):
    """`tp / (tp + other)` per threshold, `other` being false positives or false negatives."""

    _direction = "up"
    _other = ""
    _other_name = ""

    def __init__(self, thresholds=None, top_k: int | None = None, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else cm.NEG_INF
        self.thresholds = cm.parse_thresholds(thresholds, default=default)
        self._thresholds = cm.Thresholds(self.thresholds, cm.evenly_distributed(self.thresholds))
        self.true_positives = self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                                                name="true_positives")
        self._other_count = self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                                              name=self._other_name)
        setattr(self, self._other_name, self._other_count)

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        cm.update({cm.TRUE_POSITIVES: self.true_positives, self._other: self._other_count}, y_true, y_pred,
                  self._thresholds, top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight)

    def _result(self) -> torch.Tensor:
        tp = self.true_positives._param
        return _single_or_all(divide_no_nan(tp, tp + self._other_count._param), self._thresholds)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@ser.keras_export("keras.metrics.Precision")
class Precision(_PrecisionRecall):
    """`true_positives / (true_positives + false_positives)`, per threshold.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction above one counts as
            positive (default 0.5, or every top-k prediction with `top_k`).
        top_k: only the `k` highest predictions of a sample may count as positive.
        class_id: only this class (last axis) counts.
        name: the metric's name.
        dtype: its dtype.

    Example:
        >>> m = tf.keras.metrics.Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        0.6666666865348816
    """

    _other = cm.FALSE_POSITIVES
    _other_name = "false_positives"


@ser.keras_export("keras.metrics.Recall")
class Recall(_PrecisionRecall):
    """`true_positives / (true_positives + false_negatives)`, per threshold.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction above one counts as
            positive (default 0.5, or every top-k prediction with `top_k`).
        top_k: only the `k` highest predictions of a sample may count as positive.
        class_id: only this class (last axis) counts.
        name: the metric's name.
        dtype: its dtype.
    """

    _other = cm.FALSE_NEGATIVES
    _other_name = "false_negatives"


class _AtConstraint(Builtin):
    """The best of one rate over the thresholds where another rate reaches `value`."""

    _direction = "up"
    _value_name = ""

    def __init__(self, value: float, num_thresholds: int, class_id: int | None, name: str | None, dtype):
        if value < 0 or value > 1:
            raise ValueError(f"Argument `{self._value_name}` must be in the range [0, 1]. "
                             f"Received: {self._value_name}={value}")
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError(f"Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0, *inner, 1.0]
        self._thresholds = cm.Thresholds(self.thresholds, evenly=num_thresholds != 1)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros", name="true_positives")
        self.false_positives = self.add_variable(shape=shape, initializer="zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape=shape, initializer="zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape=shape, initializer="zeros", name="false_negatives")

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        variables = {cm.TRUE_POSITIVES: self.true_positives, cm.TRUE_NEGATIVES: self.true_negatives,
                     cm.FALSE_POSITIVES: self.false_positives, cm.FALSE_NEGATIVES: self.false_negatives}
        cm.update(variables, y_true, y_pred, self._thresholds, class_id=self.class_id,
                  sample_weight=sample_weight)

    def _best(self, constrained: str, dependent: str) -> torch.Tensor:
        tp, fp = self.true_positives._param, self.false_positives._param
        tn, fn = self.true_negatives._param, self.false_negatives._param
        recall = divide_no_nan(tp, tp + fn)
        rates = {"sensitivity": recall, "recall": recall, "specificity": divide_no_nan(tn, tn + fp),
                 "precision": divide_no_nan(tp, tp + fp)}
        feasible = rates[constrained] >= self.value
        return torch.where(feasible, rates[dependent], 0.0).amax().clamp_min(0.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._value_name: self.value}


_AT_ARGS = """
        num_thresholds: how many evenly spaced thresholds to try (0, ..., 1).
        class_id: only this class (last axis) counts.
        name: the metric's name.
        dtype: its dtype.
"""


@ser.keras_export("keras.metrics.SensitivityAtSpecificity")
class SensitivityAtSpecificity(_AtConstraint):
    __doc__ = f"""The best sensitivity (recall) where specificity >= `specificity`.

    Args:
        specificity: the specificity to reach, in [0, 1].{_AT_ARGS}"""

    _value_name = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def _result(self) -> torch.Tensor:
        return self._best("specificity", "sensitivity")


@ser.keras_export("keras.metrics.SpecificityAtSensitivity")
class SpecificityAtSensitivity(_AtConstraint):
    __doc__ = f"""The best specificity where sensitivity (recall) >= `sensitivity`.

    Args:
        sensitivity: the sensitivity to reach, in [0, 1].{_AT_ARGS}"""

    _value_name = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def _result(self) -> torch.Tensor:
        return self._best("sensitivity", "specificity")


@ser.keras_export("keras.metrics.PrecisionAtRecall")
class PrecisionAtRecall(_AtConstraint):
    __doc__ = f"""The best precision where recall >= `recall`.

    Args:
        recall: the recall to reach, in [0, 1].{_AT_ARGS}"""

    _value_name = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall

    def _result(self) -> torch.Tensor:
        return self._best("recall", "precision")


@ser.keras_export("keras.metrics.RecallAtPrecision")
class RecallAtPrecision(_AtConstraint):
    __doc__ = f"""The best recall where precision >= `precision`.

    Args:
        precision: the precision to reach, in [0, 1].{_AT_ARGS}"""

    _value_name = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

    def _result(self) -> torch.Tensor:
        return self._best("precision", "recall")
