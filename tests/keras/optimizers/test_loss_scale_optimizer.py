"""`LossScaleOptimizer`: dynamic loss scaling (hand-derived trajectories; TF parity is in
compat/test_loss_scale_parity.py)."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras import optimizers
from kerastorch.keras.optimizers.loss_scale_optimizer import for_policy
from tests.keras.optimizers.helpers import make_variable

INF, NAN = float("inf"), float("nan")


def _state(opt) -> tuple:
    return float(opt.dynamic_scale.numpy()), int(opt.step_counter.numpy()), int(opt.iterations.numpy())


def test_finite_steps_unscale_and_grow_the_scale_every_growth_steps():
    w = make_variable([0.0])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=4.0, dynamic_growth_steps=2)
    opt.build([w])
    seen = []
    for _ in range(3):
        # The gradient of a loss scaled by the current scale: 8 * scale unscales to 8.
        opt.apply_gradients([(tf.constant([8.0 * _state(opt)[0]]), w)])
        seen.append((float(w.numpy()[0]), *_state(opt)))
    assert seen == [(-8.0, 4.0, 1, 1), (-16.0, 8.0, 0, 2), (-24.0, 8.0, 1, 3)]


@pytest.mark.parametrize("bad", [INF, -INF, NAN], ids=["inf", "-inf", "nan"])
def test_a_non_finite_gradient_skips_the_step_and_halves_the_scale(bad):
    kernel, bias = make_variable([1.0, 2.0], "kernel"), make_variable([3.0], "bias")
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.1), initial_scale=64.0, dynamic_growth_steps=3)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), kernel), (tf.constant([1.0]), bias)])
    before = [kernel.numpy(), bias.numpy(), [v.numpy() for v in opt.inner_optimizer.variables]]
    opt.apply_gradients([(tf.constant([1.0, 1.0]), kernel), (tf.constant([bad]), bias)])
    after = [kernel.numpy(), bias.numpy(), [v.numpy() for v in opt.inner_optimizer.variables]]
    np.testing.assert_array_equal(after[0], before[0])
    np.testing.assert_array_equal(after[1], before[1])
    for a, b in zip(after[2], before[2]):
        np.testing.assert_array_equal(a, b)
    assert _state(opt) == (32.0, 0, 1)


def test_the_callers_gradients_are_left_alone():
    grad = tf.constant([4.0, INF])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=2.0)
    opt.apply_gradients([(grad, make_variable([0.0, 0.0]))])
    np.testing.assert_array_equal(grad.numpy(), [4.0, INF])


def test_apply_raw_takes_torch_gradients_and_none():
    kernel, bias = make_variable([1.0], "kernel"), make_variable([1.0], "bias")
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=2.0)
    opt.apply_raw([torch.tensor([2.0]), torch.tensor([4.0])], [kernel, bias])
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['layer/bias'\]"):
        opt.apply_raw([torch.tensor([2.0]), None], [kernel, bias])
    assert (float(kernel.numpy()[0]), float(bias.numpy()[0])) == (-1.0, -1.0)
    assert _state(opt) == (2.0, 2, 2)


def test_no_gradient_at_all_is_the_inner_optimizers_error():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        opt.apply_gradients([(None, make_variable([1.0]))])


def test_scale_loss_keeps_torch_and_facade_types():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(), initial_scale=8.0)
    raw = opt.scale_loss(torch.tensor(2.0, dtype=torch.float16))
    assert type(raw) is torch.Tensor and raw.dtype is torch.float16 and float(raw) == 16.0  # unbuilt: as given
    opt.build([make_variable([1.0])])
    raw = opt.scale_loss(torch.tensor(2.0, dtype=torch.float16))
    assert raw.dtype is torch.float32 and float(raw) == 16.0  # built: times the float32 scale variable
    facade = opt.scale_loss(tf.constant(3.0))
    assert isinstance(facade, tf.Tensor) and float(facade) == 24.0


def test_an_assigned_scale_is_used_by_the_next_step():
    w = make_variable([0.0])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=8.0)
    opt.build([w])
    opt.dynamic_scale.assign(2.0)
    opt.step_counter.assign(5)
    assert float(opt.scale_loss(tf.constant(1.0))) == 2.0
    opt.apply_gradients([(tf.constant([6.0]), w)])
    assert float(w.numpy()[0]) == -3.0 and _state(opt) == (2.0, 6, 1)


def test_iterations_and_learning_rate_are_the_inner_optimizers():
    inner = optimizers.SGD(0.1, loss_scale_factor=4.0)
    opt = optimizers.LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None  # the wrapper does the scaling
    opt.learning_rate = 0.5
    assert opt.learning_rate is inner.learning_rate and float(inner.learning_rate.numpy()) == 0.5
    opt.apply_gradients([(tf.constant([1.0]), make_variable([0.0]))])
    assert opt.iterations is inner.iterations and int(opt.iterations.numpy()) == 1


def test_variables_are_its_own_then_the_inner_ones():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1, momentum=0.5))
    opt.build([make_variable([1.0, 2.0], "kernel")])
    assert [v.path for v in opt.variables] == [
        "loss_scale_optimizer/iteration", "loss_scale_optimizer/learning_rate", "loss_scale_optimizer/step_counter",
        "loss_scale_optimizer/dynamic_scale", "sgd/iteration", "sgd/learning_rate", "sgd/layer_kernel_momentum"]
    assert [v.dtype.name for v in opt.variables[2:4]] == ["int64", "float32"]


def test_config_round_trip_through_the_registry():
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.25), initial_scale=128.0, dynamic_growth_steps=7,
                                        name="scaled")
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert type(again) is optimizers.LossScaleOptimizer and type(again.inner_optimizer) is optimizers.Adam
    assert again.get_config() == opt.get_config()
    assert opt.get_config()["inner_optimizer"]["class_name"] == "Adam"


def test_weights_file_round_trip_restores_the_scale_and_the_inner_state(tmp_path):
    def model():
        m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
        m.compile(optimizers.LossScaleOptimizer(optimizers.Adam(0.1), initial_scale=16.0), "mse")
        m.optimizer.build(m.trainable_variables)
        return m

    first = model()
    first.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), batch_size=2, epochs=1, verbose=0)
    first.optimizer.dynamic_scale.assign(4.0)
    first.save_weights(tmp_path / "m.weights.h5")
    second = model()
    second.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(second.optimizer.variables, first.optimizer.variables, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert _state(second.optimizer) == (4.0, 2, 2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dynamic": False}, "no longer supports `dynamic=False`"),
    ({"clipvalue": 1.0}, "does not support `clipvalue`. Instead, set `clipvalue` on the `inner_optimizer`."),
    ({"foo": 1}, "does not support arguments: `foo`."),
], ids=["dynamic", "base_argument", "unknown"])
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        optimizers.LossScaleOptimizer(optimizers.SGD(), **kwargs)


def test_inner_optimizer_must_be_an_optimizer():
    with pytest.raises(TypeError, match="Received: inner_optimizer=sgd"):
        optimizers.LossScaleOptimizer("sgd")


@pytest.mark.parametrize(("policy", "wrapped"), [("mixed_float16", True), ("mixed_bfloat16", False),
                                                 ("float32", False)], ids=str)
def test_for_policy_wraps_only_under_mixed_float16(policy, wrapped):
    inner = optimizers.SGD()
    got = for_policy(inner, keras.DTypePolicy(policy))
    assert (type(got) is optimizers.LossScaleOptimizer) == wrapped
    if wrapped:
        assert got.inner_optimizer is inner and got.name == "loss_scale_optimizer"
        assert for_policy(got, keras.DTypePolicy(policy)) is got
    assert for_policy(inner, keras.DTypePolicy(policy), auto_scale_loss=False) is inner
