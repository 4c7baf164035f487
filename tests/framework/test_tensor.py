"""The Tensor facade: immutability, numpy/Python interop, iteration, hashing, pickling.

Expected values and messages are those TF 2.21 printed for the same code.
"""

import copy
import pickle

import numpy as np
import pytest
import torch

import kerastorch as tf


def test_device_long_form():
    t = tf.constant([1, 2])
    where = "GPU:0" if torch.cuda.is_available() else "CPU:0"
    assert t.device == f"/job:localhost/replica:0/task:0/device:{where}"
    assert t.backing_device == t.device
    assert t.cpu().device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert tf.constant(["a"]).device == "/job:localhost/replica:0/task:0/device:CPU:0"


def test_item_assignment_refused():
    t = tf.constant([1, 2])
    with pytest.raises(TypeError, match="^'tensorflow.python.framework.ops.EagerTensor' object does not "
                                        "support item assignment$"):
        t[0] = 5
    assert t.numpy().tolist() == [1, 2]


@pytest.mark.parametrize("update", ["x += 1", "x -= 1", "x *= 3", "x //= 2", "x **= 2", "x /= 2"],
                         ids=["add", "sub", "mul", "floordiv", "pow", "truediv"])
def test_augmented_assignment_rebinds(update):
    original = tf.constant([1, 2])
    scope = {"x": original}
    exec(update, scope)
    assert scope["x"] is not original
    assert original.numpy().tolist() == [1, 2]


def test_numpy_returns_a_copy():
    t = tf.constant([1, 2])
    a = t.numpy()
    a[0] = 9
    assert t.numpy().tolist() == [1, 2]
    assert a.flags.writeable  # from TF 2.21: True


def test_numpy_types():
    assert repr(tf.constant([1, 2]).numpy()) == "array([1, 2], dtype=int32)"
    assert repr(tf.constant(7).numpy()) == "np.int32(7)"  # from TF 2.21: a numpy scalar
    assert tf.constant("x").numpy() == b"x" and type(tf.constant("x").numpy()) is bytes
    assert repr(tf.constant(["x", "yy"]).numpy()) == "array([b'x', b'yy'], dtype=object)"


def test_np_array():
    t = tf.constant([1, 2])
    assert np.array(t).dtype == np.int32 and np.array(t).tolist() == [1, 2]
    assert np.asarray(t).tolist() == [1, 2]
    assert np.array(t, dtype=np.float64).dtype == np.float64
    assert tf.constant([1.0, 2.0]).__array__(np.float64).dtype == np.float64


def test_python_scalars():
    t = tf.constant(2.5)
    assert (float(t), int(t), bool(t), complex(t)) == (2.5, 2, True, 2.5 + 0j)
    assert (int(tf.constant(3.7)), int(tf.constant(-3.7))) == (3, -3)
    assert bool(tf.constant(0.0)) is False and bool(tf.constant([True])) is True
    assert bool(tf.constant("")) is False and bool(tf.constant("ab")) is True


@pytest.mark.parametrize("convert, value", [
    (float, [2.5]), (float, [2.5, 3.0]), (int, [2, 3]), (int, [[1]]), (float, [[1]]),
], ids=["float_vector1", "float_vector2", "int_vector", "int_matrix", "float_matrix"])
def test_python_scalars_of_non_scalars(convert, value):
    with pytest.raises(TypeError, match="^only 0-dimensional arrays can be converted to Python scalars$"):
        convert(tf.constant(value))


def test_bool_of_several_elements():
    with pytest.raises(ValueError, match=r"^The truth value of an array with more than one element is "
                                         r"ambiguous\. Use a\.any\(\) or a\.all\(\)$"):
        bool(tf.constant([True, False]))


def test_float_of_string():
    with pytest.raises(ValueError, match="could not convert string to float: b'ab'"):
        float(tf.constant("ab"))


def test_index():
    t = tf.constant(5)
    assert t.__index__() == 5 and [0, 1, 2, 3, 4, 5, 6][t] == 5 and range(10)[t] == 5
    with pytest.raises(AttributeError, match="'numpy.float32' object has no attribute '__index__'"):
        [0, 1][tf.constant(1.0)]  # noqa: B018


def test_len_and_iteration():
    t = tf.constant([[1, 2], [3, 4], [5, 6]])
    assert len(t) == 3
    rows = list(t)
    assert [r.numpy().tolist() for r in rows] == [[1, 2], [3, 4], [5, 6]]
    assert all(isinstance(r, tf.Tensor) and r.dtype == tf.int32 for r in rows)
    assert [repr(s) for s in tf.constant(["a", "b"])] == [
        "<tf.Tensor: shape=(), dtype=string, numpy=b'a'>", "<tf.Tensor: shape=(), dtype=string, numpy=b'b'>"]
    assert 2 in tf.constant([1, 2])


def test_scalar_len_and_iteration_refused():
    with pytest.raises(TypeError, match="^Scalar tensor has no `len\\(\\)`$"):
        len(tf.constant(3))
    with pytest.raises(TypeError, match="^Cannot iterate over a scalar tensor.$"):
        list(tf.constant(3))


def test_dlpack():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    as_torch = torch.from_dlpack(t)
    assert as_torch.dtype is torch.float32 and as_torch.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    as_numpy = np.from_dlpack(tf.constant([[1.0, 2.0], [3.0, 4.0]]).cpu())
    assert as_numpy.dtype == np.float32 and as_numpy.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_hash_refused_and_ref():
    t = tf.constant([1, 2])
    with pytest.raises(TypeError, match=r"^Tensor is unhashable\. Instead, use tensor\.ref\(\) as the key\.$"):
        hash(t)
    with pytest.raises(TypeError, match="Tensor is unhashable"):
        {t: 1}  # noqa: B018
    r = t.ref()
    assert {r: 1}[t.ref()] == 1
    assert r.deref() is t and t.ref() == t.ref() and t.experimental_ref() == r
    assert t.ref() != tf.constant([1, 2]).ref()
    assert repr(r) == ("<Reference wrapping <tf.Tensor: shape=(2,), dtype=int32, "
                       "numpy=array([1, 2], dtype=int32)>>")


@pytest.mark.parametrize("value, dtype", [
    ([[1.5, 2.0]], None), (["a", "b"], None), ([1.5, 2.25], tf.bfloat16), (3, tf.int64), (True, None),
], ids=["float", "string", "bfloat16", "int64", "bool"])
def test_pickle_round_trip(value, dtype):
    t = tf.constant(value, dtype=dtype)
    back = pickle.loads(pickle.dumps(t))
    assert repr(back) == repr(t) and back.dtype is t.dtype


def test_copy_and_deepcopy_return_the_tensor():
    # from TF 2.21: True True (immutable, so no copy is needed)
    t = tf.constant([1, 2])
    assert copy.copy(t) is t and copy.deepcopy(t) is t


def test_properties():
    t = tf.constant([[1, 2]])
    assert str(t.dtype) == "<dtype: 'int32'>" and t.ndim == 2 and t.get_shape() == [1, 2]
    t.set_shape([1, None])
    with pytest.raises(ValueError, match=r"^Tensor's shape \(1, 2\) is not compatible with supplied shape "
                                         r"\(2, None\)\.$"):
        t.set_shape([2, None])


@pytest.mark.parametrize("attr", ["name", "op", "graph"], ids=["name", "op", "graph"])
def test_graph_attributes_undefined_in_eager(attr):
    with pytest.raises(AttributeError, match=f"^Tensor.{attr} is undefined when eager execution is enabled.$"):
        getattr(tf.constant(1), attr)


def test_properties_are_read_only():
    with pytest.raises(AttributeError, match="property 'shape' of '(Eager)?Tensor' object has no setter"):
        tf.constant([1, 2]).shape = (1, 2)


def test_tensor_class_is_not_called_directly():
    assert isinstance(tf.constant([1, 2]), tf.Tensor)
    with pytest.raises(TypeError, match=r"^Tensor\(\) takes no arguments$"):
        tf.Tensor([1, 2])


def test_numpy_operands_give_tensors():
    t = tf.constant([1.0, 2.0])
    assert isinstance(np.float32(1) * t, tf.Tensor)
    assert (np.array([1.0, 2.0], np.float32) + t).numpy().tolist() == [2.0, 4.0]
    assert t.__array_priority__ == 100
