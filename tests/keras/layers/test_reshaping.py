"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, UpSampling*, ZeroPadding*, Cropping*.

Expected values and error messages were read from TF 2.21 / Keras 3.15 running the same
code, or derived by hand (numpy repeat/pad/slice).
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.layers.upsampling import _matrix
from tests.keras.layers.harness import check_layer

L = keras.layers


HARNESS = [
    ("flatten", lambda: L.Flatten(), (2, 3, 4)),
    ("flatten_cf", lambda: L.Flatten(data_format="channels_first"), (2, 3, 2, 2)),
    ("reshape", lambda: L.Reshape((-1, 2)), (2, 3, 4)),
    ("permute", lambda: L.Permute((3, 1, 2)), (2, 2, 3, 4)),
    ("repeat_vector", lambda: L.RepeatVector(3), (2, 4)),
    ("upsampling1d", lambda: L.UpSampling1D(3), (2, 3, 2)),
    ("upsampling2d", lambda: L.UpSampling2D((2, 3)), (2, 3, 2, 2)),
    ("upsampling2d_bilinear_cf", lambda: L.UpSampling2D(2, "channels_first", "bilinear"), (1, 2, 3, 3)),
    ("upsampling2d_bicubic", lambda: L.UpSampling2D(3, interpolation="bicubic"), (1, 3, 2, 2)),
    ("upsampling3d", lambda: L.UpSampling3D((1, 2, 2)), (1, 2, 2, 2, 3)),
    ("zero_padding1d", lambda: L.ZeroPadding1D((1, 2)), (2, 3, 2)),
    ("zero_padding2d", lambda: L.ZeroPadding2D(((1, 0), (2, 1))), (1, 3, 3, 2)),
    ("zero_padding3d_cf", lambda: L.ZeroPadding3D(1, data_format="channels_first"), (1, 2, 2, 2, 2)),
    ("cropping1d", lambda: L.Cropping1D((1, 0)), (2, 4, 2)),
    ("cropping2d", lambda: L.Cropping2D(((1, 1), (0, 2))), (1, 4, 5, 2)),
    ("cropping3d_cf", lambda: L.Cropping3D(1, data_format="channels_first"), (1, 2, 3, 4, 5)),
]


@pytest.mark.parametrize(("make", "shape"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape):
    layer, out = check_layer(make, shape)
    assert layer.weights == []


def _x(*shape):
    return np.arange(np.prod(shape), dtype="float32").reshape(shape)


# -- Flatten, Reshape, Permute, RepeatVector -------------------------------------------

def test_flatten_channels_first_orders_features_as_channels_last():
    x = _x(2, 3, 2, 2)
    out = L.Flatten(data_format="channels_first")(x)
    np.testing.assert_array_equal(out, np.moveaxis(x, 1, -1).reshape(2, -1))


def test_flatten_of_a_vector_batch_adds_a_feature_axis():
    assert L.Flatten()(np.ones(3, "float32")).shape == (3, 1)
    assert L.Flatten().compute_output_shape((None, None, 4)) == (None, None)


def test_flatten_keeps_integer_dtype():
    out = L.Flatten()(tf.constant(np.ones((2, 2, 2), "int32")))
    assert out.dtype == tf.int32 and out.shape == (2, 4)


def test_reshape_values_and_inferred_axis():
    x = _x(2, 3, 4)
    np.testing.assert_array_equal(L.Reshape((-1, 2))(x), x.reshape(2, 6, 2))
    assert L.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert L.Reshape((-1, 2)).compute_output_shape((None, None, 4)) == (None, None, 2)


@pytest.mark.parametrize(("target", "message"), [
    ((-2, 3), "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single unknown "
              "dimension. Received: target_shape=(-2, 3)."),
    ((-1, -1), "There must be at most one unknown dimension (-1) in `target_shape`. Received: "
               "target_shape=(-1, -1)."),
], ids=["negative", "two_unknown"])
def test_reshape_rejects_bad_targets(target, message):
    with pytest.raises(ValueError) as info:
        L.Reshape(target)
    assert str(info.value) == message


@pytest.mark.parametrize(("target", "message"), [
    ((5,), "The total size of the tensor must be unchanged. Received: input_shape=(6,), target_shape=(5,)"),
    ((-1, 4), "The total size of the tensor must be unchanged, however, the input size cannot by divided by "
              "the specified dimensions in target_shape. Received: input_shape=(6,), target_shape=(-1, 4)"),
], ids=["size", "indivisible"])
def test_reshape_size_errors_eager_and_symbolic(target, message):
    with pytest.raises(ValueError) as info:
        L.Reshape(target)(np.ones((2, 6), "float32"))
    assert str(info.value) == message
    with pytest.raises(ValueError, match="The total size of the tensor must be unchanged"):
        L.Reshape(target)(keras.Input((6,)))


def test_reshape_of_an_int_is_a_type_error():
    with pytest.raises(TypeError):
        L.Reshape(3)


def test_permute_values_and_errors():
    x = _x(2, 2, 3, 4)
    np.testing.assert_array_equal(L.Permute((3, 1, 2))(x), np.transpose(x, (0, 3, 1, 2)))
    with pytest.raises(ValueError) as info:
        L.Permute((1, 3))
    assert str(info.value) == ("Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                               "`dims` must be consecutive and start from 1. Received dims=(1, 3)")
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        L.Permute((2, 1))(x)


def test_repeat_vector_values_and_errors():
    x = _x(2, 3)
    np.testing.assert_array_equal(L.RepeatVector(2)(x), np.stack([x, x], axis=1))
    with pytest.raises(TypeError, match=r"Expected an integer value for `n`, got <class 'float'>."):
        L.RepeatVector(2.0)
    with pytest.raises(ValueError, match="Argument `n` should be a positive integer. Received: n=0"):
        L.RepeatVector(0)


def test_reshaping_layers_do_not_carry_masks():
    x = tf.constant(_x(1, 3, 2))
    x._keras_mask = tf.constant([[True, False, True]])
    with pytest.warns(UserWarning, match="does not support masking"):
        out = L.Flatten()(x)
    assert out._keras_mask is None


# -- UpSampling --------------------------------------------------------------------------

def test_upsampling_nearest_repeats():
    x = _x(2, 2, 3)
    np.testing.assert_array_equal(L.UpSampling1D(2)(x), np.repeat(x, 2, axis=1))
    img = _x(1, 2, 3, 2)
    np.testing.assert_array_equal(L.UpSampling2D((2, 3))(img), np.repeat(np.repeat(img, 2, 1), 3, 2))
    vol = _x(1, 2, 1, 2, 2)
    want = np.repeat(np.repeat(vol, 2, 3), 3, 4)
    np.testing.assert_array_equal(L.UpSampling3D((1, 2, 3), data_format="channels_first")(vol), want)


# TF: keras.layers.UpSampling2D(interpolation='bilinear') on [[0, 3], [5, 9]].
BILINEAR = [[0, 0.75, 2.25, 3], [1.25, 2.0625, 3.6875, 4.5], [3.75, 4.6875, 6.5625, 7.5], [5, 6, 8, 9]]


def test_upsampling2d_bilinear_uses_half_pixel_centers():
    x = np.array([0, 3, 5, 9], "float32").reshape(1, 2, 2, 1)
    np.testing.assert_allclose(L.UpSampling2D(interpolation="bilinear")(x)[0, :, :, 0], BILINEAR)


def test_upsampling2d_bilinear_rounds_integers_half_to_even():
    x = np.array([0, 3, 5, 9], "int32").reshape(1, 2, 2, 1)
    out = L.UpSampling2D(interpolation="bilinear")(x)
    assert out.dtype == tf.int32
    # TF: 4.5 -> 4 and 7.5 -> 8 (half to even).
    np.testing.assert_array_equal(out[0, :, :, 0], [[0, 1, 2, 3], [1, 2, 4, 4], [4, 5, 7, 8], [5, 6, 8, 9]])


@pytest.mark.parametrize("method", ["bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize(("size", "factor"), [(1, 2), (3, 3), (5, 2)], ids=["1x2", "3x3", "5x2"])
def test_interpolation_matrices_preserve_constants(method, size, factor):
    weights = _matrix(method, size, factor)
    assert weights.shape == (size * factor, size)
    np.testing.assert_allclose(weights.sum(axis=1), 1, rtol=1e-6)


def test_upsampling2d_area_equals_nearest_for_integer_factors():
    img = _x(1, 2, 3, 1)
    np.testing.assert_array_equal(L.UpSampling2D(3, interpolation="area")(img),
                                  L.UpSampling2D(3)(img))


def test_upsampling2d_rejects_unknown_interpolation_when_called():
    layer = L.UpSampling2D(interpolation="Foo")
    assert layer.get_config()["interpolation"] == "foo"
    with pytest.raises(ValueError) as info:
        layer(np.ones((1, 2, 2, 1), "float32"))
    assert str(info.value) == ("Invalid value for argument `interpolation`. Expected of one ('bilinear', "
                               "'nearest', 'lanczos3', 'lanczos5', 'bicubic', 'area'). Received: "
                               "interpolation=foo")


@pytest.mark.parametrize(("make", "exc", "message"), [
    (lambda: L.UpSampling1D(0), ValueError, "Argument `size` should be a positive integer. Received: size=0"),
    (lambda: L.UpSampling1D(2.0), TypeError, "Expected an integer value for `size`, got <class 'float'>."),
    (lambda: L.UpSampling2D((1, 2, 3)), ValueError,
     "The `size` argument must be a tuple of 2 integers. Received size=(1, 2, 3)"),
    (lambda: L.UpSampling2D(0), ValueError,
     "The `size` argument must be a tuple of 2 integers. Received size=0, including values {0} that do not "
     "satisfy `value > 0`"),
    (lambda: L.UpSampling2D((1, "a")), ValueError,
     "The `size` argument must be a tuple of 2 integers. Received size=(1, 'a')including element a of type "
     "<class 'str'>"),
    (lambda: L.Flatten(data_format="x"), ValueError,
     "The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received: "
     "data_format=x"),
], ids=["size0", "size_float", "size_len", "size2d_0", "size_str", "data_format"])
def test_argument_errors(make, exc, message):
    with pytest.raises(exc) as info:
        make()
    assert str(info.value) == message


# -- ZeroPadding and Cropping ------------------------------------------------------------

@pytest.mark.parametrize(("make", "padding"), [
    (lambda: L.ZeroPadding1D(2), (2, 2)),
    (lambda: L.ZeroPadding2D(1), ((1, 1), (1, 1))),
    (lambda: L.ZeroPadding2D((1, 2)), ((1, 1), (2, 2))),
    (lambda: L.ZeroPadding2D(((1, 0), (2, 3))), ((1, 0), (2, 3))),
    (lambda: L.ZeroPadding3D((1, 0, 2)), ((1, 1), (0, 0), (2, 2))),
], ids=["1d_int", "2d_int", "2d_pair", "2d_pairs", "3d_ints"])
def test_padding_forms_standardize_like_keras(make, padding):
    assert make().padding == padding


def test_zero_padding_values_channels_last_and_first():
    img = _x(1, 2, 3, 2)
    want = np.pad(img, ((0, 0), (1, 0), (2, 3), (0, 0)))
    np.testing.assert_array_equal(L.ZeroPadding2D(((1, 0), (2, 3)))(img), want)
    cf = np.moveaxis(img, -1, 1)
    out = L.ZeroPadding2D(((1, 0), (2, 3)), data_format="channels_first")(cf)
    np.testing.assert_array_equal(out, np.moveaxis(want, -1, 1))


@pytest.mark.parametrize(("make", "message"), [
    (lambda: L.ZeroPadding1D(-1),
     "The `padding` argument must be a tuple of 2 integers. Received padding=-1, including values {-1} that "
     "do not satisfy `value >= 0`"),
    (lambda: L.ZeroPadding2D((1, 2, 3)), "`padding` should have two elements. Received: padding=(1, 2, 3)."),
    (lambda: L.ZeroPadding3D((1, 2)), "`padding` should have 3 elements. Received: (1, 2)."),
    (lambda: L.ZeroPadding2D(-1), "`padding` cannot be negative. Received: padding=-1."),
    (lambda: L.Cropping2D(-1), "`cropping` cannot be negative. Received: cropping=-1."),
    (lambda: L.Cropping1D((1, 2, 3)), "The `cropping` argument must be a tuple of 2 integers. Received "
                                      "cropping=(1, 2, 3)"),
    (lambda: L.Cropping3D((1, 2)), "`cropping` should have 3 elements. Received: (1, 2)."),
    (lambda: L.Cropping2D(1.5),
     "`cropping` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), "
     "or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), (left_crop, right_crop)). Received: "
     "cropping=1.5."),
], ids=["pad1d_negative", "pad2d_len", "pad3d_len", "pad2d_negative", "crop2d_negative", "crop1d_len",
        "crop3d_len", "crop2d_float"])
def test_padding_and_cropping_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


def test_cropping_values():
    x = _x(2, 5, 2)
    np.testing.assert_array_equal(L.Cropping1D((1, 2))(x), x[:, 1:3])
    vol = _x(1, 3, 3, 4, 2)
    np.testing.assert_array_equal(L.Cropping3D(((1, 0), (0, 1), (1, 1)))(vol), vol[:, 1:, :2, 1:3])


def test_cropping_larger_than_the_input_fails_eager_and_symbolic():
    with pytest.raises(ValueError) as info:
        L.Cropping1D((2, 2))(np.ones((2, 4, 3), "float32"))
    assert str(info.value) == ("`cropping` parameter of `Cropping1D` layer must be smaller than the input "
                               "length. Received: inputs.shape=(2, 4, 3), cropping=(2, 2)")
    with pytest.raises(ValueError) as info:
        L.Cropping1D((2, 2))(keras.Input((4, 3)))
    assert "Received: input_shape=(None, 4, 3), cropping=(2, 2)" in str(info.value)
    with pytest.raises(ValueError, match="Values in `cropping` argument should be smaller than the "
                                         r"corresponding spatial dimension of the input. Received: "
                                         r"inputs.shape=\(2, 4, 4, 3\)"):
        L.Cropping2D(((2, 2), (0, 0)))(np.ones((2, 4, 4, 3), "float32"))


@pytest.mark.parametrize(("make", "keys"), [
    (lambda: L.Flatten(), ["data_format"]),
    (lambda: L.Reshape((2, -1)), ["target_shape"]),
    (lambda: L.Permute((2, 1)), ["dims"]),
    (lambda: L.RepeatVector(3), ["n"]),
    (lambda: L.UpSampling1D(), ["size"]),
    (lambda: L.UpSampling2D(), ["data_format", "interpolation", "size"]),
    (lambda: L.UpSampling3D(), ["data_format", "size"]),
    (lambda: L.ZeroPadding1D(), ["data_format", "padding"]),
    (lambda: L.Cropping1D(), ["cropping"]),
    (lambda: L.Cropping2D(), ["cropping", "data_format"]),
], ids=["flatten", "reshape", "permute", "repeat", "up1d", "up2d", "up3d", "pad1d", "crop1d", "crop2d"])
def test_config_keys_are_keras(make, keys):
    assert sorted(make().get_config()) == sorted(["name", "trainable", "dtype", *keys])


def test_default_configs_match_keras():
    assert L.Cropping1D().cropping == (1, 1)
    assert L.Cropping2D().cropping == ((0, 0), (0, 0))
    assert L.Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    assert L.UpSampling3D().size == (2, 2, 2)
