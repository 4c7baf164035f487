"""Vocabulary state for the lookup layers: the token table and the counts `adapt` gathers.

Tokens are bytes (string vocabularies) or Python ints (integer vocabularies).
"""

from __future__ import annotations

import collections

import numpy as np
import torch

from kerastorch.framework.tensor import TensorLike
from kerastorch.keras.layers.preprocessing import _strings


class Table:
    """Tokens at indices `start, start + 1, …`, looked up in both directions."""

    def __init__(self, start: int, strings: bool):
        self.start = start
        self.strings = strings
        self.set([])

    def set(self, tokens: list) -> None:
        self._tokens = list(tokens)
        self._index = {token: i + self.start for i, token in enumerate(self._tokens)}
        self._sorted = {}  # torch device -> (sorted keys, their indices), for integer lookups

    def __len__(self) -> int:
        return len(self._tokens)

    def tokens(self, decode) -> list:
        return [decode(t) for t in self._tokens]

    def lookup_strings(self, keys: np.ndarray, default: int) -> np.ndarray:
        get = self._index.get
        flat = np.fromiter((get(k, default) for k in keys.reshape(-1).tolist()), dtype=np.int64,
                           count=keys.size)
        return flat.reshape(keys.shape)

    def lookup_ints(self, keys: torch.Tensor, default: int) -> torch.Tensor:
        if not self._tokens:
            return torch.full_like(keys, default)
        if keys.device not in self._sorted:
            tokens = torch.tensor(self._tokens, dtype=torch.int64)
            order = torch.argsort(tokens)
            indices = torch.arange(self.start, self.start + len(tokens), dtype=torch.int64)[order]
            self._sorted[keys.device] = (tokens[order].to(keys.device), indices.to(keys.device))
        sorted_keys, indices = self._sorted[keys.device]
        pos = torch.searchsorted(sorted_keys, keys).clamp_max(len(self._tokens) - 1)
        return torch.where(sorted_keys[pos] == keys, indices[pos], default)

    def invert(self, indices: torch.Tensor, oov, mask):
        """The token at each index (`oov` for unknown indices, `mask` at index 0 when set)."""
        valid = (indices >= self.start) & (indices < self.start + len(self._tokens))
        local = torch.where(valid, indices - self.start, 0)
        if self.strings:
            table = np.empty(max(len(self._tokens), 1), dtype=object)
            table[:len(self._tokens)] = self._tokens
            valid_np, local_np = valid.cpu().numpy(), local.cpu().numpy()
            out = np.where(valid_np, table[local_np] if self._tokens else oov, oov).astype(object)
            if mask is not None:
                out[indices.cpu().numpy() == 0] = mask
            return out
        table = torch.tensor(self._tokens or [oov], dtype=torch.int64, device=indices.device)
        out = torch.where(valid, table[local], oov)
        return out if mask is None else torch.where(indices == 0, mask, out)


class Counts:
    """Token counts (and, for TF-IDF, document counts) gathered over `adapt` batches."""

    def __init__(self):
        self.tokens = collections.Counter()
        self.documents = collections.Counter()
        self.num_documents = 0

    def add(self, docs: list, per_document: bool) -> None:
        for doc in docs:
            self.tokens.update(doc)
            if per_document:
                self.documents.update(set(doc))
        if per_document:
            self.num_documents += len(docs)

    def idf(self, tokens: list, front: int, pad_to) -> torch.Tensor:
        """Keras's IDF weights `log(1 + docs / (1 + doc_count))`, the special slots set to their mean."""
        counts = np.asarray([self.documents[t] for t in tokens], dtype=np.float64)
        weights = np.log(1 + self.num_documents / (1 + counts)).astype(np.float32)
        weights = np.concatenate([np.full(front, weights.mean(dtype=np.float32), np.float32), weights])
        if pad_to is not None:
            weights = np.concatenate([weights, np.zeros(pad_to - len(weights), np.float32)])
        return torch.from_numpy(weights)


def adapt(layer, data, steps, as_tokens) -> None:
    """A vocabulary layer's `adapt`: the counts of `data` (an array, or an iterable of batches of which
    `steps` are read at most), then the vocabulary they give; `as_tokens` turns an array into tokens."""
    layer.reset_state()
    if _is_batch_iterable(data):
        for i, batch in enumerate(data):
            if steps is not None and i >= steps:
                break
            layer.update_state(batch)
    else:
        data = as_tokens(data)
        layer.update_state(data[:, None] if data.ndim == 1 else data)
    layer.finalize_state()


def _is_batch_iterable(data) -> bool:
    """Whether `adapt` should read `data` batch by batch (a generator, a dataset-like object)."""
    return hasattr(data, "__iter__") and not isinstance(
        data, (list, tuple, np.ndarray, TensorLike, torch.Tensor, str, bytes))


def as_list(values) -> list:
    """A vocabulary or weights argument as a Python list."""
    if isinstance(values, TensorLike):
        values = values.numpy()
    if isinstance(values, (np.ndarray, torch.Tensor)):
        return np.asarray(values).tolist()
    return list(values)


def token_array(data, strings: bool) -> np.ndarray:
    """`data` as a numpy array of tokens: bytes objects, or int64."""
    raw = _strings.as_array(data)
    if isinstance(raw, torch.Tensor):
        if strings:
            raise ValueError(f"A string lookup received numeric data of dtype {raw.dtype}.")
        return raw.cpu().numpy().astype(np.int64)
    if not strings:
        return np.asarray(raw).astype(np.int64)
    out = np.empty(raw.shape, dtype=object)
    out.reshape(-1)[:] = [_strings.to_bytes(v) for v in raw.reshape(-1).tolist()]
    return out


def documents(data) -> list:
    """The token lists (one per sample) of an array or of a list of token lists."""
    if isinstance(data, list):
        return data
    if data.ndim == 0:
        return [[data.item()]]
    if data.ndim == 1:
        return [data.tolist()]
    return data.reshape(data.shape[0], -1).tolist()
