"""The step around the update: entry points, missing gradients, clipping, decay, EMA, accumulation, constraints."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import optimizers
from kerastorch.keras.constraints import NonNeg
from tests.keras.optimizers.helpers import make_variable


def _grads(*arrays):
    return [tf.constant(np.asarray(a, dtype="float32")) for a in arrays]


def test_apply_gradients_updates_and_returns_the_iteration_count(two_variables):
    opt = optimizers.SGD(0.5)
    result = opt.apply_gradients(zip(_grads([[1.0, 1.0], [2.0, 2.0]], [4.0, -4.0]), two_variables))
    np.testing.assert_allclose(two_variables[0].numpy(), [[0.5, -2.5], [-0.5, 2.0]])
    np.testing.assert_allclose(two_variables[1].numpy(), [-1.75, 1.5])
    assert result is opt.iterations and int(result.numpy()) == 1


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop", "nadam", "adafactor", "ftrl"])
def test_apply_raw_is_apply_gradients_on_torch_tensors(name):
    grads = [np.full((2, 2), 0.5, "float32"), np.array([1.0, -1.0], "float32")]
    public, raw = [make_variable(np.ones((2, 2))), make_variable([0.0, 1.0], "b")], [
        make_variable(np.ones((2, 2))), make_variable([0.0, 1.0], "b")]
    opt_public, opt_raw = optimizers.get(name), optimizers.get(name)
    for _ in range(3):
        opt_public.apply_gradients(zip(_grads(*grads), public))
        opt_raw.apply_raw([torch.from_numpy(g) for g in grads], raw)
    for a, b in zip(public, raw):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_apply_without_variables_uses_the_built_list(two_variables):
    opt = optimizers.SGD(1.0)
    opt.build(two_variables)
    opt.apply(_grads([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0]))
    np.testing.assert_allclose(two_variables[1].numpy(), [-0.75, -1.5])


def test_apply_without_variables_needs_one_gradient_per_variable(two_variables):
    opt = optimizers.SGD()
    opt.build(two_variables)
    with pytest.raises(ValueError, match="Received a list of 1 gradients, but the optimizer is tracking 2"):
        opt.apply(_grads([1.0, 1.0]))


def test_a_missing_gradient_is_skipped_with_keras_warning(two_variables):
    opt = optimizers.SGD(1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['layer/kernel'\] when minimizing"):
        opt.apply_gradients(zip([None, *_grads([1.0, 1.0])], two_variables))
    np.testing.assert_allclose(two_variables[0].numpy(), [[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(two_variables[1].numpy(), [-0.75, -1.5])


def test_no_gradient_at_all_raises_before_counting(two_variables):
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        opt.apply_gradients(zip([None, None], two_variables))
    assert int(opt.iterations.numpy()) == 0


def test_an_unknown_variable_is_refused(two_variables):
    opt = optimizers.SGD()
    opt.build(two_variables[:1])
    with pytest.raises(ValueError, match="Unknown variable: .*originally built with"):
        opt.apply_gradients(zip(_grads([1.0, 1.0]), two_variables[1:]))


def test_a_subset_of_the_built_variables_updates_only_those(two_variables):
    opt = optimizers.Adam(0.1)
    opt.build(two_variables)
    opt.apply_gradients(zip(_grads([1.0, 1.0]), two_variables[1:]))
    np.testing.assert_allclose(two_variables[0].numpy(), [[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(two_variables[1].numpy(), [0.15, -0.6], rtol=1e-5)


@pytest.mark.parametrize("options, expected", [
    ({"clipnorm": 1.0}, [-0.6, -0.8, 0.0]),
    ({"global_clipnorm": 1.0}, [-0.6, -0.8, 0.0]),
    ({"clipvalue": 3.5}, [-3.0, -3.5, 0.0]),
], ids=["clipnorm", "global_clipnorm", "clipvalue"])
def test_clipping(options, expected):
    w = make_variable([0.0, 0.0, 0.0])
    optimizers.SGD(1.0, **options).apply_gradients(zip(_grads([3.0, 4.0, 0.0]), [w]))
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)


def test_global_clipnorm_scales_all_gradients_together():
    a, b = make_variable([0.0]), make_variable([0.0], "b")
    optimizers.SGD(1.0, global_clipnorm=1.0).apply_gradients(zip(_grads([3.0], [4.0]), [a, b]))
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [-0.6, -0.8], rtol=1e-6)


def test_clipping_leaves_the_callers_gradients_alone():
    grad = tf.constant([3.0, 4.0])
    optimizers.SGD(1.0, clipnorm=1.0, loss_scale_factor=2.0).apply_gradients([(grad, make_variable([0.0, 0.0]))])
    np.testing.assert_array_equal(grad.numpy(), [3.0, 4.0])


def test_loss_scale_factor_divides_the_gradients():
    w = make_variable([1.0])
    opt = optimizers.SGD(1.0, loss_scale_factor=4.0)
    opt.apply_gradients(zip(_grads([2.0]), [w]))
    np.testing.assert_allclose(w.numpy(), [0.5])
    assert float(opt.scale_loss(tf.constant(2.0))) == 8.0


def test_weight_decay_is_decoupled_and_excludable(two_variables):
    opt = optimizers.SGD(0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply_gradients(zip(_grads(np.zeros((2, 2)), [0.0, 0.0]), two_variables))
    np.testing.assert_allclose(two_variables[0].numpy(), np.array([[1.0, -2.0], [0.5, 3.0]]) * 0.95, rtol=1e-6)
    np.testing.assert_allclose(two_variables[1].numpy(), [0.25, -0.5])


def test_weight_decay_exclusion_by_variable(two_variables):
    opt = optimizers.AdamW(0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_list=[two_variables[0]])
    opt.apply_gradients(zip(_grads(np.zeros((2, 2)), [0.0, 0.0]), two_variables))
    np.testing.assert_allclose(two_variables[0].numpy(), [[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(two_variables[1].numpy(), np.array([0.25, -0.5]) * 0.95, rtol=1e-6)


def test_gradient_accumulation_updates_every_n_calls_with_the_mean():
    w = make_variable([0.0])
    opt = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    opt.apply_gradients(zip(_grads([1.0]), [w]))
    assert w.numpy()[0] == 0.0 and int(opt.iterations.numpy()) == 0
    opt.apply_gradients(zip(_grads([3.0]), [w]))
    assert w.numpy()[0] == -2.0 and int(opt.iterations.numpy()) == 1
    assert int(opt._iterations.numpy()) == 2
    np.testing.assert_array_equal(opt._accumulated_gradients[0].numpy(), [0.0])


def test_ema_averages_from_the_first_step_and_finalize_writes_it_back():
    w = make_variable([0.0])
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    for g in (1.0, 1.0, 1.0):
        opt.apply_gradients(zip(_grads([g]), [w]))
    # weights -1, -2, -3; average -1 (first step copies), then -1.5, then -2.25
    np.testing.assert_allclose(opt._model_variables_moving_average[0].numpy(), [-2.25])
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [-2.25])


def test_ema_overwrite_frequency_copies_the_average_in():
    w = make_variable([0.0])
    opt = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    opt.apply_gradients(zip(_grads([1.0]), [w]))
    assert w.numpy()[0] == -1.0
    opt.apply_gradients(zip(_grads([1.0]), [w]))
    assert w.numpy()[0] == -1.5  # the average of -1 and -2


def test_finalize_checks_the_number_of_variables(two_variables):
    opt = optimizers.SGD(use_ema=True)
    opt.build(two_variables)
    with pytest.raises(ValueError, match=r"The length of model variables \(1\) to override does not match"):
        opt.finalize_variable_values(two_variables[:1])


def test_constraints_project_after_the_update():
    w = make_variable([1.0, 1.0], constraint=NonNeg())
    optimizers.SGD(1.0).apply_gradients(zip(_grads([2.0, -2.0]), [w]))
    np.testing.assert_array_equal(w.numpy(), [0.0, 3.0])


def test_a_function_constraint_runs_on_kerastorch_tensors():
    w = make_variable([1.0, 1.0], constraint=lambda x: tf.clip_by_value(x, -0.5, 0.5))
    optimizers.SGD(1.0).apply_gradients(zip(_grads([2.0, -2.0]), [w]))
    np.testing.assert_array_equal(w.numpy(), [-0.5, 0.5])


def test_variables_of_two_dtypes_are_updated_in_their_own_dtype():
    a, b = make_variable([1.0, 2.0], dtype="float64"), make_variable([1.0, 2.0], "b")
    alone_a, alone_b = make_variable([1.0, 2.0], dtype="float64"), make_variable([1.0, 2.0], "b")
    optimizers.Adam(0.1).apply_gradients([(tf.constant([0.5, -1.0], tf.float64), a), (tf.constant([0.5, -1.0]), b)])
    optimizers.Adam(0.1).apply_gradients([(tf.constant([0.5, -1.0], tf.float64), alone_a)])
    optimizers.Adam(0.1).apply_gradients([(tf.constant([0.5, -1.0]), alone_b)])
    assert a.numpy().dtype == np.float64 and b.numpy().dtype == np.float32
    np.testing.assert_array_equal(a.numpy(), alone_a.numpy())
    np.testing.assert_array_equal(b.numpy(), alone_b.numpy())


def test_gradients_are_cast_to_the_variable_dtype():
    w = make_variable([1.0, 2.0])
    optimizers.SGD(1.0).apply_gradients([(tf.constant([0.5, 0.5], tf.float64), w)])
    np.testing.assert_array_equal(w.numpy(), np.array([0.5, 1.5], "float32"))


def test_plain_tf_variables_are_trained_too():
    v = tf.Variable([1.0, 2.0])
    opt = optimizers.SGD(0.5, momentum=0.5)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v * v)
        opt.apply_gradients(zip(tape.gradient(loss, [v]), [v]))
    # g = 2w: velocity -1, -2 takes w to 0, 0; then g = 0 and the velocity halves: w = -0.5, -1
    np.testing.assert_allclose(v.numpy(), [-0.5, -1.0])
    assert [x.path for x in opt.variables][-1] == "sgd/Variable_0_momentum"


_DEVICE_READS = ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__")


@pytest.mark.parametrize("make", [
    lambda: optimizers.Adam(0.1, amsgrad=True, weight_decay=0.01, clipnorm=1.0),
    lambda: optimizers.Nadam(global_clipnorm=1.0, use_ema=True, ema_overwrite_frequency=2),
    lambda: optimizers.SGD(optimizers.schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=2),
                           momentum=0.9, nesterov=True, gradient_accumulation_steps=2, clipvalue=0.5),
    lambda: optimizers.RMSprop(optimizers.schedules.PiecewiseConstantDecay([1], [0.1, 0.01]), momentum=0.5,
                               centered=True, loss_scale_factor=8.0),
    lambda: optimizers.Adafactor(),
    lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.1),
    lambda: optimizers.Lamb(),
    lambda: optimizers.Lion(),
    lambda: optimizers.Adamax(),
    lambda: optimizers.Adagrad(),
    lambda: optimizers.Adadelta(),
], ids=["adam", "nadam", "sgd", "rmsprop", "adafactor", "ftrl", "lamb", "lion", "adamax", "adagrad", "adadelta"])
def test_the_raw_step_never_reads_the_device(make, monkeypatch):
    variables = [make_variable(np.ones((3, 2))), make_variable([0.5, -0.5], "b", constraint=NonNeg())]
    grads = [torch.full((3, 2), 0.25), torch.tensor([1.0, -1.0])]
    opt = make()
    opt.apply_raw(grads, variables)  # builds (and reads the initial state once)
    for name in _DEVICE_READS:
        monkeypatch.setattr(torch.Tensor, name, _refuse(name))
    for _ in range(4):
        opt.apply_raw(grads, variables)
    monkeypatch.undo()
    assert int(opt._iterations.numpy()) == 5


def _refuse(name):
    def read(self, *args, **kwargs):
        raise AssertionError(f"the step read a tensor on the host (torch.Tensor.{name})")
    return read
