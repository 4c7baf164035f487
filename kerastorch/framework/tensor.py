"""The Tensor facade: one immutable torch tensor behind TensorFlow's Tensor API.

Every op goes through one funnel: `unwrap` (or `operands` for binary ops) hands the
torch tensors to one torch call, and `wrap` puts the result back in a `Tensor`.
Operators and indexing are installed on `TensorLike` by `operators.py`, so that
`Variable` shares them; this module holds what a tensor *is*.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.recording import state as _recording
from kerastorch.framework.tensor_shape import TensorShape

_new = object.__new__
_BY_TORCH = dtypes._BY_TORCH


class TensorLike:
    """What Tensor and Variable share: TF's operators and indexing (see operators.py)."""

    __slots__ = ()
    __array_priority__ = 100

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")


class Tensor(TensorLike):
    """An immutable multidimensional array with one dtype, as `tf.Tensor`.

    Created by `tf.constant`, `tf.convert_to_tensor` and every op; never changed in
    place (`t[0] = 1` raises `TypeError`). `t.numpy()` returns a copy.

    Example:
        >>> t = tf.constant([[1, 2, 3], [4, 5, 6]])
        >>> print(t)
        tf.Tensor(
        [[1 2 3]
         [4 5 6]], shape=(2, 3), dtype=int32)
    """

    __slots__ = ("_t",)

    def __init__(self, *args, **kwargs):
        # Tensors come from tf.constant / tf.convert_to_tensor and ops; TF's wording.
        raise TypeError("Tensor() takes no arguments")

    # -- what it is -----------------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        raw = self._t
        return dtypes.string if type(raw) is np.ndarray else _BY_TORCH[raw.dtype]

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._t.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape "
                             f"{TensorShape(shape)}.")

    @property
    def ndim(self) -> int:
        return self._t.ndim

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def device(self) -> str:
        raw = self._t
        return _device.tf_name(torch.device("cpu") if type(raw) is np.ndarray else raw.device)

    @property
    def backing_device(self) -> str:
        return self.device

    def cpu(self) -> Tensor:
        return self if type(self._t) is np.ndarray else wrap(self._t.cpu())

    def gpu(self, gpu_index: int = 0) -> Tensor:
        target = _device.resolve(f"/GPU:{gpu_index}")
        return wrap(self._t.to(target))

    # -- to numpy and Python --------------------------------------------------------
    def numpy(self):
        """A numpy copy of the value (a numpy scalar for rank 0), as TF's `numpy()`."""
        arr = _to_numpy(self._t)
        return arr[()] if arr.ndim == 0 else arr

    def __array__(self, dtype=None, copy=None):
        arr = _to_numpy(self._t)
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def __dlpack__(self, *args, **kwargs):
        return self._t.detach().__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._t.__dlpack_device__()

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __index__(self) -> int:
        # As TF: numpy's own errors (a float scalar has no `__index__`).
        return self.numpy().__index__()

    def __bool__(self) -> bool:
        return bool(_to_numpy(self._t))

    def _scalar(self):
        arr = _to_numpy(self._t)
        if arr.ndim:
            raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
        return arr[()]

    def __len__(self) -> int:
        if not self._t.ndim:
            raise TypeError("Scalar tensor has no `len()`")
        return self._t.shape[0]

    def __iter__(self):
        raw = self._t
        if not raw.ndim:
            raise TypeError("Cannot iterate over a scalar tensor.")
        box = _wrap_strings if type(raw) is np.ndarray else wrap
        return (box(raw[i]) for i in range(raw.shape[0]))

    def __setitem__(self, key, value):
        raise TypeError("'tensorflow.python.framework.ops.EagerTensor' object does not support "
                        "item assignment")

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self) -> Reference:
        """A hashable reference to this tensor, for use as a dict key."""
        return Reference(self)

    experimental_ref = ref

    def __copy__(self) -> Tensor:
        return self

    def __deepcopy__(self, memo) -> Tensor:
        return self

    def __reduce__(self):
        from kerastorch.framework.convert import convert_to_tensor

        return convert_to_tensor, (self.numpy(), self.dtype)

    # -- printing -------------------------------------------------------------------
    def __str__(self) -> str:
        return f"tf.Tensor({_on_own_line(numpy_text(self._t))}, shape={self.shape}, dtype={self.dtype.name})"

    def __repr__(self) -> str:
        text = _on_own_line(numpy_text(self._t, is_repr=True))
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={text}>"

    def __format__(self, format_spec: str) -> str:
        """`format(t, spec)` formats the numpy value, as TF does (`f"{t:.2f}"`)."""
        if not format_spec:
            return numpy_text(self._t)
        arr = _to_numpy(self._t)
        return format(arr[()] if arr.ndim == 0 else arr, format_spec)


class Reference:
    """A hashable handle on a tensor (`tensor.ref()`); `deref()` gives it back."""

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    def deref(self):
        return self._tensor

    def __hash__(self) -> int:
        return id(self._tensor)

    def __eq__(self, other) -> bool:
        return isinstance(other, Reference) and other._tensor is self._tensor

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._tensor!r}>"


def wrap(raw: torch.Tensor) -> Tensor:
    """The one way a torch result becomes a Tensor.

    Outside a recording GradientTape a result is detached, so only what happens inside
    a tape is differentiable (TF's rule: the tape records only what runs in it).
    """
    if raw.requires_grad and not _recording.tapes:
        raw = raw.detach()
    t = _new(Tensor)
    t._t = raw
    return t


def _wrap_strings(arr) -> Tensor:
    """Wraps a numpy object array of bytes (the storage of `tf.string` tensors)."""
    t = _new(Tensor)
    t._t = np.asarray(arr, dtype=object)
    return t


def numpy_text(raw, is_repr: bool = False) -> str:
    """The value as TF prints it: numpy's `str` (or `repr`; a scalar's repr is its Python
    value's), with bfloat16 written as ml_dtypes does (`%g`, no column alignment).
    """
    arr = _to_numpy(raw)
    if type(raw) is not np.ndarray and raw.dtype is torch.bfloat16:
        return _bfloat16_text(arr, is_repr)
    if not is_repr:
        return str(arr)
    if arr.ndim == 0:
        value = arr[()]
        return repr(value) if isinstance(value, bytes) else repr(value.item())
    return repr(arr)


def _bfloat16_text(arr: np.ndarray, is_repr: bool) -> str:
    """numpy's str/repr of an ml_dtypes bfloat16 array, for its float32 copy `arr`."""
    if arr.ndim == 0:
        return repr(float(arr)) if is_repr else _bfloat16_item(arr[()])
    formatter = {"float_kind": _bfloat16_item}
    if not is_repr:
        return np.array2string(arr, separator=" ", formatter=formatter)
    # numpy's array_repr layout: shape/dtype extras on the last line, or a new one.
    options = np.get_printoptions()
    body = "array(" + np.array2string(arr, separator=", ", prefix="array(", suffix=")",
                                      formatter=formatter) + ","
    extras = []
    if (arr.size == 0 and arr.shape != (0,)) or arr.size > options["threshold"]:
        extras.append(f"shape={arr.shape}")
    extras.append("dtype=bfloat16")
    tail = ", ".join(extras) + ")"
    last_line = len(body) - (body.rfind("\n") + 1)
    spacer = "\n      " if last_line + len(tail) + 1 > options["linewidth"] else " "
    return body + spacer + tail


def _bfloat16_item(x) -> str:
    # ml_dtypes prints a bfloat16 through C++ `ostream << float`: `%g`, and nan unsigned.
    return "nan" if np.isnan(x) else f"{x:g}"


def _on_own_line(text: str) -> str:
    return "\n" + text if "\n" in text else text


def _to_numpy(raw) -> np.ndarray:
    """A fresh numpy array with the value of a torch tensor (or string storage)."""
    if type(raw) is np.ndarray:
        return raw.copy()
    raw = raw.detach()
    if raw.dtype is torch.bfloat16:
        raw = raw.float()  # numpy has no bfloat16; values are exact in float32
    if raw.device.type != "cpu":
        return raw.cpu().numpy()
    return raw.numpy().copy()


def is_tensor(x) -> bool:
    """`tf.is_tensor`: whether `x` is a Tensor or a Variable (numpy arrays are not)."""
    return isinstance(x, TensorLike)
