"""Attention layers over `[query, value(, key)]` lists: Attention (dot-product, Luong) and
AdditiveAttention (Bahdanau); MultiHeadAttention lives in `multi_head_attention.py`.

Dot-product attention without a value mask, returned scores or training-time dropout
runs torch's `scaled_dot_product_attention` (fused kernels on GPU); masked attention
follows Keras's formula (masked scores minus 1e9).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerastorch.keras.engine.base_layer import Layer
from kerastorch.ops import seeded_draws


def dropout(x: torch.Tensor, rate: float, seed) -> torch.Tensor:
    """Keras's dropout: zeros with probability `rate`, the rest scaled by `1 / (1 - rate)`.

    Draws from `random_ops.generator(seed)` (through `seeded_draws`), so `tf.random.set_seed` and the layer's seed
    make it reproducible without touching torch's global generator.
    """
    keep = seeded_draws.bernoulli(x.shape, 1.0 - rate, x.dtype, x.device, seed)
    return x * keep * (1.0 / (1.0 - rate))


def causal_mask(q_len: int, k_len: int, device) -> torch.Tensor:
    """`(1, q_len, k_len)` booleans, True where key position <= query position."""
    return torch.ones(q_len, k_len, dtype=torch.bool, device=device).tril().unsqueeze(0)


def _validate(layer: Layer, inputs, mask=None) -> None:
    name = type(layer).__name__
    if not isinstance(inputs, list):
        raise ValueError(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                         f"[query, value, key]. Received: inputs={inputs}.")
    if len(inputs) < 2 or len(inputs) > 3:
        raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                         f"[query, value, key]. Received length: {len(inputs)}.")
    if mask is not None:
        if not isinstance(mask, list):
            raise ValueError(f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                             f"Received: mask={mask}.")
        if len(mask) < 2 or len(mask) > 3:
            raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: inputs={inputs}, "
                             f"mask={mask}.")


class Attention(Layer):
    """Dot-product attention: `softmax(query @ key^T * scale) @ value`.

    Args:
        use_scale: learn a scalar `scale` for the scores (else 1).
        score_mode: `"dot"` (`query @ key^T`) or `"concat"`
            (`concat_score_weight * sum(tanh(scale * (query + key)))`).
        dropout: the rate at which attention weights are dropped in training.
        seed: the dropout's seed.

    Call arguments:
        inputs: `[query (batch, Tq, dim), value (batch, Tv, dim)]` or `[query, value, key]`.
        mask: `[query_mask (batch, Tq), value_mask (batch, Tv)]`: masked values get no
            attention; masked query rows give zeros.
        return_attention_scores: also return the `(batch, Tq, Tv)` attention weights.
        training: whether dropout applies.
        use_causal_mask: position i attends only to positions <= i.

    Output shape: `(batch, Tq, value_dim)`.

    Example:
        >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
        >>> tf.keras.layers.Attention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    _default_masking = True

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0, seed=None,
                 **kwargs):
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. "
                             f"Received: score_mode={score_mode}")
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self._fused = score_mode == "dot"

    def build(self, input_shape) -> None:
        _validate(self, input_shape)
        self.scale = self.add_weight(name="scale", shape=(), initializer="ones") if self.use_scale else None
        self.concat_score_weight = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")

    def _weight(self, variable, like: torch.Tensor) -> torch.Tensor:
        """A weight cast to the compute dtype, as Keras's autocast does (mixed precision)."""
        return variable._t.to(like.dtype)

    def _scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        """`(batch, Tq, Tv)` attention scores."""
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            return scores if self.scale is None else scores * self._weight(self.scale, scores)
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            summed = self._weight(self.scale, summed) * summed
        return self._weight(self.concat_score_weight, summed) * torch.tanh(summed).sum(-1)

    def forward(self, inputs: list, mask=None, training=None, return_attention_scores: bool = False,
                use_causal_mask: bool = False):
        _validate(self, inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        dropping = bool(training) and self.dropout > 0
        if self._fused and v_mask is None and not return_attention_scores and not dropping:
            out = self._fused_attention(query, key, value, use_causal_mask)
            weights = None
        else:
            scores_mask = None if v_mask is None else v_mask.bool().unsqueeze(-2)
            if use_causal_mask:
                causal = causal_mask(query.shape[-2], key.shape[-2], query.device)
                scores_mask = causal if scores_mask is None else scores_mask & causal
            scores = self._scores(query, key)
            if scores_mask is not None:
                # Keras's bias: 65504 (float16's largest) for half precision, else 1e9.
                bias = 65504.0 if scores.dtype == torch.float16 else 1e9
                scores = torch.where(scores_mask, scores, scores - bias)
            weights = torch.softmax(scores, dim=-1)
            if dropping:  # the returned scores are the dropped ones, as Keras's
                weights = dropout(weights, self.dropout, self.seed)
            out = torch.matmul(weights, value)
        if q_mask is not None:
            out = torch.where(q_mask.bool().unsqueeze(-1), out, 0.0)
        return (out, weights) if return_attention_scores else out

    def _fused_attention(self, query, key, value, causal: bool) -> torch.Tensor:
        """Unmasked (or causal) dot-product attention in torch's fused kernel.

        Value masks take the explicit path: Keras subtracts 1e9 from masked scores, and a
        fully masked row must keep that exact softmax and gradient, which fused kernels'
        log-sum-exp bookkeeping loses at such magnitudes.
        """
        if self.scale is not None:
            query = query * self._weight(self.scale, query)
        if query.dim() == 3:  # (batch, 1 head, T, dim): the layout the fused kernels take
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            return F.scaled_dot_product_attention(query, key, value, is_causal=causal, scale=1.0).squeeze(1)
        return F.scaled_dot_product_attention(query, key, value, is_causal=causal, scale=1.0)

    def _raw_mask(self, inputs, mask):
        if not mask or mask[0] is None:
            return None
        return mask[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Additive (Bahdanau) attention: scores `sum(scale * tanh(query + key), -1)`.

    Args:
        use_scale: learn a `scale` vector of the feature size (else 1).
        dropout: the rate at which attention weights are dropped in training.
        seed: the dropout's seed.

    Call arguments and shapes: as `Attention`.

    Example:
        >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
        >>> tf.keras.layers.AdditiveAttention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)
        self._fused = False

    def build(self, input_shape) -> None:
        _validate(self, input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")

    def _scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        return (summed if self.scale is None else self._weight(self.scale, summed) * summed).sum(-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config


__all__ = ["AdditiveAttention", "Attention"]
