"""Dropout for RNN cells: one mask per sequence, reused at every time step (Keras's rule).

A cell draws its input mask (and its recurrent-state mask) the first time a step
needs it and keeps it until the RNN layer resets it at the end of its call, so all
steps of one sequence drop the same units. Cells that split their gates draw one
mask per gate (`_dropout_count`: 4 for LSTM, 3 for GRU in Keras's "implementation 1").
"""

from __future__ import annotations

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.ops import seeded_draws


def clip_rate(rate) -> float:
    """Keras clips dropout rates into [0, 1]."""
    return min(1.0, max(0.0, rate))


def applies(training, rate: float) -> bool:
    """Whether a dropout of `rate` is applied (Keras skips a rate of exactly 1)."""
    return bool(training) and 0.0 < rate < 1.0


class DropoutRNNCell:
    """Mixin giving an RNN cell cached dropout masks (`keras.layers.DropoutRNNCell`'s role).

    The cell needs `dropout`, `recurrent_dropout` and `seed` attributes.
    """

    _dropout_count = None  # masks per draw: None for one mask, else one per gate
    _dropout_mask = None
    _recurrent_dropout_mask = None

    def _draw(self, like: torch.Tensor, rate: float) -> torch.Tensor:
        shape = like.shape if self._dropout_count is None else (self._dropout_count, *like.shape)
        keep = seeded_draws.uniform(shape, like.dtype, like.device, self.seed) >= rate
        return keep.to(like.dtype) * (1.0 / (1.0 - rate))

    def _input_mask(self, step_input: torch.Tensor) -> torch.Tensor:
        """The cached input mask, drawn like `step_input` (with a leading gate axis if split)."""
        if self._dropout_mask is None:
            self._dropout_mask = self._draw(step_input, self.dropout)
        return self._dropout_mask

    def _recurrent_mask(self, state: torch.Tensor) -> torch.Tensor:
        if self._recurrent_dropout_mask is None:
            self._recurrent_dropout_mask = self._draw(state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def get_dropout_mask(self, step_input):
        """The input dropout mask for `step_input` (a list of masks when split by gate)."""
        if self.dropout <= 0:
            return None
        return _public(self._input_mask(unwrap(step_input)), self._dropout_count)

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent-state dropout mask for `step_input` (a list when split by gate)."""
        if self.recurrent_dropout <= 0:
            return None
        return _public(self._recurrent_mask(unwrap(step_input)), self._dropout_count)

    def reset_dropout_mask(self) -> None:
        """Forgets the input mask: the next sequence draws a new one."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None


def _public(mask: torch.Tensor, count):
    return wrap(mask) if count is None else [wrap(m) for m in mask]
