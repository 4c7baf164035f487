"""DType objects: names, printing, predicates, limits and `tf.as_dtype` (values from TF 2.21)."""

import pickle

import numpy as np
import pytest
import torch

import kerastorch as tf

# name, size, (is_floating, is_integer, is_bool, is_complex, is_unsigned), numpy type, enum
# -- from TF 2.21 (bfloat16's numpy type is float32 here: numpy has no bfloat16)
DTYPES = [
    ("float16", 2, (True, False, False, False, False), np.float16, 19),
    ("bfloat16", 2, (True, False, False, False, False), np.float32, 14),
    ("float32", 4, (True, False, False, False, False), np.float32, 1),
    ("float64", 8, (True, False, False, False, False), np.float64, 2),
    ("int8", 1, (False, True, False, False, False), np.int8, 6),
    ("int16", 2, (False, True, False, False, False), np.int16, 5),
    ("int32", 4, (False, True, False, False, False), np.int32, 3),
    ("int64", 8, (False, True, False, False, False), np.int64, 9),
    ("uint8", 1, (False, True, False, False, True), np.uint8, 4),
    ("bool", 1, (False, False, True, False, False), np.bool_, 10),
    ("complex64", 8, (False, False, False, True, False), np.complex64, 8),
    ("complex128", 16, (False, False, False, True, False), np.complex128, 18),
    ("string", 0, (False, False, False, False, False), object, 7),
]
NAMES = [d[0] for d in DTYPES]


@pytest.mark.parametrize("name, size, flags, np_type, enum", DTYPES, ids=NAMES)
def test_dtype_attributes(name, size, flags, np_type, enum):
    dtype = getattr(tf, name)
    assert dtype.name == name
    assert str(dtype) == f"<dtype: '{name}'>"
    assert repr(dtype) == f"tf.{name}"
    assert dtype.size == size
    assert (dtype.is_floating, dtype.is_integer, dtype.is_bool, dtype.is_complex, dtype.is_unsigned) == flags
    assert dtype.as_numpy_dtype is np_type
    assert dtype.as_datatype_enum == enum
    assert dtype.is_numpy_compatible and not dtype.is_quantized
    assert dtype.base_dtype is dtype


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_dtype_equality_and_hash(name):
    dtype = getattr(tf, name)
    assert dtype == name and not dtype != name
    assert dtype == tf.as_dtype(name)
    assert hash(dtype) == hash(tf.as_dtype(name)) == dtype.as_datatype_enum
    assert pickle.loads(pickle.dumps(dtype)) is dtype


def test_dtype_equality_with_other_values():
    # from TF 2.21: False True False True True False
    assert (tf.float32 == None) is False  # noqa: E711 - the comparison under test
    assert (tf.float32 != None) is True  # noqa: E711
    assert (tf.float32 == 3) is False
    assert tf.float32 == np.float32
    assert tf.float32 == "float"
    assert (tf.int32 == "foo") is False
    assert tf.float32 != tf.float64


def test_dtype_hash_is_not_the_name_hash():
    # from TF 2.21: a dict keyed by tf.float32 does not answer to "float32"
    assert "float32" not in {tf.float32: 1}
    assert {tf.float32, tf.float32, tf.int32} == {tf.float32, tf.int32}


def test_dtype_is_not_ordered():
    with pytest.raises(TypeError, match="'<' not supported between instances of 'DType' and 'DType'"):
        tf.float32 < tf.float64  # noqa: B015 - the comparison under test


def test_real_dtype_and_aliases():
    assert tf.complex64.real_dtype is tf.float32
    assert tf.complex128.real_dtype is tf.float64
    assert tf.int32.real_dtype is tf.int32
    assert tf.half is tf.float16 and tf.double is tf.float64
    assert tf.float32.is_compatible_with(tf.float32) and not tf.float32.is_compatible_with(tf.int32)


@pytest.mark.parametrize("name, low, high", [
    ("int8", -128, 127), ("int16", -32768, 32767), ("int32", -2**31, 2**31 - 1),
    ("int64", -2**63, 2**63 - 1), ("uint8", 0, 255),
], ids=["int8", "int16", "int32", "int64", "uint8"])
def test_integer_min_max_are_python_ints(name, low, high):
    dtype = getattr(tf, name)
    assert type(dtype.min) is int and type(dtype.max) is int
    assert (dtype.min, dtype.max) == (low, high)


@pytest.mark.parametrize("name, text", [
    ("float16", "np.float16(6.55e+04)"),
    ("float32", "np.float32(3.4028235e+38)"),
    ("float64", "np.float64(1.7976931348623157e+308)"),
], ids=["float16", "float32", "float64"])
def test_float_min_max_are_numpy_scalars(name, text):
    dtype = getattr(tf, name)
    assert repr(dtype.max) == text  # from TF 2.21
    assert repr(dtype.min) == text.replace("(", "(-")


def test_bfloat16_range():
    # TF 2.21 gives ml_dtypes.bfloat16 3.38953e+38; here the same value as float32
    assert float(tf.bfloat16.max) == float(torch.finfo(torch.bfloat16).max)
    assert float(tf.bfloat16.min) == -float(torch.finfo(torch.bfloat16).max)


@pytest.mark.parametrize("name", ["bool", "complex64", "complex128", "string"],
                         ids=["bool", "complex64", "complex128", "string"])
def test_min_max_refused(name):
    dtype = getattr(tf, name)
    with pytest.raises(TypeError, match=rf"^Cannot find minimum value of <dtype: '{name}'> with type "
                                        rf"<dtype: '{name}'>\.$"):
        dtype.min  # noqa: B018 - the property under test
    with pytest.raises(TypeError, match="^Cannot find maximum value of"):
        dtype.max  # noqa: B018


def test_limits():
    # from TF 2.21: (0, 1) (0, 127) (0, 255) (0, True)
    assert tf.float32.limits == (0, 1)
    assert tf.int8.limits == (0, 127)
    assert tf.uint8.limits == (0, 255)
    assert tf.bool.limits == (0, True)
    with pytest.raises(ValueError, match=r"^<dtype: 'float16'> does not have defined limits\.$"):
        tf.float16.limits  # noqa: B018


@pytest.mark.parametrize("value, expected", [
    ("float", tf.float32), ("double", tf.float64), ("half", tf.float16), ("bfloat16", tf.bfloat16),
    (np.float32, tf.float32), (np.dtype("float64"), tf.float64), (np.int64, tf.int64),
    (np.bool_, tf.bool), (np.str_, tf.string), (np.bytes_, tf.string), (np.object_, tf.string),
    (np.dtype("<U3"), tf.string), (float, tf.float32), (bool, tf.bool), (object, tf.string),
    (3, tf.int32), (1, tf.float32), (torch.float16, tf.float16), (torch.int64, tf.int64),
    (torch.bool, tf.bool), (np.array([1.5]), tf.float64), (tf.int8, tf.int8),
], ids=lambda v: repr(v)[:20])
def test_as_dtype(value, expected):
    assert tf.as_dtype(value) is expected


@pytest.mark.parametrize("value, shown", [
    ("int", "'int'"), ("str", "'str'"), ("bytes", "'bytes'"), ("float128", "'float128'"),
    ("foo", "'foo'"), (None, "None"), (int, "<class 'int'>"), (str, "<class 'str'>"),
    (bytes, "<class 'bytes'>"), (complex, "<class 'complex'>"), ([1], r"\[1\]"),
], ids=lambda v: repr(v)[:20])
def test_as_dtype_refused(value, shown):
    # messages from TF 2.21
    with pytest.raises(TypeError, match=rf"^Cannot convert the argument `type_value`: {shown} to a "
                                        r"TensorFlow DType\.$"):
        tf.as_dtype(value)
