"""MultiHeadAttention (Vaswani et al., 2017) with Keras's weights and masking rules.

The projections are small internal layers named like Keras's EinsumDense sublayers
(`query`, `key`, `value`, `gate`, `attention_output`), so weight paths and shapes match:
query kernel `(dim, heads, key_dim)` and bias `(heads, key_dim)`, output kernel
`(heads, value_dim, *output_shape)`. Each runs as one `linear` on a flattened view.

Like Keras, sequence inputs without dropout and without returned scores take the fused
`scaled_dot_product_attention` path (a fully masked query row then averages the values);
otherwise the scores are computed explicitly over `attention_axes` and masked with the
softmax (a fully masked row gives zeros).
"""

from __future__ import annotations

import math
import string

import torch
import torch.nn.functional as F

from kerastorch.framework.convert import unwrap
from kerastorch.keras import constraints, initializers, regularizers
from kerastorch.keras.engine import masking
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers import attention as _attention


def _clone(initializer):
    """A fresh instance of a Keras initializer (a new seed for an unseeded random one), as Keras gives
    each sublayer."""
    return initializer.clone() if isinstance(initializer, initializers.Initializer) else initializer


def _kernel_initializer(initializer, input_axes: list, output_axes: list):
    """A clone of `initializer`; a VarianceScaling one learns which kernel axes are the fans (as EinsumDense)."""
    clone = _clone(initializer)
    if isinstance(clone, initializers.VarianceScaling) and (clone.input_axes is None or clone.output_axes is None):
        config = {**clone.get_config(), "seed": clone.seed, "input_axes": input_axes, "output_axes": output_axes}
        clone = type(clone).from_config(config)
    return clone


class _Projection(Layer):
    """`x @ kernel + bias` over the last `in_dims` axes; kernel `(*in, *out_shape)`, bias `out_shape`."""

    def __init__(self, in_dims: int, out_shape: tuple, use_bias: bool, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint, activity, gate=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.in_dims = in_dims
        self.out_shape = tuple(out_shape)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.activity = activity  # called directly by MHA, so its activity loss is added here
        self.gate = gate

    def build(self, input_shape) -> None:
        in_shape = tuple(input_shape[-self.in_dims:])
        n_in = len(in_shape)
        init = _kernel_initializer(self.kernel_initializer, list(range(n_in)),
                                   list(range(n_in, n_in + len(self.out_shape))))
        self.kernel = self.add_weight(name="kernel", shape=in_shape + self.out_shape, initializer=init,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=self.out_shape,
                                        initializer=_clone(self.bias_initializer),
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Variables are cast to the compute dtype, as Keras's autocast does (mixed precision).
        kernel = self.kernel._t.to(x.dtype)
        lead = x.shape[:x.dim() - self.in_dims]
        flat_kernel = kernel.reshape(math.prod(kernel.shape[:self.in_dims]), -1)
        bias = None if self.bias is None else self.bias._t.to(x.dtype).reshape(-1)
        out = F.linear(x.reshape(*lead, -1), flat_kernel.t(), bias).reshape(*lead, *self.out_shape)
        if self.gate:
            out = torch.sigmoid(out)
        if self.activity is not None:
            loss = regularizers.raw_regularizer(self.activity)(out)
            self._add_raw_loss(loss / out.shape[0] if out.dim() > 0 and out.shape[0] > 0 else loss)
        return out


def _equations(rank: int, attn_axes: tuple) -> tuple:
    """einsum equations `(key, query -> scores)` and `(scores, value -> output)` for projected tensors.

    Projected tensors are `(batch, ..., heads, channels)`; the axes in `attn_axes` are the
    attended ones, the others (heads included) are batch-like. Scores are laid out as
    `(batch-like axes, query attended axes, key attended axes)`.
    """
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch = [i for i in range(rank - 1) if i not in attn_axes]
    fresh = iter(letters[rank:])
    source = "".join(next(fresh) if i in attn_axes else target[i] for i in range(rank))
    scores = "".join([target[i] for i in batch] + [target[i] for i in attn_axes] + [source[i] for i in attn_axes])
    return f"{source},{target}->{scores}", f"{scores},{source}->{target}"


def _shape(x) -> tuple:
    shape = x.shape
    return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)


def _raw(x, like: torch.Tensor | None = None):
    """A keyword-argument tensor as torch (the engine converts only positional inputs)."""
    if x is None or isinstance(x, torch.Tensor):
        raw = x
    else:
        raw = unwrap(x)
    if like is not None and raw is not None and raw.is_floating_point() and raw.dtype != like.dtype:
        raw = raw.to(like.dtype)
    return raw


def _bool(mask):
    return None if mask is None else _raw(mask).bool()


class MultiHeadAttention(Layer):
    """Multi-head attention: projected queries attend to projected keys/values, head by head.

    Args:
        num_heads: the number of attention heads.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for value (default `key_dim`).
        dropout: the rate at which attention weights are dropped in training.
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (int or tuple); default the query's last dim.
        attention_axes: the axes attention runs over (default all but batch, heads, features).
        sliding_window: attend only to keys less than this many positions away.
        flash_attention: accepted for compatibility (torch picks its fused kernel itself).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: for the projections.
        use_gate: gate the attention output with a sigmoid projection of the query.
        seed: the dropout's seed.

    Call arguments: `query (B, T, dim)`, `value (B, S, dim)`, `key` (default `value`),
    `value_mask`/`key_mask` `(B, S)` (default the tensors' Keras masks; the query's mask
    always comes from the query tensor), `attention_mask (B, T, S)`,
    `return_attention_scores`, `training`, `use_causal_mask`.

    Output shape: `(B, T, dim)` (or `(B, T, *output_shape)`), and with
    `return_attention_scores` the `(B, heads, T, S)` attention weights.

    Example:
        >>> mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> mha(tf.ones((2, 3, 8)), tf.ones((2, 5, 8))).shape
        TensorShape([2, 3, 8])
    """

    _default_masking = True

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape=None, attention_axes=None, sliding_window: int | None = None,
                 flash_attention: bool | None = None, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, use_gate: bool = False, seed=None, **kwargs):
        if not isinstance(num_heads, int) or num_heads <= 0:
            raise ValueError(f"Received an invalid value for argument `num_heads`, expected a positive integer. "
                             f"Received: num_heads={num_heads}")
        if not isinstance(key_dim, int) or key_dim <= 0:
            raise ValueError(f"Received an invalid value for argument `key_dim`, expected a positive integer. "
                             f"Received: key_dim={key_dim}")
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError(f"Received an invalid value for argument `value_dim`, expected a positive integer "
                             f"or `None`. Received: value_dim={value_dim}")
        if output_shape:
            try:
                output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
            except TypeError:
                raise ValueError(f"Invalid `output_shape`: {output_shape}. When specified, the `output_shape` "
                                 f"should be of type tuple, list, or int.") from None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple.Received: "
                             f"attention_axes={attention_axes}")
        if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError(f"`sliding_window` must be `None` or a positive integer. Received: "
                             f"sliding_window={sliding_window}")
        if flash_attention and dropout > 0.0:
            raise ValueError("Dropout is not supported when flash attention is enabled. Please set dropout to "
                             "0.0 to use flash attention.")
        super().__init__(**kwargs)
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = output_shape or None
        self._attention_axes = attention_axes
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)
    # Keras reaches the projections through these public properties first, so weight files
    # hold them at `query_dense/vars`, ...
    _saved_as = {"_query_dense": "query_dense", "_key_dense": "key_dense", "_value_dense": "value_dense",
                 "_output_dense": "output_dense"}

    def _projection(self, in_dims: int, out_shape, name: str, gate: bool = False) -> _Projection:
        return _Projection(in_dims, out_shape, self._use_bias, self._kernel_initializer, self._bias_initializer,
                           self._kernel_regularizer, self._bias_regularizer, self._kernel_constraint,
                           self._bias_constraint, self._activity_regularizer, gate=gate, name=name,
                           dtype=self.dtype_policy)

    def build(self, query_shape, value_shape, key_shape=None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"All dimensions of `value` and `key`, except the last one, must be equal. "
                             f"Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}")
        heads = self._num_heads
        self._query_dense = self._projection(1, (heads, self._key_dim), "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(1, (heads, self._key_dim), "key")
        self._key_dense.build(key_shape)
        self._gate_dense = None
        if self._use_gate:
            self._gate_dense = self._projection(1, (heads, self._value_dim), "gate", gate=True)
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection(1, (heads, self._value_dim), "value")
        self._value_dense.build(value_shape)
        rank = len(value_shape) + 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)
        self._dot_equation, self._combine_equation = _equations(rank, self._attention_axes)
        self._output_dense = self._projection(2, self._output_shape or (query_shape[-1],), "attention_output")
        self._output_dense.build((*tuple(query_shape)[:-1], heads, self._value_dim))

    def __call__(self, *args, **kwargs):
        # Keras builds from every tensor argument by name; the engine only sees positional
        # ones, so query/value come forward and a keyword `key` is built with here.
        if not args and "query" in kwargs:
            args = (kwargs.pop("query"),)
        if len(args) == 1 and "value" in kwargs:
            args = (*args, kwargs.pop("value"))
        key = args[2] if len(args) > 2 else kwargs.get("key")
        if not self.built and key is not None and len(args) >= 2:
            self.build(_shape(args[0]), _shape(args[1]), _shape(key))
        return super().__call__(*args, **kwargs)

    def forward(self, query: torch.Tensor, value: torch.Tensor, key=None, query_mask=None, value_mask=None,
                key_mask=None, attention_mask=None, return_attention_scores: bool = False, training=None,
                use_causal_mask: bool = False):
        if self._flash_attention and return_attention_scores:
            raise ValueError("Returning attention scores is not supported when flash attention is enabled. "
                             "Please disable flash attention to access attention scores.")
        # As Keras: the query's mask is the query tensor's own; a `query_mask` argument is not used.
        del query_mask
        key_given = key is not None
        key = _raw(key, value) if key_given else value
        q_mask = masking.get_mask(query)
        value_mask = _bool(value_mask) if value_mask is not None else masking.get_mask(value)
        key_mask = _bool(key_mask) if key_mask is not None else (masking.get_mask(key) if key_given else None)
        attention_mask = _bool(attention_mask)
        fused = self._dropout == 0.0 and not return_attention_scores and query.dim() == 3
        causal_only = (fused and use_causal_mask and q_mask is None and value_mask is None and key_mask is None
                       and attention_mask is None and self._sliding_window is None)
        mask = None if causal_only else self._attention_mask(query, value, q_mask, value_mask, key_mask,
                                                             attention_mask, use_causal_mask)
        gate = self._gate_dense.forward(query) if self._gate_dense is not None else None
        q = self._query_dense.forward(query)
        k = self._key_dense.forward(key)
        v = self._value_dense.forward(value)
        if fused:
            out, scores = self._fused_attention(q, k, v, mask, causal_only), None
        else:
            out, scores = self._explicit_attention(q, k, v, mask, bool(training))
        out = self._output_dense.forward(out if gate is None else out * gate)
        return (out, scores) if return_attention_scores else out

    def _attention_mask(self, query, value, q_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        """The `(B, T, S)` boolean mask (or a broadcastable one) from every mask source, AND-ed."""
        parts = []
        if q_mask is not None:
            parts.append(q_mask.bool().unsqueeze(-1))
        parts += [m.bool().unsqueeze(-2) for m in (value_mask, key_mask) if m is not None]
        t, s = query.shape[1], value.shape[1]
        if use_causal_mask:
            parts.append(_attention.causal_mask(t, s, query.device))
        if self._sliding_window is not None:
            rows = torch.arange(t, device=query.device).reshape(1, t, 1)
            cols = torch.arange(s, device=query.device).reshape(1, 1, s)
            parts.append(torch.abs(rows - cols) < self._sliding_window)
        if attention_mask is not None:
            parts.insert(0, attention_mask)
        if not parts:
            return None
        mask = parts[0]
        for part in parts[1:]:
            mask = mask & part
        return mask

    def _fused_attention(self, q, k, v, mask, is_causal: bool) -> torch.Tensor:
        """Keras's `dot_product_attention` path: masked logits are pushed to a huge negative."""
        bias = None
        if mask is not None:
            while mask.dim() < 4:
                mask = mask.unsqueeze(-3)
            # Keras replaces masked logits by -0.7 * the dtype's max, so a fully masked row averages the
            # values and passes no gradient to its query or the keys. Here such a row gets a zero query
            # and no bias (uniform weights, zero gradients) rather than a huge one, whose magnitude
            # swallows log(S) in the kernels' log-sum-exp and breaks their backward pass.
            big = 65500.0 if q.dtype == torch.float16 else 3.38953e38
            live = mask.any(-1, keepdim=True)
            bias = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill_(~mask & live, -0.7 * big)
            q = q * live.transpose(1, 2).to(q.dtype)
        out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                             attn_mask=bias, is_causal=is_causal, scale=self._inverse_sqrt_key_dim)
        return out.transpose(1, 2)

    def _explicit_attention(self, q, k, v, mask, training: bool) -> tuple:
        """Scores over `attention_axes`, masked softmax (masked weights are 0), dropout, combination."""
        scores = torch.einsum(self._dot_equation, k, q * self._inverse_sqrt_key_dim)
        n_axes = len(self._attention_axes)
        if mask is not None:
            while mask.dim() < scores.dim():
                mask = mask.unsqueeze(-2 * n_axes - 1)
            scores = torch.where(mask, scores, -3e4 if scores.dtype == torch.float16 else -1e9)
        dims = tuple(range(scores.dim() - n_axes, scores.dim()))
        if n_axes == 1:
            probs = torch.softmax(scores, dim=-1)
        else:
            probs = torch.exp(scores - torch.logsumexp(scores, dim=dims, keepdim=True))
        if mask is not None:
            probs = torch.where(mask, probs, 0.0)
            masking.set_mask(probs, mask)  # Keras's scores come out of a masked Softmax layer
        dropped = _attention.dropout(probs, self._dropout, self.seed) if training and self._dropout > 0 else probs
        return torch.einsum(self._combine_equation, dropped, v), probs

    def get_config(self) -> dict:
        return {**super().get_config(), "num_heads": self._num_heads, "key_dim": self._key_dim,
                "value_dim": self._value_dim, "dropout": self._dropout, "use_bias": self._use_bias,
                "use_gate": self._use_gate, "output_shape": self._output_shape,
                "attention_axes": self._attention_axes, "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint), "seed": self.seed}


__all__ = ["MultiHeadAttention"]
