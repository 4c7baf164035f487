"""Sequential: building from Input or input_shape or the first call, add/pop, names, errors (TF 2.21 facts)."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras

L = keras.layers


def test_built_from_input_shape_on_the_first_layer():
    with pytest.warns(UserWarning, match="Do not pass an `input_shape`"):
        model = keras.Sequential([L.Dense(16, activation="relu", input_shape=(4,)), L.Dense(8, activation="relu"),
                                  L.Dense(1, activation="sigmoid")])
    assert model.name == "sequential" and model.built
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert (model.input_shape, model.output_shape, model.count_params()) == ((None, 4), (None, 1), 225)
    assert [tuple(t.shape) for t in model.inputs] == [(None, 4)]
    assert [w.path for w in model.weights][:2] == ["sequential/dense/kernel", "sequential/dense/bias"]


def test_an_input_first_gives_the_shape_and_is_not_a_layer():
    model = keras.Sequential([keras.Input((4,)), L.Dense(2, name="a")])
    assert [w.path for w in model.weights] == ["sequential/a/kernel", "sequential/a/bias"]
    assert [layer.name for layer in model.layers] == ["a"] and model.input_shape == (None, 4)


def test_deferred_build_on_the_first_call():
    model = keras.Sequential()
    assert not model.built and model.layers == []
    model.add(L.Dense(3))
    assert not model.built
    out = model(tf.ones((2, 5)))
    assert model.built and out.shape == (2, 3)
    assert [w.path for w in model.weights] == ["sequential/dense/kernel", "sequential/dense/bias"]
    assert model.input_shape == (2, 5)


def test_pop_and_errors():
    model = keras.Sequential([keras.Input((4,)), L.Dense(8), L.Dense(1)])
    popped = model.pop()
    assert popped.name == "dense_1" and model.output_shape == (None, 8)
    with pytest.raises(IndexError):
        keras.Sequential().pop()
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added to a Sequential model. "
                                         "Received: x"):
        keras.Sequential().add("x")
    with pytest.raises(ValueError, match="should have unique names. Name 'same' is already"):
        keras.Sequential([L.Dense(2, name="same"), L.Dense(2, name="same")])
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'sequential_"):
        keras.Sequential([L.Dense(2)]).count_params()


def test_model_names_count_like_keras():
    # Keras builds a Sequential through a functional model, which takes a `functional` number.
    keras.Sequential([keras.Input((4,)), L.Dense(1)])
    built_later = keras.Sequential([L.Dense(1)])
    built_later(tf.ones((1, 2)))
    x = keras.Input((4,))
    assert keras.Model(x, L.Dense(1)(x)).name == "functional_2"


def test_forward_matches_the_layers_in_turn_and_torch_sees_the_parameters():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="relu"), L.Dense(2)])
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    by_hand = model.layers[1](model.layers[0](x))
    np.testing.assert_allclose(model(x).numpy(), by_hand.numpy(), rtol=1e-6)
    assert len(list(model.parameters())) == 4
    assert list(model.state_dict())[:2] == ["0.kernel", "0.bias"]


def test_config_round_trip():
    model = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="relu"), L.Dense(1)])
    config = model.get_config()
    assert [item["class_name"] for item in config["layers"]] == ["InputLayer", "Dense", "Dense"]
    clone = keras.Sequential.from_config(config)
    assert clone.output_shape == (None, 1) and clone.count_params() == model.count_params()
