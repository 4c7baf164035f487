"""Categorical feature layers: CategoryEncoding and Hashing."""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.errors import InvalidArgumentError
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers.preprocessing import _encoding, _hashes, _strings


class CategoryEncoding(Layer):
    """Encodes integer category ids as one-hot, multi-hot or count vectors.

    Args:
        num_tokens: the number of categories; ids must lie in `[0, num_tokens)`.
        output_mode: `"multi_hot"` (default; a 1 for each id present in a sample),
            `"one_hot"` (one vector per id; a last axis of size 1 is replaced) or
            `"count"` (how often each id appears; `count_weights` can weight them).
        sparse: sparse outputs (not supported by kerastorch; must be False).

    Input shape: `(batch,)` or `(batch, ids)` integers.
    Output shape: `(batch, num_tokens)` (`one_hot` of `(batch, ids)` gives
    `(batch, ids, num_tokens)`).

    Example:
        >>> layer = tf.keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
        >>> layer(tf.constant([[0, 1], [0, 0]])).numpy()
        array([[1., 1., 0., 0.],
               [1., 0., 0., 0.]], dtype=float32)
    """

    # Keras's `_allow_non_tensor_positional_args`: Python lists (and strings) are valid inputs.
    _allow_non_tensor_positional_args = True

    def __init__(self, num_tokens=None, output_mode: str = "multi_hot", sparse: bool = False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens is not known "
                             "beforehand, use the IntegerLookup layer instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False  # as Keras (`_convert_input_args = False`): inputs arrive as given

    def forward(self, inputs: torch.Tensor, count_weights=None) -> torch.Tensor:
        inputs = _strings.as_array(inputs)
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(f"`count_weights` is not used when `output_mode` is not `'count'`. "
                                 f"Received `count_weights={count_weights}`.")
            count_weights = unwrap(count_weights).to(inputs.device, dtypes.as_dtype(self.compute_dtype)._torch)
        if self.output_mode != "one_hot" and inputs.numel() and bool((inputs < 0).any()):
            # TF's bincount refuses negative ids (ids past the end are dropped).
            raise InvalidArgumentError(None, None, "Input 'in' must be non-negative!")
        return _encoding.encode(inputs, self.output_mode, self.num_tokens, self.dtype, count_weights)

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return (*input_shape, self.num_tokens)
        return (*input_shape[:-1], self.num_tokens)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}


class Hashing(Layer):
    """Hashes strings (or integers, through their decimal text) into `num_bins` bins.

    Bins match TensorFlow's: FarmHash Fingerprint64 modulo the bin count, or keyed
    SipHash-2-4 when a `salt` is given.

    Args:
        num_bins: the number of bins, including the mask bin when `mask_value` is set.
        mask_value: a value that always hashes to bin 0 (the others go to 1..num_bins-1).
        salt: an integer or a pair of integers: use the keyed (strong) hash.
        output_mode: `"int"` (default; the bin ids), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: sparse outputs (not supported by kerastorch; must be False).

    Input shape: strings, integers or floats (floats are truncated to integers first).
    Output shape: the input shape for `"int"`, else `(..., num_bins)`.

    Example:
        >>> layer = tf.keras.layers.Hashing(num_bins=3)
        >>> layer(tf.constant([["A"], ["B"], ["C"]])).numpy()
        array([[1],
               [0],
               [1]])
    """

    # Keras's `_allow_non_tensor_positional_args`: Python lists (and strings) are valid inputs.
    _allow_non_tensor_positional_args = True

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode: str = "int", sparse: bool = False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                             f"Received: num_bins={num_bins}.")
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(f"When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                             f"'in64'. Received: dtype={kwargs['dtype']}")
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of {modes}. "
                             f"Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `\"one_hot\"`, `\"multi_hot\"`, "
                             f"or `\"count\"`. Received: sparse={sparse} and output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        self.autocast = False  # as Keras (`_convert_input_args = False`): inputs arrive as given
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(f"The `salt` argument for `Hashing` can only be a tuple of size 2 integers, "
                                 f"or a single integer. Received: salt={salt}.")

    def forward(self, inputs):
        inputs = _strings.as_array(inputs)
        if self.output_mode == "one_hot" and inputs.ndim and inputs.shape[-1] == 1:
            inputs = inputs.reshape(inputs.shape[:-1])
        device = inputs.device if isinstance(inputs, torch.Tensor) else torch.device("cpu")
        bins = torch.as_tensor(self._hash(inputs), dtype=torch.int64, device=device)
        return _encoding.encode(bins, self.output_mode, self.num_bins, self.dtype)

    def _hash(self, values) -> np.ndarray:
        """The bin of every value (an int64 array of the same shape)."""
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            if _strings.is_strings(values):
                mask = values == _strings.to_bytes(self.mask_value)
            else:
                mask = (values == self.mask_value).cpu().numpy()
        if not _strings.is_strings(values):
            if values.is_floating_point():
                values = values.to(torch.int64)
            values = _strings.decimal(values.cpu())
        flat = [_strings.to_bytes(v) for v in values.reshape(-1).tolist()]
        if self.strong_hash:
            hashed = _hashes.hash_bucket_strong(flat, bins, self.salt)
        else:
            hashed = _hashes.hash_bucket_fast(flat, bins)
        out = np.asarray(hashed, dtype=np.int64).reshape(values.shape)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def compute_output_shape(self, input_shape) -> tuple:
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return (*tuple(input_shape)[:-1], self.num_bins)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode, "sparse": self.sparse}
