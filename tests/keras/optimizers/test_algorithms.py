"""Each optimizer's first step, derived by hand from Keras 3.15's formulas, and its slot variables."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.keras import optimizers
from tests.keras.optimizers.helpers import make_variable

G = np.array([0.5, -2.0, 1e-5], dtype="float64")  # a tiny gradient shows where epsilon sits
EPS = 1e-7


def _one_step(opt, w0=1.0):
    w = make_variable(np.full(3, w0))
    opt.apply_gradients([(tf.constant(G.astype("float32")), w)])
    return w.numpy().astype("float64")


FIRST_STEPS = {
    "sgd": (lambda: optimizers.SGD(0.1), 1.0 - 0.1 * G),
    "sgd_momentum": (lambda: optimizers.SGD(0.1, momentum=0.9), 1.0 - 0.1 * G),
    "sgd_nesterov": (lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True), 1.0 - 0.1 * G * 1.9),
    # Keras: lr * sqrt(1 - b2) / (1 - b1) * m / (sqrt(v) + eps) with m = 0.1 g, v = 0.001 g^2
    "adam": (lambda: optimizers.Adam(0.1), 1.0 - 0.1 * G / (np.abs(G) + EPS / np.sqrt(0.001))),
    "adamax": (lambda: optimizers.Adamax(0.1), 1.0 - 0.1 * G / (np.abs(G) + EPS)),
    "rmsprop": (lambda: optimizers.RMSprop(0.1), 1.0 - 0.1 * G / np.sqrt(0.1 * G**2 + EPS)),
    "adagrad": (lambda: optimizers.Adagrad(0.1), 1.0 - 0.1 * G / np.sqrt(0.1 + G**2 + EPS)),
    "adadelta": (lambda: optimizers.Adadelta(1.0), 1.0 - np.sqrt(EPS) * G / np.sqrt(0.05 * G**2 + EPS)),
    "lion": (lambda: optimizers.Lion(0.1), 1.0 - 0.1 * np.sign(G)),
    # FTRL from w = 0: n = 0.1 + g^2, z = g, w = -z / (sqrt(n) / lr)
    "ftrl": (lambda: optimizers.Ftrl(0.1), -0.1 * G / np.sqrt(0.1 + G**2)),
}


@pytest.mark.parametrize("name", FIRST_STEPS)
def test_first_step_by_hand(name):
    make, expected = FIRST_STEPS[name]
    np.testing.assert_allclose(_one_step(make(), 0.0 if name == "ftrl" else 1.0), expected, rtol=1e-5, atol=1e-7)


def test_keras_adam_is_not_torch_adam():
    keras_step = 1.0 - _one_step(optimizers.Adam(0.1))
    # torch.optim.Adam's first step: lr * m_hat / (sqrt(v_hat) + eps) with m_hat = g, v_hat = g^2
    torch_step = 0.1 * G / (np.abs(G) + EPS)
    assert keras_step[2] < 0.8 * torch_step[2]  # epsilon 1e-7 weighs sqrt(1000) times more in Keras
    # elsewhere the same step, up to Keras's float32 bias correction (1 - 0.999 is off by 1.3e-5 in float32)
    np.testing.assert_allclose(keras_step[:2], torch_step[:2], rtol=2e-5)


def test_amsgrad_keeps_the_largest_second_moment():
    w = make_variable([0.0])
    opt = optimizers.Adam(0.1, beta_2=0.5, amsgrad=True)
    for g in (4.0, 0.0):
        opt.apply_gradients([(tf.constant([g]), w)])
    velocity, velocity_hat = opt._velocities[0].numpy(), opt._velocity_hats[0].numpy()
    np.testing.assert_allclose([velocity[0], velocity_hat[0]], [4.0, 8.0])


def test_rmsprop_momentum_and_centered_slots(two_variables):
    opt = optimizers.RMSprop(momentum=0.5, centered=True)
    opt.build(two_variables)
    assert [v.path for v in opt.variables][2:] == [
        "rm_sprop/layer_kernel_velocity", "rm_sprop/layer_bias_velocity", "rm_sprop/layer_kernel_momentum",
        "rm_sprop/layer_bias_momentum", "rm_sprop/layer_kernel_average_gradient",
        "rm_sprop/layer_bias_average_gradient"]


def test_adafactor_factors_the_last_two_dimensions():
    kernel, bias = make_variable(np.ones((2, 3, 4)), "kernel"), make_variable(np.ones(4), "bias")
    opt = optimizers.Adafactor()
    opt.build([kernel, bias])
    described = [(v.path, tuple(v.shape.as_list()), v.dtype.name) for v in opt.variables[2:]]
    assert described == [("adafactor/kernel", (2, 3), "float32"), ("adafactor/kernel", (2, 4), "float32"),
                         ("adafactor/layer_kernel_velocity", (2, 3, 4), "float32"),
                         ("bias", (), "int32"), ("bias", (), "int32"),
                         ("adafactor/layer_bias_velocity", (4,), "float32")]


def test_adafactor_step_is_relative_to_the_weight_scale():
    # t = 1: rho = min(lr, 1) = lr, beta = 1 - 1 = 0, so v = g^2 + eps_1 and u = g / |g| = sign(g);
    # the RMS of u is 1, so the step is max(eps_2, rms(w)) * lr * sign(g).
    w = make_variable([3.0, -4.0, 0.0])
    optimizers.Adafactor(0.1).apply_gradients([(tf.constant([1.0, 1.0, -1.0]), w)])
    rms = np.sqrt(25.0 / 3.0)
    np.testing.assert_allclose(w.numpy(), [3.0 - 0.1 * rms, -4.0 - 0.1 * rms, 0.1 * rms], rtol=1e-6)


def test_nadam_keeps_its_momentum_product():
    w = make_variable([1.0])
    opt = optimizers.Nadam()
    for _ in range(2):
        opt.apply_gradients([(tf.constant([1.0]), w)])
    expected = 0.9 * (1 - 0.5 * 0.96) * 0.9 * (1 - 0.5 * 0.96**2)
    assert opt.variables[-1].path == "nadam/variable"
    np.testing.assert_allclose(opt.variables[-1].numpy(), expected, rtol=1e-6)


def test_lamb_scales_the_step_by_the_trust_ratio():
    w = make_variable([3.0, 4.0])
    optimizers.Lamb(0.1).apply_gradients([(tf.constant([1.0, 1.0]), w)])
    # update = m_hat / (sqrt(v_hat) + eps) ~ [1, 1]: |w| / |update| = 5 / sqrt(2)
    np.testing.assert_allclose(w.numpy(), np.array([3.0, 4.0]) - 0.1 * 5 / np.sqrt(2), rtol=1e-5)
