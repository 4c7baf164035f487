"""Keras's metric-only per-sample functions on torch tensors (Keras 3.15's formulas).

Each takes `(y_true, y_pred, **options)` torch tensors and returns the per-sample values
that `MeanMetricWrapper` averages; the public `keras.metrics` functions are their
kerastorch-tensor forms (`_raw.public`). The loss-like metric functions (crossentropies,
hinge, mean errors, …) are `keras.losses`'s, as in Keras.
"""

from __future__ import annotations

import torch

from kerastorch.keras import config
from kerastorch.keras.metrics._raw import as_float, squeeze_or_expand


def _pair(y_true: torch.Tensor, y_pred: torch.Tensor):
    y_pred = as_float(y_pred)
    return squeeze_or_expand(y_true.to(y_pred.dtype), y_pred)


# -- accuracy --------------------------------------------------------------------------
# These give boolean matches: the metrics sum them as they are, and the public functions
# hand them out as floatx, as Keras does (`_raw.public`).

def accuracy(y_true, y_pred):
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.to(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand(y_true, y_pred)
    return y_true == y_pred


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_true, y_pred = squeeze_or_expand(y_true, y_pred)
    return y_true == (y_pred > threshold)


def categorical_accuracy(y_true, y_pred):
    return _class_matches(y_true.argmax(-1), y_pred, squeeze_any=True)


def sparse_categorical_accuracy(y_true, y_pred):
    return _class_matches(y_true, y_pred, squeeze_any=False)


def _class_matches(y_true, y_pred, squeeze_any: bool):
    # Keras compares in y_pred's float dtype; torch's promotion gives the same answer for labels.
    shape = y_true.shape
    reshape = y_true.dim() == y_pred.dim() and (squeeze_any or y_true.shape[-1] == 1)
    if reshape:
        y_true = y_true.squeeze(-1)
    matches = y_true == y_pred.argmax(-1)
    if reshape:
        matches = matches.reshape(shape)
    if not squeeze_any and matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def in_top_k(targets: torch.Tensor, predictions: torch.Tensor, k: int) -> torch.Tensor:
    """TF's `in_top_k`: fewer than `k` classes score strictly higher (ties count in);
    False for an out-of-range target or a row with a non-finite score."""
    num_classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < num_classes)
    index = targets.long().clamp(0, num_classes - 1).unsqueeze(-1)
    target_score = predictions.gather(-1, index)
    higher = (predictions > target_score).sum(-1)
    return valid & (higher < k) & torch.isfinite(predictions).all(-1)


def _top_k(y_true, y_pred, k, matches_fn):
    shape = y_true.shape
    if y_pred.dim() > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if y_true.dim() > 1:
        y_true = y_true.reshape(-1)
    matches = matches_fn(y_true, y_pred)
    return matches.reshape(shape) if len(shape) > 1 else matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    return _top_k(y_true.to(y_pred.dtype).argmax(-1), y_pred, k, lambda t, p: in_top_k(t, p, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    if from_sorted_ids:
        return _top_k(y_true.to(y_pred.dtype), y_pred, k,
                      lambda t, p: (t.unsqueeze(1) == p[:, :k]).any(1))
    return _top_k(y_true.to(torch.int32), y_pred, k, lambda t, p: in_top_k(t, p, k))


# -- similarity and correlation -------------------------------------------------------

def _l2_normalize(x, axis):
    inv_norm = torch.rsqrt(x.square().sum(axis, keepdim=True))
    return x * inv_norm.clamp_max(1.0 / config.epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    return (_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis)).sum(axis)


def pearson_correlation(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    true_norm = y_true - y_true.mean(axis, keepdim=True)
    pred_norm = y_pred - y_pred.mean(axis, keepdim=True)
    true_norm = true_norm / true_norm.std(axis, correction=0, keepdim=True)
    pred_norm = pred_norm / pred_norm.std(axis, correction=0, keepdim=True)
    return (true_norm * pred_norm).mean(axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = y_true.mean(axis, keepdim=True)
    pred_mean = y_pred.mean(axis, keepdim=True)
    true_var = (y_true - true_mean).var(axis, correction=0, keepdim=True)
    pred_var = (y_pred - pred_mean).var(axis, correction=0, keepdim=True)
    # Keras centres y_true on the *prediction* mean here; kept for parity.
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + (true_mean - pred_mean).square()
    return (2 * covar / (norm + config.epsilon())).mean(axis)
