"""Convolution layers: the shared harness, TF's padding rules, layouts, errors and configs.

Expected values are hand-derived (ones kernels, a direct numpy convolution written from
TF's padding formula) or read from TF 2.21 / Keras 3.15 running the same code. Values
against TF on random weights are in compat/layer_cases/convolutional.py.
"""

import itertools

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer

layers = keras.layers


HARNESS = [
    ("conv1d", lambda: layers.Conv1D(3, 3), (2, 7, 4), [(3, 4, 3), (3,)]),
    ("conv1d_causal", lambda: layers.Conv1D(3, 2, padding="causal", dilation_rate=2), (2, 7, 4),
     [(2, 4, 3), (3,)]),
    ("conv1d_groups_cf", lambda: layers.Conv1D(4, 3, groups=2, data_format="channels_first", use_bias=False),
     (2, 4, 7), [(3, 2, 4)]),
    ("conv2d", lambda: layers.Conv2D(4, 3, activation="relu"), (2, 6, 5, 3), [(3, 3, 3, 4), (4,)]),
    ("conv2d_same_s2", lambda: layers.Conv2D(2, 3, strides=2, padding="same"), (2, 6, 5, 3),
     [(3, 3, 3, 2), (2,)]),
    ("conv2d_cf", lambda: layers.Conv2D(2, (2, 3), data_format="channels_first"), (2, 3, 5, 6),
     [(2, 3, 3, 2), (2,)]),
    ("conv3d", lambda: layers.Conv3D(2, 2, groups=2, padding="same"), (2, 3, 4, 3, 4), [(2, 2, 2, 2, 2), (2,)]),
    ("conv1d_transpose", lambda: layers.Conv1DTranspose(3, 3, strides=2, padding="same"), (2, 5, 2),
     [(3, 3, 2), (3,)]),
    ("conv2d_transpose", lambda: layers.Conv2DTranspose(3, 3, strides=2, output_padding=1), (2, 3, 4, 2),
     [(3, 3, 3, 2), (3,)]),
    ("conv2d_transpose_d2", lambda: layers.Conv2DTranspose(2, 3, dilation_rate=2, padding="same"), (2, 4, 5, 2),
     [(3, 3, 2, 2), (2,)]),
    ("conv3d_transpose_cf", lambda: layers.Conv3DTranspose(2, 2, strides=2, data_format="channels_first"),
     (1, 3, 2, 3, 2), [(2, 2, 2, 2, 3), (2,)]),
    ("depthwise1d", lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), (2, 6, 3), [(3, 3, 2), (6,)]),
    ("depthwise2d", lambda: layers.DepthwiseConv2D(3, strides=2, padding="same"), (2, 6, 5, 3),
     [(3, 3, 3, 1), (3,)]),
    ("separable1d", lambda: layers.SeparableConv1D(4, 3, depth_multiplier=2), (2, 6, 3),
     [(3, 3, 2), (1, 6, 4), (4,)]),
    ("separable2d_cf", lambda: layers.SeparableConv2D(4, 2, data_format="channels_first"), (2, 3, 5, 5),
     [(2, 2, 3, 1), (1, 1, 3, 4), (4,)]),
]


@pytest.mark.parametrize(("make", "shape", "weights"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shape, weights):
    check_layer(make, shape, expect_weights=weights)


# -- values -----------------------------------------------------------------------------

def _ones_layer(cls, *args, **kwargs):
    return cls(*args, kernel_initializer="ones", **kwargs)


@pytest.mark.parametrize(("layer", "x", "expected"), [
    (lambda: _ones_layer(layers.Conv1D, 1, 3), [1, 2, 3, 4, 5], [6, 9, 12]),
    (lambda: _ones_layer(layers.Conv1D, 1, 3, padding="causal"), [1, 2, 3, 4, 5], [1, 3, 6, 9, 12]),
    (lambda: _ones_layer(layers.Conv1D, 1, 3, strides=2, padding="same"), [1, 2, 3, 4, 5, 6], [6, 12, 11]),
    (lambda: _ones_layer(layers.Conv1D, 1, 2, padding="same"), [1, 2, 3], [3, 5, 3]),
    (lambda: _ones_layer(layers.Conv1DTranspose, 1, 3, strides=2, padding="same"), [1, 10, 100],
     [1, 1, 11, 10, 110, 100]),
    (lambda: _ones_layer(layers.Conv1DTranspose, 1, 3, strides=2), [1, 10, 100], [1, 1, 11, 10, 110, 100, 100]),
], ids=["valid", "causal", "same_s2_pads_after", "same_even_kernel", "transpose_same", "transpose_valid"])
def test_values_with_ones_kernels(layer, x, expected):
    """Values TF 2.21 gives for the same layers (all-ones kernels, zero bias)."""
    out = layer()(np.asarray(x, "float32").reshape(1, -1, 1))
    np.testing.assert_allclose(out.numpy().ravel(), expected)


def _reference_conv(x, kernel, strides, padding, dilation, groups=1):
    """A direct NHWC convolution with TF's padding: what `same` means, written out."""
    rank = x.ndim - 2
    pads = []
    for n, k, s, d in zip(x.shape[1:-1], kernel.shape[:rank], strides, dilation):
        if padding == "valid":
            pads.append((0, 0))
        else:
            out = -(-n // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    sizes = [(n - (k - 1) * d - 1) // s + 1 for n, k, s, d in zip(x.shape[1:-1], kernel.shape[:rank], strides,
                                                                   dilation)]
    cin, cout = kernel.shape[-2], kernel.shape[-1]
    out = np.zeros((x.shape[0], *sizes, cout))
    for pos in itertools.product(*[range(n) for n in sizes]):
        for tap in itertools.product(*[range(k) for k in kernel.shape[:rank]]):
            idx = tuple(p * s + t * d for p, s, t, d in zip(pos, strides, tap, dilation))
            patch = x[(slice(None), *idx)]
            for g in range(groups):
                w = kernel[tap][:, g * cout // groups:(g + 1) * cout // groups]
                out[(slice(None), *pos, slice(g * cout // groups, (g + 1) * cout // groups))] += (
                    patch[:, g * cin:(g + 1) * cin] @ w)
    return out


CONVS = [  # (kernel, strides, padding, dilation, groups, spatial)
    ((3,), (2,), "same", (1,), 1, (8,)),
    ((4,), (3,), "same", (1,), 2, (10,)),
    ((2,), (1,), "valid", (3,), 1, (9,)),
    ((3, 3), (2, 2), "same", (1, 1), 1, (6, 7)),
    ((2, 4), (1, 1), "same", (3, 1), 1, (7, 6)),
    ((3, 2), (3, 2), "same", (1, 1), 2, (7, 5)),
    ((1, 1), (2, 3), "same", (1, 1), 1, (5, 7)),
    ((2, 3, 2), (2, 1, 2), "same", (1, 1, 1), 1, (4, 5, 5)),
]


@pytest.mark.parametrize(("kernel", "strides", "padding", "dilation", "groups", "spatial"), CONVS,
                         ids=[f"{len(c[0])}d_k{c[0]}_s{c[1]}_{c[2]}_d{c[3]}_g{c[4]}" for c in CONVS])
def test_conv_matches_direct_convolution(kernel, strides, padding, dilation, groups, spatial):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, *spatial, 2 * groups)).astype("float32")
    cls = [layers.Conv1D, layers.Conv2D, layers.Conv3D][len(kernel) - 1]
    layer = cls(2 * groups, kernel, strides=strides, padding=padding, dilation_rate=dilation, groups=groups,
                use_bias=False)
    out = layer(x).numpy()
    want = _reference_conv(x.astype("float64"), layer.kernel.numpy().astype("float64"), strides, padding,
                           dilation, groups)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


TRANSPOSES = [  # (kernel, strides, padding, output_padding, dilation, spatial)
    ((3,), (2,), "same", None, (1,), (4,)),
    ((4,), (3,), "valid", (2,), (1,), (3,)),
    ((3, 2), (2, 3), "same", None, (1, 1), (3, 2)),
    ((3, 3), (1, 1), "same", None, (2, 2), (4, 5)),
    ((2, 3), (1, 1), "valid", None, (3, 2), (3, 4)),
    ((5, 4), (2, 2), "same", (1, 1), (1, 1), (3, 3)),
    ((2, 2, 3), (2, 1, 2), "same", None, (1, 1, 1), (2, 3, 2)),
]


@pytest.mark.parametrize(("kernel", "strides", "padding", "output_padding", "dilation", "spatial"), TRANSPOSES,
                         ids=[f"k{t[0]}_s{t[1]}_{t[2]}_op{t[3]}_d{t[4]}" for t in TRANSPOSES])
def test_transpose_is_the_adjoint_of_conv(kernel, strides, padding, output_padding, dilation, spatial):
    """<conv(y), x> == <y, conv_transpose(x)> for the same kernel: TF's definition of conv_transpose.

    This covers dilations, which TF's CPU kernels refuse for transposed convolutions.
    """
    rank = len(kernel)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, *spatial, 3)).astype("float32")
    transpose = [layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose][rank - 1](
        4, kernel, strides=strides, padding=padding, output_padding=output_padding, dilation_rate=dilation,
        use_bias=False)
    y = transpose(x).numpy().astype("float64")
    assert y.shape[1:] == transpose.compute_output_shape((None, *spatial, 3))[1:]
    ones = rng.standard_normal(y.shape)
    conv = _reference_conv(ones, transpose.kernel.numpy().astype("float64"), strides, padding, dilation)
    assert conv.shape == x.shape
    # float32 rounding in `y` scales with the terms' magnitudes, not with their (possibly tiny) sum.
    np.testing.assert_allclose(np.sum(conv * x), np.sum(ones * y), rtol=1e-5, atol=1e-6 * np.abs(ones * y).sum())


def test_depthwise_is_a_grouped_conv():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 6, 5, 3)).astype("float32")
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same")
    out = depthwise(x)
    grouped = layers.Conv2D(6, 3, strides=2, padding="same", groups=3)
    grouped.build((None, 6, 5, 3))
    kernel, bias = depthwise.get_weights()
    grouped.set_weights([kernel.reshape(3, 3, 1, 6), bias])
    np.testing.assert_allclose(out.numpy(), grouped(x).numpy(), rtol=1e-5, atol=1e-6)


def test_separable_is_depthwise_then_pointwise():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 7, 3)).astype("float32")
    separable = layers.SeparableConv1D(4, 3, depth_multiplier=2, padding="same", strides=2)
    out = separable(x).numpy()
    depthwise, pointwise, bias = separable.get_weights()
    dw = layers.DepthwiseConv1D(3, depth_multiplier=2, padding="same", strides=2, use_bias=False)
    dw.build((None, 7, 3))
    dw.set_weights([depthwise])
    np.testing.assert_allclose(out, dw(x).numpy() @ pointwise[0] + bias, rtol=1e-5, atol=1e-6)


CHANNELS_FIRST = [
    ("conv1d", lambda df: layers.Conv1D(3, 3, strides=2, padding="same", data_format=df), (2, 7, 4)),
    ("conv1d_causal", lambda df: layers.Conv1D(3, 3, padding="causal", data_format=df), (2, 7, 4)),
    ("conv2d", lambda df: layers.Conv2D(4, (2, 3), padding="same", groups=2, data_format=df), (2, 5, 6, 4)),
    ("conv3d", lambda df: layers.Conv3D(2, 2, strides=2, padding="same", data_format=df), (2, 3, 4, 5, 2)),
    ("conv2d_transpose", lambda df: layers.Conv2DTranspose(2, 3, strides=2, padding="same", data_format=df),
     (2, 3, 4, 2)),
    ("depthwise2d", lambda df: layers.DepthwiseConv2D(2, depth_multiplier=2, padding="same", data_format=df),
     (2, 5, 4, 3)),
    ("separable2d", lambda df: layers.SeparableConv2D(2, 3, data_format=df), (2, 5, 4, 3)),
]


@pytest.mark.parametrize(("make", "shape"), [c[1:] for c in CHANNELS_FIRST], ids=[c[0] for c in CHANNELS_FIRST])
def test_channels_first_is_channels_last_transposed(make, shape):
    """TF's CPU kernels refuse channels_first convolutions; the layout must only move axes."""
    x = np.random.default_rng(4).standard_normal(shape).astype("float32")
    last, first = make("channels_last"), make("channels_first")
    want = last(x).numpy()
    to_first = (0, x.ndim - 1, *range(1, x.ndim - 1))
    first.build((None, *np.transpose(x, to_first).shape[1:]))
    first.set_weights(last.get_weights())
    got = first(np.transpose(x, to_first)).numpy()
    np.testing.assert_allclose(np.moveaxis(got, 1, -1), want, rtol=1e-5, atol=1e-6)


def test_outputs_are_contiguous_channels_last():
    """Permuted views in and out: the output is a plain contiguous NHWC tensor."""
    for layer, shape in [(layers.Conv2D(8, 3, padding="same"), (2, 9, 9, 4)),
                         (layers.Conv1D(8, 3, strides=2, padding="same"), (2, 9, 4)),
                         (layers.Conv3D(4, 3, padding="same"), (2, 5, 5, 5, 2)),
                         (layers.DepthwiseConv2D(3, padding="same"), (2, 9, 9, 4)),
                         (layers.SeparableConv2D(8, 3), (2, 9, 9, 4))]:
        assert layer(tf.ones(shape))._t.is_contiguous(), layer.name


# -- dtypes and shapes --------------------------------------------------------------------

def test_integer_inputs_are_cast_to_the_kernel_dtype():
    """TF refuses integer inputs to Conv2D; kerastorch computes them as floats."""
    layer = layers.Conv2D(1, 2, kernel_initializer="ones")
    out = layer(np.arange(9, dtype="int32").reshape(1, 3, 3, 1))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy().ravel(), [8, 12, 20, 24])


@pytest.mark.parametrize(("dtype", "out_dtype"), [("float64", tf.float64), ("mixed_float16", tf.float16),
                                                  ("mixed_bfloat16", tf.bfloat16)], ids=str)
def test_dtype_policies(dtype, out_dtype):
    for layer in (layers.Conv2D(2, 2, dtype=dtype), layers.Conv2DTranspose(2, 2, dtype=dtype),
                  layers.SeparableConv2D(2, 2, dtype=dtype), layers.DepthwiseConv2D(2, dtype=dtype)):
        assert layer(np.ones((1, 4, 4, 2), "float32")).dtype == out_dtype


def test_conv2d_parameter_count():
    """A 3x3 Conv2D from 3 to 32 channels has 3*3*3*32 + 32 = 896 parameters (not the seed's 9248)."""
    layer = layers.Conv2D(32, (3, 3), activation="relu")
    layer.build((None, 28, 28, 3))
    assert layer.count_params() == 896


@pytest.mark.parametrize(("layer", "input_shape", "expected"), [
    (lambda: layers.Conv2D(4, 3, strides=2, padding="same"), (None, None, 7, 3), (None, None, 4, 4)),
    (lambda: layers.Conv1D(4, 3, padding="causal", dilation_rate=4), (None, 10, 3), (None, 10, 4)),
    (lambda: layers.Conv2DTranspose(2, 3), (None, None, None, 2), (None, None, None, 2)),
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same"), (None, 5, None, 2), (None, 10, None, 2)),
    (lambda: layers.Conv3DTranspose(2, 3, strides=2), (None, 4, 4, 4, 1), (None, 9, 9, 9, 2)),
    (lambda: layers.DepthwiseConv1D(3, strides=2, padding="same"), (None, 7, 2), (None, 4, 2)),
    (lambda: layers.SeparableConv2D(5, 3, data_format="channels_first"), (None, 2, 6, 7), (None, 5, 4, 5)),
], ids=["conv_same_none", "causal", "transpose_all_none", "transpose_same", "transpose3d", "depthwise",
        "separable_cf"])
def test_symbolic_shapes(layer, input_shape, expected):
    """Shapes TF 2.21 gives for `layer(keras.Input(batch_shape=input_shape))`."""
    assert tuple(layer()(keras.Input(batch_shape=input_shape)).shape) == expected


# -- errors and configs -------------------------------------------------------------------

@pytest.mark.parametrize(("make", "message"), [
    (lambda: layers.Conv2D(0, 3),
     "Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0."),
    (lambda: layers.Conv2D(2, 0),
     "The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=0, including values {0} "
     "that do not satisfy `value > 0`"),
    (lambda: layers.Conv2D(2, (3, 3, 3)),
     "The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=(3, 3, 3)"),
    (lambda: layers.Conv2D(2, 2.0), "The `kernel_size` argument must be a tuple of 2 integers. Received "
                                    "kernel_size=2.0"),
    (lambda: layers.Conv2D(4, 3, strides=0),
     "The `strides` argument must be a tuple of 2 integers. Received strides=0, including values {0} that do "
     "not satisfy `value > 0`"),
    (lambda: layers.Conv2D(2, 3, strides=2, dilation_rate=2),
     "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and "
     "dilation_rate=(2, 2)"),
    (lambda: layers.Conv2D(2, 3, groups=0), "The number of groups must be a positive integer. Received: groups=0."),
    (lambda: layers.Conv2D(4, 3, groups=3), "The number of filters must be evenly divisible by the number of "
                                            "groups. Received: groups=3, filters=4."),
    (lambda: layers.Conv2D(4, 3, data_format="NHWC"), "The `data_format` argument must be one of "
                                                      "{'channels_first', 'channels_last'}. Received: "
                                                      "data_format=nhwc"),
    (lambda: layers.Conv2DTranspose(4, 3, strides=2, output_padding=2),
     "`output_padding` must be strictly less than `strides` for all dimensions. At dimension 0, "
     "`output_padding` is 2 but `strides` is 2. Received: output_padding=(2, 2), strides=(2, 2)"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "Invalid value for argument `depth_multiplier`. "
                                                            "Expected a strictly positive value. Received "
                                                            "depth_multiplier=0."),
    (lambda: layers.SeparableConv2D(0, 3), "Invalid value for argument `filters`. Expected a strictly positive "
                                           "value. Received filters=0."),
], ids=["filters", "kernel_zero", "kernel_length", "kernel_float", "strides", "strides_dilation", "groups_zero",
        "groups_filters", "data_format", "output_padding", "depth_multiplier", "separable_filters"])
def test_argument_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


@pytest.mark.parametrize("make", [lambda: layers.Conv2D(2, 3, padding="causal"),
                                  lambda: layers.Conv1DTranspose(2, 3, padding="causal"),
                                  lambda: layers.DepthwiseConv1D(3, padding="causal"),
                                  lambda: layers.SeparableConv1D(2, 3, padding="full")],
                         ids=["conv2d", "transpose", "depthwise", "separable"])
def test_padding_errors(make):
    with pytest.raises(ValueError, match=r"The `padding` argument must be a list/tuple or one of \{'valid', "
                                         r"'same'\}. Received: (causal|full)"):
        make()


def test_padding_is_case_insensitive_and_causal_is_1d_only():
    assert layers.Conv2D(2, 3, padding="SAME").padding == "same"
    assert layers.Conv1D(2, 3, padding="Causal").padding == "causal"


@pytest.mark.parametrize(("make", "x", "message"), [
    (lambda: layers.Conv2D(4, 3, groups=4), np.zeros((2, 5, 5, 2), "float32"),
     "The number of input channels must be evenly divisible by the number of groups. Received groups=4, but the "
     "input has 2 channels (full input shape is (2, 5, 5, 2))."),
    (lambda: layers.Conv2D(2, 6), np.zeros((2, 5, 5, 2), "float32"),
     "Computed output size would be zero or negative. Received `inputs shape=(2, 5, 5, 2)`, `kernel shape=(6, 6, "
     "2, 2)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`."),
    (lambda: layers.Conv2D(2, 3), np.zeros((1, 4, 5, 5, 2), "float32"),
     "Kernel shape must have the same length as input, but received kernel of shape (3, 3, 2, 2) and input of "
     "shape (1, 4, 5, 5, 2)."),
], ids=["groups_channels", "too_small", "rank"])
def test_build_errors(make, x, message):
    with pytest.raises(ValueError) as info:
        make()(x)
    assert str(info.value) == message


def test_input_spec_after_build():
    layer = layers.Conv2D(4, 2)
    layer.build((None, 5, 5, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((1, 5, 5, 2), "float32"))
    with pytest.raises(ValueError) as info:
        layer(np.zeros((5, 5, 3), "float32"))
    assert str(info.value) == ("Input 0 with name 'None' of layer 'conv2d' is incompatible with the layer: "
                               "expected min_ndim=4, found ndim=3. Full shape received: (5, 5, 3)")


def test_conv2d_config_is_keras():
    """Keras 3.15's `Conv2D(4, 3).get_config()`, initializers and dtype aside."""
    config = layers.Conv2D(4, 3).get_config()
    for key in ("dtype", "kernel_initializer", "bias_initializer"):
        config.pop(key)
    assert config == {"name": "conv2d", "trainable": True, "filters": 4, "kernel_size": (3, 3),
                      "strides": (1, 1), "padding": "valid", "data_format": "channels_last",
                      "dilation_rate": (1, 1), "groups": 1, "activation": "linear", "use_bias": True,
                      "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                      "kernel_constraint": None, "bias_constraint": None}


def test_transpose_config_keeps_output_padding():
    config = layers.Conv2DTranspose(2, 3, strides=2, output_padding=1).get_config()
    assert config["output_padding"] == (1, 1) and config["kernel_size"] == (3, 3)
    assert layers.Conv2DTranspose(2, 3).get_config()["output_padding"] is None


def test_aliases():
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.SeparableConvolution1D is layers.SeparableConv1D


def test_regularizers_add_losses():
    layer = layers.SeparableConv2D(2, 2, depthwise_regularizer="l2", pointwise_regularizer="l1",
                                   activity_regularizer="l2")
    layer(np.ones((1, 3, 3, 2), "float32"))
    assert len(layer.losses) == 3


@pytest.mark.parametrize("make", [
    lambda: layers.Conv2D(2, 3, kernel_regularizer="l2", bias_constraint="non_neg", activity_regularizer="l1"),
    lambda: layers.Conv1DTranspose(2, 3, kernel_constraint="unit_norm", bias_regularizer="l1"),
    lambda: layers.DepthwiseConv2D(2, depthwise_regularizer="l2", depthwise_constraint="max_norm"),
    lambda: layers.SeparableConv1D(2, 2, pointwise_regularizer="l1", pointwise_constraint="non_neg"),
], ids=["conv", "transpose", "depthwise", "separable"])
def test_config_round_trip_with_families(make):
    layer = make()
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
