"""TensorFlow's DType objects, mapped onto torch and numpy dtypes.

A DType's `repr` is `tf.float32` and its `str` (what `print(x.dtype)` shows) is
`<dtype: 'float32'>`, exactly as in TensorFlow.
"""

from __future__ import annotations

import builtins

import numpy as np
import torch


class DType:
    """A tensor element type: the `tf.float32`-style object.

    Attributes:
        name: TF's name, e.g. `"float32"`.
        size: bytes per element (`tf.string` reports 0, as TF does).
        as_numpy_dtype: the numpy scalar type.
    """

    __slots__ = ("name", "_torch", "_np", "size", "_legacy")

    def __init__(self, name, torch_dtype, np_dtype, size, legacy):
        self.name = name
        self._torch = torch_dtype
        self._np = np_dtype
        self.size = size
        # TF's error messages use the proto names ("float", "double") for some types.
        self._legacy = legacy

    @property
    def as_numpy_dtype(self):
        return self._np

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def is_floating(self) -> bool:
        return self.name in ("float16", "bfloat16", "float32", "float64")

    @property
    def is_integer(self) -> bool:
        return self.name.startswith(("int", "uint"))

    @property
    def is_unsigned(self) -> bool:
        return self.name.startswith("uint")

    @property
    def is_bool(self) -> bool:
        return self.name == "bool"

    @property
    def is_complex(self) -> bool:
        return self.name.startswith("complex")

    @property
    def is_numpy_compatible(self) -> bool:
        return self.name != "bfloat16"

    @property
    def real_dtype(self) -> DType:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    @property
    def min(self):
        if self.is_floating:
            return np.finfo(_numpy_for_limits(self)).min.astype(_numpy_for_limits(self))
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self):
        if self.is_floating:
            return np.finfo(_numpy_for_limits(self)).max.astype(_numpy_for_limits(self))
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self}.")

    @property
    def limits(self):
        return self.min, self.max

    def is_compatible_with(self, other) -> bool:
        return self == as_dtype(other)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)


def _numpy_for_limits(dtype):
    return np.float32 if dtype.name == "bfloat16" else dtype._np


float16 = DType("float16", torch.float16, np.float16, 2, "half")
bfloat16 = DType("bfloat16", torch.bfloat16, np.float32, 2, "bfloat16")
float32 = DType("float32", torch.float32, np.float32, 4, "float")
float64 = DType("float64", torch.float64, np.float64, 8, "double")
int8 = DType("int8", torch.int8, np.int8, 1, "int8")
int16 = DType("int16", torch.int16, np.int16, 2, "int16")
int32 = DType("int32", torch.int32, np.int32, 4, "int32")
int64 = DType("int64", torch.int64, np.int64, 8, "int64")
uint8 = DType("uint8", torch.uint8, np.uint8, 1, "uint8")
bool = DType("bool", torch.bool, np.bool_, 1, "bool")  # noqa: A001 - TF's public name
complex64 = DType("complex64", torch.complex64, np.complex64, 8, "complex64")
complex128 = DType("complex128", torch.complex128, np.complex128, 16, "complex128")
string = DType("string", None, object, 0, "string")

half = float16
double = float64

ALL = (float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, bool,
       complex64, complex128, string)

_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update(half=float16, double=float64, float=float32, str=string, bytes=string)
_BY_TORCH = {d._torch: d for d in ALL if d._torch is not None}
_BY_NUMPY = {np.dtype(d._np): d for d in ALL if d is not bfloat16}
_BY_NUMPY[np.dtype(np.str_)] = string
_BY_NUMPY[np.dtype(np.bytes_)] = string
# TF maps these Python types specially and refuses `int` (its width is ambiguous).
_BY_PYTHON = {builtins.float: float32, builtins.bool: bool, builtins.object: string, builtins.int: None}


def as_dtype(type_value) -> DType:
    """Converts a name, numpy dtype, torch dtype or DType into a `DType`.

    Raises:
        TypeError: when `type_value` names no supported type.
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, torch.dtype):
        found = _BY_TORCH.get(type_value)
    elif isinstance(type_value, str):
        found = _BY_NAME.get(type_value)
    elif type_value in _BY_PYTHON:
        found = _BY_PYTHON[type_value]
    else:
        try:
            npd = np.dtype(type_value)
        except TypeError:
            npd = None
        found = None if npd is None else _BY_NUMPY.get(npd)
        if found is None and npd is not None and npd.kind in "SU":
            found = string
    if found is None:
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    return found


def from_torch(torch_dtype) -> DType:
    """The DType of a torch dtype (fast path used when wrapping results)."""
    return _BY_TORCH[torch_dtype]
