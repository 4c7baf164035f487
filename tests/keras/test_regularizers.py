"""Tests for `tf.keras.regularizers`: penalties, their torch twins, configs and get.

Expected penalties are hand-derived from Keras's formulas (numpy); configs and messages
were printed by Keras 3.15.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import regularizers as R

W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], dtype="float32")


def _orthogonal(w, factor, rows):
    m = w if rows else w.T
    unit = m / np.linalg.norm(m, axis=1, keepdims=True)
    product = unit @ unit.T * (1 - np.eye(len(m)))
    return factor * 0.5 * np.abs(product).sum() / (len(m) * (len(m) - 1) / 2)


PENALTIES = [
    (R.L1(), 0.01 * np.abs(W).sum()),
    (R.L1(0.3), 0.3 * np.abs(W).sum()),
    (R.L2(), 0.01 * np.square(W).sum()),
    (R.L2(0.2), 0.2 * np.square(W).sum()),
    (R.L1L2(), 0.0),
    (R.L1L2(l1=0.1, l2=0.2), 0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum()),
    (R.OrthogonalRegularizer(), _orthogonal(W, 0.01, rows=True)),
    (R.OrthogonalRegularizer(0.5, mode="columns"), _orthogonal(W, 0.5, rows=False)),
]


@pytest.mark.parametrize("reg, expected", PENALTIES, ids=[f"{type(r).__name__}{i}" for i, (r, _) in
                                                          enumerate(PENALTIES)])
def test_penalty(reg, expected):
    out = reg(tf.constant(W))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32 and out.shape == ()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    raw = reg.raw(torch.from_numpy(W))
    assert type(raw) is torch.Tensor
    np.testing.assert_allclose(raw.numpy(), expected, rtol=1e-6)


def test_penalty_gradient_and_variables():
    v = tf.Variable(W)
    with tf.GradientTape() as tape:
        penalty = R.L1L2(l1=0.1, l2=0.2)(v)
    np.testing.assert_allclose(tape.gradient(penalty, v).numpy(), 0.1 * np.sign(W) + 0.4 * W, rtol=1e-6)
    param = torch.tensor(W, requires_grad=True)
    R.L2(0.5).raw(param).backward()
    np.testing.assert_allclose(param.grad.numpy(), W, rtol=1e-6)


def test_float64_weights_use_the_float32_factor():
    # Keras casts the Python factor through float32 (0.2 -> 0.20000000298...).
    out = R.L2(0.2)(tf.constant(W.astype("float64")))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), float(np.float32(0.2)) * np.square(W.astype("float64")).sum(),
                               rtol=1e-14)


class Halved(R.Regularizer):
    def __call__(self, x):
        return 0.5 * tf.reduce_sum(x)

    def get_config(self):
        return {}


def test_raw_of_user_regularizers():
    raw = torch.from_numpy(W)
    assert Halved().raw(raw).item() == pytest.approx(0.5 * W.sum())
    fn = R.raw_regularizer(lambda x: tf.reduce_sum(tf.abs(x)))
    assert fn(raw).item() == pytest.approx(np.abs(W).sum())
    assert R.Regularizer().raw(raw).item() == 0.0  # the base penalty is 0.0


def test_configs():
    assert R.L1().get_config() == {"l1": 0.009999999776482582}  # stored as float32 in Keras
    assert R.L2().get_config() == {"l2": 0.01}
    assert R.L1L2(None, 0.3).get_config() == {"l1": 0.0, "l2": 0.3}
    assert R.OrthogonalRegularizer(0.1, "columns").get_config() == {"factor": 0.10000000149011612,
                                                                   "mode": "columns"}
    assert R.serialize(R.L2()) == {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01},
                                   "registered_name": None}
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        R.Regularizer().get_config()


@pytest.mark.parametrize("reg", [R.L1(0.3), R.L2(0.2), R.L1L2(0.1, 0.2), R.OrthogonalRegularizer(0.5, "rows")],
                         ids=lambda r: type(r).__name__)
def test_serialize_round_trip(reg):
    again = R.deserialize(R.serialize(reg))
    assert type(again) is type(reg) and again.get_config() == reg.get_config()


@pytest.mark.parametrize("make, message", [
    (lambda: R.L1(-1), "Invalid value for argument l1: expected a non-negative float.Received: l1=-1"),
    (lambda: R.L2("a"), "Invalid value for argument l2: expected a non-negative float.Received: l2=a"),
    (lambda: R.L1L2(l1=float("nan")), "Received: l1=nan"),
    (lambda: R.OrthogonalRegularizer(mode="x"), 'Expected one of {"rows", "columns"}. Received: mode=x'),
    (lambda: R.OrthogonalRegularizer()(tf.ones((2, 2, 2))), r"must have rank 2. Received: inputs.shape=\(2, 2, 2\)"),
], ids=["negative", "string", "nan", "mode", "rank"])
def test_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_get():
    assert type(R.get("l1")) is R.L1 and type(R.get("L2")) is R.L2
    assert type(R.get("l1l2")) is R.L1L2 and type(R.get("orthogonal_regularizer")) is R.OrthogonalRegularizer
    assert R.l1_l2 is R.L1L2  # an exported name, although get("l1_l2") fails as in Keras
    with pytest.raises(ValueError, match="^Could not interpret regularizer identifier: l1_l2$"):
        R.get("l1_l2")
    assert R.get(None) is None
    assert type(R.get(R.L2)) is R.L2
    assert R.get({"class_name": "L1", "config": {"l1": 0.5}}).get_config() == {"l1": 0.5}
