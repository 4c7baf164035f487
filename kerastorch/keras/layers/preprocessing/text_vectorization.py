"""TextVectorization: strings to token indices (or multi-hot, count, TF-IDF vectors)."""

from __future__ import annotations

import re

import numpy as np
import torch

from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.layers.preprocessing import _strings
from kerastorch.keras.layers.preprocessing import _vocabulary as vocab_utils
from kerastorch.keras.layers.preprocessing.index_lookup import check_choice
from kerastorch.keras.layers.preprocessing.lookups import StringLookup

# Keras's punctuation class (ASCII punctuation), applied to the UTF-8 bytes.
_PUNCTUATION = re.compile(rb'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class TextVectorization(Layer):
    """Standardizes, splits and indexes text: `"The cat."` -> `[2, 5]`.

    Each string is standardized (lowercased, punctuation stripped), split into tokens
    (on whitespace), optionally combined into n-grams, and looked up in a vocabulary
    (set, or learned with `adapt`: most frequent first). Index 0 is padding (`""`) and
    1 the OOV token `"[UNK]"`.

    Args:
        max_tokens: the largest vocabulary size, padding and OOV included.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, None, or a callable taking and returning a string Tensor.
        split: `"whitespace"` (default), `"character"`, None (each string is one token), or a
            callable taking a 1-D string Tensor and returning one list of tokens per string.
        ngrams: None, an integer n (n-grams of sizes 1..n) or a tuple of sizes.
        output_mode: `"int"` (default), `"multi_hot"`, `"count"`, `"tf_idf"` (or `"one_hot"`).
        output_sequence_length: in `"int"` mode, pad or truncate every row to this length
            (default: the longest row of the batch).
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        vocabulary: a list, array or file path of tokens.
        idf_weights: the IDF weights for `"tf_idf"` with a given vocabulary.
        sparse, ragged: not supported by kerastorch (must be False).
        encoding: the text encoding (default UTF-8).

    Input shape: `(batch,)` or `(batch, 1)` strings.
    Output shape: `(batch, output_sequence_length)` int64 in `"int"` mode, else
    `(batch, vocabulary_size)`.

    Example:
        >>> layer = tf.keras.layers.TextVectorization(max_tokens=10)
        >>> layer.adapt(["the cat sat", "the dog"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
        >>> layer(tf.constant(["the dog sat", "a cat"])).numpy()
        array([[2, 4, 3],
               [1, 5, 0]])
    """

    # Keras's `_allow_non_tensor_positional_args`: Python lists (and strings) are valid inputs.
    _allow_non_tensor_positional_args = True

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode: str = "int", output_sequence_length=None, pad_to_max_tokens: bool = False,
                 vocabulary=None, idf_weights=None, sparse: bool = False, ragged: bool = False,
                 encoding: str = "utf-8", name=None, **kwargs):
        for flag, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(f"`{flag}=True` can only be used with the TensorFlow backend.")
        caller = type(self).__name__
        check_choice(standardize, ("lower_and_strip_punctuation", "lower", "strip_punctuation"), caller,
                     "standardize", allow_none=True, allow_callables=True)
        check_choice(split, ("whitespace", "character"), caller, "split", allow_none=True, allow_callables=True)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_choice(output_mode, _MODES, caller, "output_mode")
        if not (ngrams is None or isinstance(ngrams, int)
                or (isinstance(ngrams, tuple) and all(isinstance(item, int) for item in ngrams))):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        if output_mode == "int" and not (isinstance(output_sequence_length, int) or output_sequence_length is None):
            raise ValueError(f"`output_sequence_length` must be either None or an integer when `output_mode` is "
                             f"'int'. Received: output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                             f"Received output_sequence_length={output_sequence_length}.")
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self.autocast = False  # as Keras (`_convert_input_args = False`): inputs arrive as given
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="",
                                          output_mode=output_mode, sparse=sparse,
                                          has_input_vocabulary=has_input_vocabulary, encoding=encoding,
                                          vocabulary_size=vocabulary_size)

    @property
    def compute_dtype(self) -> str:
        return "string"

    @property
    def variable_dtype(self) -> str:
        return "string"

    # -- vocabulary -----------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary from text: tokens by count (descending), ties by token (descending).

        Args:
            data: a list, array or Tensor of strings, or an iterable of such batches.
            batch_size: unused (Keras's signature).
            steps: with an iterable, how many batches to read at most.
        """
        vocab_utils.adapt(self, data, steps, lambda array: vocab_utils.token_array(array, True))

    def update_state(self, data) -> None:
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    # The lookup layer's state is also written under this layer's own path, as in Keras.
    def save_own_variables(self, store) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path: str) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        self._lookup_layer.load_assets(dir_path)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary in index order (`""` and `"[UNK]"` first unless excluded)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The vocabulary size, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and the IDF weights in `"tf_idf"` mode) directly."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- text processing --------------------------------------------------------------
    def _preprocess(self, inputs):
        """Standardized strings (an array), or with `split` one token list per string."""
        text = vocab_utils.token_array(inputs, True)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            text = _map(bytes.lower, text)  # ASCII only, as tf.strings.lower
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            text = _map(lambda s: _PUNCTUATION.sub(b"", s), text)
        if callable(self._standardize):
            text = vocab_utils.token_array(self._standardize(_strings.strings_out(text)), True)
        if self._split is None:
            return text if self._ngrams is None else [_ngrams(row, self._ngrams) for row in _rows(text)]
        if text.ndim > 1:
            if text.shape[-1] != 1:
                raise ValueError(f"When using `TextVectorization` to tokenize strings, the input rank must be 1 "
                                 f"or the last shape dimension must be 1. Received: inputs.shape="
                                 f"{tuple(text.shape)} with rank={text.ndim}")
            text = text.reshape(text.shape[:-1])
        flat = text.reshape(-1).tolist()
        if self._split == "whitespace":
            rows = [s.split() for s in flat]
        elif self._split == "character":
            rows = [[c.encode("utf-8") for c in s.decode("utf-8", "replace")] for s in flat]
        else:
            rows = [[_strings.to_bytes(t, self._encoding) for t in _tokens(row)]
                    for row in self._split(_strings.strings_out(text.reshape(-1)))]
        if self._ngrams is not None:
            rows = [_ngrams(row, self._ngrams) for row in rows]
        return rows

    def forward(self, inputs):
        inputs = _strings.as_array(inputs)
        scalar = inputs.ndim == 0
        tokens = self._preprocess(inputs.reshape(1) if scalar else inputs)
        lookup = self._lookup_layer
        if not isinstance(tokens, list):
            out = lookup.forward(tokens)
            if self._output_mode == "int" and self._output_sequence_length is not None:
                out = _fit_length(out, self._output_sequence_length)
            return out
        lengths = [len(row) for row in tokens]
        flat = np.empty(sum(lengths), dtype=object)
        flat[:] = [t for row in tokens for t in row]
        if self._output_mode == "int":
            indices = lookup.forward(flat)
            out = _pad(indices, lengths, self._output_sequence_length, fill=0)
            return out[0] if scalar else out
        lookup.ensure_known_vocab_size()
        padded = _pad(lookup.lookup(flat), lengths, None, fill=-1)
        out = lookup.encode(padded, lookup.depth())
        return out[0] if scalar else out

    def compute_output_shape(self, input_shape) -> tuple:
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = (*input_shape, 1)
        else:
            input_shape = (*input_shape, None)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        from kerastorch.keras.engine.symbolic import KerasTensor

        dtype = "int64" if self._output_mode == "int" else "float32"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self) -> dict:
        lookup = self._lookup_layer
        return {**super().get_config(), "max_tokens": lookup.max_tokens, "standardize": self._standardize,
                "split": self._split, "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": lookup.sparse, "ragged": self._ragged,
                "vocabulary": _listify(lookup.input_vocabulary), "idf_weights": _listify(lookup.input_idf_weights),
                "encoding": self._encoding, "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)


def _listify(value):
    return vocab_utils.as_list(value) if value is not None and not isinstance(value, str) else value


def _map(fn, text: np.ndarray) -> np.ndarray:
    out = np.empty(text.shape, dtype=object)
    out.reshape(-1)[:] = [fn(s) for s in text.reshape(-1).tolist()]
    return out


def _rows(text: np.ndarray) -> list:
    return [text.tolist()] if text.ndim <= 1 else text.reshape(-1, text.shape[-1]).tolist()


def _tokens(row) -> list:
    if hasattr(row, "numpy"):
        row = row.numpy()
    return list(np.asarray(row, dtype=object).reshape(-1)) if not isinstance(row, list) else row


def _ngrams(tokens: list, widths: tuple) -> list:
    """`tf.strings.ngrams(separator=" ")`: every n-gram of each width, widths in order."""
    return [b" ".join(tokens[i:i + n]) for n in widths for i in range(len(tokens) - n + 1)]


def _pad(values: torch.Tensor, lengths: list, length, fill: int) -> torch.Tensor:
    """Ragged rows (flat `values`, row `lengths`) as a dense `(rows, length)` tensor."""
    width = max(lengths, default=0) if length is None else length
    out = torch.full((len(lengths), width), fill, dtype=values.dtype, device=values.device)
    rows = torch.as_tensor(np.repeat(np.arange(len(lengths)), lengths), dtype=torch.int64)
    cols = torch.as_tensor(np.concatenate([np.arange(n) for n in lengths]) if lengths else np.zeros(0, np.int64),
                           dtype=torch.int64)
    keep = cols < width
    out[rows[keep], cols[keep]] = values[keep.to(values.device)]
    return out


def _fit_length(out: torch.Tensor, length: int) -> torch.Tensor:
    out = out[..., :length]
    if out.shape[-1] < length:
        out = torch.nn.functional.pad(out, (0, length - out.shape[-1]))
    return out
