"""The Layer base: lifecycle, naming, config, weights, tracking, losses, masks, training flag.

Expected values were read from TF 2.21 / Keras 3.15 running the same code.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.engine import naming


class MyLayer(keras.layers.Layer):
    def __init__(self, units, **kw):
        super().__init__(**kw)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


class Mixed(keras.layers.Layer):
    def build(self, input_shape):
        self.a = self.add_weight(shape=(2,), initializer="ones", trainable=False, name="a")
        self.b = self.add_weight(shape=(3,), initializer="zeros", name="b")
        self.c = self.add_weight(shape=(), initializer="ones", name="c", dtype="int32")

    def call(self, x):
        return x


class Holder(keras.layers.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.blocks = [keras.layers.Dense(2, name="d0"), keras.layers.Dense(2, name="d1")]
        self.heads = {"x": keras.layers.Dense(1, name="hx")}
        self.own = keras.layers.Dense(3, name="own")

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, x):
        y = self.own(x)
        for block in self.blocks:
            y = block(y)
        return self.heads["x"](y) * self.scale


def test_names_are_unique_per_class_in_snake_case():
    assert [keras.layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert MyLayer(2).name == "my_layer"
    assert naming.to_snake_case("Conv2D") == "conv2d"
    assert naming.to_snake_case("MultiHeadAttention") == "multi_head_attention"


def test_invalid_name_and_kwargs_are_refused():
    with pytest.raises(ValueError, match="cannot contain character `/`. Received: name=a/b"):
        keras.layers.Layer(name="a/b")
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: \{'foo': 1\}"):
        keras.layers.Dense(3, foo=1)


def test_forgetting_super_init_is_reported():
    class Bad(keras.layers.Layer):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match=r"you forgot to call `super\(\).__init__\(\)`"):
        Bad()(tf.ones(1))


def test_first_call_builds_with_the_concrete_shape():
    seen = []

    class Probe(MyLayer):
        def build(self, input_shape):
            seen.append(input_shape)
            super().build(input_shape)

    layer = Probe(3)
    assert not layer.built
    out = layer(tf.ones((4, 8)))
    assert layer.built and seen == [(4, 8)]
    assert out.shape == (4, 3)
    np.testing.assert_array_equal(out.numpy(), np.full((4, 3), 8.0, np.float32))
    layer(tf.ones((2, 8)))
    assert len(seen) == 1


def test_explicit_build_marks_built_and_counts():
    dense = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'dense', but the layer isn't "
                                         "built"):
        dense.count_params()
    dense.build((None, 4))
    assert dense.built and dense.count_params() == 15


def test_auto_config_keeps_name_only_when_init_takes_it():
    config = MyLayer(3).get_config()  # __init__(self, units, **kw): no `name`, no `**kwargs`
    assert config == {"units": 3, "trainable": True, "dtype": {
        "module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}}
    base = keras.layers.Layer().get_config()
    assert list(base) == ["name", "activity_regularizer", "trainable", "dtype", "autocast"]
    assert base["name"] == "layer"


def test_weights_order_own_trainable_then_non_trainable():
    layer = Mixed()
    layer(tf.ones((1, 2)))
    assert [w.path for w in layer.weights] == ["mixed/b", "mixed/c", "mixed/a"]
    assert [w.path for w in layer.trainable_weights] == ["mixed/b", "mixed/c"]
    assert [w.path for w in layer.non_trainable_weights] == ["mixed/a"]
    assert repr(layer.c) == "<Variable path=mixed/c, shape=(), dtype=int32, value=1>"


def test_keras_variable_identity_and_repr():
    dense = keras.layers.Dense(3, name="dense1")
    dense(tf.ones((2, 2)))
    assert dense.kernel.name == "kernel" and dense.kernel.path == "dense1/kernel"
    assert repr(dense.bias) == "<Variable path=dense1/bias, shape=(3,), dtype=float32, value=[0. 0. 0.]>"
    assert isinstance(dense.kernel, tf.Variable)
    assert tf.matmul(tf.ones((1, 2)), dense.kernel).shape == (1, 3)


def test_nested_layers_in_attributes_lists_and_dicts_are_tracked():
    holder = Holder(name="holder")
    holder(tf.ones((2, 4)))
    assert [w.path for w in holder.weights] == [
        "holder/scale", "holder/d0/kernel", "holder/d0/bias", "holder/d1/kernel", "holder/d1/bias",
        "holder/hx/kernel", "holder/hx/bias", "holder/own/kernel", "holder/own/bias"]
    names = {name for name, _ in holder.named_parameters()}
    assert {"scale", "own.kernel", "blocks.0.kernel", "heads.x.bias"} <= names
    assert len(list(holder.parameters())) == 9


def test_trainable_is_recursive():
    holder = Holder()
    holder(tf.ones((2, 4)))
    holder.trainable = False
    assert (len(holder.trainable_weights), len(holder.non_trainable_weights)) == (0, 9)
    assert not holder.own.trainable and not holder.own.kernel.trainable
    assert not holder.own.kernel._param.requires_grad
    holder.trainable = True
    assert len(holder.trainable_weights) == 9


def test_set_weights_checks_count_and_shapes_before_writing():
    dense = keras.layers.Dense(10, name="dense1")
    dense(tf.ones((4, 8)))
    before = dense.get_weights()
    with pytest.raises(ValueError, match=r"Layer dense1 weight shape \(8, 10\) is not compatible with provided "
                                         r"weight shape \(8, 9\)"):
        dense.set_weights([np.zeros((8, 9)), np.zeros(10)])
    with pytest.raises(ValueError, match="with a weight list of length 1, but the layer was expecting 2"):
        dense.set_weights([np.zeros((8, 10))])
    for got, want in zip(dense.get_weights(), before):
        np.testing.assert_array_equal(got, want)
    dense.set_weights([np.ones((8, 10)), np.arange(10)])
    np.testing.assert_array_equal(dense.bias.numpy(), np.arange(10, dtype=np.float32))


def test_input_spec_errors_name_layer_and_shapes():
    dense = keras.layers.Dense(10, name="dense1")
    dense(tf.ones((4, 8)))
    assert repr(dense.input_spec) == "InputSpec(min_ndim=2, axes={-1: 8})"
    with pytest.raises(ValueError, match=r"Input 0 with name 'None' of layer 'dense1' is incompatible with the "
                                         r"layer: expected axis -1 of input shape to have value 8, but received "
                                         r"input with shape \(2, 5\)"):
        dense(tf.ones((2, 5)))
    with pytest.raises(ValueError, match=r"expected min_ndim=2, found ndim=1. Full shape received: \(5,\)"):
        dense(tf.ones((5,)))


def test_positional_non_tensors_are_refused():
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional arguments"):
        keras.layers.Dense(2)([[1.0, 2.0, 3.0]])


def test_float_inputs_are_cast_to_the_compute_dtype():
    dense = keras.layers.Dense(2)
    assert dense(tf.ones((1, 3), tf.float64)).dtype == tf.float32
    assert dense(np.ones((1, 3))).dtype == tf.float32
    assert dense(tf.ones((1, 3), tf.int32)).dtype == tf.float32


def test_training_flag_propagates_to_sublayers():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Probe()

        def call(self, x):
            return self.inner(x)

    probe, outer = Probe(), Outer()
    probe(tf.ones(1))
    probe(tf.ones(1), training=True)
    outer(tf.ones(1), training=True)
    outer(tf.ones(1))
    assert seen == [None, True, True, None]


def test_masks_pass_through_masking_layers_and_warn_elsewhere():
    x = tf.ones((1, 3, 2))
    x._keras_mask = tf.constant([[True, False, True]])
    out = keras.layers.Dense(4)(x)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True]])

    class NoMask(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    with pytest.warns(UserWarning, match="does not support masking and will therefore destroy the mask"):
        assert NoMask()(x)._keras_mask is None


def test_activity_and_weight_regularization_losses():
    reg = keras.layers.Dense(2, activity_regularizer=keras.regularizers.L2(0.5), kernel_initializer="ones")
    out = reg(tf.ones((4, 3)))
    (loss,) = reg.losses
    # Keras divides the activity penalty by the batch size.
    np.testing.assert_allclose(loss.numpy(), 0.5 * np.sum(out.numpy() ** 2) / 4, rtol=1e-6)
    dense = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1), kernel_initializer="ones",
                               bias_regularizer="l1")
    dense(tf.ones((1, 3)))
    np.testing.assert_allclose([x.numpy() for x in dense.losses], [0.6, 0.0], rtol=1e-6)


def test_add_weight_errors():
    with pytest.raises(ValueError, match=r"must be fully-defined \(no `None` dimensions\). Received: "
                                         r"shape=\(None, 3\) for variable path='dense/variable'"):
        keras.layers.Dense(2).add_weight(shape=(None, 3))

    class Legacy(keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))

    with pytest.raises(ValueError, match=r"`name` must be passed as a keyword argument. Received: "
                                         r"add_weight\('kernel', ...\). Use: add_weight\(shape=..., name='kernel'\)"):
        Legacy()(tf.ones((1, 2)))


def test_weight_sharing_by_calling_one_instance_twice():
    shared = keras.layers.Dense(4, name="shared")
    a, b = shared(tf.ones((2, 3))), shared(tf.ones((5, 3)))
    assert len(shared.weights) == 2 and a.shape == (2, 4) and b.shape == (5, 4)


def test_gradients_flow_through_layers_inside_a_tape():
    layer = MyLayer(2)
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(keras.layers.Dense(2, kernel_initializer="ones")(layer(x)))
    (grad,) = tape.gradient(y, [layer.w])
    np.testing.assert_allclose(grad.numpy(), np.repeat(np.array([[2.0], [4.0], [6.0]]), 2, axis=1))


def test_outside_a_tape_outputs_carry_no_graph():
    out = keras.layers.Dense(2)(tf.ones((1, 3)))
    assert not out._t.requires_grad


def test_torch_tensors_in_give_torch_tensors_out_with_autograd():
    dense = keras.layers.Dense(2, kernel_initializer="ones")
    out = dense(torch.ones(1, 3))
    assert isinstance(out, torch.Tensor) and out.requires_grad
    out.sum().backward()
    np.testing.assert_array_equal(dense.kernel._param.grad.numpy(), np.ones((3, 2)))
    assert list(dict(dense.state_dict())) == ["kernel", "bias"]


def test_keras2_input_and_output_shape_after_a_call():
    dense = keras.layers.Dense(10, name="dense1")
    with pytest.raises(AttributeError):
        dense.output_shape  # noqa: B018
    dense(tf.ones((4, 8)))
    assert dense.output_shape == (None, 10) and dense.input_shape == (None, 8)


def test_compute_output_shape_without_an_override_runs_the_layer_on_meta_tensors():
    class Twice(keras.layers.Layer):
        def call(self, x):
            return tf.concat([x, x], axis=-1)

    assert Twice().compute_output_shape((None, 3)) == (None, 6)
    assert keras.layers.Dense(2).compute_output_shape((None, 3, 5)) == (None, 3, 2)


def test_torch_module_wrapper_shares_parameters():
    linear = torch.nn.Linear(4, 2)
    layer = keras.layers.TorchModuleWrapper(linear)
    out = layer(tf.ones((3, 4)))
    assert out.shape == (3, 2) and layer.count_params() == 10
    assert [w.name for w in layer.weights] == ["weight", "bias"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(tf.ones((3, 4))))
    grads = tape.gradient(loss, layer.trainable_weights)
    np.testing.assert_allclose(grads[1].numpy(), [3.0, 3.0])
    layer.weights[1].assign([1.0, 2.0])
    np.testing.assert_array_equal(linear.bias.detach().numpy(), [1.0, 2.0])


def test_weights_of_a_non_trainable_layer_are_created_non_trainable():
    dense = keras.layers.Dense(2, trainable=False)
    dense(tf.ones((1, 2)))
    assert [w.trainable for w in dense.weights] == [False, False]


def test_build_by_argument_name_and_tensor_keyword_arguments():
    seen = {}

    class Pair(keras.layers.Layer):
        def build(self, query_shape, value_shape):
            seen.update(query=query_shape, value=value_shape)

        def forward(self, query, value, value_mask=None):
            seen["value_mask"] = value_mask
            return query + value.sum(dim=1, keepdim=True)

    value = tf.ones((2, 3, 4), tf.float64)  # a float64 keyword tensor is autocast like a positional one
    value._keras_mask = tf.constant([[True, True, False]] * 2)
    out = Pair()(tf.ones((2, 1, 4)), value=value)
    assert seen["query"] == (2, 1, 4) and seen["value"] == (2, 3, 4)
    assert out.dtype == tf.float32
    # Keras fills `<arg>_mask` from the argument's own mask when call takes it.
    np.testing.assert_array_equal(seen["value_mask"].numpy(), [[True, True, False]] * 2)


def test_mixed_policy_keeps_float32_variables_and_computes_in_low_precision():
    dense = keras.layers.Dense(3, dtype="mixed_bfloat16")
    out = dense(tf.ones((2, 4)))
    assert out.dtype == tf.bfloat16 and dense.kernel.dtype == tf.float32
    assert (dense.dtype, dense.compute_dtype) == ("float32", "bfloat16")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(dense(tf.ones((2, 4))), "float32"))
    assert [g.dtype for g in tape.gradient(loss, dense.trainable_weights)] == [tf.float32, tf.float32]


def test_symbolic_calls_write_no_state():
    class Counter(keras.layers.Layer):
        def build(self, input_shape):
            self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, name="calls")

        def call(self, x):
            self.calls.assign_add(1.0)
            return x * 2.0

    counter = Counter()
    out = counter(keras.Input((3,)))
    assert out.shape == (None, 3) and float(counter.calls) == 0.0
    counter(tf.ones((1, 3)))
    assert float(counter.calls) == 1.0


def test_string_inputs_pass_through_user_layers():
    class Same(keras.layers.Layer):
        def call(self, x):
            return x

    out = Same()(tf.constant(["a", "b"]))
    assert out.dtype == tf.string and out.numpy().tolist() == [b"a", b"b"]
