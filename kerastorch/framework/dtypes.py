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

    __slots__ = ("name", "_torch", "_np", "size", "_legacy", "_enum")

    def __init__(self, name, torch_dtype, np_dtype, size, legacy, enum):
        self.name = name
        self._torch = torch_dtype
        self._np = np_dtype
        self.size = size
        # TF's error messages use the proto names ("float", "double") for some types.
        self._legacy = legacy
        self._enum = enum

    @property
    def as_numpy_dtype(self):
        """The numpy scalar type (bfloat16, which numpy lacks, maps to float32)."""
        return self._np

    @property
    def as_datatype_enum(self) -> int:
        """TF's `DataType` proto number (`tf.float32` is 1); `tf.as_dtype` accepts it."""
        return self._enum

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
        return True

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def real_dtype(self) -> DType:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    @property
    def min(self):
        """The lowest finite value (a numpy scalar for floats, an `int` for integers)."""
        return self._extreme("minimum", "min")

    @property
    def max(self):
        """The largest finite value (a numpy scalar for floats, an `int` for integers)."""
        return self._extreme("maximum", "max")

    def _extreme(self, word, attr):
        if not (self.is_floating or self.is_integer):
            raise TypeError(f"Cannot find {word} value of {self} with type {self}.")
        if self is bfloat16:
            # numpy has no bfloat16: its range in float32 (what `numpy()` gives for it).
            return np.float32(float(getattr(torch.finfo(torch.bfloat16), attr)))
        if self.is_floating:
            return getattr(np.finfo(self._np), attr)
        return int(getattr(np.iinfo(self._np), attr))

    @property
    def limits(self):
        """TF's image intensity range `(0, max)`: float32/float64 give `(0, 1)`."""
        found = _INTENSITY.get(self.name)
        if found is None:
            raise ValueError(f"{self} does not have defined limits.")
        return 0, found

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
        return self._enum

    def __reduce__(self):
        return as_dtype, (self.name,)


# The numbers are TF's `DataType` enum (types.proto).
float16 = DType("float16", torch.float16, np.float16, 2, "half", 19)
bfloat16 = DType("bfloat16", torch.bfloat16, np.float32, 2, "bfloat16", 14)
float32 = DType("float32", torch.float32, np.float32, 4, "float", 1)
float64 = DType("float64", torch.float64, np.float64, 8, "double", 2)
int8 = DType("int8", torch.int8, np.int8, 1, "int8", 6)
int16 = DType("int16", torch.int16, np.int16, 2, "int16", 5)
int32 = DType("int32", torch.int32, np.int32, 4, "int32", 3)
int64 = DType("int64", torch.int64, np.int64, 8, "int64", 9)
uint8 = DType("uint8", torch.uint8, np.uint8, 1, "uint8", 4)
bool = DType("bool", torch.bool, np.bool_, 1, "bool", 10)  # noqa: A001 - TF's public name
complex64 = DType("complex64", torch.complex64, np.complex64, 8, "complex64", 8)
complex128 = DType("complex128", torch.complex128, np.complex128, 16, "complex128", 18)
string = DType("string", None, object, 0, "string", 7)

half = float16
double = float64

ALL = (float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, bool,
       complex64, complex128, string)

# `DType.limits`: TF's image intensity maxima (the minimum is always clipped to 0).
_INTENSITY = {"bool": True, "uint8": 255, "int8": 127, "int16": 32767, "int32": 2**31 - 1,
              "int64": 2**63 - 1, "float32": 1, "float64": 1}

_BY_TORCH = {d._torch: d for d in ALL if d._torch is not None}
_BY_NUMPY_TYPE = {d._np: d for d in ALL if d is not bfloat16 and d is not string}
_BY_NUMPY_TYPE.update({np.object_: string, np.bytes_: string, np.str_: string})
# Everything else `as_dtype` accepts: TF's names (plus the proto aliases), enum numbers,
# the Python types TF maps (not `int`, `str` or `complex`), numpy scalar types.
_ANY = {d.name: d for d in ALL}
_ANY.update(half=float16, float=float32, double=float64)
_ANY.update({d._enum: d for d in ALL})
_ANY.update({builtins.float: float32, builtins.bool: bool, builtins.object: string})
_ANY.update(_BY_NUMPY_TYPE)


def as_dtype(type_value) -> DType:
    """`tf.as_dtype`: the `DType` for a name, enum number, numpy/torch dtype or DType.

    Raises:
        TypeError: when `type_value` names no supported type (TF's message).
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, np.dtype):
        found = _BY_NUMPY_TYPE.get(type_value.type)
        if found is not None:
            return found
    elif isinstance(type_value, torch.dtype):
        found = _BY_TORCH.get(type_value)
        if found is not None:
            return found
    try:
        return _ANY[type_value]
    except (KeyError, TypeError):  # TypeError: `type_value` is unhashable
        pass
    if hasattr(type_value, "dtype") and not isinstance(type_value.dtype, DType):
        try:
            return _BY_NUMPY_TYPE[np.dtype(type_value.dtype).type]
        except (KeyError, TypeError):
            pass
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")


def from_torch(torch_dtype) -> DType:
    """The DType of a torch dtype (fast path used when wrapping results)."""
    return _BY_TORCH[torch_dtype]
