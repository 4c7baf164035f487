"""`tf.dtypes`: the DType objects, `as_dtype` and `cast`."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.framework.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
)
from kerastorch.ops.array_ops import cast

__all__ = [
    "DType", "as_dtype", "bfloat16", "bool", "cast", "complex64", "complex128", "double",
    "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64", "string", "uint8",
]

__getattr__ = _missing_names("tf.dtypes", __name__)
