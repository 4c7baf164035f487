"""IndexLookup: the vocabulary-to-index layer behind StringLookup and IntegerLookup.

Index layout (as Keras): `[mask][oov_1 .. oov_n][learned tokens ...]`, the mask slot only
in `"int"` mode with a `mask_token`. Unknown tokens go to the OOV slot, or with several
OOV slots to one chosen by FarmHash (strings) or `token % n` (integers, by default).
Integer vocabularies look up on torch (searchsorted); string ones through a dict.
"""

from __future__ import annotations

import collections
import os

import numpy as np
import torch

from kerastorch.framework.errors import InvalidArgumentError
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers.preprocessing import _encoding, _hashes, _strings
from kerastorch.keras.layers.preprocessing import _vocabulary as vocab_utils

_DROP = 2**63 - 1  # index of masked tokens outside "int" mode: past every bin, so encoding drops it
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_choice(value, allowed: tuple, caller: str, arg: str, allow_none: bool = False,
                 allow_callables: bool = False) -> None:
    """Keras's `validate_string_arg`: `value` is one of `allowed` (or None / a callable when allowed)."""
    if (allow_none and value is None) or (allow_callables and callable(value)):
        return
    if not (isinstance(value, str) and value in allowed):
        raise ValueError(f"Unknown value for `{arg}` argument of {caller}. Allowed values are: {allowed}. "
                         f"Received: {arg}={value}")


class IndexLookup(Layer):
    """Maps vocabulary tokens to integer indices (or back, with `invert=True`).

    The shared implementation of `StringLookup` and `IntegerLookup`; see them for the
    arguments. Not exported.
    """

    # Keras's `_allow_non_tensor_positional_args`: Python lists (and strings) are valid inputs.
    _allow_non_tensor_positional_args = True

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert: bool = False, output_mode: str = "int", sparse: bool = False,
                 pad_to_max_tokens: bool = False, oov_method: str = "floormod", name=None, salt=None, **kwargs):
        caller = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"`num_oov_indices` must be greater than or equal to 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        check_choice(oov_method, ("floormod", "farmhash"), caller, "oov_method")
        if salt is not None:
            if vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. Received: "
                                 f"oov_method={oov_method}")
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError(f"The `salt` argument for `IndexLookup` can only be a tuple of 2 integers, or "
                                 f"a single integer. Received: salt={salt}.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_choice(output_mode, _MODES, caller, "output_mode")
        if invert and output_mode != "int":
            raise ValueError(f"`output_mode` must be `'int'` when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError(f"`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, "
                             f"`'count'` or `'tf_idf'`. Received: sparse={sparse} and output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                             f"idf_weights={idf_weights} and output_mode={output_mode}")
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        encoding = kwargs.pop("encoding", "utf-8")
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.autocast = False  # as Keras (`_convert_input_args = False`): inputs arrive as given
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._encoding = encoding
        self._frozen_vocab_size = frozen_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._strings = vocabulary_dtype == "string"
        self._table = vocab_utils.Table(self._token_start_index(), self._strings)
        self._counts = vocab_utils.Counts()
        self.idf_weights = None
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                             "`idf_weights` argument must also be provided.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- what Keras reports -------------------------------------------------------------
    @property
    def compute_dtype(self) -> str:
        return self.vocabulary_dtype

    @property
    def variable_dtype(self) -> str:
        return self.vocabulary_dtype

    def _key(self, token):
        return _strings.to_bytes(token, self._encoding) if self._strings else int(token)

    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The vocabulary size, mask and OOV slots included."""
        return len(self._table) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary in index order (a token's position is its index when specials are included)."""
        vocab = [self.oov_token] * self._token_start_index() + self._table.tokens(self._decode)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        return vocab if include_special_tokens else vocab[self._token_start_index():]

    def _decode(self, token):
        # numpy scalars, as TF's lookup tables export them (they print as np.str_('the'))
        return np.str_(token.decode(self._encoding)) if self._strings else np.int64(token)

    # -- setting and learning the vocabulary --------------------------------------------
    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (a list, array, Tensor or path of a one-token-per-line file).

        Args:
            vocabulary: the tokens, optionally preceded by the mask and OOV tokens.
            idf_weights: the inverse document frequencies, required in `"tf_idf"` mode.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(f"`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            self._vocabulary_from_file(vocabulary)
            return
        tokens = vocab_utils.as_list(vocabulary)
        if self._strings:
            tokens = [t.decode(self._encoding) if isinstance(t, bytes) else t for t in tokens]
        if not tokens:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_special = tokens[:token_start] == special
        learned = tokens[token_start:] if found_special else tokens
        repeated = [t for t, c in collections.Counter(learned).items() if c > 1]
        if repeated:
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please uniquify your "
                             f"dataset. The repeated terms are: {repeated}")
        for token, name in ((self.mask_token, "mask_token"), (self.oov_token if self.invert else None, "oov_token")):
            if token is not None and token in learned:
                where = np.array([np.argwhere(np.array(tokens) == token)[-1][0]])
                raise ValueError(f"Found reserved {'mask' if name == 'mask_token' else 'OOV'} token at unexpected "
                                 f"location in `vocabulary`. Note that passed `vocabulary` does not need to include "
                                 f"the OOV and mask tokens. Either remove all mask and OOV tokens, or include them "
                                 f"only at the start of the vocabulary in precisely this order: {special}. "
                                 f"Received: {name}={token} at vocabulary index {where}")
        if self.max_tokens is not None and token_start + len(learned) > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size. Received "
                             f"vocabulary size is {token_start + len(learned)}; `max_tokens` is {self.max_tokens}.")
        self._table.set([self._key(t) for t in learned])
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf":
            self._set_idf(vocab_utils.as_list(idf_weights), len(tokens), found_special)

    def _set_idf(self, weights: list, vocab_len: int, found_special: bool) -> None:
        if len(weights) != vocab_len:
            raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                             f"{len(weights)}; len(vocabulary) is {vocab_len}")
        weights = np.asarray(weights)
        if weights.ndim != 1:
            raise ValueError(f"TF-IDF data must be a 1-index array. Received: type(idf_weights)={type(weights)}")
        front = 0 if found_special else self._token_start_index()
        front_value = 0 if found_special else np.average(weights)
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
        weights = np.pad(weights, (front, back), "constant", constant_values=(front_value, 0))
        self.idf_weights = torch.as_tensor(weights.astype(np.float32))

    def _vocabulary_from_file(self, path: str) -> None:
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary from file.")
        with open(path, encoding=self._encoding) as f:
            lines = f.read().splitlines()
        self._table.set([self._key(line) for line in lines])
        self._record_vocabulary_size()

    def _record_vocabulary_size(self) -> None:
        size = self.vocabulary_size()
        if not (self.output_mode == "int" or self.pad_to_max_tokens) and self._frozen_vocab_size is not None \
                and size != self._frozen_vocab_size:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                               f"vocabulary size cannot be changed after the layer is called. Old vocab size is "
                               f"{self._frozen_vocab_size}, new vocab size is {size}")
        self._frozen_vocab_size = size

    def adapt(self, data, steps=None) -> None:
        """Learns the vocabulary from `data`: tokens by count (descending), ties by token (descending).

        Args:
            data: an array, list or Tensor of tokens (rank 1 is one token per sample), or an
                iterable of such batches.
            steps: with an iterable, how many batches to read at most.
        """
        vocab_utils.adapt(self, data, steps, self._as_tokens)

    def _as_tokens(self, data) -> np.ndarray:
        return vocab_utils.token_array(data, self._strings)

    def update_state(self, data) -> None:
        """Counts the tokens of one batch (an array, or a list of token lists)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                             f"`vocabulary` argument or `set_vocabulary()` method.")
        if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
            data = self._as_tokens(data)
        self._counts.add(vocab_utils.documents(data), self.output_mode == "tf_idf")

    def finalize_state(self) -> None:
        """Turns the counted tokens into the vocabulary (and IDF weights)."""
        if self._has_input_vocabulary or not self._counts.tokens:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                self._counts.tokens.pop(self._key(special), None)
        ranked = sorted(self._counts.tokens.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ranked = ranked[:self.max_tokens - self._token_start_index()]
        tokens = [token for token, _ in ranked]
        self._table.set(tokens)
        if self.output_mode == "tf_idf":
            self.idf_weights = self._counts.idf(tokens, self._token_start_index(),
                                                self.max_tokens if self.pad_to_max_tokens else None)
        self.reset_state()
        self._record_vocabulary_size()

    # -- weight files: TF-IDF weights as a variable, an adapted vocabulary as an asset ----
    def save_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights.cpu().numpy()

    def load_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = torch.as_tensor(np.asarray(store["idf_weights"], dtype=np.float32))

    def save_assets(self, dir_path: str) -> None:
        """Writes an adapted vocabulary to `vocabulary.txt` (a given one is in the config)."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding=self._encoding) as f:
            f.write("\n".join(str(token) for token in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path: str) -> None:
        """Reads the vocabulary `save_assets` wrote (after `load_own_variables`: TF-IDF weights first)."""
        path = os.path.join(dir_path, "vocabulary.txt")
        if self.input_vocabulary is not None or not os.path.exists(path):
            return
        with open(path, encoding=self._encoding) as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        tokens = lines if self._strings else [int(line) for line in lines]
        idf = self.idf_weights.cpu().numpy() if self.output_mode == "tf_idf" else None
        self.set_vocabulary(tokens, idf_weights=idf)

    def reset_state(self) -> None:
        if not self._has_input_vocabulary:
            self._counts = vocab_utils.Counts()

    # -- calling ------------------------------------------------------------------------
    def ensure_known_vocab_size(self) -> None:
        if not (self.output_mode == "int" or self.pad_to_max_tokens) and self._frozen_vocab_size is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                               f"must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                               f"argument to the layer, or call `adapt` with some sample data.")

    def depth(self):
        """The length of the vector outputs."""
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def forward(self, inputs):
        self.ensure_known_vocab_size()
        inputs = _strings.as_array(inputs)
        scalar = inputs.ndim == 0
        if scalar:
            inputs = inputs.reshape(1)
        lookups = self._invert(inputs) if self.invert else self.lookup(inputs)
        if self.output_mode == "int":
            if scalar:
                lookups = lookups.reshape(())
            return _strings.strings_out(lookups) if isinstance(lookups, np.ndarray) else lookups
        return self.encode(lookups, self.depth())

    def encode(self, lookups: torch.Tensor, depth: int) -> torch.Tensor:
        """Indices to the output mode's vectors (int64 counts, or float32 TF-IDF)."""
        if self.output_mode != "tf_idf":
            return _encoding.encode(lookups, self.output_mode, depth, "int64")
        counts = _encoding.encode(lookups, "count", depth, "int64")
        if self.idf_weights.device != counts.device:
            self.idf_weights = self.idf_weights.to(counts.device)
        return counts.to(torch.float32) * self.idf_weights

    def lookup(self, inputs) -> torch.Tensor:
        """Token indices (int64 torch) with the mask and OOV rules applied."""
        default = self._oov_start_index() if self.num_oov_indices == 1 else -1
        mask_value = 0 if self.output_mode == "int" else _DROP
        if self._strings:
            keys = vocab_utils.token_array(inputs, True)
            found = self._table.lookup_strings(keys, default)
            if self.mask_token is not None:
                found = np.where(keys == self._key(self.mask_token), mask_value, found)
            lookups = torch.from_numpy(found)
        else:
            keys = inputs.to(torch.int64) if isinstance(inputs, torch.Tensor) else torch.as_tensor(inputs).long()
            lookups = self._table.lookup_ints(keys, default)
            if self.mask_token is not None:
                lookups = torch.where(keys == int(self.mask_token), mask_value, lookups)
        if self.num_oov_indices == 0:
            missing = lookups == -1
            if bool(missing.any()):
                values = keys[missing.cpu().numpy()] if self._strings else keys[missing].cpu().numpy()
                shown = ", ".join(f'"{v.decode(self._encoding)}"' if isinstance(v, bytes) else str(v)
                                  for v in values.tolist())
                raise InvalidArgumentError(None, None, f"When `num_oov_indices=0` all inputs should be in "
                                           f"vocabulary, found OOV values [{shown}], consider setting "
                                           f"`num_oov_indices=1`.")
        elif self.num_oov_indices > 1:
            lookups = self._oov_buckets(keys, lookups)
        return lookups

    def _oov_buckets(self, keys, lookups: torch.Tensor) -> torch.Tensor:
        oov = lookups == -1
        if not bool(oov.any()):
            return lookups
        n = self.num_oov_indices
        if not self._strings and self.oov_method != "farmhash":
            buckets = torch.remainder(keys, n)
        else:
            text = keys if self._strings else _strings.decimal(keys.cpu())
            flat = text.reshape(-1).tolist()
            hashed = (_hashes.hash_bucket_strong(flat, n, self.salt) if self.salt is not None
                      else _hashes.hash_bucket_fast(flat, n))
            buckets = torch.as_tensor(np.asarray(hashed, np.int64).reshape(text.shape), device=lookups.device)
        return torch.where(oov, buckets + self._oov_start_index(), lookups)

    def _invert(self, inputs):
        """Tokens for indices: OOV slots and unknown indices give `oov_token`, index 0 the mask."""
        indices = inputs.to(torch.int64) if isinstance(inputs, torch.Tensor) else torch.as_tensor(inputs).long()
        oov = self._key(self.oov_token) if self.oov_token is not None else (b"" if self._strings else -1)
        mask = None if self.mask_token is None else self._key(self.mask_token)
        return self._table.invert(indices, oov, mask)

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self.depth()
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return (*input_shape[:-1], depth)
            return (*input_shape, depth)
        return (*input_shape[:-1], depth)

    def compute_output_spec(self, inputs):
        from kerastorch.keras.engine.symbolic import KerasTensor

        dtype = "int64" if self.output_mode == "int" else "float32"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode, "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens, "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _listify(self.input_idf_weights), "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size, "oov_method": self.oov_method, "salt": self.salt}


def _listify(value):
    if isinstance(value, TensorLike):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return value
