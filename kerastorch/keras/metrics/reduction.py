"""Reduction metrics: `Sum`, `Mean`, and `MeanMetricWrapper` (the mean of a function's values).

Sample weights follow Keras's `reduce_to_samplewise_values`: values are reduced to the
weights' rank (mean for `Mean`, sum for `Sum`), weighted, then reduced per sample; a
Keras mask on the values is folded into the weights, only when weights are given.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.masking import get_mask
from kerastorch.keras.losses import raw_loss_function
from kerastorch.keras.metrics import _raw
from kerastorch.keras.metrics.base import Metric, facade, raw_or_none


def reduce_to_samplewise(values: torch.Tensor, sample_weight, reduce_fn: Callable, dtype: torch.dtype):
    """Per-sample values (rank <= 1) and the weights to sum, as Keras reduces them."""
    mask = get_mask(values)
    values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = _raw.apply_mask(sample_weight.to(dtype), mask, dtype)
        values, sample_weight = _raw.squeeze_or_expand(values, sample_weight)
        weight_ndim = sample_weight.dim()
        if values.dim() > weight_ndim:
            values = reduce_fn(values, dim=tuple(range(weight_ndim, values.dim())))
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.dim())))
    return values, sample_weight


@ser.keras_export("keras.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of the values seen.

    Args:
        name: the metric's name.
        dtype: its dtype.

    Example:
        >>> m = tf.keras.metrics.Sum()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        16.0
    """

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")

    @facade
    def update_state(self, values, sample_weight=None) -> None:
        self._run_update(unwrap(values), sample_weight=raw_or_none(sample_weight))

    @facade
    def result(self):
        return wrap(self._result())

    def _update(self, values, sample_weight=None) -> None:
        values, _ = reduce_to_samplewise(values, sample_weight, torch.sum, self._torch_dtype)
        self.total._param.add_(values.sum())

    def _result(self) -> torch.Tensor:
        return self.total._param.clone()


@ser.keras_export("keras.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of the values seen: `total / count`.

    Args:
        name: the metric's name.
        dtype: its dtype.

    Example:
        >>> m = tf.keras.metrics.Mean()
        >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="count")

    @facade
    def update_state(self, values, sample_weight=None) -> None:
        # `_accumulate`, not `_update`: subclasses give `_update` other arguments.
        with torch.no_grad():
            self._accumulate(unwrap(values), raw_or_none(sample_weight))

    @facade
    def result(self):
        return wrap(self._result())

    def _update(self, values, sample_weight=None) -> None:
        self._accumulate(values, sample_weight)

    def _accumulate(self, values: torch.Tensor, sample_weight) -> None:
        if sample_weight is None and values.dtype in (self._torch_dtype, torch.bool) and (
                math.prod(values.shape[1:]) == 1):
            # The fit loop's common case, one value per sample and no weights: two kernels
            # (booleans are summed exactly as they are).
            self.total._param.add_(values.sum())
            self.count._param.add_(values.shape[0] if values.dim() else 1)
            return
        values, sample_weight = reduce_to_samplewise(values, sample_weight, torch.mean, self._torch_dtype)
        self.total._param.add_(values.sum())
        if sample_weight is not None:
            self.count._param.add_(sample_weight.sum())
        else:
            self.count._param.add_(values.shape[0] if values.dim() else 1)

    def _result(self) -> torch.Tensor:
        return _raw.divide_no_nan(self.total._param, self.count._param)


@ser.keras_export("keras.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over the samples seen.

    A Keras mask on `y_pred` weights the values (masked-out entries count for nothing).

    Args:
        fn: the per-sample metric function.
        name: the metric's name.
        dtype: its dtype.
        **kwargs: keyword arguments passed to `fn`.

    Example:
        >>> m = tf.keras.metrics.MeanMetricWrapper(tf.keras.metrics.binary_accuracy, threshold=0.3)
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        # The torch form: ours for a metric function, the losses' for a loss function, else a
        # shell that calls `fn` on kerastorch tensors.
        self._raw_fn = _raw.RAW_FUNCTIONS.get(fn) or raw_loss_function(fn)

    @facade
    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._run_update(unwrap(y_true), unwrap(y_pred), sample_weight=raw_or_none(sample_weight))

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        values = self._raw_fn(y_true, y_pred, **self._fn_kwargs)
        self._accumulate(values, _raw.apply_mask(sample_weight, get_mask(y_pred), self._torch_dtype))

    def get_config(self) -> dict:
        return {**super().get_config(), "fn": ser.serialize_keras_object(self._fn),
                **ser.serialize_keras_object(self._fn_kwargs)}

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        if "fn" in config:
            config = ser.deserialize_keras_object(config)
        return cls(**config)


class WrappedFunction(MeanMetricWrapper):
    """A mean of one of Keras's functions: its config is `name` and `dtype` only."""

    _direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


def wrapped_class(cls_name: str, fn: Callable, default_name: str, doc: str, direction: str = "down") -> type:
    """The class `keras.metrics.<cls_name>(name=default_name, dtype=None)`: the mean of `fn`."""

    def __init__(self, name: str = default_name, dtype=None):
        WrappedFunction.__init__(self, fn, name=name, dtype=dtype)

    doc = f"{doc}\n\n    Args:\n        name: the metric's name.\n        dtype: its dtype.\n    "
    cls = type(cls_name, (WrappedFunction,), {"__init__": __init__, "_direction": direction, "__doc__": doc})
    return ser.keras_export(f"keras.metrics.{cls_name}")(cls)
