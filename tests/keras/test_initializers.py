"""Tests for `tf.keras.initializers`: distributions, fans, seeds, the raw entry point, get.

The numbers are torch's, not TF's: distributions are checked statistically on seeded
draws against Keras's formulas (hand-derived expectations, stated per case).
"""

import math

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import _serialization
from kerastorch.keras import initializers as I

TRUNCATED_STDDEV = 0.87962566103423978  # std of a standard normal truncated to [-2, 2]


def _draw(init, shape, dtype=None):
    return init(shape, dtype=dtype).numpy().astype("float64")


# (initializer, shape, expected std, bound or None): limit / stddev from Keras's fans.
DISTRIBUTIONS = [
    (I.GlorotUniform(seed=1), (200, 300), math.sqrt(2 / 500), math.sqrt(6 / 500)),
    (I.GlorotNormal(seed=2), (200, 300), math.sqrt(2 / 500), 2 * math.sqrt(2 / 500) / TRUNCATED_STDDEV),
    (I.HeUniform(seed=3), (3, 3, 64, 32), math.sqrt(2 / 576), math.sqrt(6 / 576)),
    (I.HeNormal(seed=4), (3, 3, 64, 32), math.sqrt(2 / 576), 2 * math.sqrt(2 / 576) / TRUNCATED_STDDEV),
    (I.LecunUniform(seed=5), (400, 100), math.sqrt(1 / 400), math.sqrt(3 / 400)),
    (I.LecunNormal(seed=6), (400, 100), math.sqrt(1 / 400), 2 * math.sqrt(1 / 400) / TRUNCATED_STDDEV),
    (I.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=7), (100, 400), math.sqrt(2 / 400), None),
    (I.VarianceScaling(1.0, "fan_in", "uniform", seed=8, input_axes=[0, 1], output_axes=[2]), (10, 20, 200),
     math.sqrt(1 / 200), math.sqrt(3 / 200)),
    (I.VarianceScaling(0.5, "fan_avg", "uniform", seed=9), (40000,), math.sqrt(0.5 / 40000),
     math.sqrt(1.5 / 40000)),
    (I.RandomUniform(-1.0, 3.0, seed=10), (200, 200), 4 / math.sqrt(12), None),
    (I.RandomNormal(0.0, 2.0, seed=11), (200, 200), 2.0, None),
    (I.TruncatedNormal(0.0, 2.0, seed=12), (200, 200), 2.0 * TRUNCATED_STDDEV, 4.0),
]


@pytest.mark.parametrize("init, shape, std, bound", DISTRIBUTIONS,
                         ids=[f"{type(d[0]).__name__}{d[1]}" for d in DISTRIBUTIONS])
def test_distribution(init, shape, std, bound):
    values = _draw(init, shape)
    n = values.size
    assert values.shape == shape
    assert abs(values.std() - std) < 0.03 * std
    if bound is not None:
        assert np.abs(values).max() <= bound * (1 + 1e-6)
        assert np.abs(values).max() > 0.95 * bound  # the whole range is used
        assert abs(values.mean()) < 5 * std / math.sqrt(n)


def test_random_means():
    assert abs(_draw(I.RandomNormal(1.0, 2.0, seed=1), (200, 200)).mean() - 1.0) < 0.05
    uniform = _draw(I.RandomUniform(-1.0, 3.0, seed=2), (200, 200))
    assert uniform.min() >= -1.0 and uniform.max() < 3.0
    truncated = _draw(I.TruncatedNormal(0.5, 2.0, seed=3), (200, 200))
    assert -3.5 <= truncated.min() and truncated.max() <= 4.5  # mean ± 2 stddev


@pytest.mark.parametrize("shape, fans", [((), (1, 1)), ((7,), (7, 7)), ((3, 5), (3, 5)),
                                         ((3, 3, 4, 8), (36, 72)), ((2, 3, 5, 4, 6), (120, 180))],
                         ids=["scalar", "vector", "dense", "conv2d", "conv3d"])
def test_compute_fans(shape, fans):
    assert I.compute_fans(shape) == fans


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64"])
def test_random_dtypes(dtype):
    out = I.GlorotNormal(seed=1)((30, 40), dtype=dtype)
    assert out.dtype == tf.as_dtype(dtype)
    assert abs(out.numpy().astype("float64").std() - math.sqrt(2 / 70)) < 0.1 * math.sqrt(2 / 70)


def test_random_initializers_need_floats():
    with pytest.raises(ValueError, match="RandomNormal can only produce floating point values. Received: "
                                         "dtype=int32"):
        I.RandomNormal()((2,), dtype="int32")


def test_seed_rules():
    # Keras 3: an instance fixes its seed at creation, seeded or not.
    init = I.GlorotUniform()
    np.testing.assert_array_equal(_draw(init, (4, 4)), _draw(init, (4, 4)))
    assert not np.array_equal(_draw(I.GlorotUniform(), (4, 4)), _draw(I.GlorotUniform(), (4, 4)))
    np.testing.assert_array_equal(_draw(I.HeNormal(seed=3), (4, 4)), _draw(I.HeNormal(seed=3), (4, 4)))
    assert not np.array_equal(_draw(I.HeNormal(seed=3), (4, 4)), _draw(I.HeNormal(seed=4), (4, 4)))


def test_global_seed_makes_unseeded_initializers_reproducible():
    try:
        tf.random.set_seed(42)
        first = _draw(I.RandomNormal(), (3, 3))
        tf.random.set_seed(42)
        again = _draw(I.RandomNormal(), (3, 3))
    finally:
        tf.random.set_seed(None)
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("shape, gain", [((6, 4), 1.0), ((3, 7), 2.0), ((3, 3, 2, 8), 0.5), ((5, 5), 1.5)],
                         ids=["tall", "wide", "conv", "square"])
def test_orthogonal(shape, gain):
    w = I.Orthogonal(gain=gain, seed=1)(shape).numpy().reshape(-1, shape[-1])
    gram = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(len(gram)), atol=1e-5)


def test_constant_initializers():
    assert I.Zeros()((2, 3), dtype="int32").numpy().tolist() == [[0, 0, 0], [0, 0, 0]]
    assert I.Zeros()((2,), dtype="bool").dtype == tf.bool
    assert I.Ones()((2,), dtype=tf.float16).numpy().tolist() == [1.0, 1.0]
    assert I.Constant(3.5)((2,), dtype="int32").numpy().tolist() == [3, 3]  # TF's cast truncates
    assert I.Constant([1.0, 2.0])((2, 2)).numpy().tolist() == [[1.0, 2.0], [1.0, 2.0]]
    assert I.Constant(tf.constant(2.0))((1,)).numpy().tolist() == [2.0]
    assert I.Identity(gain=2.0)((2, 3)).numpy().tolist() == [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]


@pytest.mark.parametrize("init, shape, message", [
    (I.Identity(), (3,), "Identity matrix initializer can only be used for 2D matrices. Received: shape=(3,) "
                         "of rank 1."),
    (I.Orthogonal(), (3,), "The tensor to initialize must be at least two-dimensional. Received: shape=(3,) "
                           "of rank 1."),
], ids=["identity", "orthogonal"])
def test_rank_errors(init, shape, message):
    with pytest.raises(ValueError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        init(shape)


@pytest.mark.parametrize("kwargs, message", [
    ({"scale": 0}, "Argument `scale` must be positive float. Received: scale=0"),
    ({"mode": "x"}, "Invalid `mode` argument: x. Please use one of"),
    ({"distribution": "x"}, "Invalid `distribution` argument: x.Please use one of"),
    ({"seed": "a"}, "`seed` argument should be an instance of `keras.random.SeedGenerator[(][)]` or an "
                    "integer. Received: seed=a"),
], ids=["scale", "mode", "distribution", "seed"])
def test_variance_scaling_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        I.VarianceScaling(**kwargs)


def test_configs():
    # printed by Keras 3.15
    assert I.GlorotUniform().get_config() == {"seed": None, "input_axes": None, "output_axes": None}
    assert list(I.VarianceScaling(distribution="Normal", seed=2).get_config().items()) == [
        ("seed", 2), ("scale", 1.0), ("mode", "fan_in"), ("distribution", "truncated_normal"),
        ("input_axes", None), ("output_axes", None)]
    assert I.RandomNormal().get_config() == {"seed": None, "mean": 0.0, "stddev": 0.05}
    assert I.Orthogonal().get_config() == {"seed": None, "gain": 1.0}
    assert I.Identity(gain=2.0).get_config() == {}
    assert I.serialize(I.Constant(np.array([1.0, 2.0]))) == {
        "module": "keras.initializers", "class_name": "Constant", "registered_name": None,
        "config": {"value": {"class_name": "__numpy__", "config": {"value": [1.0, 2.0], "dtype": "float64"}}}}


@pytest.mark.parametrize("init", [I.Zeros(), I.Constant(2.5), I.RandomUniform(-1.0, 1.0, seed=3),
                                  I.VarianceScaling(2.0, "fan_out", "uniform", seed=4), I.HeNormal(seed=5),
                                  I.Orthogonal(gain=3.0, seed=6)], ids=lambda i: type(i).__name__)
def test_serialize_round_trip(init):
    again = I.deserialize(I.serialize(init))
    assert type(again) is type(init) and again.get_config() == init.get_config()
    assert type(init.clone()) is type(init)


def test_get():
    assert type(I.get("glorot_uniform")) is I.GlorotUniform
    assert type(I.get("zero")) is I.Zeros and type(I.get("normal")) is I.RandomNormal
    assert type(I.get(I.Ones)) is I.Ones
    assert I.get("he_normal") is not I.get("he_normal")  # a new instance (and seed) each time
    assert I.get({"class_name": "HeNormal", "config": {"seed": 5}}).seed == 5
    assert I.get(None) is None
    with pytest.raises(ValueError, match="^Could not interpret initializer identifier: nope$"):
        I.get("nope")
    from_array = I.get(np.full((2, 2), 3.0))
    assert from_array((2, 2)).numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2, 2\) for direct tensor"):
        from_array((3, 2))


class Halves(I.Initializer):
    def __call__(self, shape, dtype=None):
        return tf.fill(shape, tf.constant(0.5, dtype))


class DoubledGlorot(I.GlorotUniform):
    def __call__(self, shape, dtype=None):
        return super().__call__(shape, dtype) * 2.0


def test_raw_entry_point():
    cpu = torch.device("cpu")
    out = I.HeNormal(seed=1).raw((3, 4), torch.float64, cpu)
    assert type(out) is torch.Tensor and out.dtype == torch.float64 and out.shape == (3, 4)
    np.testing.assert_array_equal(out.numpy(), I.HeNormal(seed=1)((3, 4), "float64").numpy())
    assert Halves().raw((2,), torch.float32, cpu).tolist() == [0.5, 0.5]  # a user subclass, via __call__
    np.testing.assert_allclose(DoubledGlorot(seed=2).raw((2, 2), torch.float32, cpu).numpy(),
                               2 * I.GlorotUniform(seed=2)((2, 2)).numpy())  # an overridden __call__ wins
    fn = I.raw_initializer(lambda shape, dtype=None: tf.ones(shape, dtype))
    assert fn((2,), torch.float16, cpu).dtype == torch.float16
    ones = I.Ones()
    assert I.raw_initializer(ones) == ones.raw


def test_base_initializer_must_be_implemented():
    with pytest.raises(NotImplementedError, match="must implement the `__call__[(][)]` method"):
        I.Initializer()((2,))


# -- serialization of user classes (the shared machinery in keras/_serialization.py) ----------

class Scaled(I.Initializer):
    def __init__(self, factor=1.0):
        self.factor = factor

    def __call__(self, shape, dtype=None):
        return tf.ones(shape, dtype or "float32") * self.factor

    def get_config(self):
        return {"factor": self.factor}


def test_custom_class_round_trip():
    config = I.serialize(Scaled(3.0))
    assert config == {"module": __name__, "class_name": "Scaled", "config": {"factor": 3.0},
                      "registered_name": "Scaled"}
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        I.get(config)  # unknown: Keras's deserialize hands the name back
    assert I.deserialize(config, custom_objects={"Scaled": Scaled}).factor == 3.0
    with _serialization.custom_object_scope({"Scaled": Scaled}):
        assert I.get(config).factor == 3.0


def test_registered_class_round_trip():
    registered = _serialization.register_keras_serializable("kt_tests", "ScaledOnes")(
        type("ScaledOnes", (Scaled,), {}))
    config = I.serialize(registered(2.0))
    assert config["registered_name"] == "kt_tests>ScaledOnes"
    again = I.get(config)
    assert type(again) is registered and again((2,)).numpy().tolist() == [2.0, 2.0]


def test_tensor_values_round_trip():
    config = _serialization.serialize_keras_object({"value": tf.constant([1, 2]), "dtype": tf.float16})
    assert config == {"value": {"class_name": "__tensor__", "config": {"value": [1, 2], "dtype": "int32"}},
                      "dtype": "float16"}
    value = _serialization.deserialize_keras_object(config)["value"]
    assert value.dtype == tf.int32 and value.numpy().tolist() == [1, 2]
