"""Functional models: graph from KerasTensors, inputs/outputs structures, layers, errors (TF 2.21 facts)."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras

L = keras.layers


def _mlp():
    inp = keras.Input((4,), name="x")
    hidden = L.Dense(8, name="h")(inp)
    return inp, hidden, L.Dense(1, name="o")(hidden)


def test_structure_and_names():
    inp, _, out = _mlp()
    model = keras.Model(inp, out)
    assert model.name == "functional"
    assert [layer.name for layer in model.layers] == ["x", "h", "o"]
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense", "Dense"]
    assert (model.input_shape, model.output_shape) == ((None, 4), (None, 1))
    assert [w.path for w in model.weights] == ["h/kernel", "h/bias", "o/kernel", "o/bias"]
    assert model.get_layer("h").name == "h" and model.get_layer(index=1).name == "h"
    with pytest.raises(ValueError, match=r"No such layer: zz. Existing layers are: \['x', 'h', 'o'\]."):
        model.get_layer("zz")


def test_feature_extractor_from_an_inner_layer_output():
    inp, _, out = _mlp()
    model = keras.Model(inp, out)
    features = keras.Model(model.input, model.layers[1].output)
    assert features.output_shape == (None, 8)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(features(x).numpy(), model.get_layer("h")(x).numpy(), rtol=1e-6)


def test_disconnected_graph_is_refused():
    a, b = keras.Input((3,)), keras.Input((3,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, L.Dense(2)(b))


def test_list_and_dict_inputs_and_outputs():
    x = keras.Input((3,))
    y = L.Dense(2)(x)
    assert keras.Model(inputs=[x], outputs=[y])(tf.ones((1, 3))).shape == (1, 2)  # a one-output list unwraps
    by_name = keras.Model(inputs={"a": x}, outputs={"o": y})({"a": tf.ones((1, 3))})
    assert list(by_name) == ["o"] and by_name["o"].shape == (1, 2)


def test_shared_layers_and_two_inputs():
    a, b = keras.Input((4,)), keras.Input((4,))
    shared = L.Dense(3, name="shared")
    merged = L.Concatenate()([shared(a), shared(b)])
    model = keras.Model([a, b], L.Dense(1)(merged))
    assert [w.path for w in model.weights][:2] == ["shared/kernel", "shared/bias"]
    assert model.count_params() == 3 * 5 + 7
    out = model([np.ones((2, 4), "float32"), np.zeros((2, 4), "float32")])
    assert out.shape == (2, 1)


def test_nested_model_as_a_layer():
    x = keras.Input((3,))
    inner = keras.Model(x, L.Dense(2)(x))
    outer = keras.Sequential([keras.Input((3,)), inner, L.Dense(1)])
    assert [layer.name for layer in outer.layers] == [inner.name, outer.layers[1].name]
    assert outer.output_shape == (None, 1)
    assert outer.count_params() == 8 + 3


def test_subclassed_model_tracks_its_layers():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = L.Dense(2)

        def call(self, x, training=False):
            return self.d(x)

    model = Sub()
    assert model.name == "sub" and not model.built
    model(tf.ones((1, 3)))
    assert model.built and [w.path for w in model.weights] == ["sub/dense/kernel", "sub/dense/bias"]
    assert [layer.name for layer in model.layers] == ["dense"]


def test_model_call_training_overrides_a_recorded_training_argument():
    """Keras 3 replays `bn(x, training=False)` with the model call's `training` when one is given
    (values from TF 2.21: moving statistics move during fit)."""
    inputs = keras.Input((4,))
    bn = keras.layers.BatchNormalization()
    model = keras.Model(inputs, bn(inputs, training=False))
    x = np.arange(8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(model(x).numpy(), x / np.sqrt(1.001), rtol=1e-6)
    np.testing.assert_allclose(model(x, training=True).numpy(), np.full((2, 4), [[-1.0], [1.0]]), atol=1e-3)
    model.compile("sgd", "mse")
    model.fit(x, x, verbose=0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.0398, 0.0597, 0.0796, 0.0995], atol=1e-4)
