"""TimeDistributed and layer (de)serialization.

Expected configs, paths and messages were read from TF 2.21 / Keras 3.15 running the
same code.
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras import _serialization
from tests.keras.layers.harness import check_layer

L = keras.layers


class Doubler(keras.layers.Layer):
    """A user layer (facade `call`) that records the masks and shapes it receives."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, mask=None):
        self.seen.append((tuple(inputs.shape), None if mask is None else mask.numpy()))
        return inputs * 2.0


HARNESS = [
    ("dense", lambda: L.TimeDistributed(L.Dense(3)), (2, 4, 5)),
    ("dense_4d", lambda: L.TimeDistributed(L.Dense(2, activation="relu")), (2, 3, 2, 4)),
    ("flatten", lambda: L.TimeDistributed(L.Flatten()), (2, 3, 2, 2)),
    ("conv2d", lambda: L.TimeDistributed(L.Conv2D(2, 3)), (2, 3, 5, 5, 1)),
]


@pytest.mark.parametrize(("make", "shape"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape):
    layer, _ = check_layer(make, shape)
    assert layer.weights == layer.layer.weights


def test_applies_the_layer_at_every_step_with_shared_weights():
    x = np.random.default_rng(0).standard_normal((2, 4, 5)).astype("float32")
    layer = L.TimeDistributed(L.Dense(3, name="inner"))
    out = layer(x)
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert [w.path for w in layer.weights] == ["time_distributed/inner/kernel", "time_distributed/inner/bias"]
    assert layer.layer.kernel.shape == (5, 3)


def test_the_wrapped_layer_runs_once_on_folded_steps():
    inner = Doubler()
    out = L.TimeDistributed(inner)(np.ones((2, 3, 4), "float32"))
    assert inner.seen == [((6, 4), None)]
    np.testing.assert_array_equal(out, np.full((2, 3, 4), 2.0))


def test_symbolic_call_and_output_shape():
    out = L.TimeDistributed(L.Dense(3))(keras.Input((5, 4)))
    assert out.shape == (None, 5, 3)
    assert L.TimeDistributed(L.Conv2D(2, 3)).compute_output_shape((None, 4, 6, 6, 1)) == (None, 4, 4, 4, 2)


def test_input_mask_is_folded_for_the_wrapped_layer_and_kept_on_the_output():
    inner = Doubler()
    x = tf.ones((2, 3, 1))
    mask = np.array([[True, False, True], [True, True, False]])
    x._keras_mask = tf.constant(mask)
    out = L.TimeDistributed(inner)(x)
    np.testing.assert_array_equal(inner.seen[0][1], mask.reshape(6))
    np.testing.assert_array_equal(out._keras_mask, mask)


def test_mask_errors():
    layer = L.TimeDistributed(L.Dense(2))
    with pytest.raises(ValueError) as info:
        layer(np.ones((2, 3, 4), "float32"), mask=np.ones((2,), bool))
    assert str(info.value) == ("The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., "
                               "`(batch_size, timesteps)`), but it has 1 dimension(s) with shape (2,).")
    with pytest.raises(ValueError, match=r"has a shape \(2, 4\) that is incompatible with the input shape "
                                         r"\(2, 3, 4\).*Expected mask shape prefix: \(2, 3\)."):
        layer(np.ones((2, 3, 4), "float32"), mask=np.ones((2, 4), bool))


def test_training_reaches_the_wrapped_layer():
    layer = L.TimeDistributed(L.Dropout(0.5))
    x = np.ones((4, 5, 6), "float32")
    np.testing.assert_array_equal(layer(x), x)
    dropped = layer(x, training=True).numpy()
    assert set(np.unique(dropped)) == {0.0, 2.0}


def test_the_wrapped_layers_activity_regularizer_is_not_applied():
    # Keras 3 calls the wrapped layer's `call`, not the layer: TF gives `losses == []`.
    layer = L.TimeDistributed(L.Dense(3, activity_regularizer="l2"))
    layer(np.ones((2, 5, 4), "float32"))
    assert layer.losses == []


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.TimeDistributed(3), "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
                                   "instance. Received: 3"),
    (lambda: L.TimeDistributed(L.Dense(3))(np.ones((2, 3), "float32")),
     "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: "
     "(2, 3)"),
], ids=["not_a_layer", "rank2"])
def test_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


# -- config and serialization --------------------------------------------------------------

def test_config_nests_the_wrapped_layer_like_keras():
    layer = L.TimeDistributed(L.Dense(3))
    config = layer.get_config()
    assert sorted(config) == ["dtype", "layer", "name", "trainable"]
    assert {k: v for k, v in config["layer"].items() if k != "config"} == {
        "module": "keras.layers", "class_name": "Dense", "registered_name": None}
    assert config["layer"]["config"] == L.Dense(3, name="dense").get_config()
    layer(np.ones((2, 5, 4), "float32"))
    assert layer.get_config()["layer"]["build_config"] == {"input_shape": (2, 4)}


def test_from_config_rebuilds_the_wrapped_layer_so_weights_can_be_set():
    layer = L.TimeDistributed(L.Dense(3))
    x = np.random.default_rng(1).standard_normal((2, 5, 4)).astype("float32")
    out = layer(x)
    config = layer.get_config()
    clone = L.TimeDistributed.from_config(config)
    assert clone.layer.built and "layer" in config
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x), out, rtol=1e-6)


def test_serialize_round_trip_through_keras_layers():
    dense = L.Dense(4, activation="relu", name="d")
    config = L.serialize(dense)
    assert config["class_name"] == "Dense" and config["module"] == "keras.layers"
    assert "build_config" not in config
    again = L.deserialize(config)
    assert type(again) is L.Dense and again.get_config() == dense.get_config()


def test_alias_names_serialize_under_the_class_name():
    assert L.serialize(L.Convolution2D(2, 3))["class_name"] == "Conv2D"


def test_user_layers_need_custom_objects_or_registration():
    config = L.serialize(L.TimeDistributed(Doubler(name="doubler")))
    assert config["config"]["layer"]["class_name"] == "Doubler"
    with pytest.raises(TypeError, match="Could not locate class 'Doubler'"):
        L.deserialize(config)
    restored = L.deserialize(config, custom_objects={"Doubler": Doubler})
    assert type(restored.layer) is Doubler
    with _serialization.custom_object_scope({"Doubler": Doubler}):
        assert type(L.TimeDistributed.from_config(config["config"]).layer) is Doubler


def test_deserialize_refuses_what_is_not_a_layer():
    config = keras.regularizers.serialize(keras.regularizers.L2(0.1))
    with pytest.raises(ValueError, match="`keras.layers.deserialize` was passed a `config` object that is "
                                         "not a `keras.layers.Layer`"):
        L.deserialize(config)
