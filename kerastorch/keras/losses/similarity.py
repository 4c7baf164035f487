"""The Circle loss for metric learning (Keras 3's formula)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses.base import as_raw
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


def _pos_neg_masks(query_labels: torch.Tensor, key_labels: torch.Tensor, remove_diagonal: bool = True):
    """Pairs with the same label (the diagonal left out when asked) and pairs with different labels."""
    query_labels = query_labels.reshape(-1, 1) if query_labels.dim() == 1 else query_labels
    key_labels = key_labels.reshape(-1, 1) if key_labels.dim() == 1 else key_labels
    positive = query_labels == key_labels.T
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(query_labels.numel(), key_labels.numel(), dtype=torch.bool, device=positive.device)
        positive = positive & ~eye
    return positive, negative


@loss_function("keras.losses.circle")
def circle(y_true: torch.Tensor, y_pred: torch.Tensor, ref_labels=None, ref_embeddings=None,
           remove_diagonal: bool = True, gamma: float = 80, margin: float = 0.4) -> torch.Tensor:
    """Circle loss of L2-normalized embeddings `y_pred` with integer labels `y_true`.

    Args:
        y_true: the labels of the query embeddings, shape `(batch,)`.
        y_pred: the query embeddings, shape `(batch, dim)`, L2-normalized.
        ref_labels: the labels of the reference embeddings (default `y_true`).
        ref_embeddings: the reference embeddings (default `y_pred`).
        remove_diagonal: leave each query's pair with itself out of the positives.
        gamma: the scale factor.
        margin: the relaxation margin.
    """
    y_true = y_true.to(torch.int32)
    ref_embeddings = y_pred if ref_embeddings is None else as_raw(ref_embeddings)
    ref_labels = y_true if ref_labels is None else as_raw(ref_labels).to(torch.int32)
    distances = (1 - y_pred @ ref_embeddings.T).clamp(min=0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal)
    pos_weights = ((margin + distances) * positive.to(distances.dtype)).clamp(min=0.0)
    neg_weights = ((1 + margin - distances) * negative.to(distances.dtype)).clamp(min=0.0)
    pos_logits = -1 * gamma * pos_weights * (margin - distances)
    neg_logits = gamma * neg_weights * ((1 - margin) - distances)
    p_loss = torch.logsumexp(torch.where(positive, pos_logits, float("-inf")), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_logits, float("-inf")), dim=1)
    losses = F.softplus(p_loss + n_loss)
    losses._keras_mask = losses > 0
    return losses


@ser.keras_export("keras.losses.Circle")
class Circle(BuiltinLoss):
    """Circle loss: pulls same-label embeddings together and pushes the others apart.

    Args:
        gamma: the scale factor.
        margin: the relaxation margin.
        remove_diagonal: leave each query's pair with itself out of the positives.
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    _CONFIG_KEYS = ("gamma", "margin", "remove_diagonal")

    def __init__(self, gamma: float = 80.0, margin: float = 0.4, remove_diagonal: bool = True,
                 reduction: str | None = "sum_over_batch_size", name: str = "circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal
