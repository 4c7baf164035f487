"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot and
their functional forms.

Expected values and error messages were read from TF 2.21 / Keras 3.15 running the same
code, or derived by hand from Keras's merge rules (worked out in the comments).
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer

L = keras.layers


def _listed(cls, **kwargs):
    """A maker for `cls` taking its inputs positionally: the harness calls `layer(a, b)`,
    a merge layer takes one list `layer([a, b])`."""
    listed = type(cls.__name__, (cls,), {"__call__": lambda self, *xs, **kw: cls.__call__(self, list(xs), **kw)})
    return lambda: listed(**kwargs)


HARNESS = [
    ("add", _listed(L.Add), [(2, 3), (2, 3)]),
    ("add_broadcast_rank", _listed(L.Add), [(2, 4, 3), (2, 3)]),
    ("subtract", _listed(L.Subtract), [(2, 3), (2, 3)]),
    ("multiply", _listed(L.Multiply), [(2, 3), (2, 3), (2, 3)]),
    ("average", _listed(L.Average), [(2, 3, 2), (2, 3, 2)]),
    ("maximum", _listed(L.Maximum), [(2, 3), (2, 3)]),
    ("minimum", _listed(L.Minimum), [(2, 3), (2, 3)]),
    ("concatenate", _listed(L.Concatenate, axis=1), [(2, 3, 2), (2, 1, 2)]),
    ("dot", _listed(L.Dot, axes=(1, 2)), [(2, 3, 5), (2, 4, 3)]),
    ("dot_normalize", _listed(L.Dot, axes=1, normalize=True), [(2, 4), (2, 4)]),
]


@pytest.mark.parametrize(("make", "shapes"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shapes):
    # compute_output_shape takes the list of shapes, which the positional harness cannot pass.
    layer, _ = check_layer(make, *shapes, compute_shape=False)
    assert layer.weights == []


@pytest.mark.parametrize(("layer", "shapes", "want"), [
    (L.Add(), [(None, 4, 3), (None, 3)], (None, 4, 3)),
    (L.Add(), [(None, 1, 3), (None, 4, 1)], (None, 4, 3)),
    (L.Subtract(), [(None, 3), (None, 3)], (None, 3)),
    (L.Concatenate(), [(None, 4, 3), (None, 4, 2)], (None, 4, 5)),
    (L.Concatenate(axis=1), [(None, None, 4), (None, 5, 4)], (None, None, 4)),
    (L.Dot(-1), [(2, 3, 4), (2, 4)], (2, 3)),
    (L.Dot((1, 2)), [(2, 4), (2, 3, 4)], (2, 3)),
    (L.Dot(1), [(None, 4), (None, 4)], (None, 1)),
], ids=["add_rank", "add_broadcast", "subtract", "concatenate", "concatenate_unknown", "dot_neg", "dot_2d_3d",
        "dot_2d"])
def test_compute_output_shape(layer, shapes, want):
    assert layer.compute_output_shape(shapes) == want


def test_config_keys_are_keras_keys():
    for cls in (L.Add, L.Subtract, L.Multiply, L.Average, L.Maximum, L.Minimum):
        assert sorted(cls().get_config()) == ["dtype", "name", "trainable"]
    assert sorted(L.Concatenate().get_config()) == ["axis", "dtype", "name", "trainable"]
    assert sorted(L.Dot(1).get_config()) == ["axes", "dtype", "name", "normalize", "trainable"]


# -- values and dtypes ------------------------------------------------------------------

A = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], "float32")
B = np.array([[1.0, -1.0, 0.5], [2.0, 6.0, -3.0]], "float32")


@pytest.mark.parametrize(("layer", "want"), [
    (L.Add(), A + B), (L.Subtract(), A - B), (L.Multiply(), A * B), (L.Average(), (A + B) / 2),
    (L.Maximum(), np.maximum(A, B)), (L.Minimum(), np.minimum(A, B)),
    (L.Concatenate(), np.concatenate([A, B], -1)), (L.Concatenate(axis=0), np.concatenate([A, B], 0)),
    (L.Dot(1), np.sum(A * B, 1, keepdims=True)),
], ids=["add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "concatenate_axis0", "dot"])
def test_values(layer, want):
    np.testing.assert_allclose(layer([A, B]), want, rtol=1e-6)


def test_lower_rank_inputs_get_axes_after_the_batch():
    x, y = np.ones((2, 4, 3), "float32"), np.arange(6, dtype="float32").reshape(2, 3)
    for pair in ([x, y], [y, x]):
        np.testing.assert_array_equal(L.Add()(pair), x + y[:, None, :])
    assert L.Add()([keras.Input(shape=(4, 3)), keras.Input(shape=(3,))]).shape == (None, 4, 3)


def test_dot_shapes_and_normalization():
    x, y = np.ones((2, 3, 5), "float32"), np.ones((2, 10, 3), "float32")
    out = L.Dot(axes=(1, 2))([x, y])
    assert out.shape == (2, 5, 10)
    np.testing.assert_array_equal(out, np.full((2, 5, 10), 3.0))
    assert L.Dot(axes=(3, 1))([np.ones((2, 3, 4, 5), "float32"), np.ones((2, 5, 2, 3), "float32")]).shape == \
        (2, 3, 4, 2, 3)
    cosine = L.Dot(axes=1, normalize=True)([A, np.ones((2, 3), "float32")])
    np.testing.assert_allclose(cosine, [[0.7745967], [0.97979593]], rtol=1e-6)
    # Keras floors the inverse norm at 1 / epsilon: a zero vector stays zero instead of NaN.
    np.testing.assert_array_equal(L.Dot(axes=1, normalize=True)([np.zeros((1, 2), "float32")] * 2), [[0.0]])


@pytest.mark.parametrize(("layer", "inputs", "dtype"), [
    (L.Add(), [np.array([[1, 2]], "int32"), np.array([[3, 4]], "int64")], tf.int64),
    (L.Add(), [np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])], tf.float32),
    (L.Average(), [np.array([[1, 2]], "int32"), np.array([[3, 4]], "int32")], tf.float64),
    (L.Maximum(), [np.array([[1, 2]], "int32")] * 2, tf.int32),
    (L.Dot(1), [np.array([[1, 2]], "int32")] * 2, tf.int32),
    (L.Concatenate(), [np.array([[1, 2]]), np.array([[3.0, 4.0]], "float32")], tf.float32),
    (L.Concatenate(), [np.array([[True]]), np.array([[False]])], tf.bool),
], ids=["int_promotion", "float64_autocast", "average_int", "maximum_int", "dot_int", "concat_int_float",
        "concat_bool"])
def test_dtypes(layer, inputs, dtype):
    assert layer(inputs).dtype == dtype


def test_functional_forms():
    np.testing.assert_array_equal(L.add([A, B]), A + B)
    np.testing.assert_array_equal(L.subtract([A, B]), A - B)
    np.testing.assert_array_equal(L.multiply([A, B]), A * B)
    np.testing.assert_array_equal(L.average([A, B]), (A + B) / 2)
    np.testing.assert_array_equal(L.maximum([A, B]), np.maximum(A, B))
    np.testing.assert_array_equal(L.minimum([A, B]), np.minimum(A, B))
    np.testing.assert_array_equal(L.concatenate([A, B], axis=0), np.concatenate([A, B]))
    np.testing.assert_allclose(L.dot([A, B], axes=1), np.sum(A * B, 1, keepdims=True))
    np.testing.assert_allclose(L.dot([A, A], axes=1, normalize=True), [[1.0], [1.0]], rtol=1e-6)
    out = L.add([keras.Input(shape=(3,)), keras.Input(shape=(3,))], name="summed")
    assert out.shape == (None, 3) and out._keras_history.operation.name == "summed"


# -- masks ------------------------------------------------------------------------------

X = np.array([[[1.0, 5.0], [2.0, 2.0]]], "float32")  # (batch 1, 2 timesteps, 2 features)
Y = np.array([[[3.0, 1.0], [4.0, 0.0]]], "float32")


def _masked(array, mask):
    t = tf.constant(array)
    if mask is not None:
        t._keras_mask = tf.constant([mask])
    return t


@pytest.mark.parametrize(("cls", "mask_x", "mask_y", "values", "mask"), [
    # Sums ignore masks; the output mask is the OR, or None when an input has none.
    (L.Add, [True, False], [False, True], X + Y, [True, True]),
    (L.Add, [True, False], None, X + Y, None),
    # Multiply: masked entries count as 1; where every input is masked the product is 0.
    (L.Multiply, [True, False], [True, False], [[[3.0, 5.0], [0.0, 0.0]]], [True, False]),
    (L.Multiply, [True, False], [False, True], [[[1.0, 5.0], [4.0, 0.0]]], [True, True]),
    (L.Multiply, [True, False], None, [[[3.0, 5.0], [4.0, 0.0]]], None),
    # Maximum/Minimum: a masked entry takes the other input's value, so it never wins.
    (L.Maximum, [True, False], [False, True], [[[1.0, 5.0], [4.0, 0.0]]], [True, True]),
    (L.Maximum, [True, False], [True, False], [[[3.0, 5.0], [2.0, 2.0]]], [True, False]),
    (L.Maximum, [True, False], None, [[[3.0, 5.0], [4.0, 0.0]]], None),
    (L.Minimum, [True, False], [False, True], [[[1.0, 5.0], [4.0, 0.0]]], [True, True]),
    (L.Minimum, [True, False], None, [[[1.0, 1.0], [4.0, 0.0]]], None),
], ids=["add", "add_one_mask", "multiply_same", "multiply_disjoint", "multiply_one_mask", "maximum_disjoint",
        "maximum_same", "maximum_one_mask", "minimum_disjoint", "minimum_one_mask"])
def test_elementwise_masks(cls, mask_x, mask_y, values, mask):
    out = cls()([_masked(X, mask_x), _masked(Y, mask_y)])
    np.testing.assert_array_equal(out, values)
    if mask is None:
        assert out._keras_mask is None
    else:
        np.testing.assert_array_equal(out._keras_mask, [mask])


def test_concatenate_masks_count_unmasked_inputs_as_all_true():
    last = L.Concatenate()([_masked(X, [True, False]), _masked(Y, None)])
    np.testing.assert_array_equal(last._keras_mask, [[True, True]])
    steps = L.Concatenate(axis=1)([_masked(X, [True, False]), _masked(Y, None)])
    np.testing.assert_array_equal(steps._keras_mask, [[True, False, True, True]])
    both = L.Concatenate(axis=1)([_masked(X, [True, False]), _masked(Y, [False, True])])
    np.testing.assert_array_equal(both._keras_mask, [[True, False, False, True]])
    assert L.Concatenate()([_masked(X, None), _masked(Y, None)])._keras_mask is None


def test_dot_drops_masks_without_warning():
    out = L.Dot(axes=-1)([_masked(X, [True, False]), _masked(Y, [True, True])])
    assert out._keras_mask is None


# -- errors -----------------------------------------------------------------------------

def _ones(*shape):
    return np.ones(shape, "float32")


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: L.Add()(_ones(2, 3)), ValueError,
     "A merge layer should be called on a list of inputs. Received: input_shape=(2, 3) (not a list of shapes)"),
    (lambda: L.Add()([_ones(2, 3), _ones(2, 4)]), ValueError,
     "Inputs have incompatible shapes. Received shapes (3,) and (4,)"),
    (lambda: L.Add()([_ones(2, 3), _ones(2, 3, 4)]), ValueError,
     "Inputs have incompatible shapes. Received shapes (3, 4) and (3,)"),
    (lambda: L.Add()([_ones(2, 3), _ones(3, 3)]), ValueError,
     "Cannot merge tensors with different batch sizes. Received tensors with shapes [(2, 3), (3, 3)]"),
    (lambda: L.Subtract()([_ones(2, 3)] * 3), ValueError,
     "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(2, 3), (2, 3), (2, 3)]"),
    (lambda: L.Subtract()([keras.Input(shape=(3,))] * 3), ValueError,
     "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(None, 3), (None, 3), "
     "(None, 3)]"),
    (lambda: L.Concatenate()(_ones(2, 3)), ValueError,
     "A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape=(2, 3)"),
    (lambda: L.Concatenate(axis=1)([_ones(2, 3, 4), _ones(2, 3, 5)]), ValueError,
     "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: "
     "input_shape=[(2, 3, 4), (2, 3, 5)]"),
    (lambda: L.Concatenate()([_ones(2, 1, 3), _ones(2, 4, 3)]), ValueError,
     "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: "
     "input_shape=[(2, 1, 3), (2, 4, 3)]"),
    (lambda: L.Dot(axes=1)([_ones(2, 3), _ones(2, 4)]), ValueError,
     "Incompatible input shapes: axis values 3 (at axis 1) != 4 (at axis 1). Full input shapes: (2, 3), (2, 4)"),
    (lambda: L.Dot(axes=1)([_ones(2, 3)] * 3), ValueError,
     "A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=[(2, 3), (2, 3), (2, 3)]"),
    (lambda: L.Dot(axes=0)([_ones(2, 3)] * 2), ValueError,
     "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to your "
     "inputs using keras.ops.expand_dims(x, 0)"),
    (lambda: L.Dot(axes="x"), TypeError,
     "Invalid type for argument `axes`: it should be a list or an int. Received: axes=x"),
    (lambda: L.Dot(axes=(1, 2, 3)), ValueError,
     "Invalid format for argument `axes`: it should contain two elements. Received: axes=(1, 2, 3)"),
    (lambda: L.Dot(axes=(1, "a")), ValueError,
     "Invalid format for argument `axes`: list elements should be integers. Received: axes=(1, 'a')"),
], ids=["not_a_list", "shapes", "ranks", "batch", "subtract_three", "subtract_three_symbolic",
        "concatenate_not_a_list", "concatenate_shapes", "concatenate_no_broadcast", "dot_shapes", "dot_three",
        "dot_axis0", "dot_axes_type", "dot_axes_length", "dot_axes_items"])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_single_tensor_after_build_is_refused():
    layer = L.Add()
    layer([A, B])
    with pytest.raises(ValueError, match="A merge layer should be called on a list of inputs. Received: inputs="):
        layer(A)
