"""The Optimizer base: names, variables, the learning rate, custom optimizers, config and saved state."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import optimizers
from kerastorch.keras.optimizers import schedules
from tests.keras.optimizers.helpers import make_variable

PUBLIC = {"Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion", "LossScaleOptimizer",
          "Nadam", "Optimizer", "RMSprop", "SGD", "deserialize", "get", "legacy", "schedules", "serialize"}
BUILTINS = ["SGD", "Adam", "AdamW", "Adamax", "Nadam", "Lamb", "RMSprop", "Adagrad", "Adadelta", "Adafactor",
            "Lion", "Ftrl"]


def test_public_names_are_pinned():
    assert set(optimizers.__all__) == PUBLIC
    assert all(hasattr(optimizers, name) for name in PUBLIC)


def test_names_count_per_class_and_the_variables_live_under_them(two_variables):
    assert [optimizers.Adam().name, optimizers.Adam().name, optimizers.RMSprop().name] == ["adam", "adam_1",
                                                                                          "rm_sprop"]
    opt = optimizers.Adam(name="mine")
    assert [v.path for v in opt.variables] == ["mine/iteration", "mine/learning_rate"]
    opt.build(two_variables)
    assert [v.path for v in opt.variables][2:] == ["mine/layer_kernel_momentum", "mine/layer_kernel_velocity",
                                                   "mine/layer_bias_momentum", "mine/layer_bias_velocity"]
    assert all(not v.trainable for v in opt.variables)
    assert opt.variables[0].dtype == tf.int64 and opt.variables[1].dtype == tf.float32


def test_build_runs_once(two_variables):
    opt = optimizers.SGD(momentum=0.5)
    opt.build(two_variables)
    opt.build(two_variables)
    assert len(opt.variables) == 4


def test_learning_rate_is_a_variable_whose_writes_the_step_sees():
    w = make_variable([0.0])
    opt = optimizers.SGD(0.5)
    assert opt.learning_rate.path == "sgd/learning_rate"
    opt.learning_rate = 0.25
    opt.apply_gradients([(tf.constant([1.0]), w)])
    opt.learning_rate.assign(2.0)
    opt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-2.25])
    assert opt.get_config()["learning_rate"] == 2.0


def test_a_schedule_learning_rate_follows_the_iterations():
    w = make_variable([0.0])
    opt = optimizers.SGD(schedules.ExponentialDecay(1.0, 1, 0.5))
    assert [v.path for v in opt.variables] == ["sgd/iteration"]
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-1.75])
    assert float(opt.learning_rate) == 0.125
    opt.iterations.assign(10)  # written from outside: the next step reads it
    opt.apply_gradients([(tf.constant([1024.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-2.75])
    with pytest.raises(TypeError, match="hence its learning rate is not settable"):
        opt.learning_rate = 0.1


def test_setting_a_schedule_drops_the_learning_rate_variable():
    opt = optimizers.SGD(0.1)
    opt.learning_rate = schedules.InverseTimeDecay(1.0, 1, 1.0)
    assert [v.path for v in opt.variables] == ["sgd/iteration"]
    assert float(opt.learning_rate) == 1.0


def test_a_callable_learning_rate_is_called_each_step():
    w = make_variable([0.0])
    rates = iter([0.5, 0.25])
    opt = optimizers.SGD(lambda: next(rates))
    opt.apply_gradients([(tf.constant([1.0]), w)])
    opt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.75])


def test_a_user_schedule_runs_on_kerastorch_tensors():
    class Linear(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * tf.cast(step + 1, tf.float32)

        def get_config(self):
            return {}

    w = make_variable([0.0])
    opt = optimizers.SGD(Linear())
    opt.apply_gradients([(tf.constant([1.0]), w)])
    opt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.3], rtol=1e-6)


def test_iterations_with_gradient_accumulation_count_updates():
    opt = optimizers.SGD(gradient_accumulation_steps=2)
    opt._iterations.assign(5)
    assert opt.iterations.dtype == tf.int64 and int(opt.iterations) == 2


class _SignDescent(optimizers.Optimizer):
    """A user's optimizer in Keras's style: `build` adds a slot, `update_step` uses the facade."""

    def __init__(self, learning_rate=0.1, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.steps_taken = self.add_optimizer_variables(variables, "steps")

    def update_step(self, gradient, variable, learning_rate):
        self.assign_sub(variable, tf.sign(gradient) * tf.cast(learning_rate, variable.dtype))
        self.assign_add(self.steps_taken[self._get_variable_index(variable)], tf.ones_like(gradient))


def test_a_user_optimizer_updates_through_update_step(two_variables):
    opt = _SignDescent(weight_decay=0.5)
    opt.apply_gradients(zip([tf.constant([[2.0, -3.0], [0.0, 1.0]]), tf.constant([1.0, 1.0])], two_variables))
    opt.apply_gradients(zip([tf.constant([[2.0, -3.0], [0.0, 1.0]]), tf.constant([1.0, 1.0])], two_variables))
    decay = 0.95**2
    np.testing.assert_allclose(two_variables[1].numpy(), (np.array([0.25, -0.5]) * 0.95 - 0.1) * 0.95 - 0.1,
                               rtol=1e-6)
    np.testing.assert_allclose(two_variables[0].numpy()[1, 0], 0.5 * decay, rtol=1e-6)
    np.testing.assert_array_equal(opt.steps_taken[1].numpy(), [2.0, 2.0])
    assert opt.steps_taken[0].path == "sign_descent/layer_kernel_steps"


def test_a_subclass_of_a_builtin_that_overrides_update_step_uses_it():
    class Frozen(optimizers.Adam):
        def update_step(self, gradient, variable, learning_rate):
            self.assign_add(variable, tf.zeros_like(gradient))

    w = make_variable([1.0])
    Frozen().apply_gradients([(tf.constant([1.0]), w)])
    assert w.numpy()[0] == 1.0


def test_the_base_optimizer_has_no_update():
    with pytest.raises(NotImplementedError):
        optimizers.Optimizer(0.1).apply_gradients([(tf.constant([1.0]), make_variable([1.0]))])


@pytest.mark.parametrize("name", BUILTINS)
def test_config_round_trip(name):
    opt = getattr(optimizers, name)(clipnorm=0.5)
    config = opt.get_config()
    assert config["clipnorm"] == 0.5 and config["name"] == opt.name
    assert type(opt).from_config(config).get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    if name == "Lamb":  # Keras 3.15's table leaves it out: the name comes back unresolved
        assert restored == "Lamb"
    else:
        assert restored.get_config() == config


def test_config_with_a_schedule_round_trips():
    opt = optimizers.Adam(schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3))
    restored = optimizers.Adam.from_config(opt.get_config())
    assert isinstance(restored._learning_rate, schedules.CosineDecay)
    assert restored.get_config() == opt.get_config()


def test_config_of_a_callable_learning_rate_warns_about_the_lambda():
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = optimizers.SGD(lambda: 0.1).get_config()
    assert config["learning_rate"]["class_name"] == "__lambda__"


def test_get_resolves_names_dicts_and_instances():
    opt = optimizers.SGD()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    assert type(optimizers.get("RMSprop")) is optimizers.RMSprop
    config = {"class_name": "Adam", "config": {"learning_rate": 0.5}}
    assert float(optimizers.get(config).learning_rate.numpy()) == 0.5
    assert config["class_name"] == "Adam"  # not rewritten in place
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: Lamb"):
        optimizers.get("Lamb")


def test_set_weights_and_saved_state_round_trip(two_variables):
    opt = optimizers.Adam(0.1)
    opt.apply_gradients(zip([tf.ones((2, 2)), tf.ones((2,))], two_variables))
    store = {}
    opt.save_own_variables(store)
    other = optimizers.Adam(0.1)
    other.build(two_variables)
    other.load_own_variables(store)
    assert [int(v.numpy().size) for v in other.variables] == [1, 1, 4, 4, 2, 2]
    for a, b in zip(opt.variables, other.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    third = optimizers.Adam(0.1)
    third.build(two_variables)
    third.set_weights([v.numpy() for v in opt.variables])
    np.testing.assert_array_equal(third.variables[3].numpy(), opt.variables[3].numpy())


def test_set_weights_checks_build_and_shapes(two_variables):
    with pytest.raises(ValueError, match="has not yet been built"):
        optimizers.SGD().set_weights([])
    opt = optimizers.SGD()
    opt.build(two_variables)
    with pytest.raises(ValueError, match=r"has shape \(\) not compatible with provided weight shape \(2,\)"):
        opt.set_weights([np.zeros(2)])


def test_loading_a_different_number_of_variables_warns_and_skips(two_variables):
    opt = optimizers.Adam()
    with pytest.warns(UserWarning, match="because it has 2 variables whereas the saved optimizer has 1"):
        opt.load_own_variables({"0": np.array(3)})
    assert int(opt.iterations.numpy()) == 0


def test_the_loaded_iteration_count_drives_the_next_step(two_variables):
    fresh, resumed = optimizers.Adam(0.1), optimizers.Adam(0.1)
    a, b = make_variable([1.0]), make_variable([1.0])
    resumed.build([b])
    resumed.load_own_variables({"0": np.array(9), "1": np.array(0.1, "float32"), "2": np.zeros(1, "float32"),
                                "3": np.zeros(1, "float32")})
    fresh.apply_gradients([(tf.constant([1.0]), a)])
    resumed.apply_gradients([(tf.constant([1.0]), b)])
    # Step 10's bias correction: alpha = 0.1 * sqrt(1 - 0.999^10) / (1 - 0.9^10), m = 0.1, sqrt(v) = sqrt(0.001)
    alpha = 0.1 * np.sqrt(1 - 0.999**10) / (1 - 0.9**10)
    np.testing.assert_allclose(b.numpy(), [1.0 - alpha * 0.1 / (np.sqrt(0.001) + 1e-7)], rtol=1e-5)
    assert a.numpy()[0] != b.numpy()[0]


def test_decay_argument_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="Argument `decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


def test_legacy_optimizers_raise_keras_import_error():
    with pytest.raises(ImportError, match="`keras.optimizers.legacy` is not supported in Keras 3"):
        optimizers.legacy.Adam(0.1)


def test_slot_variables_follow_their_variable_device():
    w = make_variable([1.0, 2.0])
    opt = optimizers.Adam()
    opt.build([w])
    assert all(v._param.device == w._param.device for v in opt.variables[2:])
    assert isinstance(opt.variables[2]._param, torch.nn.Parameter)
