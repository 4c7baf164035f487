"""Learning-rate schedules: values by hand, tensors in and out, config and serialization."""

import math

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.keras.optimizers import schedules

S = schedules
VALUES = [
    ("exponential", S.ExponentialDecay(0.1, 2, 0.5), {0: 0.1, 1: 0.1 * 0.5**0.5, 4: 0.025}),
    ("exponential_staircase", S.ExponentialDecay(0.1, 2, 0.5, staircase=True), {1: 0.1, 3: 0.05}),
    ("piecewise", S.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1]), {2: 1.0, 3: 0.5, 5: 0.5, 6: 0.1}),
    ("polynomial", S.PolynomialDecay(0.1, 4, 0.0), {2: 0.05, 4: 0.0, 9: 0.0}),
    ("polynomial_power", S.PolynomialDecay(1.0, 4, 0.2, power=2.0), {2: 0.8 * 0.25 + 0.2}),
    ("polynomial_cycle", S.PolynomialDecay(1.0, 4, 0.0, cycle=True), {0: 1.0, 4: 0.0, 6: 0.25}),
    ("inverse_time", S.InverseTimeDecay(1.0, 2, 1.0), {1: 1 / 1.5, 4: 1 / 3}),
    ("inverse_time_staircase", S.InverseTimeDecay(1.0, 2, 1.0, staircase=True), {1: 1.0, 3: 0.5}),
    ("cosine", S.CosineDecay(1.0, 4, alpha=0.2), {2: 0.6, 4: 0.2, 10: 0.2}),
    ("cosine_warmup", S.CosineDecay(0.0, 4, warmup_target=1.0, warmup_steps=2), {1: 0.5, 2: 1.0, 4: 0.5, 9: 0.0}),
    ("restarts", S.CosineDecayRestarts(1.0, 2), {1: 0.5, 2: 1.0, 4: 0.5, 6: 1.0}),
    ("restarts_flat", S.CosineDecayRestarts(1.0, 4, t_mul=1.0, m_mul=0.5), {2: 0.5, 4: 0.5, 8: 0.25}),
]


@pytest.mark.parametrize("schedule, expected", [v[1:] for v in VALUES], ids=[v[0] for v in VALUES])
def test_values_by_hand(schedule, expected):
    for step, value in expected.items():
        result = schedule(step)
        assert result.dtype == tf.float32 and result.shape == ()
        assert float(result) == pytest.approx(value, rel=1e-6, abs=1e-7), step
        assert schedules.host_value(schedule, step) == float(result)


def test_a_tensor_or_variable_step():
    schedule = S.ExponentialDecay(1.0, 1, 0.5)
    assert float(schedule(tf.constant(2, tf.int64))) == 0.25
    assert float(schedule(tf.Variable(3))) == 0.125


def test_piecewise_values_keep_their_dtype():
    result = S.PiecewiseConstantDecay([1], [10, 20])(2)
    assert result.dtype == tf.int32 and int(result) == 20


def test_a_warmup_of_zero_steps_starts_decaying_at_once():
    assert float(S.CosineDecay(0.5, 2, warmup_target=1.0, warmup_steps=0)(0)) == 1.0


def test_restarts_grow_the_period_by_t_mul():
    schedule = S.CosineDecayRestarts(1.0, 2, t_mul=2.0)
    # periods [0, 2), [2, 6), [6, 14): restarts at 2 and 6, halfway through the second period at 4
    assert [round(float(schedule(s)), 6) for s in (2, 4, 6)] == [1.0, 0.5, 1.0]
    assert float(schedule(3)) == pytest.approx(0.5 * (1 + math.cos(math.pi / 4)), rel=1e-6)


@pytest.mark.parametrize("make, message", [
    (lambda: S.ExponentialDecay(0.1, 0, 0.5), "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: S.CosineDecayRestarts(0.1, -2), "Received: first_decay_steps=-2"),
    (lambda: S.PiecewiseConstantDecay([1, 2], [0.1]), "boundaries=[1, 2] of length 2, and values=[0.1] of length 1."),
], ids=["decay_steps", "first_decay_steps", "piecewise_lengths"])
def test_invalid_arguments(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)


@pytest.mark.parametrize("schedule", [v[1] for v in VALUES], ids=[v[0] for v in VALUES])
def test_config_and_serialization_round_trip(schedule):
    config = schedule.get_config()
    restored = type(schedule).from_config(config)
    assert restored.get_config() == config
    serialized = schedules.serialize(schedule)
    assert serialized == {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
                          "config": config, "registered_name": None}
    again = schedules.deserialize(serialized)
    assert type(again) is type(schedule) and float(again(3)) == float(schedule(3))


def test_deserialize_by_class_name():
    schedule = schedules.deserialize({"class_name": "InverseTimeDecay", "config": {
        "initial_learning_rate": 1.0, "decay_steps": 1, "decay_rate": 1.0}})
    assert float(schedule(1)) == 0.5


def test_the_base_class_asks_for_call_and_get_config():
    class Unfinished(schedules.LearningRateSchedule):
        pass

    with pytest.raises(NotImplementedError, match="'Unfinished' must override `__call__"):
        Unfinished()(0)
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)` in order to be serializable"):
        Unfinished().get_config()


def test_a_user_schedule_is_evaluated_on_the_cpu():
    seen = []

    class Recorder(schedules.LearningRateSchedule):
        def __call__(self, step):
            seen.append((step.dtype, step.device))
            return tf.constant(0.5) / tf.cast(step + 1, tf.float32)

    assert schedules.host_value(Recorder(), 3) == 0.125
    assert seen == [(tf.int64, "/job:localhost/replica:0/task:0/device:CPU:0")]
    np.testing.assert_allclose(float(schedules.host_value(S.CosineDecay(1.0, 4), 4)), 0.0, atol=1e-7)
