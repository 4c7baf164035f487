"""Connectionist Temporal Classification loss (Keras's `CTC`, blank index 0)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses.wrapper import BuiltinLoss, loss_function


def ctc_loss(target: torch.Tensor, output: torch.Tensor, target_length: torch.Tensor,
             output_length: torch.Tensor, mask_index: int = 0) -> torch.Tensor:
    """Per-sequence CTC negative log-likelihood of logits `output` `(batch, time, classes)`.

    As Keras's TF backend, float64 logits are computed in float32 and the result cast
    back; float16 / bfloat16 ones give a float32 result.
    """
    result = torch.float64 if output.dtype == torch.float64 else torch.float32
    log_probs = torch.log_softmax(output.to(torch.float32), dim=-1).transpose(0, 1)
    losses = F.ctc_loss(log_probs, target.to(torch.int64), output_length.to(torch.int64),
                        target_length.to(torch.int64), blank=mask_index, reduction="none")
    return losses.to(result)


@loss_function("keras.losses.ctc")
def ctc(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """CTC loss of padded label sequences `y_true` `(batch, max_length)` (0 pads) and logits
    `y_pred` `(batch, time, classes)` (class 0 is the blank)."""
    if y_true.dim() != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in "
                         f"integer format. Received: y_true.shape={tuple(y_true.shape)}")
    if y_pred.dim() != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
                         f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}")
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    input_length = torch.full((batch,), steps, dtype=torch.int32, device=y_pred.device)
    label_length = (y_true != 0).sum(dim=-1).to(torch.int32)
    return ctc_loss(y_true.to(torch.int32), y_pred, label_length, input_length, mask_index=0)


@ser.keras_export("keras.losses.CTC")
class CTC(BuiltinLoss):
    """CTC loss of label sequences (0-padded) and per-step class logits (class 0 the blank).

    Args:
        reduction: see `tf.keras.losses.Loss`.
        name: the loss's name.
        dtype: the dtype the loss computes in.
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
