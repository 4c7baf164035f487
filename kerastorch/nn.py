"""`tf.nn`: activations, dropout, moments, normalization and the logit losses."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.ops.elementwise_ops import sigmoid, tanh
from kerastorch.ops.nn_ops import (
    bias_add,
    dropout,
    elu,
    gelu,
    l2_loss,
    l2_normalize,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid_cross_entropy_with_logits,
    silu,
    softmax,
    softmax_cross_entropy_with_logits,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
    swish,
)

__all__ = [
    "bias_add", "dropout", "elu", "gelu", "l2_loss", "l2_normalize", "leaky_relu", "log_softmax",
    "moments", "relu", "relu6", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits", "silu",
    "softmax", "softmax_cross_entropy_with_logits", "softplus", "softsign",
    "sparse_softmax_cross_entropy_with_logits", "swish", "tanh",
]

__getattr__ = _missing_names("tf.nn", __name__)
