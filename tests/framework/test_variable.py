"""Tests for `tf.Variable`: creation, printing, reading, assigning, slices and scatters.

Expected reprs and error messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

import copy
from collections import namedtuple

import numpy as np
import pytest
import torch

import kerastorch as tf

IndexedSlices = namedtuple("IndexedSlices", ["values", "indices"])  # what scatter_update reads


# -- creation and printing ---------------------------------------------------------------

REPRS = [
    # from TF 2.21
    (lambda: tf.Variable([1.0, 2.0]),
     "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
    (lambda: tf.Variable(3, name="w"), "<tf.Variable 'w:0' shape=() dtype=int32, numpy=3>"),
    (lambda: tf.Variable([[1, 2], [3, 4]]),
     "<tf.Variable 'Variable:0' shape=(2, 2) dtype=int32, numpy=\narray([[1, 2],\n       [3, 4]], dtype=int32)>"),
    (lambda: tf.Variable("abc"), "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b'abc'>"),
    (lambda: tf.Variable(True), "<tf.Variable 'Variable:0' shape=() dtype=bool, numpy=True>"),
    (lambda: tf.Variable([1.0, 2.0], shape=[None]),
     "<tf.Variable 'Variable:0' shape=(None,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
    (lambda: tf.Variable([1.0, 2.0], shape=tf.TensorShape(None)),
     "<tf.Variable 'Variable:0' shape=<unknown> dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
]


@pytest.mark.parametrize("make, expected", REPRS,
                         ids=["float", "named", "matrix", "string", "bool", "none_dim", "unknown"])
def test_repr_and_str(make, expected):
    v = make()
    assert repr(v) == expected
    assert str(v) == expected


def test_names_are_not_uniquified():
    # from TF 2.21: eager variables all keep the plain name
    assert [tf.Variable(1.0).name, tf.Variable(1.0).name] == ["Variable:0", "Variable:0"]
    assert tf.Variable(1, name="w").name == "w:0"


def test_is_a_variable_not_a_tensor():
    v = tf.Variable([1.0, 2.0])
    assert isinstance(v, tf.Variable) and not isinstance(v, tf.Tensor)
    assert type(v + 1.0) is tf.Tensor
    np.testing.assert_array_equal((v * v).numpy(), [1.0, 4.0])


def test_properties():
    v = tf.Variable([[1.0, 2.0]])
    assert v.dtype == tf.float32
    assert v.shape == (1, 2) and v.get_shape() == (1, 2)
    assert v.trainable is True
    assert v.device.startswith("/job:localhost/replica:0/task:0/device:")
    assert v.constraint is None
    assert repr(v.synchronization) == "<VariableSynchronization.AUTO: 0>"  # from TF 2.21
    assert repr(v.aggregation) == "<VariableAggregationV2.NONE: 0>"  # from TF 2.21
    assert tf.Variable(1.0, trainable=False).trainable is False


def test_on_read_synchronization_is_not_trainable_by_default():
    v = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ)
    assert v.trainable is False


def test_parameter_backs_the_variable():
    v = tf.Variable([1.0, 2.0])
    assert isinstance(v._param, torch.nn.Parameter) and v._t is v._param
    assert v._param.requires_grad
    assert not tf.Variable([1.0], trainable=False)._param.requires_grad
    assert not tf.Variable([1])._param.requires_grad


def test_device_scope_places_the_variable():
    with tf.device("/CPU:0"):
        v = tf.Variable([1.0])
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert v._param.device.type == "cpu"


def test_initial_value_callable_and_dtype():
    assert tf.Variable(lambda: 3.0).numpy() == 3.0
    v = tf.Variable(1, dtype=tf.float32)
    assert v.dtype == tf.float32
    assert tf.Variable(np.float64(1.5)).dtype == tf.float64


def test_initial_value_is_copied():
    t = tf.constant([1.0, 2.0])
    v = tf.Variable(t)
    v.assign([5.0, 6.0])
    v._param.data.add_(1.0)  # what an in-place optimizer update does
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


CREATION_ERRORS = [
    # from TF 2.21
    (dict(initial_value=None), ValueError,
     "The `initial_value` arg to `tf.Variable` must be specified except when you are not providing a "
     "`variable_def`. You provided neither."),
    (dict(initial_value=1.5, dtype=tf.int32), TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32"),
    (dict(initial_value=[1.0, 2.0], shape=[3]), ValueError,
     "In this `tf.Variable` creation, the initial value's shape ((2,)) is not compatible with the "
     "explicitly supplied `shape` argument ([3])."),
    (dict(initial_value=1.0, constraint=5), ValueError,
     "Argument `constraint` must be None or a callable. a callable. Got a <class 'int'>:  5"),
    (dict(initial_value=1.0, synchronization="on_read"), ValueError,
     "Invalid variable synchronization mode: on_read for variable: None"),
    (dict(initial_value=1.0, aggregation="sum"), ValueError,
     "Invalid variable aggregation mode: sum for variable: None"),
]


@pytest.mark.parametrize("kwargs, error, message", CREATION_ERRORS,
                         ids=["none", "float_to_int", "shape", "constraint", "sync", "aggregation"])
def test_creation_errors(kwargs, error, message):
    with pytest.raises(error) as info:
        tf.Variable(**kwargs)
    assert str(info.value) == message


def test_initial_tensor_of_other_dtype():
    with pytest.raises(ValueError, match=r"^initial_value: Tensor conversion requested dtype float32 "
                                         r"for Tensor with dtype int32"):
        tf.Variable(tf.constant([1, 2]), dtype=tf.float32)


def test_constraint_is_stored():
    assert tf.Variable(1.0, constraint=abs).constraint is abs


def test_eager_only_properties_raise():
    v = tf.Variable(1.0)
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        v.initial_value  # noqa: B018
    with pytest.raises(AttributeError, match="Tensor.op is undefined"):
        v.op  # noqa: B018
    assert v.is_initialized().numpy()


# -- reading -------------------------------------------------------------------------------

def test_numpy_is_a_copy():
    v = tf.Variable([1.0, 2.0])
    arr = v.numpy()
    arr[0] = 9.0
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert type(tf.Variable(2.0).numpy()) is np.float32


def test_values_read_earlier_keep_their_value():
    v = tf.Variable([1.0, 2.0])
    read, value, converted, row, whole = v.read_value(), v.value(), tf.convert_to_tensor(v), v[0], v[:]
    v.assign([9.0, 9.0])
    for t in (read, value, converted, whole):
        np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])
    assert row.numpy() == 1.0
    assert type(read) is tf.Tensor


PYTHON_CONVERSIONS = [
    (float, tf.Variable(2.0), 2.0),
    (int, tf.Variable(2), 2),
    (bool, tf.Variable(True), True),
    (complex, tf.Variable(2.0), 2 + 0j),
]


@pytest.mark.parametrize("fn, v, expected", PYTHON_CONVERSIONS, ids=["float", "int", "bool", "complex"])
def test_python_conversions(fn, v, expected):
    assert fn(v) == expected and type(fn(v)) is type(expected)


def test_conversion_errors_match_tf():
    v = tf.Variable([1.0, 2.0])
    # from TF 2.21
    with pytest.raises(TypeError, match="only 0-dimensional arrays can be converted to Python scalars"):
        float(v)
    with pytest.raises(ValueError, match="The truth value of an array with more than one element"):
        bool(v)
    with pytest.raises(TypeError, match="has no len"):
        len(v)
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        iter(tf.Variable(2.0))


def test_array_and_iteration():
    v = tf.Variable([1.0, 2.0])
    np.testing.assert_array_equal(np.array(v), [1.0, 2.0])
    assert np.asarray(v, dtype=np.float64).dtype == np.float64
    items = list(v)
    assert [type(t) for t in items] == [tf.Tensor, tf.Tensor]
    assert [t.numpy() for t in items] == [1.0, 2.0]


def test_unhashable_but_ref_works():
    v = tf.Variable([1.0])
    with pytest.raises(TypeError, match=r"^Variable is unhashable. Instead, use variable.ref\(\) as the "
                                        r"key. \(Variable: <tf.Variable 'Variable:0'"):
        hash(v)
    table = {v.ref(): 1}
    assert table[v.ref()] == 1 and v.ref().deref() is v
    assert v.experimental_ref() == v.ref()


def test_sparse_read_and_gather_nd():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(v.sparse_read([1, 0]).numpy(), [[3.0, 4.0], [1.0, 2.0]])
    np.testing.assert_array_equal(v.gather_nd([[1, 0]]).numpy(), [3.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        v.sparse_read([5])
    # from TF 2.21 (without the function_node prefix)
    assert str(info.value) == "indices[0] = 5 is not in [0, 2) [Op:ResourceGather] name: "


# -- assigning -------------------------------------------------------------------------

def test_assign_returns_unread_variable():
    v = tf.Variable([1.0, 2.0])
    r = v.assign([3.0, 4.0])
    # from TF 2.21
    assert repr(r) == ("<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, "
                       "numpy=array([3., 4.], dtype=float32)>")
    assert isinstance(r, tf.Variable) and r is not v
    v.assign([0.0, 0.0])
    np.testing.assert_array_equal(r.numpy(), [0.0, 0.0])  # it reads the same variable
    assert v.assign([1.0, 1.0], read_value=False) is None


@pytest.mark.parametrize("method, delta, expected", [
    ("assign_add", [1.0, 1.0], [2.0, 3.0]),
    ("assign_sub", [1.0, 1.0], [0.0, 1.0]),
    ("assign", np.array([5, 6]), [5.0, 6.0]),
], ids=["add", "sub", "numpy_int_into_float"])
def test_assign_variants(method, delta, expected):
    v = tf.Variable([1.0, 2.0])
    getattr(v, method)(delta)
    np.testing.assert_array_equal(v.numpy(), expected)


def test_assign_keeps_the_parameter_object():
    v = tf.Variable([1.0, 2.0])
    param = v._param
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v[0].assign(0.0)
    assert v._param is param and param.requires_grad
    np.testing.assert_array_equal(param.detach().numpy(), [0.0, 5.0])


def test_assigned_tensor_is_not_shared():
    t = tf.constant([1.0, 2.0])
    v = tf.Variable([0.0, 0.0])
    v.assign(t)
    v._param.data.mul_(10.0)  # what an in-place optimizer update does
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


ASSIGN_ERRORS = [
    # from TF 2.21
    ("assign", [1.0, 2.0, 3.0], ValueError,
     "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (2,), and the "
     "assigned value shape (3,) are incompatible."),
    ("assign", 5.0, ValueError,
     "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (2,), and the "
     "assigned value shape () are incompatible."),
    ("assign", tf.constant([1.0, 2.0], tf.float64), ValueError,
     "Tensor conversion requested dtype float32 for Tensor with dtype float64: <tf.Tensor: shape=(2,), "
     "dtype=float64, numpy=array([1., 2.])>"),
    ("assign_add", 1.0, tf.errors.InvalidArgumentError,
     "Cannot update variable with shape [2] using a Tensor with shape [], shapes must be equal. "
     "[Op:AssignAddVariableOp] name: "),
    ("assign_sub", [1.0, 2.0, 3.0], tf.errors.InvalidArgumentError,
     "Cannot update variable with shape [2] using a Tensor with shape [3], shapes must be equal. "
     "[Op:AssignSubVariableOp] name: "),
]


@pytest.mark.parametrize("method, value, error, message", ASSIGN_ERRORS,
                         ids=["longer", "scalar", "dtype", "add_shape", "sub_shape"])
def test_assign_errors(method, value, error, message):
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(error) as info:
        getattr(v, method)(value)
    assert str(info.value) == message
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_assign_float_into_int_variable():
    with pytest.raises(TypeError, match=r"^Cannot convert \[1.5, 2.0\] to EagerTensor of dtype int32$"):
        tf.Variable([1, 2]).assign([1.5, 2.0])


def test_assign_with_unknown_dim_changes_the_shape():
    v = tf.Variable([1.0, 2.0], shape=[None])
    v.assign([1.0, 2.0, 3.0])
    assert v.shape == tf.TensorShape([None]) and v.numpy().shape == (3,)
    with pytest.raises(ValueError, match=r"The variable shape \(None,\), and the assigned value shape "
                                         r"\(1, 1\) are incompatible."):
        v.assign([[1.0]])


def test_string_variable_assign():
    v = tf.Variable("a")
    v.assign("bc")
    assert v.numpy() == b"bc"


def test_gradient_through_a_graph_made_before_an_assign_raises():
    # TF would use the value read before the assign (4.0); torch reports the overwrite instead.
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    v.assign(10.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        tape.gradient(y, v)


# -- slices -----------------------------------------------------------------------------

SLICE_ASSIGNS = [
    # from TF 2.21, starting from [[1, 2, 3], [4, 5, 6]]
    ((0, 1), 10.0, [[1.0, 10.0, 3.0], [4.0, 5.0, 6.0]]),
    ((slice(None), 0), [7.0, 8.0], [[7.0, 2.0, 3.0], [8.0, 5.0, 6.0]]),
    (0, 1.0, [[1.0, 1.0, 1.0], [4.0, 5.0, 6.0]]),
    ((slice(None, None, -1), 0), [100.0, 200.0], [[200.0, 2.0, 3.0], [100.0, 5.0, 6.0]]),
    ((Ellipsis, 2), [0.0, 0.0], [[1.0, 2.0, 0.0], [4.0, 5.0, 0.0]]),
    # columns 2 and 0, in that order
    ((slice(None), slice(None, None, -2)), [[1.0, 2.0], [3.0, 4.0]], [[2.0, 2.0, 1.0], [4.0, 5.0, 3.0]]),
]


@pytest.mark.parametrize("key, value, expected", SLICE_ASSIGNS,
                         ids=["element", "column", "row_broadcast", "reversed", "ellipsis", "step_minus_2"])
def test_slice_assign(key, value, expected):
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    sliced = v[key]
    assert isinstance(sliced, tf.Tensor)
    before = sliced.numpy()
    result = sliced.assign(value)
    np.testing.assert_array_equal(v.numpy(), expected)
    assert result.name == "UnreadVariable"
    np.testing.assert_array_equal(sliced.numpy(), before)  # the slice read keeps its value


def test_slice_assign_with_a_scalar_tensor_index():
    v = tf.Variable([1, 2, 3])
    v[tf.constant(1)].assign(9)
    np.testing.assert_array_equal(v.numpy(), [1, 9, 3])


def test_slice_assign_broadcast_error():
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        v[:, 0].assign([7.0, 8.0, 9.0])
    # from TF 2.21 (without the function_node prefix)
    assert str(info.value) == ("Cannot broadcast input shape [3] into final shape [2] "
                               "[Op:ResourceStridedSliceAssign] name: ")


@pytest.mark.parametrize("read", [lambda v: v[0][1], lambda v: (v + 1.0)[0],
                                  lambda v: v[tf.constant([True, False])]],
                         ids=["slice_of_slice", "computed", "bool_mask"])
def test_other_reads_cannot_assign(read):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert not hasattr(read(v), "assign")  # from TF 2.21: AttributeError


# -- scatters ---------------------------------------------------------------------------

SCATTERS = [
    # from TF 2.21, starting from [[1, 2, 3], [4, 5, 6]]
    ("scatter_nd_update", ([[0, 0], [1, 2]], [-1.0, -2.0]), [[-1.0, 2.0, 3.0], [4.0, 5.0, -2.0]]),
    ("scatter_nd_add", ([[0, 0], [0, 0]], [10.0, 20.0]), [[31.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    ("scatter_nd_sub", ([[1, 1]], [5.0]), [[1.0, 2.0, 3.0], [4.0, 0.0, 6.0]]),
    ("scatter_nd_update", ([[1]], [[7.0, 8.0, 9.0]]), [[1.0, 2.0, 3.0], [7.0, 8.0, 9.0]]),
    ("scatter_update", (IndexedSlices(tf.constant([[9.0, 9.0, 9.0]]), tf.constant([1])),),
     [[1.0, 2.0, 3.0], [9.0, 9.0, 9.0]]),
    ("scatter_add", (IndexedSlices(tf.constant([[1.0, 1.0, 1.0]]), tf.constant([0])),),
     [[2.0, 3.0, 4.0], [4.0, 5.0, 6.0]]),
    ("scatter_sub", (IndexedSlices(tf.constant([[1.0, 1.0, 1.0]]), tf.constant([1])),),
     [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]),
]


@pytest.mark.parametrize("method, args, expected", SCATTERS,
                         ids=["nd_update", "nd_add_repeated", "nd_sub", "nd_update_rows", "update", "add",
                              "sub"])
def test_scatter(method, args, expected):
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    result = getattr(v, method)(*args)
    np.testing.assert_array_equal(v.numpy(), expected)
    assert result.name == "UnreadVariable"


def test_scatter_nd_out_of_range():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        v.scatter_nd_update([[5]], [1.0])
    # from TF 2.21 (without the function_node prefix)
    assert str(info.value) == "indices[0] = [5] does not index into shape [2] [Op:ResourceScatterNdUpdate] name: "


# -- copies ----------------------------------------------------------------------------

def test_copy_shares_and_deepcopy_does_not():
    # from TF 2.21: copy.copy is a second handle, deepcopy a new variable
    v = tf.Variable([1.0, 2.0], name="w")
    shallow, deep = copy.copy(v), copy.deepcopy(v)
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(shallow.numpy(), [5.0, 6.0])
    np.testing.assert_array_equal(deep.numpy(), [1.0, 2.0])
    assert deep.name == "w:0" and deep._param is not v._param and deep._param.requires_grad
