"""The word-index sequence processing IMDB and Reuters share (Keras 3.15's rules).

A review or newswire is a list of word ranks (1 = most frequent word). The loaders
shift every rank by `index_from`, prepend `start_char`, drop sequences of `maxlen` words
or more, and replace ranks outside `[skip_top, num_words)` by `oov_char` (or drop them).
When `num_words` is not given it is the largest rank seen, which itself then counts as
out of vocabulary (Keras's rule, kept for identical outputs).
"""

from __future__ import annotations

import numpy as np


def shift(sequences, start_char: int | None, index_from: int) -> list:
    """Each sequence as a list with ranks shifted by `index_from` and `start_char` prepended."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in seq] for seq in sequences]
    return [[w + index_from for w in seq] for seq in sequences]


def drop_long(maxlen: int, sequences, labels) -> tuple:
    """The sequences shorter than `maxlen` and their labels, as two lists."""
    kept = [(seq, label) for seq, label in zip(sequences, labels) if len(seq) < maxlen]
    return [seq for seq, _ in kept], [label for _, label in kept]


def limit_vocabulary(sequences: list, num_words: int | None, skip_top: int, oov_char: int | None) -> list:
    """Ranks outside `[skip_top, num_words)` replaced by `oov_char`, or removed when it is None."""
    if not num_words:
        num_words = max(max(seq) for seq in sequences)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in seq] for seq in sequences]
    return [[w for w in seq if skip_top <= w < num_words] for seq in sequences]


def as_object_array(sequences: list) -> np.ndarray:
    """The sequences as Keras returns them: `np.array(..., dtype=object)` (one list per row when ragged)."""
    return np.array(sequences, dtype="object")
