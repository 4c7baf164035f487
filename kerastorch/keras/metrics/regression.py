"""Regression metrics: mean errors, RMSE, cosine similarity, log-cosh, correlations and R².

The mean-error functions are `keras.losses`'s, as in Keras.
"""

from __future__ import annotations

import warnings

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kerastorch.keras.metrics import _raw, functions
from kerastorch.keras.metrics._raw import public
from kerastorch.keras.metrics.base import Builtin, facade, raw_or_none
from kerastorch.keras.metrics.reduction import Mean, WrappedFunction, wrapped_class

cosine_similarity = public(functions.cosine_similarity)
pearson_correlation = public(functions.pearson_correlation, "keras.metrics.pearson_correlation")
concordance_correlation = public(functions.concordance_correlation, "keras.metrics.concordance_correlation")

MeanSquaredError = wrapped_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                                 "The mean of `square(y_true - y_pred)`.")
MeanAbsoluteError = wrapped_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                                  "The mean of `abs(y_true - y_pred)`.")
MeanAbsolutePercentageError = wrapped_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error, "mean_absolute_percentage_error",
    "The mean of `100 * abs((y_true - y_pred) / max(abs(y_true), epsilon))`.")
MeanSquaredLogarithmicError = wrapped_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error, "mean_squared_logarithmic_error",
    "The mean of `square(log(y_true + 1) - log(y_pred + 1))` (values below epsilon clipped).")
LogCoshError = wrapped_class("LogCoshError", log_cosh, "logcosh", "The mean of `log(cosh(y_pred - y_true))`.")


@ser.keras_export("keras.metrics.CosineSimilarity")
class CosineSimilarity(WrappedFunction):
    """The mean cosine similarity of labels and predictions along `axis`.

    Args:
        name: the metric's name.
        dtype: its dtype.
        axis: the axis along which the similarity is computed (not in the config, as in Keras).
    """

    _direction = "up"

    def __init__(self, name: str = "cosine_similarity", dtype=None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class _Correlation(WrappedFunction):
    """A mean correlation along `axis` (in the config)."""

    _direction = "up"

    def __init__(self, fn, name: str, dtype, axis: int):
        super().__init__(fn, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


@ser.keras_export("keras.metrics.PearsonCorrelation")
class PearsonCorrelation(_Correlation):
    """The mean Pearson correlation of labels and predictions along `axis`.

    Args:
        name: the metric's name.
        dtype: its dtype.
        axis: the axis along which the correlation is computed.
    """

    def __init__(self, name: str = "pearson_correlation", dtype=None, axis: int = -1):
        super().__init__(pearson_correlation, name, dtype, axis)


@ser.keras_export("keras.metrics.ConcordanceCorrelation")
class ConcordanceCorrelation(_Correlation):
    """The mean concordance correlation of labels and predictions along `axis`.

    Args:
        name: the metric's name.
        dtype: its dtype.
        axis: the axis along which the correlation is computed.
    """

    def __init__(self, name: str = "concordance_correlation", dtype=None, axis: int = -1):
        super().__init__(concordance_correlation, name, dtype, axis)


@ser.keras_export("keras.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    """`sqrt(mean(square(y_true - y_pred)))`, weighted per sample.

    Args:
        name: the metric's name.
        dtype: its dtype.
    """

    _direction = "down"

    def __init__(self, name: str = "root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    @facade
    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._run_update(unwrap(y_true), unwrap(y_pred), sample_weight=raw_or_none(sample_weight))

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = _raw.squeeze_or_expand(y_true.to(self._torch_dtype), y_pred.to(self._torch_dtype))
        self._accumulate((y_pred - y_true).square(), sample_weight)

    def _result(self) -> torch.Tensor:
        return super()._result().sqrt()


_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


@ser.keras_export("keras.metrics.R2Score")
class R2Score(Builtin):
    """The coefficient of determination, per output column, then aggregated.

    Inputs are 2D `(batch, outputs)`. With `num_regressors > 0` the adjusted R² is
    returned; that result reads the sample count on the host (one sync).

    Args:
        class_aggregation: None (one score per output), `"uniform_average"` or
            `"variance_weighted_average"`.
        num_regressors: the number of independent regressors (0: plain R²).
        name: the metric's name.
        dtype: its dtype.
    """

    _direction = "up"

    def __init__(self, class_aggregation: str | None = "uniform_average", num_regressors: int = 0,
                 name: str = "r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of "
                             f"{_AGGREGATIONS}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. "
                             f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}.")
        num_classes = y_pred_shape[-1]
        self.squared_sum = self.add_variable(name="squared_sum", shape=[num_classes], initializer="zeros")
        self.sum = self.add_variable(name="sum", shape=[num_classes], initializer="zeros")
        self.total_mse = self.add_variable(name="residual", shape=[num_classes], initializer="zeros")
        self.count = self.add_variable(name="count", shape=[num_classes], initializer="zeros")
        self._built = True

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        dtype = self._torch_dtype
        y_true, y_pred = _raw.squeeze_or_expand(y_true.to(dtype), y_pred.to(dtype))
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weight = y_true.new_ones(()) if sample_weight is None else sample_weight.to(dtype)
        if weight.dim() == 1:
            weight = weight.unsqueeze(1)
        weight = torch.broadcast_to(weight, y_true.shape)
        weighted_y_true = y_true * weight
        self.sum._param.add_(weighted_y_true.sum(0))
        self.squared_sum._param.add_((y_true * weighted_y_true).sum(0))
        self.total_mse._param.add_(((y_true - y_pred).square() * weight).sum(0))
        self.count._param.add_(weight.sum(0))
        self.num_samples._param.add_(y_true.numel())

    def _result(self) -> torch.Tensor:
        total_sum, count = self.sum._param, self.count._param
        total = self.squared_sum._param - total_sum * (total_sum / count)
        raw_scores = 1 - self.total_mse._param / total
        raw_scores = torch.where(torch.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            score = raw_scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw_scores).sum() / total.sum()
        else:
            score = raw_scores
        return self._adjusted(score) if self.num_regressors != 0 else score

    def _adjusted(self, score: torch.Tensor) -> torch.Tensor:
        num_samples = float(self.num_samples._param)
        if self.num_regressors > num_samples - 1:
            warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back to "
                          "standard R2 score.", stacklevel=3)
            return score
        if self.num_regressors == num_samples - 1:
            warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                          stacklevel=3)
            return score
        return 1.0 - (1.0 - score) * (num_samples - 1.0) / (num_samples - self.num_regressors - 1.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
