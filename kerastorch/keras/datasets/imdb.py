"""`keras.datasets.imdb`: 50,000 movie reviews as word-rank sequences, labelled by sentiment."""

from __future__ import annotations

import json

import numpy as np

from kerastorch.keras.datasets import _word_sequences as words
from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file
from kerastorch.keras.datasets._safe_pickle import load_npz

__all__ = ["get_word_index", "load_data"]


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs):
    """Loads IMDB from Keras's cache (`~/.keras/datasets/imdb.npz`); never downloads.

    Train and test reviews are shuffled (each with `np.random.RandomState(seed)`, in turn)
    and encoded as described in `keras.datasets.imdb` of Keras 3.

    Args:
        path: the file name inside the cache folder.
        num_words: keep the `num_words - 1` most frequent ranks (`None`: all but the largest).
        skip_top: treat the `skip_top` most frequent ranks as out of vocabulary.
        maxlen: drop reviews of `maxlen` words or more (counting `start_char`).
        seed: the shuffling seed.
        start_char: the index marking a review's start (`None`: no marker).
        oov_char: the index replacing out-of-vocabulary words (`None`: they are dropped).
        index_from: the offset added to every word rank.
        **kwargs: accepted and ignored, as in Keras.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of 25,000 lists of ints each,
        and label arrays (0 negative, 1 positive).
    """
    path = cached_file("imdb", path, f"{KERAS_ORIGIN}imdb.npz")
    arrays = load_npz(path)
    rng = np.random.RandomState(seed)
    order = np.arange(len(arrays["x_train"]))
    rng.shuffle(order)
    x_train, labels_train = arrays["x_train"][order], arrays["y_train"][order]
    order = np.arange(len(arrays["x_test"]))
    rng.shuffle(order)
    x_test, labels_test = arrays["x_test"][order], arrays["y_test"][order]

    x_train = words.shift(x_train, start_char, index_from)
    x_test = words.shift(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = words.drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = words.drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                             "kept. Increase maxlen.")
    xs = words.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    cut = len(x_train)
    return (words.as_object_array(xs[:cut]), labels[:cut]), (words.as_object_array(xs[cut:]), labels[cut:])


def get_word_index(path: str = "imdb_word_index.json") -> dict:
    """The word -> rank mapping of IMDB, from Keras's cache (`~/.keras/datasets/imdb_word_index.json`).

    Args:
        path: the file name inside the cache folder.
    """
    path = cached_file("imdb", path, f"{KERAS_ORIGIN}imdb_word_index.json")
    with open(path) as f:
        return json.load(f)
