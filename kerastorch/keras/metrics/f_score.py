"""F-scores: `FBetaScore` and `F1Score` over one-hot (or multi-label) 2D inputs."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras import config
from kerastorch.keras.metrics.base import Builtin

_AVERAGES = (None, "micro", "macro", "weighted")


@ser.keras_export("keras.metrics.FBetaScore")
class FBetaScore(Builtin):
    """`(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`, per class or averaged.

    Inputs are 2D `(batch, classes)`. Without `threshold` the highest prediction of each
    sample counts as positive (all ties, if nonzero); with it, every prediction above it.

    Args:
        average: None (one score per class), `"micro"` (pooled counts), `"macro"` (mean
            of the classes' scores) or `"weighted"` (weighted by the classes' support).
        beta: the weight of recall (a float > 0).
        threshold: a float in (0, 1], or None.
        name: the metric's name.
        dtype: its dtype.
    """

    _direction = "up"

    def __init__(self, average: str | None = None, beta: float = 1.0, threshold: float | None = None,
                 name: str = "fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError(f"Invalid `beta` argument value. It should be a Python float. Received: "
                             f"beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(f"Invalid `threshold` argument value. It should be a Python float. "
                                 f"Received: threshold={threshold} of type '{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                                 f"Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, name, self.add_variable(name=name, shape=shape, initializer="zeros", dtype=self.dtype))
        self._built = True

    def _update(self, y_true, y_pred, sample_weight=None) -> None:
        dtype = self._torch_dtype
        y_true, y_pred = y_true.to(dtype), y_pred.to(dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            top = y_pred.amax(-1, keepdim=True)
            y_pred = (y_pred >= top) & (y_pred.abs() > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.to(dtype)
        weight = None if sample_weight is None else sample_weight.to(dtype).unsqueeze(1)

        def weighted_sum(values):
            if weight is not None:
                values = values * weight
            return values.sum() if self.axis is None else values.sum(self.axis)

        self.true_positives._param.add_(weighted_sum(y_pred * y_true))
        self.false_positives._param.add_(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives._param.add_(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights._param.add_(weighted_sum(y_true))

    def _result(self) -> torch.Tensor:
        epsilon = config.epsilon()
        tp = self.true_positives._param
        precision = tp / (tp + self.false_positives._param + epsilon)
        recall = tp / (tp + self.false_negatives._param + epsilon)
        beta_sq = self.beta**2
        f_score = precision * recall / (beta_sq * precision + recall + epsilon) * (1 + beta_sq)
        if self.average == "weighted":
            weights = self.intermediate_weights._param
            return (f_score * (weights / (weights.sum() + epsilon))).sum()
        if self.average is not None:
            return f_score.mean()
        return f_score

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


@ser.keras_export("keras.metrics.F1Score")
class F1Score(FBetaScore):
    """The F-score with `beta=1`: the harmonic mean of precision and recall.

    Args:
        average: None (one score per class), `"micro"`, `"macro"` or `"weighted"`.
        threshold: a float in (0, 1], or None (the highest prediction counts).
        name: the metric's name.
        dtype: its dtype.

    Example:
        >>> m = tf.keras.metrics.F1Score(average="macro", threshold=0.5)
    """

    def __init__(self, average: str | None = None, threshold: float | None = None, name: str = "f1_score",
                 dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config_ = super().get_config()
        del config_["beta"]
        return config_
