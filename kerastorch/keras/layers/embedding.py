"""The Embedding layer: integer indices to rows of a trainable table."""

from __future__ import annotations

import warnings

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, kernel_error
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers._options import (
    add_weight_with_options,
    set_weight_options,
    weight_options_config,
)
from kerastorch.keras.layers.core import refuse_unsupported


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of a fixed size.

    Args:
        input_dim: the vocabulary size (largest index + 1), a positive integer.
        output_dim: the size of each vector, a positive integer.
        embeddings_initializer: the table's initializer (default uniform in ±0.05).
        embeddings_regularizer, activity_regularizer: regularizers.
        embeddings_constraint: a constraint applied after updates.
        mask_zero: treat index 0 as padding: the output gets the mask `inputs != 0`.
        weights: an initial `(input_dim, output_dim)` table (or a list holding it).

    Input shape: integers of any shape `(batch, ...)`; floats are truncated, negative
        indices count from the end as in TF.
    Output shape: `(batch, ..., output_dim)`.

    Example:
        >>> layer = tf.keras.layers.Embedding(1000, 64)
        >>> layer(tf.constant([[4, 20]])).shape
        TensorShape([1, 2, 64])
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero: bool = False, weights=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value} "
                                 f"(of type {type(value).__name__}).")
        refuse_unsupported(lora_rank=lora_rank, quantization_config=quantization_config)
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        set_weight_options(self, "embeddings", embeddings_initializer, embeddings_regularizer,
                           embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None) -> None:
        if self.built:
            return
        self.embeddings = add_weight_with_options(self, "embeddings", (self.input_dim, self.output_dim))

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        table = self.embeddings._t
        indices = inputs if inputs.dtype in (torch.int32, torch.int64) else inputs.to(torch.int32)
        if indices.is_cuda:
            indices = torch.where(indices < 0, indices + self.input_dim, indices)
            out = F.embedding(indices, table)
        else:
            try:
                out = F.embedding(indices, table)
            except IndexError:
                # TF takes negative indices from the end; anything else out of range is an error.
                indices = torch.where(indices < 0, indices + self.input_dim, indices)
                _check_range(indices, self.input_dim)
                out = F.embedding(indices, table)
        compute = dtypes.as_dtype(self.compute_dtype)._torch
        return out if out.dtype == compute else out.to(compute)

    def _raw_mask(self, inputs, mask):
        return inputs != 0 if self.mask_zero else None

    def compute_output_shape(self, input_shape) -> tuple:
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict:
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim,
                **weight_options_config(self, "embeddings", activity=True), "mask_zero": self.mask_zero,
                "quantization_config": None}


def _check_range(indices: torch.Tensor, size: int) -> None:
    bad = ((indices < 0) | (indices >= size)).reshape(-1)
    if bool(bad.any()):
        first = int(bad.nonzero()[0])
        where = ",".join(str(int(i)) for i in np.unravel_index(first, tuple(indices.shape)))
        raise kernel_error(InvalidArgumentError, f"indices[{where}] = {int(indices.reshape(-1)[first])} is not in "
                           f"[0, {size})", "GatherV2", name=None)
