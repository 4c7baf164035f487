"""`tf.constant` / `tf.convert_to_tensor`: TF's dtype inference, casts, shapes and errors.

Every expected dtype, value and message was printed by TF 2.21 for the same call.
"""

import collections

import numpy as np
import pytest
import torch

import kerastorch as tf

Pair = collections.namedtuple("Pair", "a b")
INT_RANGE = r"^Can't convert Python sequence with out-of-range integer to Tensor\.$"
MIXED = r"^Can't convert Python sequence with mixed types to Tensor\.$"
RAGGED = r"^Can't convert non-rectangular Python sequence to Tensor\.$"
FLOAT_RANGE = r"^Can't convert Python sequence with a value out of range for a double-precision float\.$"

INFERRED = [
    (1, "int32", ()), (2**31 - 1, "int32", ()), (2**31, "int64", ()), (-2**31, "int32", ()),
    (-2**31 - 1, "int64", ()), (2**63 - 1, "int64", ()), (-2**63, "int64", ()), (1.5, "float32", ()),
    (True, "bool", ()), (1 + 2j, "complex128", ()), ("s", "string", ()), (b"b", "string", ()),
    ([1, 2], "int32", (2,)), ([1, 2.5], "float32", (2,)), ([[1], [2]], "int32", (2, 1)),
    ([True, False], "bool", (2,)), ([1, True], "int32", (2,)), ([], "float32", (0,)),
    ([[]], "float32", (1, 0)), ([[], []], "float32", (2, 0)), ((1, 2), "int32", (2,)),
    ([(1, 2), [3, 4]], "int32", (2, 2)), ([1, 2**40], "int64", (2,)), (range(4), "int32", (4,)),
    (Pair(1, 2), "int32", (2,)), (float("inf"), "float32", ()), ([1, -1e-50], "float32", (2,)),
    ([1j, 2], "complex128", (2,)), ([1j, True], "complex128", (2,)), (["a", b"b"], "string", (2,)),
    # numpy scalars and arrays keep their dtype ...
    (np.float64(1.5), "float64", ()), (np.float32(1.5), "float32", ()), (np.int64(3), "int64", ()),
    (np.int16(3), "int16", ()), (np.bool_(True), "bool", ()), (np.array([1, 2], np.int16), "int16", (2,)),
    (np.array([1.5]), "float64", (1,)), (np.array(["a", "bc"]), "string", (2,)),
    (np.array([b"a"]), "string", (1,)), (np.array(3, np.uint8), "uint8", ()),
    (np.array([b"a", "b"], dtype=object), "string", (2,)),
    # ... but inside a list the first element decides, numpy ints count as Python ints
    ([np.int64(1), 2], "int32", (2,)), ([1, np.int16(2)], "int32", (2,)),
    ([np.int8(1), np.int8(2)], "int32", (2,)), ([np.uint8(1), 2**40], "int64", (2,)),
    ([np.int64(2**40)], "int64", (1,)), ([np.True_, False], "bool", (2,)),
    ([np.float32(1.0), 2.0], "float32", (2,)), ([np.float64(1.5), 2.0], "float64", (2,)),
    ([2.0, np.float64(1.5)], "float32", (2,)), ([1, np.float64(2)], "float32", (2,)),
    ([np.float16(1), 2.5], "float16", (2,)), ([2.5, np.float16(1)], "float32", (2,)),
    ([np.float16(1), 2], "float16", (2,)), ([1, np.float16(2)], "float32", (2,)),
    ([np.float32(1), np.float16(2)], "float32", (2,)), ([np.float16(1), np.float64(2)], "float16", (2,)),
    ([np.float64(1), np.float16(2)], "float64", (2,)), ([np.float64(1.0), 1e300], "float64", (2,)),
    ([np.int32(1), 1.5], "float32", (2,)), ([np.complex64(1)], "complex128", (1,)),
    ([np.complex64(1), 2.5], "complex128", (2,)), ([1j, np.float32(2)], "complex128", (2,)),
    ([np.array([1, 2]), np.array([3, 4])], "int32", (2, 2)), ([np.array([1, 2])], "int32", (1, 2)),
    ([np.array([1.5], np.float32), [2.5]], "float32", (2, 1)), ([np.array([1.5]), [2.5]], "float64", (2, 1)),
    ([np.array([1, 2], np.int16), [3, 4]], "int32", (2, 2)),
    # ints give way to floats; huge ints after a float become floats
    ([1.5, True], "float32", (2,)), ([1, True, 2.5], "float32", (3,)), ([2**40, 1.5], "float32", (2,)),
    ([2**63 - 1, 1.5], "float32", (2,)), ([1.5, 2**70], "float32", (2,)),
    ([[1.5], [2**64]], "float32", (2, 1)), ([1, float("inf")], "float32", (2,)),
]


@pytest.mark.parametrize("value, dtype, shape", INFERRED, ids=lambda v: repr(v)[:24])
@pytest.mark.parametrize("convert", [tf.constant, tf.convert_to_tensor], ids=["constant", "convert"])
def test_inferred_dtype(convert, value, dtype, shape):
    t = convert(value)
    assert t.dtype.name == dtype
    assert t.shape == shape


@pytest.mark.parametrize("value, match", [
    (2**63, INT_RANGE), (-2**63 - 1, INT_RANGE), (2**64, INT_RANGE), (2**70, INT_RANGE),
    ([2**63], INT_RANGE), ([1, 2**63], INT_RANGE), ([1, 2**64], INT_RANGE), ([2**64, 1.5], INT_RANGE),
    ([1, None], MIXED), ([[1, 2], [3, "a"]], MIXED), (["a", 1], MIXED), ([1, "a"], MIXED),
    ([True, 1.5], MIXED), ([True, 1], MIXED), ([1, 2j], MIXED), ([1j, "a"], MIXED), (["a", None], MIXED),
    ([[1, 2], [None, 3]], MIXED), ([1, [2]], MIXED), ([np.float32(1), 2j], MIXED), ([np.True_, 1], MIXED),
    ([[1, 2], [3]], RAGGED), ([[1, 2], 3], RAGGED), ([[1, 2], [3, 4, 5]], RAGGED), ([[1], 2], RAGGED),
    (1e40, FLOAT_RANGE), (-1e40, FLOAT_RANGE), ([1, 1e40], FLOAT_RANGE), ([np.float32(1), 1e40], FLOAT_RANGE),
    ([np.float16(1), 1e10], FLOAT_RANGE), ([[np.float16(1)], [1e10]], FLOAT_RANGE),
    (None, r"^Attempt to convert a value \(None\) with an unsupported type \(<class 'NoneType'>\) to a "
           r"Tensor\.$"),
    ([None], r"^Attempt to convert a value \(None\) with an unsupported type \(<class 'NoneType'>\)"),
    ([None, 1], r"^Attempt to convert a value \(None\) with an unsupported type \(<class 'NoneType'>\)"),
    ({1: 2}, r"^Attempt to convert a value \(\{1: 2\}\) with an unsupported type \(<class 'dict'>\)"),
    ((x for x in range(2)), r"^Attempt to convert a value \(<generator object .*\) with an unsupported type "
                            r"\(<class 'generator'>\) to a Tensor\.$"),
    (np.array([1, "a"], dtype=object),
     r"^Failed to convert a NumPy array to a Tensor \(Unsupported object type int\)\.$"),
    (np.array([1, 2], dtype=object), r"\(Unsupported object type int\)\.$"),
    (np.array([np.float16(1), np.float32(2)], dtype=object), r"\(Unsupported object type numpy\.float16\)\.$"),
    (np.array([1.0], np.longdouble), r"^Failed to convert a NumPy array to a Tensor \(Unsupported numpy type"),
], ids=lambda v: repr(v)[:24])
@pytest.mark.parametrize("convert", [tf.constant, tf.convert_to_tensor], ids=["constant", "convert"])
def test_inference_errors(convert, value, match):
    with pytest.raises(ValueError, match=match):
        convert(value)


CASTS = [
    (1, "float32", 1.0), (1, "float16", 1.0), (1, "bfloat16", 1.0), (True, "int32", 1), (True, "float32", 1.0),
    (1, "complex64", 1 + 0j), (1.5, "complex128", 1.5 + 0j), (300, "uint8", 44), (-1, "uint8", 255),
    (300, "int8", 44), (2**31, "int32", -2**31), (2**40, "int64", 2**40), (2**40, "float32", 2.0**40),
    (1e40, "float32", float("inf")), ([1, 2], "float64", [1.0, 2.0]), (0.1, "float64", 0.1),
    ([0.1, 0.2], "float64", [0.1, 0.2]), (-1, "int64", -1),
    (np.array([1.7, -2.7]), "int32", [1, -2]), (np.array([1.7]), "bool", [True]),
    (np.array([300]), "uint8", [44]), (np.array([1, 0]), "bool", [True, False]),
    (np.float64(1.5), "int32", 1), (np.float64(1.5), "float32", 1.5), (np.int64(5), "int32", 5),
    (np.int64(2**40), "int32", 0), (np.bool_(True), "int32", 1), (np.array([1, 2], np.int64), "int32", [1, 2]),
    (np.array([1.5, 2.5]), "float16", [1.5, 2.5]), (np.array([1.5, 2.5]), "bfloat16", [1.5, 2.5]),
    (np.array([1, 2]), "complex64", [1 + 0j, 2 + 0j]), (np.array([True]), "float32", [1.0]),
    (b"x", "string", b"x"), (["a", "b"], "string", [b"a", b"b"]),
]


@pytest.mark.parametrize("value, dtype, expected", CASTS, ids=lambda v: repr(v)[:20])
@pytest.mark.parametrize("convert", [tf.constant, tf.convert_to_tensor], ids=["constant", "convert"])
def test_explicit_dtype(convert, value, dtype, expected):
    t = convert(value, dtype=dtype)
    assert t.dtype.name == dtype
    assert np.asarray(t.numpy()).tolist() == expected


@pytest.mark.parametrize("value, dtype, shown", [
    (1.5, "int32", "1.5"), (1.0, "int32", "1.0"), (1, "bool", "1"), (0, "bool", "0"),
    (1 + 1j, "float32", r"\(1\+1j\)"), ("a", "int32", "'a'"), (1, "string", "1"),
    ([1, 2.5], "int32", r"\[1, 2\.5\]"), ([np.float64(1.5)], "int32", r"\[np\.float64\(1\.5\)\]"),
    (1.5, "bool", "1.5"), ([1, 2], "string", r"\[1, 2\]"), (1 + 0j, "int32", r"\(1\+0j\)"),
], ids=lambda v: repr(v)[:20])
@pytest.mark.parametrize("convert", [tf.constant, tf.convert_to_tensor], ids=["constant", "convert"])
def test_explicit_dtype_refused(convert, value, dtype, shown):
    legacy = {"float32": "float"}.get(dtype, dtype)  # TF names the proto type ("float")
    with pytest.raises(TypeError, match=rf"^Cannot convert {shown} to EagerTensor of dtype {legacy}$"):
        convert(value, dtype=dtype)


@pytest.mark.parametrize("value, dtype, expected", [
    (np.complex128(1 + 1j), "float32", 1.0), (np.array([1 + 1j]), "float64", [1.0]),
], ids=["scalar", "array"])
def test_numpy_complex_to_real_warns(value, dtype, expected):
    # TF 2.21 casts with numpy, which warns and drops the imaginary part
    with pytest.warns(np.exceptions.ComplexWarning):
        t = tf.constant(value, dtype=dtype)
    assert t.numpy().tolist() == expected


@pytest.mark.parametrize("value, dtype, match", [
    ([1, "a"], "int32", MIXED), ([1, None], "float32", MIXED), ([[1, 2], [3]], "float32", RAGGED),
    ([1.5, "a"], "string", MIXED), (["a", 1], "string", MIXED), ([1, 2**64], "int32", INT_RANGE),
    (None, "float32", r"^Attempt to convert a value \(None\) with an unsupported type \(<class 'NoneType'>\)"),
], ids=["int_str", "int_none", "ragged", "float_str", "str_int", "huge_int", "none"])
def test_explicit_dtype_inference_errors(value, dtype, match):
    with pytest.raises(ValueError, match=match):  # from TF 2.21
        tf.constant(value, dtype=dtype)


@pytest.mark.parametrize("value, dtype, expected", [
    ([1, 2**64], "float32", [1.0, 2.0**64]), ([True, 1], "int32", [1, 1]), ([True, 1.5], "float32", [1.0, 1.5]),
], ids=["huge_int_to_float", "bool_int", "bool_float"])
def test_explicit_dtype_of_mixed_values(value, dtype, expected):
    assert tf.constant(value, dtype=dtype).numpy().tolist() == expected  # from TF 2.21


def test_numpy_string_casts():
    with pytest.raises(ValueError, match="invalid literal for int"):
        tf.constant(np.array(["a"]), dtype=tf.int32)
    with pytest.raises(ValueError, match=r"^Failed to convert a NumPy array to a Tensor \(Unsupported object "
                                         r"type int\)\.$"):
        tf.constant(np.array([1]), dtype=tf.string)


@pytest.mark.parametrize("value, shape, expected", [
    (0, (2, 3), [[0, 0, 0], [0, 0, 0]]), (1.5, [2], [1.5, 1.5]), ([1, 2, 3, 4, 5, 6], (2, 3), [[1, 2, 3], [4, 5, 6]]),
    ([7], (2, 2), [[7, 7], [7, 7]]), (np.arange(6), (3, 2), [[0, 1], [2, 3], [4, 5]]),
    ("a", (2,), [b"a", b"a"]), (["a", "b"], (2, 1), [[b"a"], [b"b"]]), (5, (), 5), ([5], (), 5),
    (5, tf.TensorShape([2]), [5, 5]), (5, tf.constant([2, 2]), [[5, 5], [5, 5]]), (5, 3, [5, 5, 5]),
    ([], (0, 3), []),
], ids=lambda v: repr(v)[:16])
def test_constant_shape(value, shape, expected):
    t = tf.constant(value, shape=shape)
    assert t.numpy().tolist() == expected
    assert t.shape == tf.TensorShape(shape if not isinstance(shape, tf.Tensor) else [2, 2])


def test_constant_shape_of_tensor():
    assert tf.constant(tf.constant([1, 2]), shape=(2, 1)).numpy().tolist() == [[1], [2]]
    assert tf.constant(tf.constant(3), shape=(2,)).numpy().tolist() == [3, 3]


@pytest.mark.parametrize("value, shape, message", [
    ([1, 2], (2, 2), r"Tensor \[1 2\] \(converted from \[1, 2\]\) has 2 elements, but got `shape` \(2, 2\) "
                     r"with 4 elements\)\."),
    (["a", "b", "c"], (2, 1), r"Tensor \[b'a' b'b' b'c'\] \(converted from \['a', 'b', 'c'\]\) has 3 "
                              r"elements, but got `shape` \(2, 1\) with 2 elements\)\."),
    ([5, 6], (), r"Tensor \[5 6\] \(converted from \[5, 6\]\) has 2 elements, but got `shape` \(\) with 1 "
                 r"elements\)\."),
    ([], (2, 3), r"Tensor \[\] \(converted from \[\]\) has 0 elements, but got `shape` \(2, 3\) with 6 "
                 r"elements\)\."),
], ids=["vector", "strings", "scalar", "empty"])
def test_constant_shape_mismatch(value, shape, message):
    with pytest.raises(TypeError, match=r"^Eager execution of tf\.constant with unsupported shape\. " + message):
        tf.constant(value, shape=shape)


@pytest.mark.parametrize("shape, error, match", [
    ([2, None], ValueError, MIXED), ((-1,), ValueError, r"^Dimension -1 must be >= 0$"),
    ((-1, 2), ValueError, r"^Dimension -1 must be >= 0$"),
], ids=["none", "negative", "negative_reshape"])
def test_constant_bad_shape(shape, error, match):
    with pytest.raises(error, match=match):
        tf.constant(5, shape=shape)


def test_tensor_of_another_dtype():
    ints = tf.constant([1, 2])
    with pytest.raises(TypeError, match=r"^Expected tensor \[1 2\] with dtype tf\.float32, but got dtype "
                                        r"tf\.int32\.$"):
        tf.constant(ints, dtype=tf.float32)
    with pytest.raises(ValueError, match=r"^Tensor conversion requested dtype float32 for Tensor with dtype "
                                         r"int32: <tf\.Tensor: shape=\(2,\), dtype=int32, numpy=array\(\[1, 2\], "
                                         r"dtype=int32\)>$"):
        tf.convert_to_tensor(ints, dtype=tf.float32)


def test_tensors_are_returned_as_they_are():
    t = tf.constant([1, 2])
    assert tf.convert_to_tensor(t) is t and tf.constant(t) is t
    assert tf.convert_to_tensor(t, dtype=tf.int32) is t and tf.constant(t, dtype="int32") is t


@pytest.mark.parametrize("value, hint, dtype", [
    (tf.constant(1), tf.float32, "int32"), (1, tf.float32, "float32"), (1.5, tf.int32, "float32"),
    ([1, 2], tf.int64, "int64"), (np.array([1, 2]), tf.int32, "int32"), ("a", tf.int32, "string"),
], ids=["tensor", "int", "float_to_int", "list", "numpy", "string"])
def test_dtype_hint(value, hint, dtype):
    assert tf.convert_to_tensor(value, dtype_hint=hint).dtype.name == dtype


def test_bad_dtype_arguments():
    with pytest.raises(TypeError, match=r"^Cannot convert the argument `type_value`: 'nm' to a TensorFlow"):
        tf.convert_to_tensor(1, tf.float32, "nm")
    with pytest.raises(TypeError, match=r"^Cannot convert the argument `type_value`: <class 'int'>"):
        tf.constant([1, 2], dtype=int)
    assert tf.constant([1, 2], dtype=float).dtype == tf.float32
    assert tf.constant([1, 2], dtype=np.float32).dtype == tf.float32


def test_numpy_input_is_copied():
    a = np.array([1, 2])
    t = tf.constant(a)
    same_dtype = tf.convert_to_tensor(a, dtype=tf.int64)
    a[0] = 100
    assert t.numpy().tolist() == [1, 2]
    assert same_dtype.numpy().tolist() == [1, 2]
    assert tf.constant(np.arange(10)[::-3]).numpy().tolist() == [9, 6, 3, 0]
    assert tf.constant(np.array([[1, 2]]).T).shape == (2, 1)
    assert tf.constant(np.ma.masked_array([1, 2], mask=[0, 1])).numpy().tolist() == [1, 2]


def test_torch_tensors_in_and_out():
    source = torch.tensor([1.0, 2.0])
    t = tf.constant(source)
    source[0] = 9.0
    assert t.dtype == tf.float32 and t.numpy().tolist() == [1.0, 2.0]
    assert tf.convert_to_tensor(torch.tensor([1, 2])).dtype == tf.int64
    assert tf.constant(torch.tensor([1], dtype=torch.bfloat16)).dtype == tf.bfloat16
    with pytest.raises(ValueError, match="^Tensor conversion requested dtype int32 for Tensor with dtype float32"):
        tf.convert_to_tensor(torch.tensor([1.0]), dtype=tf.int32)
    out = torch.from_dlpack(tf.constant([[1, 2]]))
    assert out.dtype is torch.int32 and out.tolist() == [[1, 2]]


@pytest.mark.parametrize("value, dtype, shape", [
    ([tf.constant(1), 2], "int32", (2,)), ([tf.constant([1, 2]), [3, 4]], "int32", (2, 2)),
    ([tf.constant(1.5), 2], "float32", (2,)), ([tf.constant(1, tf.int64), 2], "int64", (2,)),
    ([tf.constant(1), np.int64(2)], "int32", (2,)), ((tf.constant(1),), "int32", (1,)),
    ([[tf.constant(1)], [2]], "int32", (2, 1)), ([tf.constant(1.5), np.float64(2)], "float32", (2,)),
    ([np.float64(1), tf.constant(1.5)], "float32", (2,)), ([2, tf.constant(1, tf.int64)], "int64", (2,)),
], ids=lambda v: repr(v)[:24])
def test_lists_of_tensors(value, dtype, shape):
    t = tf.convert_to_tensor(value)
    assert t.dtype.name == dtype and t.shape == shape


def test_lists_of_tensors_with_dtype_cast_the_tensors():
    assert tf.convert_to_tensor([tf.constant(1), 2], dtype=tf.float32).dtype == tf.float32


@pytest.mark.parametrize("value, error, match", [
    ([tf.constant(1), 2.5], TypeError, r"^Cannot convert 2\.5 to EagerTensor of dtype int32$"),
    ([tf.constant(1), "a"], TypeError, r"^Cannot convert 'a' to EagerTensor of dtype int32$"),
    ([tf.constant(1), tf.constant(2.0)], tf.errors.InvalidArgumentError,
     r"^cannot compute Pack as input #1\(zero-based\) was expected to be a int32 tensor but is a float "
     r"tensor \[Op:Pack\] name: packed$"),
    ([tf.constant(1), tf.constant(2, tf.int64)], tf.errors.InvalidArgumentError,
     r"was expected to be a int32 tensor but is a int64 tensor \[Op:Pack\] name: packed$"),
    ([tf.constant([1, 2]), [3]], tf.errors.InvalidArgumentError,
     r"^\{\{function_node __wrapped__Pack_N_2_device_/job:localhost/replica:0/task:0/device:CPU:0\}\} "
     r"Shapes of all inputs must match: values\[0\]\.shape = \[2\] != values\[1\]\.shape = \[1\] "
     r"\[Op:Pack\] name: $"),
], ids=["float", "string", "float_tensor", "int64_tensor", "shapes"])
def test_lists_of_tensors_refused(value, error, match):
    with tf.device("/CPU:0"), pytest.raises(error, match=match):
        tf.convert_to_tensor(value)


def test_operands_on_two_devices_run_on_the_current_device(monkeypatch):
    """TF copies inputs that live on different devices; kerastorch moves them to the
    device the op runs on. Without a GPU only the plumbing can be checked here."""
    from kerastorch.framework import convert
    from kerastorch.framework import device as device_module

    moved = convert.on_one_device([torch.ones(2), torch.ones(2), np.array([b"a"], dtype=object)])
    assert all(t.device == device_module.current() for t in moved[:2])
    assert moved[2].dtype == object
    monkeypatch.setattr(convert, "SEVERAL_DEVICES", True)
    x, y = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    got = convert.operands(x, y, "AddV2")
    assert got[0] is x._t and got[1] is y._t  # same device: untouched


@pytest.mark.parametrize("dtype", [tf.int32, tf.bool, tf.int64, tf.uint8], ids=str)
def test_empty_list_takes_any_dtype(dtype):
    # from TF 2.21: tf.constant([], dtype=tf.int32) -> tf.Tensor([], shape=(0,), dtype=int32)
    t = tf.constant([], dtype=dtype)
    assert t.dtype == dtype and t.shape == (0,)
    assert tf.constant([[], []], dtype=dtype).shape == (2, 0)
