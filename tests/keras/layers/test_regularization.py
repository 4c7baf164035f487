"""Regularization layers: Dropout, SpatialDropout*, GaussianNoise, GaussianDropout,
AlphaDropout, ActivityRegularization.

Deterministic values and messages were read from TF 2.21 / Keras 3.15; the random
training behaviour is checked statistically (fraction dropped, scale, moments) and for
reproducibility under `tf.random.set_seed`.
"""

import math

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer

L = keras.layers
BIG = (200, 500)


@pytest.fixture(autouse=True)
def fresh_seed():
    yield
    tf.random.set_seed(None)


HARNESS = [
    ("dropout", lambda: L.Dropout(0.5), (2, 3, 4), {}),
    ("dropout_training", lambda: L.Dropout(0.5, noise_shape=(None, 1, 4)), (2, 3, 4), {"training": True}),
    ("spatial_dropout1d", lambda: L.SpatialDropout1D(0.3), (2, 3, 4), {"training": True}),
    ("spatial_dropout2d", lambda: L.SpatialDropout2D(0.3, data_format="channels_first"), (2, 3, 2, 2), {}),
    ("spatial_dropout3d", lambda: L.SpatialDropout3D(0.3), (1, 2, 2, 2, 3), {"training": True}),
    ("gaussian_noise", lambda: L.GaussianNoise(0.2), (2, 5), {"training": True}),
    ("gaussian_dropout", lambda: L.GaussianDropout(0.2), (2, 5), {"training": True}),
    ("alpha_dropout", lambda: L.AlphaDropout(0.2), (2, 5), {"training": True}),
    ("activity_regularization", lambda: L.ActivityRegularization(0.1, 0.2), (2, 5), {}),
]


@pytest.mark.parametrize(("make", "shape", "kwargs"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape, kwargs):
    layer, _ = check_layer(make, shape, call_kwargs=kwargs)
    assert layer.weights == []


def _ones(shape=BIG):
    return tf.ones(shape)


@pytest.mark.parametrize("make", [lambda: L.Dropout(0.5), lambda: L.SpatialDropout1D(0.5),
                                  lambda: L.GaussianNoise(0.5), lambda: L.GaussianDropout(0.5),
                                  lambda: L.AlphaDropout(0.5)],
                         ids=["dropout", "spatial", "noise", "gaussian_dropout", "alpha"])
@pytest.mark.parametrize("training", [None, False], ids=["none", "false"])
def test_inference_is_the_identity(make, training):
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(make()(x, training=training), x)


def test_dropout_drops_a_fraction_and_scales_the_rest():
    out = L.Dropout(0.3)(_ones(), training=True).numpy()
    kept = out != 0
    assert abs(1 - kept.mean() - 0.3) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)


def test_dropout_rate_one_gives_zeros():
    np.testing.assert_array_equal(L.Dropout(1.0)(_ones((3, 4)), training=True), np.zeros((3, 4)))


def test_dropout_noise_shape_none_entries_take_the_input_size():
    out = L.Dropout(0.5, noise_shape=(None, 1, 8))(_ones((64, 5, 8)), training=True).numpy()
    assert (out == out[:, :1]).all()
    assert 0.3 < (out == 0).mean() < 0.7


def test_dropout_gradient_is_the_scaled_mask():
    x = tf.Variable(np.ones((4, 6), "float32"))
    layer = L.Dropout(0.5)
    with tf.GradientTape() as tape:
        y = layer(x, training=True)
        loss = tf.reduce_sum(y)
    np.testing.assert_array_equal(tape.gradient(loss, x), y.numpy())


def test_seeded_layers_are_reproducible_and_calls_differ():
    tf.random.set_seed(7)
    first = L.Dropout(0.5)
    a1, a2 = first(_ones((8, 8)), training=True), first(_ones((8, 8)), training=True)
    tf.random.set_seed(7)
    again = L.Dropout(0.5)
    b1 = again(_ones((8, 8)), training=True)
    np.testing.assert_array_equal(a1, b1)
    assert not np.array_equal(a1, a2)


def test_keras_set_random_seed_reproduces_the_noise():
    draws = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        layer = L.GaussianDropout(0.3)
        draws.append([layer(_ones((4, 4)), training=True).numpy() for _ in range(2)])
    np.testing.assert_array_equal(draws[0], draws[1])


def test_layer_seed_argument_gives_a_reproducible_stream():
    tf.random.set_seed(1)
    a = L.GaussianNoise(0.5, seed=3)(_ones((4, 4)), training=True)
    c = L.GaussianNoise(0.5, seed=4)(_ones((4, 4)), training=True)
    tf.random.set_seed(1)
    b = L.GaussianNoise(0.5, seed=3)(_ones((4, 4)), training=True)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(("make", "shape", "channel_axis"), [
    (lambda: L.SpatialDropout1D(0.5), (50, 4, 30), 2),
    (lambda: L.SpatialDropout2D(0.5), (50, 3, 3, 30), 3),
    (lambda: L.SpatialDropout2D(0.5, data_format="channels_first"), (50, 30, 3, 3), 1),
    (lambda: L.SpatialDropout3D(0.5), (20, 2, 2, 2, 30), 4),
], ids=["1d", "2d", "2d_cf", "3d"])
def test_spatial_dropout_drops_whole_channels(make, shape, channel_axis):
    out = make()(_ones(shape), training=True).numpy()
    per_channel = np.moveaxis(out, channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    assert (per_channel == per_channel[..., :1]).all()
    assert set(np.unique(out)) == {0.0, 2.0}
    assert 0.4 < (out == 0).mean() < 0.6


def test_gaussian_noise_moments():
    out = L.GaussianNoise(0.2)(tf.zeros(BIG), training=True).numpy()
    assert abs(out.mean()) < 0.005 and abs(out.std() - 0.2) < 0.005


def test_gaussian_dropout_moments():
    out = L.GaussianDropout(0.2)(_ones(), training=True).numpy()
    assert abs(out.mean() - 1) < 0.01 and abs(out.std() - math.sqrt(0.2 / 0.8)) < 0.01


def test_alpha_dropout_keeps_mean_and_variance():
    x = np.random.default_rng(0).standard_normal(BIG).astype("float32")
    out = L.AlphaDropout(0.2)(x, training=True).numpy()
    assert abs(out.mean()) < 0.02 and abs(out.std() - 1) < 0.02


def test_activity_regularization_adds_the_batch_mean_penalty():
    layer = L.ActivityRegularization(l1=0.1, l2=0.2)
    out = layer(np.arange(6, dtype="float32").reshape(2, 3))
    np.testing.assert_array_equal(out, np.arange(6).reshape(2, 3))
    # TF: (0.1 * 15 + 0.2 * 55) / batch 2.
    assert [float(v) for v in layer.losses] == [pytest.approx(6.25)]
    assert "activity_regularizer" not in layer.get_config()


@pytest.mark.parametrize("make", [lambda: L.Dropout(0.5), lambda: L.SpatialDropout1D(0.5),
                                  lambda: L.GaussianNoise(0.1), lambda: L.GaussianDropout(0.1),
                                  lambda: L.AlphaDropout(0.1), lambda: L.ActivityRegularization()],
                         ids=["dropout", "spatial", "noise", "gaussian_dropout", "alpha", "activity"])
@pytest.mark.parametrize("training", [False, True], ids=["inference", "training"])
def test_masks_pass_through(make, training):
    x = tf.ones((2, 3, 4))
    x._keras_mask = tf.constant([[True, False, True], [False, True, True]])
    out = make()(x, training=training)
    np.testing.assert_array_equal(out._keras_mask, x._keras_mask)


RATE = "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: "
NOISE = "Invalid value received for argument `noise_shape`. Expected "


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.Dropout(1.5), RATE + "rate=1.5"),
    (lambda: L.Dropout(-0.1), RATE + "rate=-0.1"),
    (lambda: L.GaussianNoise(2), RATE.replace("`rate`", "`stddev`") + "stddev=2"),
    (lambda: L.GaussianDropout(-1), RATE + "rate=-1"),
    (lambda: L.Dropout(0.5, noise_shape="ab"),
     NOISE + "a tuple or list of integers. Received: noise_shape=ab"),
    (lambda: L.Dropout(0.5, noise_shape=3),
     NOISE + "an iterable of integers (e.g., a tuple or list). Received: noise_shape=3"),
    (lambda: L.Dropout(0.5, noise_shape=(0, 2)),
     NOISE + "all dimensions to be positive integers or None. Received negative or zero value at index 0: 0"),
    (lambda: L.Dropout(0.5, noise_shape=(1.5, 2)),
     NOISE + "all elements to be integers or None. Received element at index 0: 1.5 (type: float)"),
], ids=["rate_high", "rate_negative", "stddev", "gaussian_dropout", "noise_str", "noise_int", "noise_zero",
        "noise_float"])
def test_argument_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


@pytest.mark.parametrize(("make", "keys"), [
    (lambda: L.Dropout(0.5), ["name", "trainable", "dtype", "rate", "seed", "noise_shape"]),
    (lambda: L.SpatialDropout1D(0.5), ["rate", "seed", "name", "dtype"]),
    (lambda: L.SpatialDropout2D(0.5), ["rate", "seed", "name", "dtype", "data_format"]),
    (lambda: L.GaussianNoise(0.5), ["name", "trainable", "dtype", "stddev", "seed"]),
    (lambda: L.GaussianDropout(0.5), ["name", "trainable", "dtype", "rate", "seed"]),
    (lambda: L.AlphaDropout(0.5), ["name", "trainable", "dtype", "rate", "seed"]),
    (lambda: L.ActivityRegularization(), ["name", "trainable", "dtype", "l1", "l2"]),
], ids=["dropout", "spatial1d", "spatial2d", "noise", "gaussian_dropout", "alpha", "activity"])
def test_config_keys_are_tf_keras(make, keys):
    config = make().get_config()
    assert sorted(config) == sorted(keys)
    assert type(make()).from_config(config).get_config() == config


def test_spatial_dropout_takes_no_other_keyword_arguments():
    assert L.SpatialDropout1D(0.5).get_config()["dtype"] == "float32"
    with pytest.raises(TypeError):
        L.SpatialDropout1D(0.5, trainable=False)
