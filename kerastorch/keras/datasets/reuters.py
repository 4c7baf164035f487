"""`keras.datasets.reuters`: 11,228 Reuters newswires as word-rank sequences, in 46 topics."""

from __future__ import annotations

import json

import numpy as np

from kerastorch.keras.datasets import _word_sequences as words
from kerastorch.keras.datasets._cache import KERAS_ORIGIN, cached_file
from kerastorch.keras.datasets._safe_pickle import load_npz

__all__ = ["get_label_names", "get_word_index", "load_data"]

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
    "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
    "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
)


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3):
    """Loads Reuters from Keras's cache (`~/.keras/datasets/reuters.npz`); never downloads.

    The newswires are shuffled with `np.random.RandomState(seed)`, encoded as in
    `keras.datasets.imdb`, and the last `test_split` of them form the test set.

    Args:
        path: the file name inside the cache folder.
        num_words: keep the `num_words - 1` most frequent ranks (`None`: all but the largest).
        skip_top: treat the `skip_top` most frequent ranks as out of vocabulary.
        maxlen: drop newswires of `maxlen` words or more (counting `start_char`).
        test_split: the fraction of newswires that form the test set.
        seed: the shuffling seed.
        start_char: the index marking a newswire's start (`None`: no marker).
        oov_char: the index replacing out-of-vocabulary words (`None`: they are dropped).
        index_from: the offset added to every word rank.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, and topic
        label arrays (see `get_label_names`).
    """
    path = cached_file("reuters", path, f"{KERAS_ORIGIN}reuters.npz")
    arrays = load_npz(path)
    order = np.arange(len(arrays["x"]))
    np.random.RandomState(seed).shuffle(order)
    xs = words.shift(arrays["x"][order], start_char, index_from)
    labels = arrays["y"][order]
    if maxlen:
        xs, labels = words.drop_long(maxlen, xs, labels)
    xs = words.limit_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((words.as_object_array(xs[:cut]), np.array(labels[:cut])),
            (words.as_object_array(xs[cut:]), np.array(labels[cut:])))


def get_word_index(path: str = "reuters_word_index.json") -> dict:
    """The word -> rank mapping of Reuters, from Keras's cache (`~/.keras/datasets/reuters_word_index.json`).

    Args:
        path: the file name inside the cache folder.
    """
    path = cached_file("reuters", path, f"{KERAS_ORIGIN}reuters_word_index.json")
    with open(path) as f:
        return json.load(f)


def get_label_names() -> tuple:
    """The 46 topic names, indexed by label."""
    return _LABEL_NAMES
