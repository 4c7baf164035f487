"""`keras.utils.pad_sequences` (also `keras.preprocessing.sequence.pad_sequences`)."""

from __future__ import annotations

import numpy as np


def pad_sequences(sequences, maxlen: int | None = None, dtype="int32", padding: str = "pre",
                  truncating: str = "pre", value=0.0) -> np.ndarray:
    """Pads (and truncates) sequences to a common length.

    Each sequence becomes one row of a `(len(sequences), maxlen, ...)` array; the trailing
    dimensions are those of the first non-empty sequence's items.

    Args:
        sequences: a list of sequences (lists of integers, or of equally shaped items).
        maxlen: the row length; `None` uses the longest sequence's length.
        dtype: the output dtype (`object` for variable-length strings).
        padding: `"pre"` or `"post"`: where the `value`s go in a short sequence.
        truncating: `"pre"` or `"post"`: which end of a long sequence is dropped.
        value: the padding value (a float, or a string for string dtypes).

    Returns:
        A numpy array of shape `(len(sequences), maxlen, ...)`.

    Example:

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2)
    array([[0, 1],
           [2, 3],
           [5, 6]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths = []
    item_shape = None
    for seq in sequences:
        try:
            lengths.append(len(seq))
        except TypeError as exc:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {seq}") from exc
        if item_shape is None and len(seq):
            item_shape = np.asarray(seq).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = np.max(lengths)
    string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not string_dtype:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
                         "You should set `dtype=object` for variable length strings.")
    out = np.full((len(sequences), maxlen) + item_shape, value, dtype=dtype)
    for row, seq in enumerate(sequences):
        if not len(seq):
            continue
        if truncating == "pre":
            kept = seq[-maxlen:]
        elif truncating == "post":
            kept = seq[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != item_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {row} is different "
                             f"from expected shape {item_shape}")
        if padding == "post":
            out[row, :len(kept)] = kept
        elif padding == "pre":
            out[row, -len(kept):] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return out
