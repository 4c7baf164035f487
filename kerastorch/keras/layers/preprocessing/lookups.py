"""StringLookup and IntegerLookup: vocabularies of strings or integers mapped to indices."""

from __future__ import annotations

from kerastorch.keras.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary (set, or learned with `adapt`).

    Args:
        max_tokens: the largest vocabulary size, mask and OOV slots included (None: no cap).
        num_oov_indices: how many slots unknown tokens share (hashed among them); 0 makes
            an unknown token an error.
        mask_token: a token mapped to index 0 in `"int"` mode (dropped in other modes).
        oov_token: the token `invert=True` returns for OOV indices (default `"[UNK]"`).
        vocabulary: a list, array or Tensor of strings, or a path to a one-token-per-line file.
        idf_weights: inverse document frequencies for `"tf_idf"` with a given vocabulary.
        invert: map indices back to strings.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: in the vector modes, make the last axis `max_tokens` long.
        sparse: sparse outputs (not supported by kerastorch; must be False).
        encoding: the text encoding of the tokens (default UTF-8).
        salt: key the OOV hash (SipHash) with an integer or a pair of integers.

    Input shape: strings of any shape. Output shape: the same for `"int"` (int64), else
    `(..., vocabulary_size)` (int64 counts; float32 for `"tf_idf"`).

    Example:
        >>> layer = tf.keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer(tf.constant([["a", "c", "d"], ["d", "z", "b"]])).numpy()
        array([[1, 3, 4],
               [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices: int = 1, mask_token=None, oov_token: str = "[UNK]",
                 vocabulary=None, idf_weights=None, invert: bool = False, output_mode: str = "int",
                 pad_to_max_tokens: bool = False, sparse: bool = False, encoding: str = "utf-8", name=None,
                 salt=None, **kwargs):
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", encoding=encoding, **kwargs)
        self.encoding = encoding

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (set, or learned with `adapt`).

    Args:
        max_tokens: the largest vocabulary size, mask and OOV slots included (None: no cap).
        num_oov_indices: how many slots unknown values share (`value % n` by default); 0
            makes an unknown value an error.
        mask_token: a value mapped to index 0 in `"int"` mode (dropped in other modes).
        oov_token: the value `invert=True` returns for OOV indices (default -1).
        vocabulary: a list, array or Tensor of integers, or a file path.
        vocabulary_dtype: only `"int64"`.
        idf_weights, invert, output_mode, pad_to_max_tokens, sparse, salt: as in `StringLookup`.
        oov_method: `"floormod"` (default) or `"farmhash"` (hash the decimal text) for
            choosing among several OOV slots.

    Input shape: integers of any shape. Output shape: as `StringLookup`.

    Example:
        >>> layer = tf.keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(tf.constant([[12, 1138, 42], [42, 1000, 36]])).numpy()
        array([[1, 3, 4],
               [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices: int = 1, mask_token=None, oov_token: int = -1,
                 vocabulary=None, vocabulary_dtype: str = "int64", idf_weights=None, invert: bool = False,
                 output_mode: str = "int", sparse: bool = False, pad_to_max_tokens: bool = False,
                 oov_method: str = "floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError(f"The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError(f"Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                             f"vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name,
                         **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
