"""The numeric and image preprocessing layers: Rescaling, Normalization, CenterCrop, Resizing,
RandomFlip, RandomRotation, RandomZoom (TF parity: compat/layer_cases/preprocessing.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras import layers
from tests.keras.layers.harness import check_layer

RNG = np.random.default_rng(0)
IMAGES = RNG.standard_normal((3, 6, 5, 2)).astype("float32")


@pytest.mark.parametrize(("make", "shape", "kwargs"), [
    (lambda: layers.Rescaling(0.5, offset=1.0), (2, 3, 4), {}),
    (lambda: layers.Normalization(), (2, 3), {}),
    (lambda: layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0]), (2, 3), {}),
    (lambda: layers.CenterCrop(3, 2), (2, 5, 4, 3), {}),
    (lambda: layers.Resizing(3, 7), (2, 5, 4, 3), {}),
    (lambda: layers.Resizing(3, 7, interpolation="bicubic"), (2, 5, 4, 3), {}),
    (lambda: layers.RandomFlip(seed=1), (2, 5, 4, 3), {"training": False}),
    (lambda: layers.RandomFlip(seed=1), (2, 5, 4, 3), {"training": True}),
    (lambda: layers.RandomRotation(0.2, seed=1), (2, 5, 4, 3), {"training": False}),
    (lambda: layers.RandomRotation(0.2, seed=1), (2, 5, 4, 3), {"training": True}),
    (lambda: layers.RandomZoom(0.2, seed=1), (2, 5, 4, 3), {"training": True}),
], ids=["rescaling", "normalization", "normalization_fixed", "center_crop", "resizing", "resizing_bicubic",
        "flip_inference", "flip_training", "rotation_inference", "rotation_training", "zoom_training"])
def test_harness(make, shape, kwargs):
    check_layer(make, shape, call_kwargs=kwargs)


def test_normalization_weights_are_keras_s():
    layer, _ = check_layer(layers.Normalization, (2, 4), expect_weights=[(4,), (4,), ()])
    assert [w.path.split("/")[-1] for w in layer.weights] == ["mean", "variance", "count"]
    assert [w.dtype.name for w in layer.weights] == ["float32", "float32", "int64"]
    assert not layer.trainable_weights


# -- Rescaling ------------------------------------------------------------------------

def test_rescaling_casts_integer_images_and_keeps_masks():
    out = layers.Rescaling(1 / 255.0)(tf.constant(np.array([0, 51, 255], "uint8")))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [0.0, 0.2, 1.0], rtol=1e-6)
    masked = layers.Masking()(tf.constant(np.array([[[1.0], [0.0], [2.0]]], "float32")))
    out = layers.Rescaling(2.0)(masked)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True]])


# -- Normalization --------------------------------------------------------------------

def test_normalization_adapt_matches_numpy():
    data = RNG.standard_normal((50, 3)).astype("float32") * [1.0, 2.0, 3.0] + [0.0, 5.0, -1.0]
    layer = layers.Normalization()
    layer.adapt(data)
    np.testing.assert_allclose(layer.get_weights()[0], data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[1], data.var(0), rtol=1e-5)
    out = layer(data).numpy()
    np.testing.assert_allclose(out.mean(0), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(0), 1.0, rtol=1e-4)


@pytest.mark.parametrize("source", ["tensor", "batches"], ids=["tensor", "batches"])
def test_normalization_adapt_tensor_and_batches_agree_with_array(source):
    data = RNG.uniform(0, 4, (12, 2, 3)).astype("float32")
    reference = layers.Normalization(axis=(1, 2))
    reference.adapt(data)
    layer = layers.Normalization(axis=(1, 2))
    layer.adapt(tf.constant(data) if source == "tensor" else iter([data[:5], data[5:9], data[9:]]))
    for got, want in zip(layer.get_weights()[:2], reference.get_weights()[:2]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_normalization_reads_its_weights_and_inverts():
    layer = layers.Normalization(axis=None)
    layer.build((None, 2))
    layer.set_weights([np.array(3.0, "float32"), np.array(4.0, "float32"), np.array(0)])
    np.testing.assert_allclose(layer(np.array([[5.0, 1.0]], "float32")).numpy(), [[1.0, -1.0]])
    inverse = layers.Normalization(mean=3.0, variance=4.0, invert=True)
    np.testing.assert_allclose(inverse(np.array([[1.0, -1.0]], "float32")).numpy(), [[5.0, 1.0]])


@pytest.mark.parametrize(("make", "message"), [
    (lambda: layers.Normalization(mean=1.0), "both `mean` and `variance` must be set"),
    (lambda: layers.Normalization(mean=[1.0, 2.0], variance=[1.0]), "must have the same shape"),
    (lambda: layers.Normalization(axis=None, mean=[1.0], variance=[1.0]), "The rank of `mean` must be"),
], ids=["mean_only", "shapes", "rank"])
def test_normalization_argument_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_normalization_build_and_adapt_errors():
    with pytest.raises(ValueError, match=r"All `axis` values must be in the range \[-ndim, ndim\)"):
        layers.Normalization(axis=3)(np.ones((2, 3), "float32"))
    layer = layers.Normalization()
    layer.adapt(np.ones((4, 3), "float32"))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.ones((4, 2), "float32"))
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])


def test_normalization_config():
    config = layers.Normalization(axis=(1, 2), mean=[[1.0]], variance=[[2.0]]).get_config()
    assert (config["axis"], config["mean"], config["variance"], config["invert"]) == ((1, 2), [[1.0]], [[2.0]],
                                                                                      False)
    assert layers.Normalization().get_config()["mean"] is None


# -- CenterCrop and Resizing -----------------------------------------------------------

def test_center_crop_takes_the_middle():
    out = layers.CenterCrop(2, 3)(IMAGES).numpy()
    np.testing.assert_array_equal(out, IMAGES[:, 2:4, 1:4, :])
    single = layers.CenterCrop(2, 3)(IMAGES[0]).numpy()
    np.testing.assert_array_equal(single, IMAGES[0, 2:4, 1:4, :])


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area"])
def test_resizing_to_the_same_size_is_the_identity(interpolation):
    out = layers.Resizing(6, 5, interpolation=interpolation)(IMAGES).numpy()
    np.testing.assert_allclose(out, IMAGES, rtol=1e-6, atol=1e-6)


def test_resizing_nearest_downscale_picks_half_pixel_centers():
    image = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    out = layers.Resizing(2, 2, interpolation="nearest")(image).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[5.0, 7.0], [13.0, 15.0]])


def test_resizing_integer_images_keep_their_dtype():
    image = np.array([[[[0], [255]], [[255], [0]]]], "uint8")
    out = layers.Resizing(3, 3)(image)
    assert out.dtype == tf.uint8
    assert out.numpy()[0, 1, 1, 0] == 128  # 127.5 rounded half to even


def test_resizing_symbolic_and_channels_first():
    out = layers.Resizing(4, 7, data_format="channels_first")(keras.Input((3, 10, 10)))
    assert out.shape == (None, 3, 4, 7)
    assert layers.Resizing(4, 7).compute_output_shape((8, 8, 3)) == (4, 7, 3)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"interpolation": "cubic"}, ValueError, "Invalid value for argument `interpolation`"),
    ({"fill_mode": "reflect"}, ValueError, "Only `'constant'` is supported"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, ValueError, "Only one of"),
], ids=["interpolation", "fill_mode", "both_aspects"])
def test_resizing_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        layers.Resizing(3, 3, **kwargs)(IMAGES)


def test_resizing_rejects_other_ranks():
    with pytest.raises(ValueError, match="Invalid images rank"):
        layers.Resizing(3, 3)(np.ones((2, 3), "float32"))


# -- random augmentation ------------------------------------------------------------------

def test_random_flip_flips_whole_images_about_half_the_time():
    tf.random.set_seed(1)
    images = RNG.standard_normal((200, 3, 4, 1)).astype("float32")
    out = layers.RandomFlip("horizontal")(images, training=True).numpy()
    flipped = np.all(out == images[:, :, ::-1], axis=(1, 2, 3))
    kept = np.all(out == images, axis=(1, 2, 3))
    assert np.all(flipped ^ kept)
    assert 70 < flipped.sum() < 130
    both = layers.RandomFlip()(images, training=True).numpy()
    assert np.all(np.all(both == images[:, ::-1, ::-1], axis=(1, 2, 3)) | np.all(both == images, axis=(1, 2, 3)))


def test_random_layers_train_by_default_and_not_at_inference():
    images = RNG.standard_normal((64, 4, 4, 1)).astype("float32")
    layer = layers.RandomFlip("vertical", seed=5)
    np.testing.assert_array_equal(layer(images, training=False).numpy(), images)
    assert not np.array_equal(layer(images).numpy(), images)  # Keras: training defaults to True
    ints = layers.RandomFlip()(np.ones((1, 2, 2, 1), "int32"), training=False)
    assert ints.dtype == tf.float32


def test_random_flip_is_reproducible_with_a_global_seed():
    layer = layers.RandomFlip()
    images = RNG.standard_normal((16, 3, 3, 1)).astype("float32")
    tf.random.set_seed(7)
    first = layer(images, training=True).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(layer(images, training=True).numpy(), first)


def test_random_rotation_fixed_angles():
    image = np.arange(20, dtype="float32").reshape(1, 4, 5, 1)
    same = layers.RandomRotation((0.0, 0.0))(image, training=True).numpy()
    np.testing.assert_allclose(same, image, atol=1e-6)
    half_turn = layers.RandomRotation((0.5, 0.5), interpolation="nearest")(image, training=True).numpy()
    np.testing.assert_array_equal(half_turn, image[:, ::-1, ::-1])


def test_random_zoom_without_zoom_is_the_identity():
    out = layers.RandomZoom((0.0, 0.0), width_factor=(0.0, 0.0))(IMAGES, training=True).numpy()
    np.testing.assert_allclose(out, IMAGES, atol=1e-6)


def test_random_rotation_gradient_is_tf_s_inverse_transform():
    image = tf.constant(RNG.standard_normal((1, 5, 5, 1)).astype("float32"))
    layer = layers.RandomRotation((0.25, 0.25), fill_mode="constant", interpolation="nearest")
    with tf.GradientTape() as tape:
        tape.watch(image)
        out = layer(image, training=True)
        loss = tf.reduce_sum(out * tf.constant(np.arange(25, dtype="float32").reshape(1, 5, 5, 1)))
    grad = tape.gradient(loss, image).numpy()
    # A quarter turn is a permutation: the inverse transform of the weights is their back rotation.
    np.testing.assert_allclose(grad[0, :, :, 0], np.rot90(np.arange(25).reshape(5, 5), k=-1), atol=1e-4)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: layers.RandomRotation(1.5), ValueError, r"in the range \[-1, 1\]. Received: factor=1.5"),
    (lambda: layers.RandomRotation((0.1, 0.2, 0.3)), ValueError, "Received: factor="),
    (lambda: layers.RandomRotation(0.1, fill_mode="mirror"), NotImplementedError, "Unknown `fill_mode` mirror"),
    (lambda: layers.RandomRotation(0.1, interpolation="bicubic"), NotImplementedError,
     "Unknown `interpolation` bicubic"),
    (lambda: layers.RandomZoom(-1.0), ValueError, "Received: input_number=-1.0"),
    (lambda: layers.RandomZoom((0.1,)), ValueError, r"Received: height_factor=\(0.1,\)"),
    (lambda: layers.RandomZoom(0.1, width_factor="x"), ValueError, "Received: width_factor=x"),
], ids=["rotation_range", "rotation_length", "rotation_fill", "rotation_interp", "zoom_range", "zoom_length",
        "zoom_type"])
def test_random_layer_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_random_layer_configs():
    assert layers.RandomRotation(0.2).get_config()["factor"] == (-0.2, 0.2)
    assert layers.RandomRotation((0.3, -0.1)).factor == (-0.1, 0.3)
    config = layers.RandomZoom(0.2, seed=3).get_config()
    assert (config["height_factor"], config["width_factor"], config["seed"]) == (0.2, None, 3)
    clone = layers.RandomFlip.from_config(layers.RandomFlip("vertical", seed=2).get_config())
    assert (clone.mode, clone.seed) == ("vertical", 2)


def test_image_layers_run_on_torch_tensors_channels_last():
    images = torch.randn(2, 3, 8, 8).permute(0, 2, 3, 1)  # a channels-last view, as conv layers keep them
    out = layers.Resizing(4, 4)(images)
    assert isinstance(out, torch.Tensor) and tuple(out.shape) == (2, 4, 4, 3)
