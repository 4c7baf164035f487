"""Tests for `tf.keras.constraints`: projections, their torch twins, configs and get.

Expected values are hand-derived from Keras's formulas (numpy, epsilon 1e-7); configs
and messages were printed by Keras 3.15.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import constraints as C

EPSILON = 1e-7
W = np.array([[3.0, 0.1, 0.0], [4.0, -0.2, 0.0]], dtype="float32")  # column norms 5, ~0.22, 0
K = np.random.default_rng(0).normal(size=(3, 3, 2, 4)).astype("float32")


def _norms(w, axis):
    return np.sqrt(np.square(w).sum(axis=axis, keepdims=True))


def _max_norm(w, max_value, axis):
    n = _norms(w, axis)
    return w * np.clip(n, 0, max_value) / (EPSILON + n)


def _min_max_norm(w, lo, hi, rate, axis):
    n = _norms(w, axis)
    return w * (rate * np.clip(n, lo, hi) + (1 - rate) * n) / (EPSILON + n)


PROJECTIONS = [
    ("max_norm", C.MaxNorm(), W, _max_norm(W, 2, 0)),
    ("max_norm_axis1", C.MaxNorm(1.5, axis=1), W, _max_norm(W, 1.5, 1)),
    ("max_norm_conv", C.MaxNorm(2, axis=[0, 1, 2]), K, _max_norm(K, 2, (0, 1, 2))),
    ("unit_norm", C.UnitNorm(), W, W / (EPSILON + _norms(W, 0))),
    ("unit_norm_conv", C.UnitNorm(axis=[0, 1, 2]), K, K / (EPSILON + _norms(K, (0, 1, 2)))),
    ("non_neg", C.NonNeg(), W, np.maximum(W, 0)),
    ("min_max_norm", C.MinMaxNorm(), W, _min_max_norm(W, 0.0, 1.0, 1.0, 0)),
    ("min_max_norm_rate", C.MinMaxNorm(0.5, 2.0, 0.5, axis=1), W, _min_max_norm(W, 0.5, 2.0, 0.5, 1)),
]


@pytest.mark.parametrize("constraint, w, expected", [p[1:] for p in PROJECTIONS], ids=[p[0] for p in PROJECTIONS])
def test_projection(constraint, w, expected):
    out = constraint(tf.constant(w))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32 and out.shape == w.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6, atol=1e-7)
    raw = constraint.raw(torch.from_numpy(w))
    assert type(raw) is torch.Tensor
    np.testing.assert_allclose(raw.numpy(), expected, rtol=1e-6, atol=1e-7)


def test_zero_column_stays_zero_and_variables_are_accepted():
    out = C.UnitNorm()(tf.Variable(W)).numpy()
    assert out[:, 2].tolist() == [0.0, 0.0]
    np.testing.assert_allclose(out[:, 0], [0.6, 0.8], rtol=1e-6)


def test_integer_weights():
    # Keras 3.15: NonNeg keeps the integer dtype, the norm constraints compute in float32.
    xi = tf.constant([[-3, 4]])
    assert C.NonNeg()(xi).numpy().tolist() == [[0, 4]]
    out = C.UnitNorm(axis=1)(xi)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [[-0.6, 0.8]], rtol=1e-6)


class Clip(C.Constraint):
    def __call__(self, w):
        return tf.clip_by_value(w, -1.0, 1.0)


def test_raw_of_user_constraints():
    raw = torch.from_numpy(W)
    np.testing.assert_allclose(Clip().raw(raw).numpy(), np.clip(W, -1, 1))
    np.testing.assert_allclose(C.raw_constraint(lambda w: w * 2.0)(raw).numpy(), 2 * W)
    assert C.Constraint().raw(raw).numpy().tolist() == W.tolist()  # the base one is the identity


def test_configs():
    assert C.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert C.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert C.UnitNorm(axis=[0, 1]).get_config() == {"axis": [0, 1]}
    assert C.NonNeg().get_config() == {}
    assert C.serialize(C.MaxNorm()) == {"module": "keras.constraints", "class_name": "MaxNorm",
                                        "config": {"max_value": 2, "axis": 0}, "registered_name": None}


@pytest.mark.parametrize("constraint", [C.MaxNorm(3, axis=1), C.UnitNorm(axis=[0, 1, 2]), C.NonNeg(),
                                        C.MinMaxNorm(0.5, 2.0, 0.3, 1)], ids=lambda c: type(c).__name__)
def test_serialize_round_trip(constraint):
    again = C.deserialize(C.serialize(constraint))
    assert type(again) is type(constraint) and again.get_config() == constraint.get_config()


def test_get():
    assert type(C.get("max_norm")) is C.MaxNorm and type(C.get("NonNeg")) is C.NonNeg
    assert type(C.get("unit_norm")) is C.UnitNorm and type(C.get("min_max_norm")) is C.MinMaxNorm
    assert C.get(None) is None
    assert type(C.get(C.UnitNorm)) is C.UnitNorm
    with pytest.raises(ValueError, match="^Could not interpret constraint identifier: nope$"):
        C.get("nope")
