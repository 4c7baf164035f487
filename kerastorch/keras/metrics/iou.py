"""Intersection-over-union metrics from an accumulated `(classes, classes)` confusion matrix."""

from __future__ import annotations

import warnings

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras import config
from kerastorch.keras.metrics.base import Builtin


class _IoUBase(Builtin):
    """Accumulates the confusion matrix (rows: labels, columns: predictions) of class ids."""

    _direction = "up"

    def __init__(self, num_classes: int, name: str | None = None, dtype=None, ignore_class: int | None = None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(name=name, dtype=dtype or "int")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(name="total_confusion_matrix", shape=(num_classes, num_classes),
                                          initializer="zeros", dtype=self.dtype)

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        dtype = self._torch_dtype
        if not self.sparse_y_true:
            y_true = y_true.argmax(self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(self.axis)
        y_true, y_pred = y_true.to(dtype).reshape(-1), y_pred.to(dtype).reshape(-1)
        if sample_weight is None:
            weight = torch.ones((), dtype=dtype, device=y_true.device)
        else:
            if sample_weight.is_floating_point() and not dtype.is_floating_point:
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may result in an "
                              "incorrect weight due to type casting Consider using integer weights.",
                              stacklevel=4)
            weight = sample_weight.to(dtype).reshape(-1)
        weight = torch.broadcast_to(weight, y_true.shape)
        in_bounds = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            in_bounds &= y_true != self.ignore_class
        cells = torch.where(in_bounds, y_true, 0) * self.num_classes + torch.where(in_bounds, y_pred, 0)
        weight = torch.where(in_bounds, weight, 0)
        self.total_cm._param.view(-1).index_add_(0, cells.long(), weight.to(self.total_cm._param.dtype))


@ser.keras_export("keras.metrics.IoU")
class IoU(_IoUBase):
    """The mean intersection-over-union of the `target_class_ids` classes.

    `IoU = true_positives / (true_positives + false_positives + false_negatives)` per
    class; classes never seen (zero denominator) are left out of the mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default int64).
        ignore_class: a label whose entries are left out.
        sparse_y_true: labels are class ids (else one-hot / scores along `axis`).
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis of non-sparse inputs.
    """

    def __init__(self, num_classes: int, target_class_ids, name: str | None = None, dtype=None,
                 ignore_class: int | None = None, sparse_y_true: bool = True, sparse_y_pred: bool = True,
                 axis: int = -1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis, dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)
        self._targets = None

    def _result(self) -> torch.Tensor:
        matrix = self.total_cm._param.to(torch.float32)
        if self._targets is None or self._targets.device != matrix.device:
            self._targets = torch.tensor(self.target_class_ids, dtype=torch.long, device=matrix.device)
        true_positives = matrix.diagonal()[self._targets]
        denominator = (matrix.sum(0) + matrix.sum(1) - matrix.diagonal())[self._targets]
        valid = denominator > 1e-9
        iou = torch.where(valid, true_positives / (denominator + config.epsilon()), 0.0)
        return iou.sum(self.axis) / (valid.to(torch.float32).sum() + config.epsilon())

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@ser.keras_export("keras.metrics.BinaryIoU")
class BinaryIoU(IoU):
    """IoU of binary labels and predictions thresholded at `threshold` (`>=` counts as 1).

    Args:
        target_class_ids: the classes (0 and/or 1) to average over.
        threshold: predictions at or above it count as class 1.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default int64).
    """

    def __init__(self, target_class_ids=(0, 1), threshold: float = 0.5, name: str | None = None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = (y_pred.to(torch.float32) >= self.threshold).to(self._torch_dtype)
        super()._update(y_true.to(self._torch_dtype), y_pred, sample_weight)

    def get_config(self) -> dict:
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


@ser.keras_export("keras.metrics.MeanIoU")
class MeanIoU(IoU):
    """The mean intersection-over-union over all `num_classes` classes.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default int64).
        ignore_class: a label whose entries are left out.
        sparse_y_true: labels are class ids (else one-hot / scores along `axis`).
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis of non-sparse inputs.

    Example:
        >>> m = tf.keras.metrics.MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> float(m.result())
        0.3333333134651184
    """

    def __init__(self, num_classes: int, name: str | None = None, dtype=None, ignore_class: int | None = None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1):
        super().__init__(name=name, num_classes=num_classes, target_class_ids=list(range(num_classes)),
                         axis=axis, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@ser.keras_export("keras.metrics.OneHotIoU")
class OneHotIoU(IoU):
    """IoU of one-hot labels and class scores (the argmax along `axis` is the class).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default int64).
        ignore_class: a label whose entries are left out.
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis.
    """

    def __init__(self, num_classes: int, target_class_ids, name: str | None = None, dtype=None,
                 ignore_class: int | None = None, sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@ser.keras_export("keras.metrics.OneHotMeanIoU")
class OneHotMeanIoU(MeanIoU):
    """The mean IoU over all classes, of one-hot labels and class scores.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default int64).
        ignore_class: a label whose entries are left out.
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis.
    """

    def __init__(self, num_classes: int, name: str | None = None, dtype=None, ignore_class: int | None = None,
                 sparse_y_pred: bool = False, axis: int = -1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
