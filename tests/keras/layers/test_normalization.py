"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization, RMSNormalization.

Outputs and gradients against TF are in compat (`layer_cases/normalization.py`); here the
moving statistics after training calls are checked against the weights TF recorded in
those fixtures, the rest against hand-derived values and Keras 3.15's messages.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat import layerkit
from compat.layer_cases.normalization import CASES
from kerastorch import keras
from tests.keras.layers.harness import check_layer, normal, unbuilt

L = keras.layers
FIXTURES = Path(__file__).parents[3] / "compat" / "fixtures" / "layers"


HARNESS = [
    ("bn", lambda: L.BatchNormalization(), [(4, 3)], {}),
    ("bn_train", lambda: L.BatchNormalization(), [(4, 3)], {"training": True}),
    ("bn_4d_train", lambda: L.BatchNormalization(momentum=0.5), [(2, 3, 3, 4)], {"training": True}),
    ("bn_axis1", lambda: L.BatchNormalization(axis=1), [(2, 3, 4, 2)], {}),
    ("bn_renorm_train", lambda: L.BatchNormalization(renorm=True), [(5, 3)], {"training": True}),
    ("ln", lambda: L.LayerNormalization(), [(2, 5, 4)], {}),
    ("ln_axes", lambda: L.LayerNormalization(axis=[1, 2]), [(2, 3, 4)], {}),
    ("ln_inner_axis", lambda: L.LayerNormalization(axis=1), [(2, 3, 4)], {}),
    ("gn", lambda: L.GroupNormalization(groups=2), [(2, 5, 4)], {}),
    ("gn_4d_axis1", lambda: L.GroupNormalization(groups=3, axis=1), [(2, 6, 2, 3)], {}),
    ("unit", lambda: unbuilt(L.UnitNormalization()), [(2, 5)], {}),
    ("rms", lambda: L.RMSNormalization(), [(2, 5, 4)], {}),
]


@pytest.mark.parametrize(("make", "shapes", "kwargs"), [h[1:] for h in HARNESS], ids=[h[0] for h in HARNESS])
def test_harness(make, shapes, kwargs):
    check_layer(make, *shapes, call_kwargs=kwargs)


# -- BatchNormalization: statistics -------------------------------------------------------

def _fixture():
    meta = json.loads((FIXTURES / "normalization.json").read_text())["cases"]
    with np.load(FIXTURES / "normalization.npz") as npz:
        return meta, {key: npz[key] for key in npz.files}


STATE_CASES = [c for c in CASES if not c["set_weights"]]


@pytest.mark.parametrize("case", STATE_CASES, ids=[c["id"] for c in STATE_CASES])
def test_batch_norm_statistics_after_two_training_calls_match_tf(case):
    meta, arrays = _fixture()
    cid = case["id"]
    inputs = [arrays[f"{cid}/in{i}"] for i in range(len(case["inputs"]))]
    got = layerkit.run_case({**case, "grad": False, "symbolic": False}, tf, keras, inputs)
    want = [arrays[f"{cid}/weights{i}"] for i in range(len(meta[cid]["weight_shapes"]))]
    assert meta[cid]["weight_names"][2:4] == ["moving_mean", "moving_variance"]
    for name, g, w in zip(meta[cid]["weight_names"], got["weights"], want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6, err_msg=name)


def test_batch_norm_training_uses_biased_batch_moments_and_updates_the_averages():
    x = normal(6, 3)
    bn = L.BatchNormalization(momentum=0.9, epsilon=0.01)
    out = bn(x, training=True)
    mean, var = x.mean(0), x.var(0)  # numpy's var is the biased one
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 0.01), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean, 0.1 * mean, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(bn.moving_variance, 0.9 + 0.1 * var, rtol=1e-5)


def test_batch_norm_inference_uses_the_moving_averages_and_changes_nothing():
    x = normal(5, 2)
    bn = L.BatchNormalization(epsilon=0.5)
    bn.build((None, 2))
    bn.set_weights([np.array([2.0, 3.0]), np.array([1.0, -1.0]), np.array([0.5, 0.0]), np.array([1.5, 0.5])])
    for training in (None, False):
        out = bn(x, training=training)
        want = (x - [0.5, 0.0]) / np.sqrt([2.0, 1.0]) * [2.0, 3.0] + [1.0, -1.0]
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean, [0.5, 0.0])
    np.testing.assert_array_equal(bn.moving_variance, [1.5, 0.5])


def test_frozen_batch_norm_runs_in_inference_mode_even_when_training():
    bn = L.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    x = normal(4, 3)
    np.testing.assert_allclose(bn(x, training=True), x / np.sqrt(1.001), rtol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean, np.zeros(3))
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4


def test_batch_norm_masked_moments_ignore_masked_steps():
    x = normal(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, False, True, True]])
    bn = L.BatchNormalization(momentum=0.0)
    out = bn(x, training=True, mask=tf.constant(mask))
    kept = x[mask]
    np.testing.assert_allclose(bn.moving_mean, kept.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance, kept.var(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, (x - kept.mean(0)) / np.sqrt(kept.var(0) + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(out._keras_mask, mask)


def test_batch_norm_mask_of_wrong_rank_is_refused():
    with pytest.raises(ValueError, match=r"The mask provided should be one dimension less than the inputs. "
                                         r"Received: mask.shape=\(2, 4, 3\), inputs.shape=\(2, 4, 3\)"):
        L.BatchNormalization()(normal(2, 4, 3), mask=tf.ones((2, 4, 3), "bool"))


def test_batch_norm_half_precision_computes_in_float32_and_keeps_float32_statistics():
    bn = L.BatchNormalization(dtype="mixed_float16")
    x = normal(8, 3) * 100
    out = bn(x, training=True)
    assert out.dtype == tf.float16
    assert [w.dtype for w in bn.weights] == [tf.float32] * 4
    np.testing.assert_allclose(bn.moving_variance, 0.99 + 0.01 * x.astype("float16").astype("float32").var(0),
                               rtol=1e-3)


def test_batch_norm_weights_and_config():
    bn = L.BatchNormalization(renorm=True, synchronized=True)
    bn.build((None, 4, 2))
    assert [w.path for w in bn.weights] == [f"batch_normalization/{n}" for n in (
        "gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev")]
    assert [w.trainable for w in bn.weights] == [True, True] + [False] * 5
    config = bn.get_config()
    assert sorted(config) == [
        "axis", "beta_constraint", "beta_initializer", "beta_regularizer", "center", "dtype", "epsilon",
        "gamma_constraint", "gamma_initializer", "gamma_regularizer", "momentum", "moving_mean_initializer",
        "moving_variance_initializer", "name", "renorm", "renorm_clipping", "renorm_momentum", "scale",
        "synchronized", "trainable"]
    assert config["renorm_clipping"] == {} and config["synchronized"] is True
    assert L.BatchNormalization.from_config(config).get_config() == config
    bn_plain = L.BatchNormalization(center=False, scale=False, moving_variance_initializer="zeros")
    bn_plain.build((None, 2))
    assert [w.name for w in bn_plain.weights] == ["moving_mean", "moving_variance"]
    np.testing.assert_array_equal(bn_plain.moving_variance, [0.0, 0.0])


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"renorm": True, "renorm_clipping": {"rmx": 1.0}}, ValueError,
     "Received invalid keys for `renorm_clipping` argument: {'rmx': 1.0}. Supported values: "
     "['rmax', 'rmin', 'dmax']."),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.0, "rmin": 2.0}}, ValueError,
     "rmax should be greater than rmin in the `renorm_clipping` argument. Received: rmax=1.0, rmin=2.0."),
    ({"renorm": True, "renorm_clipping": {"dmax": -1}}, ValueError,
     "dmax should be non-negative in the `renorm_clipping` argument. Received: dmax=-1."),
    ({"axis": [1, 2]}, TypeError, "int() argument must be"),
], ids=["clip_keys", "rmax_rmin", "dmax", "axis_list"])
def test_batch_norm_argument_errors(kwargs, error, message):
    with pytest.raises(error) as info:
        L.BatchNormalization(**kwargs)
    assert message in str(info.value)


# -- LayerNormalization -------------------------------------------------------------------

def test_layer_norm_normalizes_each_example_over_the_axes():
    x = normal(2, 3, 4)
    ln = L.LayerNormalization(axis=[1, 2], epsilon=0.1)
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(ln(x), (x - mean) / np.sqrt(var + 0.1), rtol=1e-5, atol=1e-6)
    assert ln.gamma.shape == (3, 4) and ln.get_config()["axis"] == [1, 2]


def test_layer_norm_inner_axis_uses_the_weights_along_it():
    x = normal(2, 3, 4)
    ln = L.LayerNormalization(axis=1)
    ln.build((None, 3, 4))
    ln.set_weights([np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.0])])
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    want = (x - mean) / np.sqrt(var + 1e-3) * np.array([1.0, 2.0, 3.0])[:, None] + np.array([0.0, 1.0, 0.0])[:, None]
    np.testing.assert_allclose(ln(x), want, rtol=1e-5, atol=1e-5)


def test_layer_norm_rms_scaling_is_deprecated_and_scales_by_the_variance():
    x = normal(2, 5)
    with pytest.warns(UserWarning, match="You passed `rms_scaling=True`, which is deprecated"):
        ln = L.LayerNormalization(rms_scaling=True)
    np.testing.assert_allclose(ln(x), x / np.sqrt(x.var(-1, keepdims=True) + 1e-3), rtol=1e-5, atol=1e-6)
    assert [w.name for w in ln.weights] == ["gamma"]


def test_layer_norm_keeps_masks_and_refuses_a_bad_axis():
    x = tf.constant(normal(2, 3, 4))
    x._keras_mask = tf.constant([[True, False, True], [True, True, False]])
    np.testing.assert_array_equal(L.LayerNormalization()(x)._keras_mask, x._keras_mask)
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints for the argument 'axis', but "
                                        "received: 'last'"):
        L.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match=r"Axis 3 is out of bounds for input shape \(None, 4\). Received: axis=3"):
        L.LayerNormalization(axis=3).compute_output_shape((None, 4))


# -- GroupNormalization, UnitNormalization, RMSNormalization ----------------------------

def test_group_norm_normalizes_groups_of_channels():
    x = normal(2, 3, 4)
    gn = L.GroupNormalization(groups=2, epsilon=0.01)
    groups = x.reshape(2, 3, 2, 2)
    mean, var = groups.mean((1, 3), keepdims=True), groups.var((1, 3), keepdims=True)
    np.testing.assert_allclose(gn(x), ((groups - mean) / np.sqrt(var + 0.01)).reshape(x.shape), rtol=1e-5,
                               atol=1e-5)


def test_group_norm_minus_one_is_instance_normalization():
    x = normal(2, 5, 3)
    gn = L.GroupNormalization(groups=-1)
    out = gn(x)
    assert gn.groups == 3 and gn.get_config()["groups"] == 3
    np.testing.assert_allclose(out, (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-3),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("groups", "shape", "message"), [
    (0, None, "Received an invalid value for argument `groups`, expected a positive integer (or `-1` for "
              "instance normalization). Received: groups=0"),
    (8, (2, 4), "Number of groups (8) cannot be more than the number of channels (4)."),
    (3, (2, 4), "Number of groups (3) must be a multiple of the number of channels (4)."),
    (2, (2, None), "Axis -1 of input tensor should have a defined dimension but the layer received an input "
                   "with shape (2, None)."),
], ids=["zero", "too_many", "not_dividing", "unknown_channels"])
def test_group_norm_errors(groups, shape, message):
    with pytest.raises(ValueError) as info:
        L.GroupNormalization(groups=groups).build(shape)
    assert str(info.value) == message


def test_unit_norm_is_built_at_creation_and_caps_the_inverse_norm():
    layer = L.UnitNormalization(axis=[1, 2])
    assert layer.built and layer.weights == []
    x = np.zeros((2, 2, 2), "float32")
    x[0] = [[3.0, 0.0], [0.0, 4.0]]
    np.testing.assert_allclose(layer(x), x / 5.0)
    with pytest.raises(TypeError, match="Invalid value for `axis` argument: expected an int or a list/tuple of "
                                        "ints. Received: axis=None"):
        L.UnitNormalization(axis=None)
    assert sorted(layer.get_config()) == ["axis", "dtype", "name", "trainable"]


def test_rms_norm_scales_by_the_root_mean_square():
    x = normal(3, 4)
    layer = L.RMSNormalization(epsilon=0.5)
    np.testing.assert_allclose(layer(x), x / np.sqrt((x**2).mean(-1, keepdims=True) + 0.5), rtol=1e-5)
    assert [w.path for w in layer.weights] == ["rms_normalization/scale"]
    assert layer.get_config()["axis"] == [-1] and not layer.supports_masking


@pytest.mark.parametrize(("layer", "keys"), [
    (lambda: L.LayerNormalization(),
     ["axis", "beta_constraint", "beta_initializer", "beta_regularizer", "center", "dtype", "epsilon",
      "gamma_constraint", "gamma_initializer", "gamma_regularizer", "name", "rms_scaling", "scale", "trainable"]),
    (lambda: L.GroupNormalization(),
     ["axis", "beta_constraint", "beta_initializer", "beta_regularizer", "center", "dtype", "epsilon",
      "gamma_constraint", "gamma_initializer", "gamma_regularizer", "groups", "name", "scale", "trainable"]),
    (lambda: L.RMSNormalization(), ["axis", "dtype", "epsilon", "name", "trainable"]),
], ids=["layer_norm", "group_norm", "rms_norm"])
def test_config_keys_are_keras_keys(layer, keys):
    assert sorted(layer().get_config()) == keys


def test_gamma_regularizers_add_losses_and_constraints_are_kept():
    ln = L.LayerNormalization(gamma_regularizer="l2", beta_constraint="non_neg")
    ln(normal(2, 3))
    assert len(ln.losses) == 1
    np.testing.assert_allclose(ln.losses[0], 0.01 * 3, rtol=1e-6)
    assert ln.beta.constraint is not None


@pytest.mark.parametrize("make", [
    lambda: L.LayerNormalization(dtype="mixed_float16"),
    lambda: L.GroupNormalization(groups=2, dtype="mixed_float16"),
    lambda: L.RMSNormalization(dtype="mixed_float16"),
], ids=["layer_norm", "group_norm", "rms_norm"])
def test_half_precision_policies_compute_in_float32_and_return_float16(make):
    layer = make()
    x = tf.cast(normal(2, 3, 4) * 300, "float16")  # squares overflow float16: the statistics must be float32
    out = layer(x)
    assert out.dtype == tf.float16 and layer.weights[0].dtype == tf.float32
    assert np.isfinite(np.asarray(out, "float32")).all()
