"""Thresholded confusion-matrix counts on the device (Keras's `update_confusion_matrix_variables`).

`update(variables, y_true, y_pred, thresholds, ...)` adds a batch's weighted true/false
positive/negative counts, one per threshold, to the given variables in place. Evenly
spaced thresholds (AUC's, or `[0, 1/(n-1), …, 1]`) take Keras's bucketed path: one
scatter-add per count instead of a `(thresholds, samples)` comparison.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.keras import config
from kerastorch.keras.metrics._raw import squeeze_or_expand

TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES = "tp", "fp", "tn", "fn"
NEG_INF = -1e10  # the threshold that lets every top-k prediction count as positive


def parse_thresholds(thresholds, default: float) -> list:
    """The thresholds as a list, each checked to lie in [0, 1]."""
    if thresholds is not None:
        listed = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
        invalid = [t for t in listed if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    chosen = default if thresholds is None else thresholds
    return list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]


def evenly_distributed(thresholds) -> bool:
    """Whether the thresholds are `i / (n - 1)` for `i < n` (n >= 3), within epsilon."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


class Thresholds:
    """A metric's thresholds: the Python values, and a tensor of them kept where the counts live.

    Args:
        values: the thresholds, ascending.
        evenly: whether they are evenly spaced (Keras's bucketed path); with end points
            beyond [0, 1] (AUC's epsilon-widened ones) a score of exactly 0 or 1 counts too.
    """

    def __init__(self, values, evenly: bool):
        self.values = [float(v) for v in values]
        self.evenly = evenly
        self.widened = evenly and (self.values[0] < 0.0 or self.values[-1] > 1.0)
        self._tensor = None

    def __len__(self) -> int:
        return len(self.values)

    def tensor(self, like: torch.Tensor) -> torch.Tensor:
        """The thresholds on `like`'s device, in its dtype (made once per device/dtype)."""
        cached = self._tensor
        if cached is None or cached.device != like.device or cached.dtype != like.dtype:
            cached = self._tensor = torch.tensor(self.values, dtype=like.dtype, device=like.device)
        return cached


def filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """`x` with all but its `k` largest entries (lower index first among ties) set to NEG_INF."""
    order = torch.sort(x, dim=-1, descending=True, stable=True).indices[..., :k]
    keep = torch.zeros_like(x).scatter_(-1, order, 1.0)
    return x * keep + NEG_INF * (1 - keep)


def update(variables: dict, y_true: torch.Tensor, y_pred: torch.Tensor, thresholds: Thresholds,
           top_k: int | None = None, class_id: int | None = None, sample_weight=None,
           multi_label: bool = False, label_weights=None) -> None:
    """Adds the batch's counts to `variables` (`{TRUE_POSITIVES: variable, …}`), in place.

    Args:
        variables: the counts to update, keyed by the constants above.
        y_true: labels (nonzero is positive).
        y_pred: scores, compared with `> threshold`.
        thresholds: the thresholds (`Thresholds`).
        top_k: only the `k` highest scores of a sample may count as positive.
        class_id: only this class (last axis) counts.
        sample_weight: per-sample weights (broadcast to `y_pred`).
        multi_label: keep one count per label (last axis): variables of shape `(T, L)`.
        label_weights: per-label weights (not with `multi_label`).
    """
    dtype = next(iter(variables.values()))._param.dtype
    y_true, y_pred = y_true.to(dtype), y_pred.to(dtype)
    y_pred, y_true = squeeze_or_expand(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = sample_weight.to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError(f"When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
                             f"num_classes), found shape: {tuple(y_pred.shape)}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    weights = None
    if sample_weight is not None:
        weights = torch.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None:
        label_weights = torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weights = None if weights is None else weights.reshape(-1)
    counts = _bucketed if thresholds.evenly else _compared
    for key, value in counts(variables, y_true, y_pred, thresholds, weights, multi_label).items():
        variables[key]._param.add_(value)


def _compared(variables, y_true, y_pred, thresholds, weights, multi_label):
    """Counts from a `(thresholds, samples[, labels])` comparison, summed over the samples."""
    shape = (-1, 1, 1) if multi_label else (-1, 1)
    pred_pos = y_pred.unsqueeze(0) > thresholds.tensor(y_pred).reshape(shape)
    label_pos = y_true.bool().unsqueeze(0)
    cells = {TRUE_POSITIVES: (label_pos, pred_pos), FALSE_POSITIVES: (~label_pos, pred_pos),
             TRUE_NEGATIVES: (~label_pos, ~pred_pos), FALSE_NEGATIVES: (label_pos, ~pred_pos)}
    counts = {}
    for key in variables:
        hit = cells[key][0] & cells[key][1]
        # Unweighted, the booleans are counted as they are (exactly, as Keras's float ones).
        counts[key] = hit.sum(1) if weights is None else torch.where(hit, weights, 0.0).sum(1)
    return counts


def _bucketed(variables, y_true, y_pred, thresholds, weights, multi_label):
    """Keras's evenly-spaced path: each score lands in one bucket; counts are suffix sums.

    Positives and negatives go through one scatter-add as the two rows of a stack.
    """
    num = len(thresholds)
    positive = y_true.bool().to(y_pred.dtype)
    labels = torch.stack([positive, 1.0 - positive])
    if weights is not None:
        labels = labels * weights
    bucket = torch.ceil(y_pred.clamp(0.0, 1.0) * (num - 1)) - 1
    if thresholds.widened:
        bucket = bucket.clamp_min(0)
    # A score in no bucket (0 with thresholds starting at 0) counts for no threshold: it goes
    # to an extra last bucket, left out of the suffix sums but in the totals.
    bucket = torch.where(bucket < 0, num, bucket).long()
    if multi_label:
        labels, bucket = labels.transpose(1, 2), bucket.T
    sums = labels.new_zeros(labels.shape[:-1] + (num + 1,)).scatter_add_(-1, bucket.expand_as(labels), labels)
    above = sums[..., :num].flip(-1).cumsum(-1).flip(-1)
    below = sums.sum(-1, keepdim=True) - above
    if multi_label:
        above, below = above.transpose(1, 2), below.transpose(1, 2)
    counts = {TRUE_POSITIVES: above[0], FALSE_POSITIVES: above[1], FALSE_NEGATIVES: below[0],
              TRUE_NEGATIVES: below[1]}
    return {key: counts[key] for key in variables}
