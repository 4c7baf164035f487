"""String data for the text layers: `tf.string` values are numpy object arrays of bytes.

The engine hands a layer's `forward` string tensors as that numpy storage; these helpers
convert the other forms (unicode arrays, lists, Tensors) to it and wrap string results
back into Tensors.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import box, to_raw
from kerastorch.framework.tensor import TensorLike


def to_bytes(value, encoding: str = "utf-8"):
    """One token as TF stores it: `str` encoded, bytes kept, anything else unchanged."""
    return value.encode(encoding) if isinstance(value, str) else value


def is_strings(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype.kind in "OSU"


def as_array(x):
    """`x` as the raw form an op sees: a numpy object array of bytes, or a torch tensor."""
    if isinstance(x, TensorLike):
        return x._t
    if isinstance(x, torch.Tensor):
        return x
    return to_raw(x)


def strings_out(arr: np.ndarray):
    """A string result as a `tf.string` Tensor (the engine passes facade values through)."""
    return box(np.asarray(arr, dtype=object))


def decimal(values) -> np.ndarray:
    """`tf.strings.as_string` of integers: their decimal text, as bytes."""
    flat = values.reshape(-1).tolist()
    out = np.empty(len(flat), dtype=object)
    out[:] = [str(v).encode() for v in flat]
    return out.reshape(tuple(values.shape))
