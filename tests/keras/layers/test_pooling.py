"""Pooling layers: the shared harness, TF's "same" windows, masks, dtypes, errors and configs.

Expected values are hand-derived (a direct numpy pooling written from TF's padding
formula) or read from TF 2.21 / Keras 3.15 running the same code. Values against TF
on random inputs are in compat/layer_cases/pooling.py.
"""

import itertools

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer, unbuilt

layers = keras.layers


HARNESS = [
    ("maxpool1d", lambda: layers.MaxPooling1D(3, strides=2, padding="same"), (2, 8, 3)),
    ("maxpool2d", lambda: layers.MaxPooling2D(), (2, 6, 5, 3)),
    ("maxpool3d_cf", lambda: layers.MaxPooling3D(2, padding="same", data_format="channels_first"), (2, 2, 3, 5, 4)),
    ("avgpool1d", lambda: layers.AveragePooling1D(2), (2, 7, 3)),
    ("avgpool2d", lambda: layers.AveragePooling2D(3, strides=1, padding="same"), (2, 6, 5, 3)),
    ("avgpool3d", lambda: layers.AveragePooling3D((2, 1, 2)), (2, 4, 3, 5, 2)),
    ("gmp1d", lambda: layers.GlobalMaxPooling1D(keepdims=True), (2, 7, 3)),
    ("gmp2d", lambda: layers.GlobalMaxPooling2D(data_format="channels_first"), (2, 3, 4, 5)),
    ("gmp3d", lambda: layers.GlobalMaxPooling3D(), (2, 3, 4, 2, 3)),
    ("gap1d", lambda: layers.GlobalAveragePooling1D(), (2, 7, 3)),
    ("gap2d", lambda: layers.GlobalAveragePooling2D(keepdims=True), (2, 4, 5, 3)),
    ("gap3d_cf", lambda: layers.GlobalAveragePooling3D(data_format="channels_first", keepdims=True), (2, 3, 2, 3, 2)),
]


@pytest.mark.parametrize(("make", "shape"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape):
    check_layer(lambda: unbuilt(make()), shape, expect_weights=[])


def test_built_at_construction_like_keras():
    layer = layers.MaxPooling2D()
    assert layer.built and layer.count_params() == 0 and layer.weights == []
    assert layers.GlobalAveragePooling1D().built


def _reference_pool(x, pool, strides, padding, mode):
    """A direct NHWC pooling with TF's padding: windows clipped to the input, means over real elements."""
    rank = x.ndim - 2
    starts, sizes = [], []
    for n, k, s in zip(x.shape[1:-1], pool, strides):
        if padding == "valid":
            sizes.append((n - k) // s + 1)
            starts.append(0)
        else:
            out = -(-n // s)
            sizes.append(out)
            starts.append(max((out - 1) * s + k - n, 0) // 2)
    out = np.zeros((x.shape[0], *sizes, x.shape[-1]), x.dtype)
    for pos in itertools.product(*[range(n) for n in sizes]):
        window = tuple(slice(max(p * s - b, 0), min(p * s - b + k, n))
                       for p, s, b, k, n in zip(pos, strides, starts, pool, x.shape[1:-1]))
        patch = x[(slice(None), *window)].reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None), *pos)] = patch.max(axis=1) if mode == "max" else patch.mean(axis=1)
    assert len(sizes) == rank
    return out


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_1d_windows_match_tf_rules(mode, padding):
    """Every (length, pool, stride) up to 8/4/4: TF's windows, including the odd pad at the end."""
    rng = np.random.default_rng(0)
    cls = layers.MaxPooling1D if mode == "max" else layers.AveragePooling1D
    for k, s in itertools.product(range(1, 5), range(1, 5)):
        layer = cls(k, strides=s, padding=padding)
        for n in range(k if padding == "valid" else 1, 9):
            x = rng.standard_normal((2, n, 2)).astype("float32")
            np.testing.assert_allclose(layer(x).numpy(), _reference_pool(x, (k,), (s,), padding, mode),
                                       rtol=1e-6, atol=1e-6, err_msg=f"n={n} k={k} s={s}")


@pytest.mark.parametrize(("pool", "strides", "shape"), [
    ((2, 2), (2, 2), (2, 5, 7, 2)), ((3, 3), (2, 2), (2, 8, 7, 2)), ((4, 2), (1, 3), (2, 6, 7, 2)),
    ((1, 3), (3, 1), (2, 7, 6, 2)), ((3, 2, 2), (1, 2, 3), (1, 5, 4, 7, 2)),
], ids=["p2_odd", "p3_s2", "p4_s1_mixed", "p1_s3", "3d_mixed"])
@pytest.mark.parametrize("mode", ["max", "average"])
def test_nd_same_windows_match_tf_rules(pool, strides, shape, mode):
    x = np.random.default_rng(1).standard_normal(shape).astype("float32")
    rank = len(pool)
    cls = {("max", 2): layers.MaxPooling2D, ("max", 3): layers.MaxPooling3D,
           ("average", 2): layers.AveragePooling2D, ("average", 3): layers.AveragePooling3D}[(mode, rank)]
    got = cls(pool, strides=strides, padding="same")(x).numpy()
    np.testing.assert_allclose(got, _reference_pool(x, pool, strides, "same", mode), rtol=1e-6, atol=1e-6)


def test_average_same_divides_by_real_elements():
    """TF 2.21: AveragePooling1D(3, strides=2, padding='same') on [1, 5, 3, 2] gives [3, 2.5]."""
    x = np.array([1, 5, 3, 2], "float32").reshape(1, 4, 1)
    np.testing.assert_allclose(layers.AveragePooling1D(3, strides=2, padding="same")(x).numpy().ravel(), [3, 2.5])
    np.testing.assert_allclose(layers.MaxPooling1D(3, strides=2, padding="same")(-x).numpy().ravel(), [-1, -2])


def test_padding_is_case_insensitive_but_kept_as_given():
    layer = layers.MaxPooling2D(padding="SAME")
    assert layer(np.ones((1, 5, 5, 1), "float32")).shape == (1, 3, 3, 1)
    assert layer.get_config()["padding"] == "SAME"


# -- dtypes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "dtype"), [
    (lambda: layers.MaxPooling1D(2), tf.int32), (lambda: layers.MaxPooling2D(), tf.int32),
    (lambda: layers.AveragePooling1D(2), tf.float32), (lambda: layers.GlobalMaxPooling1D(), tf.int32),
    (lambda: layers.GlobalAveragePooling1D(), tf.float32), (lambda: layers.GlobalAveragePooling2D(), tf.float32),
], ids=["max1d", "max2d", "avg1d", "gmp", "gap1d", "gap2d"])
def test_integer_inputs(make, dtype):
    """Max pools keep integers (TF too); averages are float32 (TF's mean; its AvgPool refuses ints)."""
    x = np.arange(16, dtype="int32").reshape(1, 4, 4, 1)
    out = make()(x[:, 0] if "1D" in type(make()).__name__ else x)
    assert out.dtype == dtype


def test_global_average_of_integers():
    """TF 2.21: GlobalAveragePooling1D on [[1], [2], [4]] gives 2.3333333."""
    out = layers.GlobalAveragePooling1D()(np.array([[[1], [2], [4]]], "int32"))
    np.testing.assert_allclose(out.numpy(), [[7 / 3]], rtol=1e-6)


# -- masks ----------------------------------------------------------------------------------

def test_global_average_1d_masked_mean():
    x = np.array([[[1.0, 10.0], [3.0, 30.0], [8.0, 80.0]], [[2.0, 0.0], [4.0, 0.0], [np.inf, 1.0]]], "float32")
    mask = np.array([[True, True, False], [True, True, False]])
    out = layers.GlobalAveragePooling1D()(x, mask=mask)
    np.testing.assert_allclose(out.numpy(), [[2.0, 20.0], [3.0, 0.0]])
    assert out._keras_mask is None
    keep = layers.GlobalAveragePooling1D(keepdims=True, data_format="channels_first")
    np.testing.assert_allclose(keep(np.transpose(x, (0, 2, 1)), mask=mask).numpy(), [[[2.0], [20.0]], [[3.0], [0.0]]])


def test_global_average_1d_all_masked_is_nan():
    """TF 2.21 gives NaN: the masked sum over a zero count."""
    out = layers.GlobalAveragePooling1D()(np.ones((1, 2, 2), "float32"), mask=np.zeros((1, 2), bool))
    assert np.isnan(out.numpy()).all()


def test_global_average_1d_takes_an_attached_mask_without_warning():
    x = tf.constant(np.ones((1, 3, 2), "float32"))
    x._keras_mask = tf.constant([[True, False, True]])
    assert layers.GlobalAveragePooling1D().supports_masking
    np.testing.assert_allclose(layers.GlobalAveragePooling1D()(x).numpy(), [[1.0, 1.0]])


def test_global_max_warns_about_a_mask_like_keras():
    x = tf.constant(np.ones((1, 3, 2), "float32"))
    x._keras_mask = tf.constant([[True, False, True]])
    with pytest.warns(UserWarning, match="does not support masking"):
        layers.GlobalMaxPooling1D()(x)


# -- shapes, errors, configs -----------------------------------------------------------------

@pytest.mark.parametrize(("layer", "input_shape", "expected"), [
    (lambda: layers.MaxPooling2D(3, 2, padding="same"), (None, None, 7, 2), (None, None, 4, 2)),
    (lambda: layers.AveragePooling1D(3, strides=1), (None, 10, 2), (None, 8, 2)),
    (lambda: layers.MaxPooling3D(data_format="channels_first"), (None, 2, 4, 5, 6), (None, 2, 2, 2, 3)),
    (lambda: layers.GlobalAveragePooling2D(keepdims=True), (None, 4, 4, 3), (None, 1, 1, 3)),
    (lambda: layers.GlobalMaxPooling3D(data_format="channels_first"), (None, 3, 2, 2, 2), (None, 3)),
], ids=["same_none", "avg1d", "max3d_cf", "gap_keepdims", "gmp_cf"])
def test_symbolic_shapes(layer, input_shape, expected):
    """Shapes TF 2.21 gives for `layer(keras.Input(batch_shape=input_shape))`."""
    assert tuple(layer()(keras.Input(batch_shape=input_shape)).shape) == expected


@pytest.mark.parametrize(("make", "message"), [
    (lambda: layers.MaxPooling2D(pool_size=0), "The `pool_size` argument must be a tuple of 2 integers. Received "
                                               "pool_size=0, including values {0} that do not satisfy `value > 0`"),
    (lambda: layers.AveragePooling1D((2, 2)), "The `pool_size` argument must be a tuple of 1 integers. Received "
                                              "pool_size=(2, 2)"),
    (lambda: layers.MaxPooling2D(strides=-1), "The `strides` argument must be a tuple of 2 integers. Received "
                                              "strides=-1, including values {-1} that do not satisfy `value >= 0`"),
    (lambda: layers.GlobalMaxPooling2D(data_format="NHWC"), "The `data_format` argument must be one of "
                                                            "{'channels_first', 'channels_last'}. Received: "
                                                            "data_format=nhwc"),
], ids=["pool_size", "pool_size_length", "strides", "data_format"])
def test_argument_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


def test_unknown_padding_fails_when_called():
    """Keras accepts any padding string at construction and fails on the call."""
    layer = layers.MaxPooling2D(padding="causal")
    with pytest.raises(ValueError, match="Argument `padding` must be either 'valid' or 'same'. Received: "
                                         "padding=causal"):
        layer(np.ones((1, 4, 4, 1), "float32"))


def test_rank_is_checked():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=5"):
        layers.MaxPooling2D()(np.zeros((1, 4, 4, 4, 1), "float32"))


def test_valid_pool_larger_than_input_fails_symbolically():
    with pytest.raises(ValueError) as info:
        layers.MaxPooling2D(6)(keras.Input((5, 5, 2)))
    assert str(info.value) == ("Computed output size would be zero or negative. Received: `inputs.shape=[None 5 5 "
                               "2]`, `pool_size=[6 6]`, `strides=(6, 6)`, `padding=valid`.")


def test_configs_are_keras():
    """Keras 3.15's configs, dtype aside."""
    config = layers.MaxPooling2D().get_config()
    config.pop("dtype")
    assert config == {"name": "max_pooling2d", "trainable": True, "pool_size": (2, 2), "padding": "valid",
                      "strides": (2, 2), "data_format": "channels_last"}
    config = layers.GlobalAveragePooling1D().get_config()
    config.pop("dtype")
    assert config == {"name": "global_average_pooling1d", "trainable": True, "data_format": "channels_last",
                      "keepdims": False}
    assert layers.AveragePooling2D(3, strides=1).get_config()["strides"] == (1, 1)


def test_aliases():
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.AvgPool3D is layers.AveragePooling3D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
