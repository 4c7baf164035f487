"""Dataset elements: nested tuples, namedtuples and dicts whose leaves are raw tensors.

Inside the pipeline a leaf is what a `Tensor` holds (a torch tensor, or a numpy object
array for `tf.string`); user functions see `Tensor`s. A Python list is a tensor value
where data comes in (`from_tensor_slices([[1, 2], [3, 4]])`), but a tuple where a user
function returns it, as in TF.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, to_raw
from kerastorch.framework.tensor import Tensor, TensorLike
from kerastorch.framework.tensor_spec import TensorSpec


def is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def map_structure(fn, structure):
    """`fn` applied to every leaf, keeping tuples, namedtuples and dicts."""
    if type(structure) is tuple:
        return tuple(map_structure(fn, x) for x in structure)
    if is_namedtuple(structure):
        return type(structure)(*(map_structure(fn, x) for x in structure))
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)


def flatten(structure) -> list:
    """The leaves in order (dicts in insertion order)."""
    if isinstance(structure, tuple):
        return [leaf for x in structure for leaf in flatten(x)]
    if isinstance(structure, dict):
        return [leaf for v in structure.values() for leaf in flatten(v)]
    return [structure]


def pack(structure, leaves):
    """`structure` with its leaves replaced, in order, by `leaves`."""
    it = iter(leaves)
    return map_structure(lambda _: next(it), structure)


def same_structure(first, second) -> bool:
    if isinstance(first, tuple):
        return (isinstance(second, tuple) and type(first) is type(second) and len(first) == len(second)
                and all(same_structure(a, b) for a, b in zip(first, second)))
    if isinstance(first, dict):
        return (isinstance(second, dict) and first.keys() == second.keys()
                and all(same_structure(first[k], second[k]) for k in first))
    return not isinstance(second, (tuple, dict))


# -- leaves -------------------------------------------------------------------------------

def to_leaf(value, dtype=None):
    """The raw tensor for a leaf value (a Tensor, Variable, torch tensor, numpy or Python value).

    A Tensor is immutable and shared; a Variable or a torch tensor may change later, so
    its current value is copied (as TF does).
    """
    if dtype is None:
        if type(value) is Tensor:
            return value._t if isinstance(value._t, np.ndarray) else value._t.detach()
        if isinstance(value, (TensorLike, torch.Tensor)):
            raw = value._t if isinstance(value, TensorLike) else value
            return raw.copy() if isinstance(raw, np.ndarray) else raw.detach().clone()
    return to_raw(value, dtype)


def input_element(value):
    """A user's data as an element: tuples and dicts are structure, everything else one tensor."""
    if value is None:
        raise TypeError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) "
                        "to a Tensor.")
    return map_structure(_input_leaf, value)


def _input_leaf(value):
    # tf.data stacks a list of numpy arrays with numpy (keeping int64), where tf.constant would not.
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        shapes = {v.shape for v in value}
        if len(shapes) == 1:
            value = np.stack(value)
    return to_leaf(value)


def output_element(value):
    """What a user function returned, as an element (lists become tuples, as TF does)."""
    if isinstance(value, list):
        return tuple(output_element(v) for v in value)
    if type(value) is tuple:
        return tuple(output_element(v) for v in value)
    if is_namedtuple(value):
        return type(value)(*(output_element(v) for v in value))
    if isinstance(value, dict):
        return {k: output_element(v) for k, v in value.items()}
    return input_element(value)


def wrap(element):
    """The element as user code sees it: Tensors."""
    return map_structure(box, element)


def dtype_of(leaf) -> dtypes.DType:
    return dtypes.string if isinstance(leaf, np.ndarray) else dtypes.from_torch(leaf.dtype)


def spec_of(element, drop_first: bool = False):
    """The `TensorSpec` structure of an element (of its rows with `drop_first`)."""
    def spec(leaf):
        shape = tuple(leaf.shape)
        return TensorSpec(shape[1:] if drop_first else shape, dtype_of(leaf))
    return map_structure(spec, element)


def to_numpy(leaf):
    """A leaf as `as_numpy_iterator` gives it: numpy arrays, numpy scalars or bytes."""
    if isinstance(leaf, np.ndarray):
        return leaf[()] if leaf.ndim == 0 else leaf.copy()
    leaf = leaf.detach()
    if leaf.dtype is torch.bfloat16:
        leaf = leaf.float()
    array = leaf.cpu().numpy()
    return array[()] if array.ndim == 0 else array.copy()


def place(leaf, device):
    """The leaf on `device` (string storage stays host-side)."""
    if device is None or isinstance(leaf, np.ndarray) or leaf.device == device:
        return leaf
    return leaf.to(device)


def rows(leaf, index):
    """Row(s) `index` (an int, a slice or a 1-D index tensor) of a leaf."""
    if isinstance(leaf, np.ndarray):
        if isinstance(index, torch.Tensor):
            return leaf[index.cpu().numpy()]
        return leaf[index, ...]
    if isinstance(index, torch.Tensor):
        return leaf.index_select(0, index.to(leaf.device))
    return leaf[index]


def stack(leaves: list):
    if isinstance(leaves[0], np.ndarray):
        return np.stack(leaves)
    return torch.stack([leaf.to(leaves[0].device) for leaf in leaves])
