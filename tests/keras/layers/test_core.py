"""Core layers: EinsumDense, Identity, Embedding, Lambda, Masking (Dense has its own cases in compat).

Expected values, shapes and error messages were read from TF 2.21 / Keras 3.15 running
the same code, or derived by hand (numpy einsum, indexing).
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.framework.errors import InvalidArgumentError
from kerastorch.keras import _serialization
from tests.keras.layers.harness import check_layer, unbuilt

L = keras.layers


@_serialization.register_keras_serializable(package="kerastorch_tests")
def _double_plus_one(x):
    return x * 2.0 + 1.0


HARNESS = [
    ("einsum_dense_matmul", lambda: L.EinsumDense("ab,bc->ac", 4, bias_axes="c"), [(3, 5)], "float32"),
    ("einsum_dense_sequence", lambda: L.EinsumDense("abc,cd->abd", (3, 4), bias_axes="d", activation="relu"),
     [(2, 3, 5)], "float32"),
    ("einsum_dense_ellipsis", lambda: L.EinsumDense("...x,xy->...y", 3, bias_axes="y"), [(2, 4, 5)], "float32"),
    ("einsum_dense_3d_kernel", lambda: L.EinsumDense("abc,cde->abde", (3, 4, 2), bias_axes="de"), [(2, 3, 5)],
     "float32"),
    ("identity", lambda: unbuilt(L.Identity()), [(2, 3)], "float32"),
    ("embedding", lambda: L.Embedding(10, 4), [(2, 5)], "int32"),
    ("embedding_mask_zero", lambda: L.Embedding(10, 3, mask_zero=True), [(2, 5)], "int64"),
    ("lambda", lambda: L.Lambda(_double_plus_one), [(2, 3)], "float32"),
    ("lambda_output_shape", lambda: L.Lambda(_double_plus_one, output_shape=(3, 4)), [(2, 3, 4)], "float32"),
    ("masking", lambda: unbuilt(L.Masking(0.5)), [(2, 3, 4)], "float32"),
]


@pytest.mark.parametrize(("make", "shapes", "dtype"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shapes, dtype):
    check_layer(make, *shapes, input_dtype=dtype)


@pytest.mark.parametrize(("layer", "keys"), [
    (lambda: L.EinsumDense("ab,bc->ac", 4),
     ["activation", "activity_regularizer", "bias_axes", "bias_constraint", "bias_initializer", "bias_regularizer",
      "dtype", "equation", "kernel_constraint", "kernel_initializer", "kernel_regularizer", "name", "output_shape",
      "quantization_config", "trainable"]),
    (lambda: L.Identity(), ["dtype", "name", "trainable"]),
    (lambda: L.Embedding(5, 3),
     ["activity_regularizer", "dtype", "embeddings_constraint", "embeddings_initializer", "embeddings_regularizer",
      "input_dim", "mask_zero", "name", "output_dim", "quantization_config", "trainable"]),
    (lambda: L.Lambda(_double_plus_one), ["arguments", "dtype", "function", "name", "trainable"]),
    (lambda: L.Masking(), ["dtype", "mask_value", "name", "trainable"]),
], ids=["einsum_dense", "identity", "embedding", "lambda", "masking"])
def test_config_keys_are_keras_keys(layer, keys):
    assert sorted(layer().get_config()) == keys


# -- EinsumDense ------------------------------------------------------------------------

@pytest.mark.parametrize(("equation", "output_shape", "bias_axes", "input_shape", "weights", "out"), [
    ("ab,bc->ac", 64, "c", (None, 32), [(32, 64), (64,)], (None, 64)),
    ("abc,cd->abd", (None, 64), "d", (None, 32, 128), [(128, 64), (64,)], (None, None, 64)),
    ("...x,xy->...y", 64, "y", (None, 32, 128), [(128, 64), (64,)], (None, 32, 64)),
    ("ab...,bc->ac...", (4,), "c", (None, 3, 6, 7), [(3, 4), (4, 1, 1)], (None, 4, 6, 7)),
    ("abc,cde->abde", (3, 4, 2), "d", (None, 3, 5), [(5, 4, 2), (4, 1)], (None, 3, 4, 2)),
], ids=["matmul", "sequence", "left_ellipsis", "right_ellipsis", "bias_before_unbiased_axis"])
def test_einsum_dense_weight_and_output_shapes(equation, output_shape, bias_axes, input_shape, weights, out):
    layer = L.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    symbolic = layer(keras.Input(batch_shape=input_shape))
    assert [tuple(w.shape.as_list()) for w in layer.weights] == weights
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "bias"]
    assert symbolic.shape == out
    assert layer.compute_output_shape(input_shape) == out


def test_einsum_dense_matches_numpy_einsum():
    layer = L.EinsumDense("abc,cde->abde", (3, 4, 2), bias_axes="de", activation="relu")
    x = np.random.default_rng(0).standard_normal((2, 3, 5)).astype("float32")
    layer(x)
    kernel = np.random.default_rng(1).standard_normal((5, 4, 2)).astype("float32")
    bias = np.random.default_rng(2).standard_normal((4, 2)).astype("float32")
    layer.set_weights([kernel, bias])
    want = np.maximum(np.einsum("abc,cde->abde", x, kernel) + bias, 0)
    np.testing.assert_allclose(layer(x), want, rtol=1e-5, atol=1e-6)


def test_einsum_dense_variance_scaling_fans_come_from_the_equation():
    # fan_in = c = 64, fan_out = d * e = 4 * 64: glorot's limit sqrt(6 / (fan_in + fan_out)).
    layer = L.EinsumDense("abc,cde->abde", (3, 4, 64), kernel_initializer=keras.initializers.GlorotUniform(seed=1))
    layer.build((None, 3, 64))
    kernel = layer.kernel.numpy()
    limit = np.sqrt(6 / (64 + 256))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None


def test_einsum_dense_integer_input_is_cast():
    layer = L.EinsumDense("ab,bc->ac", 2, kernel_initializer="ones")
    out = layer(np.array([[1, 2, 3]], "int64"))
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out, [[6.0, 6.0]])


@pytest.mark.parametrize(("make", "shape", "message"), [
    (lambda: L.EinsumDense("ab,bc", 3), (2, 3),
     "Invalid einsum equation 'ab,bc'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or "
     "[X]...,[Y]->[Z]...."),
    (lambda: L.EinsumDense("ab,bc->ac", 3, bias_axes="x"), (2, 3),
     "Bias dimension 'x' was requested, but is not part of the output spec 'ac'"),
    (lambda: L.EinsumDense("abc,cd->abd", (5, 3)), (2, 3, 4),
     "Input shape and output shape do not match at shared dimension 'b'. Input shape is 3, and output shape is 5."),
    (lambda: L.EinsumDense("ab,bc->acd", (3, 2)), (2, 3),
     "Dimension 'd' was specified in the output 'acd' but has no corresponding dim in the input spec 'ab' or "
     "weight spec 'acd'"),
    (lambda: L.EinsumDense("ab,bcz->ac", 3), (2, 3),
     "Weight dimension 'z' did not have a match in either the input spec 'ab' or the output spec 'ac'. For this "
     "layer, the weight must be fully specified."),
], ids=["equation", "bias_axes", "shared_dim", "output_dim", "weight_dim"])
def test_einsum_dense_errors(make, shape, message):
    with pytest.raises(ValueError) as info:
        make()(np.ones(shape, "float32"))
    assert str(info.value) == message


def test_einsum_dense_checks_rank_after_build():
    layer = L.EinsumDense("ab,bc->ac", 3)
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layer(np.ones((2, 3, 3), "float32"))


def test_einsum_dense_refuses_lora():
    with pytest.raises(ValueError, match="Received: lora_rank=4"):
        L.EinsumDense("ab,bc->ac", 3, lora_rank=4)


# -- Identity ---------------------------------------------------------------------------

def test_identity_returns_inputs_and_masks_and_keeps_dtypes():
    x = tf.constant([[1, 2, 3]])
    x._keras_mask = tf.constant([[True, False, True]])
    layer = L.Identity()
    assert layer.built
    out = layer(x)
    np.testing.assert_array_equal(out, [[1, 2, 3]])
    np.testing.assert_array_equal(out._keras_mask, [[True, False, True]])
    pair = layer([np.ones((1, 2), "float32"), np.array([[3]])])
    assert [t.dtype for t in pair] == [tf.float32, tf.int64]
    assert layer(keras.Input(shape=(3,), dtype="int32")).dtype == "int32"


# -- Embedding --------------------------------------------------------------------------

def _table(layer, rows, cols):
    layer.build()
    table = np.arange(rows * cols, dtype="float32").reshape(rows, cols)
    layer.set_weights([table])
    return table


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "int16"], ids=["i32", "i64", "u8", "i16"])
def test_embedding_looks_up_rows_for_any_integer_dtype(dtype):
    layer = L.Embedding(5, 2)
    table = _table(layer, 5, 2)
    indices = np.array([[0, 4], [2, 2]], dtype)
    out = layer(indices)
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out, table[indices.astype("int64")])


def test_embedding_truncates_floats_and_counts_negatives_from_the_end():
    layer = L.Embedding(5, 2)
    table = _table(layer, 5, 2)
    np.testing.assert_array_equal(layer(np.array([[1.7, 3.2]], "float32")), table[[[1, 3]]])
    np.testing.assert_array_equal(layer(np.array([[-1, -5]])), table[[[4, 0]]])


@pytest.mark.parametrize(("indices", "message"), [
    ([[1, 7]], "indices[0,1] = 7 is not in [0, 5)"),
    ([[-6]], "indices[0,0] = -1 is not in [0, 5)"),
], ids=["too_large", "too_negative"])
def test_embedding_out_of_range_is_tf_error(indices, message):
    layer = L.Embedding(5, 2)
    with pytest.raises(InvalidArgumentError) as info:
        layer(np.array(indices))
    assert message in str(info.value) and "[Op:GatherV2]" in str(info.value)


def test_embedding_mask_zero():
    layer = L.Embedding(5, 3, mask_zero=True)
    assert layer.supports_masking and not L.Embedding(5, 3).supports_masking
    out = layer(tf.constant([[0, 1, 2], [3, 0, 0]]))
    np.testing.assert_array_equal(out._keras_mask, [[False, True, True], [True, False, False]])
    assert L.Embedding(5, 3)(tf.constant([[0, 1]]))._keras_mask is None


def test_embedding_shapes_of_any_rank():
    layer = L.Embedding(5, 3)
    assert layer(np.array([0, 1, 2])).shape == (3, 3)
    assert layer(np.array(2)).shape == (3,)
    assert layer(keras.Input(shape=(4,), dtype="int32")).shape == (None, 4, 3)
    assert layer.compute_output_shape((None, 2, 4)) == (None, 2, 4, 3)


def test_embedding_initial_weights_build_it_at_creation():
    for weights in (np.eye(2, dtype="float32"), [np.eye(2, dtype="float32")]):
        layer = L.Embedding(2, 2, weights=weights)
        assert layer.built
        np.testing.assert_array_equal(layer.embeddings.numpy(), np.eye(2))


def test_embedding_default_initializer_is_keras_uniform():
    layer = L.Embedding(50, 40)
    layer.build()
    table = layer.embeddings.numpy()
    assert np.abs(table).max() <= 0.05 and np.abs(table).max() > 0.049
    assert layer.get_config()["embeddings_initializer"] == {
        "module": "keras.initializers", "class_name": "RandomUniform",
        "config": {"seed": None, "minval": -0.05, "maxval": 0.05}, "registered_name": None}


def test_embedding_mixed_precision_keeps_float32_table():
    layer = L.Embedding(5, 2, dtype="mixed_float16")
    out = layer(np.array([[1, 2]]))
    assert out.dtype == tf.float16 and layer.embeddings.dtype == tf.float32


def test_embedding_gradient_reaches_the_looked_up_rows_only():
    layer = L.Embedding(4, 2)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(np.array([[1, 1, 3]])))
    grad = tf.convert_to_tensor(tape.gradient(loss, layer.embeddings))
    np.testing.assert_array_equal(grad, [[0, 0], [2, 2], [0, 0], [1, 1]])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"input_dim": 0, "output_dim": 3}, "`input_dim` must be a positive integer. Received: input_dim=0 (of type int)."),
    ({"input_dim": 5, "output_dim": 2.0},
     "`output_dim` must be a positive integer. Received: output_dim=2.0 (of type float)."),
], ids=["input_dim", "output_dim"])
def test_embedding_argument_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        L.Embedding(**kwargs)
    assert str(info.value) == message


def test_embedding_input_length_is_deprecated():
    with pytest.warns(UserWarning, match="Argument `input_length` is deprecated. Just remove it."):
        layer = L.Embedding(5, 3, input_length=4)
    assert "input_length" not in layer.get_config()


# -- Lambda -----------------------------------------------------------------------------

def test_lambda_gradients_flow_to_inputs_and_captured_variables():
    scale = tf.Variable(2.0)
    layer = L.Lambda(lambda x: x * scale)
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(layer(x) ** 2)
    gx, gs = tape.gradient(y, [x, scale])
    np.testing.assert_allclose(gx, [[8.0, 16.0]])
    np.testing.assert_allclose(gs, 20.0)


def test_lambda_passes_arguments_training_and_mask():
    def fn(x, mask=None, training=None, offset=0.0):
        return x * (2.0 if training else 1.0) * tf.cast(mask, x.dtype)[..., None] + offset

    x = tf.ones((1, 3, 2))
    x._keras_mask = tf.constant([[True, False, True]])
    layer = L.Lambda(fn, mask=lambda inputs, mask: mask, arguments={"offset": 0.5})
    np.testing.assert_array_equal(layer(x, training=True)[0, :, 0], [2.5, 0.5, 2.5])
    np.testing.assert_array_equal(layer(x)[0, :, 0], [1.5, 0.5, 1.5])
    np.testing.assert_array_equal(layer(x)._keras_mask, [[True, False, True]])


def test_lambda_without_mask_drops_it_with_keras_warning():
    x = tf.ones((1, 3, 2))
    x._keras_mask = tf.constant([[True, False, True]])
    layer = L.Lambda(lambda t: t * 2.0)
    assert not layer.supports_masking
    with pytest.warns(UserWarning, match="does not support masking and will therefore destroy the mask"):
        layer(x)


def test_lambda_fixed_and_computed_masks():
    fixed = L.Lambda(lambda t: t, mask=tf.constant([True, False]))
    np.testing.assert_array_equal(fixed(np.ones((2, 3), "float32"))._keras_mask, [True, False])
    computed = L.Lambda(lambda t: t, mask=lambda inputs, mask: tf.reduce_any(inputs > 0.5, -1))
    out = computed(np.array([[0.0, 1.0], [0.0, 0.0]], "float32"))
    np.testing.assert_array_equal(out._keras_mask, [True, False])


def test_lambda_output_shapes():
    inferred = L.Lambda(lambda t: tf.argmax(t, -1))
    # Keras gives the compute dtype to symbolic outputs of a layer with compute_output_shape.
    symbolic = inferred(keras.Input(shape=(3,)))
    assert (symbolic.shape, symbolic.dtype) == ((None,), "float32")
    assert inferred(np.ones((2, 3), "float32")).dtype == tf.int64
    assert L.Lambda(lambda t: t[:, :2]).compute_output_shape((None, 3)) == (None, 2)
    assert L.Lambda(lambda t: t, output_shape=(7,))(keras.Input(shape=(3,))).shape == (None, 7)
    assert L.Lambda(lambda t: t, output_shape=lambda s: (s[0], 9))(keras.Input(shape=(3,))).shape == (None, 9)
    listed = L.Lambda(lambda t: t[0] + t[1], output_shape=(3,))
    assert listed.compute_output_shape([(5, 3), (5, 3)]) == (5, 3)


def test_lambda_config_serializes_python_lambdas_as_keras_does():
    def make():
        factor = 4.0
        return lambda x, power=3: x ** power * factor

    config = L.Lambda(make()).get_config()
    function = config["function"]
    assert function["class_name"] == "__lambda__"
    assert function["config"]["defaults"] == (3,) and function["config"]["closure"] == (4.0,)
    assert config["arguments"] == {}
    with pytest.raises(ValueError, match="Requested the deserialization of a `Lambda` layer whose `function` is a "
                                         "Python lambda."):
        L.Lambda.from_config(config)
    restored = L.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_array_equal(restored(np.array([[2.0]], "float32")), [[32.0]])


def test_lambda_named_function_round_trip():
    def triple(x):
        return x * 3.0

    config = L.Lambda(triple, output_shape=(2,)).get_config()
    assert config["function"] == {"module": "builtins", "class_name": "function", "config": "triple",
                                  "registered_name": "function"}
    restored = L.Lambda.from_config(config, custom_objects={"triple": triple})
    assert restored._output_shape == (2,)
    np.testing.assert_array_equal(restored(np.ones((1, 2), "float32")), [[3.0, 3.0]])


# -- Masking ----------------------------------------------------------------------------

def test_masking_zeroes_and_masks_padded_timesteps():
    x = np.array([[[0.5, 0.5], [1.0, 0.5]]], "float32")
    out = L.Masking(0.5)(x)
    np.testing.assert_array_equal(out, [[[0.0, 0.0], [1.0, 0.5]]])
    np.testing.assert_array_equal(out._keras_mask, [[False, True]])


def test_masking_other_ranks_and_tensor_value():
    out = L.Masking(1.0)(np.array([[1.0, 1.0], [1.0, 2.0]], "float32"))
    np.testing.assert_array_equal(out, [[0.0, 0.0], [1.0, 2.0]])
    np.testing.assert_array_equal(out._keras_mask, [False, True])
    out = L.Masking(tf.constant([1.0, 2.0]))(np.array([[[1.0, 2.0], [1.0, 1.0]]], "float32"))
    np.testing.assert_array_equal(out._keras_mask, [[False, True]])


def test_masking_gradient_is_zero_on_masked_steps():
    x = tf.constant([[[0.0, 0.0], [1.0, 2.0]]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(L.Masking()(x) * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, x), [[[0.0, 0.0], [3.0, 3.0]]])


def test_dense_refuses_quantization_with_a_clear_error():
    with pytest.raises(ValueError, match="kerastorch does not support `lora_rank`"):
        L.Dense(3, lora_rank=2)
