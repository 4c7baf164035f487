"""TF's conversion rules for Python values and numpy arrays (the numpy side of `tf.constant`).

Without a dtype, a nested Python sequence takes its type from its *first* element
(recursing into first elements), as TF's converter does: `[1, 2.5]` is float32 (ints
give way to floats), `[2.0, np.float64(1)]` is float32 but `[np.float64(1), 2.0]` is
float64, `[True, 1]` is refused. numpy arrays keep their dtype. The functions here return
numpy arrays (object arrays of `bytes` for strings); `convert.py` moves them to torch.
"""

from __future__ import annotations

import itertools

import numpy as np

from kerastorch.framework import dtypes
from kerastorch.framework.tensor import TensorLike

_SEQUENCES = (list, tuple, range, np.ndarray)
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# Kinds (numpy's dtype.kind) a Python value may be converted to with an explicit dtype.
_PYTHON_CASTS = {"b": "biufc", "i": "iufc", "u": "iufc", "f": "fc", "c": "c"}
_NUMERIC_NUMPY = frozenset(t for t in dtypes._BY_NUMPY_TYPE if t not in (np.object_, np.bytes_, np.str_))
# The smallest magnitudes that round to infinity in float32 and float16.
_ROUNDS_TO_INF = {np.float32: 3.4028235677973366e38, np.float16: 65520.0}
_EMPTY = object()  # first "leaf" of a sequence whose first element is empty

MIXED = "Can't convert Python sequence with mixed types to Tensor."
RAGGED = "Can't convert non-rectangular Python sequence to Tensor."
INT_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
FLOAT_RANGE = "Can't convert Python sequence with a value out of range for a double-precision float."


def cannot_convert(value, target) -> TypeError:
    """TF's error for a Python value that the requested dtype cannot hold."""
    return TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {target._legacy}")


_PLAIN = frozenset((int, float, bool, complex, str, bytes))
_ROWS = frozenset((list, tuple))


def holds_tensors(seq) -> bool:
    """Whether a (nested) list or tuple contains a Tensor or Variable.

    Rows of plain Python numbers, the usual content, are cleared with one set of types.
    """
    kinds = set(map(type, seq))
    if kinds <= _PLAIN:
        return False
    if kinds <= _ROWS:  # nested rows: look at the next level in one pass
        return holds_tensors(list(itertools.chain.from_iterable(seq)))
    for v in seq:
        if isinstance(v, TensorLike) or isinstance(v, (list, tuple)) and holds_tensors(v):
            return True
    return False


def infer_python(value) -> np.ndarray:
    """The array for a (nested) Python value, with TF's inferred dtype."""
    kind = type(value)
    if kind is float and -_ROUNDS_TO_INF[np.float32] < value < _ROUNDS_TO_INF[np.float32]:
        return np.array(value, np.float32)  # the common scalar, without numpy's reductions
    if kind is int and _INT32_MIN <= value <= _INT32_MAX:
        return np.array(value, np.int32)
    leaf = _first_leaf(value)
    if isinstance(leaf, (str, bytes)):
        return _strings(value)
    arr = _as_array(value)
    kind = arr.dtype.kind
    if leaf is _EMPTY:
        return arr.astype(np.float32) if kind == "f" else arr
    if isinstance(leaf, (bool, np.bool_)):
        if kind == "b":
            return arr
    elif isinstance(leaf, (int, np.integer)):
        if kind in "iu":
            return _ints(arr)
        if kind == "f":
            if np.abs(arr).max() >= 2.0**63 and _has_big_int(arr, value):
                raise ValueError(INT_RANGE)
            return _floats(arr, np.float32)
        if kind == "O" and _has_big_int(arr, value):
            raise ValueError(INT_RANGE)
    elif isinstance(leaf, (float, np.floating)):
        if kind == "O":
            arr = _real_objects(arr)
            kind = arr.dtype.kind
        if kind in "biuf":
            return _floats(arr, np.float32 if type(leaf) is float else type(leaf))
    elif isinstance(leaf, (complex, np.complexfloating)):
        if kind in "biufc":
            return arr.astype(np.complex128)
    else:
        raise ValueError(f"Attempt to convert a value ({leaf!r}) with an unsupported type "
                         f"({type(leaf)}) to a Tensor.")
    raise ValueError(MIXED)


def python_to(value, target) -> np.ndarray:
    """The array for a Python value converted to the explicit dtype `target`.

    Raises:
        TypeError: when `target` cannot hold the values (`1.5` as int32, `1` as bool).
    """
    leaf = _first_leaf(value)
    if target is dtypes.string:
        if isinstance(leaf, (str, bytes)):
            return _strings(value)
        if any(isinstance(v, (str, bytes)) for v in _flat_leaves(value)):
            raise ValueError(MIXED)
        raise cannot_convert(value, target)
    if isinstance(leaf, (str, bytes)):
        raise cannot_convert(value, target)
    wanted = np.dtype(_numpy_type(target))
    arr = _as_array(value)
    if arr.dtype.kind in "USO":
        # Mixed values: huge ints may still become floats; else TF's inference error.
        real = _real_objects(arr) if arr.dtype.kind == "O" and wanted.kind in "fc" else arr
        arr = real if real.dtype.kind == "f" else infer_python(value)
    if wanted.kind not in _PYTHON_CASTS[arr.dtype.kind] and not (leaf is _EMPTY and arr.size == 0):
        raise cannot_convert(value, target)  # an empty list has no values to lose: any dtype
    with np.errstate(all="ignore"):
        return arr.astype(wanted)


def from_numpy(value) -> np.ndarray:
    """A numpy array or scalar as an array of a dtype TF keeps (strings as bytes objects)."""
    arr = np.asarray(value)
    if arr.dtype.type in _NUMERIC_NUMPY:
        return arr
    kind = arr.dtype.kind
    if kind in "US":
        return _strings(arr)
    if kind == "O":
        return _object_strings(arr)
    raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported numpy type: "
                     f"{arr.dtype.name}).")


def numpy_to(value, target) -> np.ndarray:
    """A numpy array or scalar cast to `target` (numpy's casting rules, as TF)."""
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if target is dtypes.string:
        if kind in "US":
            return _strings(arr)
        if kind == "O":
            return _object_strings(arr)
        raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type "
                         f"{_type_name(arr.flat[0].item() if arr.size else arr.dtype.type())}).")
    return arr.astype(_numpy_type(target), copy=False)  # numpy's warnings show, as in TF


def _numpy_type(target):
    return np.float32 if target is dtypes.bfloat16 else target.as_numpy_dtype


def _first_leaf(value):
    """The innermost first element of a nested sequence (`_EMPTY` for an empty one)."""
    while isinstance(value, _SEQUENCES):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return value[()]
        if len(value) == 0:
            return _EMPTY
        value = value[0]
    return value


def _as_array(value) -> np.ndarray:
    try:
        return np.asarray(value)
    except (ValueError, OverflowError):
        raise ValueError(_structure_error(value)) from None


def _structure_error(value) -> str:
    """TF's message for a sequence numpy cannot make rectangular."""
    shape = []
    probe = value
    while isinstance(probe, _SEQUENCES) and len(probe):
        shape.append(len(probe))
        probe = probe[0]
    return _walk(value, shape) or RAGGED


def _walk(value, shape):
    if not shape:
        return MIXED if isinstance(value, _SEQUENCES) else None
    if not isinstance(value, _SEQUENCES) or len(value) != shape[0]:
        return RAGGED
    for item in value:
        found = _walk(item, shape[1:])
        if found:
            return found
    return None


def _ints(arr: np.ndarray) -> np.ndarray:
    if arr.size == 0:
        return arr.astype(np.int32)
    if arr.size <= 64:
        flat = arr.ravel().tolist()
        low, high = min(flat), max(flat)
    else:
        low, high = int(arr.min()), int(arr.max())
    if high > _INT64_MAX:
        raise ValueError(INT_RANGE)
    if low >= _INT32_MIN and high <= _INT32_MAX:
        return arr.astype(np.int32)
    return arr.astype(np.int64)


def _floats(arr: np.ndarray, np_type) -> np.ndarray:
    """`arr` as `np_type`; finite values that overflow it are refused, as TF does."""
    bound = _ROUNDS_TO_INF.get(np_type)
    narrower = arr.dtype.kind == "f" and arr.dtype.itemsize <= np.dtype(np_type).itemsize
    if bound is not None and arr.size and not narrower:
        # Small arrays are scanned in Python: numpy's reductions cost more than the values.
        peak = max(map(abs, arr.ravel().tolist())) if arr.size <= 64 else float(np.abs(arr).max())
        if not peak < bound:  # also when a nan hid the peak
            magnitude = np.abs(arr.astype(np.float64))
            if (np.isfinite(magnitude) & (magnitude >= bound)).any():
                raise ValueError(FLOAT_RANGE)
    return arr.astype(np_type)


def _has_big_int(arr: np.ndarray, value) -> bool:
    """Whether a Python int beyond int64 made numpy turn an int sequence into floats."""
    flat = np.asarray(value, dtype=object).reshape(-1)
    return any(isinstance(v, int) and not _INT64_MIN <= v <= _INT64_MAX for v in flat)


def _real_objects(arr: np.ndarray) -> np.ndarray:
    """An object array of real numbers (huge Python ints among floats) as float64."""
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in arr.flat):
        return arr.astype(np.float64)
    return arr


def _strings(value) -> np.ndarray:
    """An object array of `bytes` for (nested) str/bytes values or a numpy string array."""
    if isinstance(value, np.ndarray):
        flat = list(value.reshape(-1))
        shape = value.shape
    else:
        arr = np.empty(_as_array(value).shape, dtype=object)
        shape = arr.shape
        flat = _flat_leaves(value)
        if len(flat) != arr.size:
            raise ValueError(_structure_error(value))
    out = np.empty(len(flat), dtype=object)
    for i, v in enumerate(flat):
        if isinstance(v, str):
            out[i] = v.encode()
        elif isinstance(v, bytes):
            out[i] = bytes(v)
        else:
            raise ValueError(MIXED)
    return out.reshape(shape)


def _flat_leaves(value) -> list:
    if isinstance(value, _SEQUENCES):
        return [leaf for item in value for leaf in _flat_leaves(item)]
    return [value]


def _object_strings(arr: np.ndarray) -> np.ndarray:
    """A numpy object array as string storage; TF refuses anything but str/bytes in it."""
    for v in arr.flat:
        if not isinstance(v, (str, bytes)):
            raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type "
                             f"{_type_name(v)}).")
    return _strings(arr)


def _type_name(v) -> str:
    kind = type(v)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
