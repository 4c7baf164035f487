"""`tf.keras.optimizers.schedules`: learning rates that change with the optimizer step.

A built-in schedule computes its rate on the host with numpy float32 scalars (`_value`),
the arithmetic Keras does in float32 tensors: the optimizer asks for the rate of each
step without touching the device (`host_value`), and `schedule(step)` wraps the same
number in a float32 Tensor. A user's `LearningRateSchedule` subclass runs on kerastorch
tensors; the optimizer calls it on the CPU with the step as an int64 Tensor.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework.convert import constant
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.keras import _serialization as ser

_f32 = np.float32
_PI = _f32(math.pi)
_ONE = _f32(1.0)


@ser.keras_export("keras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """Base class of learning rate schedules: `schedule(step)` gives the rate at `step`.

    Subclass it and implement `__call__(self, step)` (on kerastorch tensors: `step` is
    the optimizer's iteration count, an int64 scalar) and `get_config`; pass an
    instance as an optimizer's `learning_rate`.

    Example:
        >>> class Halving(tf.keras.optimizers.schedules.LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** tf.cast(step // 100, tf.float32)
        ...     def get_config(self):
        ...         return {}
    """

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """A schedule from its `get_config()`."""
        return cls(**config)


class _Builtin(LearningRateSchedule):
    """A built-in schedule: `_value(step)` gives the rate for a float32 step on the host."""

    def __call__(self, step) -> Tensor:
        return constant(self._host(step.numpy().item() if hasattr(step, "numpy") else step))

    def _host(self, step):
        with np.errstate(all="ignore"):  # TF gives inf / NaN silently
            return self._value(step)

    def _value(self, step):
        """The rate at `step` (a Python number) as a numpy scalar, computed as Keras does in float32."""
        raise NotImplementedError


def _check_steps(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def host_value(schedule: LearningRateSchedule, step: int) -> float:
    """The rate of `schedule` at `step` as a Python float, computed without reading the device."""
    if type(schedule).__call__ is _Builtin.__call__:
        return float(schedule._host(step))
    with _device.device("/CPU:0"):
        return float(schedule(wrap(torch.tensor(step, dtype=torch.int64))))


class _RateDecay(_Builtin):
    """What ExponentialDecay and InverseTimeDecay share: their arguments and `step / decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def _progress(self, step):
        p = _f32(step) / _f32(self.decay_steps)
        return np.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


@ser.keras_export("keras.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(_RateDecay):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the steps over which the rate is multiplied by `decay_rate` (> 0).
        decay_rate: the decay factor.
        staircase: decay at whole multiples of `decay_steps` only (`floor` of the exponent).
        name: the name of the operation.
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value(self, step):
        return _f32(self.initial_learning_rate) * _f32(self.decay_rate) ** self._progress(step)


@ser.keras_export("keras.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(_Builtin):
    """`values[0]` up to `boundaries[0]` (inclusive), `values[1]` up to `boundaries[1]`, …

    Args:
        boundaries: increasing step numbers.
        values: one more value than boundaries; the result has the dtype of `values[0]`.
        name: the name of the operation.
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                             f"length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name
        self._dtype = constant(values[0]).dtype.as_numpy_dtype

    def _value(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return self._dtype(value)
        return self._dtype(self.values[-1])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@ser.keras_export("keras.optimizers.schedules.PolynomialDecay")
class PolynomialDecay(_Builtin):
    """`(initial - end) * (1 - step / decay_steps) ** power + end`, the step capped at `decay_steps`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the steps to reach `end_learning_rate` (> 0).
        end_learning_rate: the final rate.
        power: the power of the polynomial.
        cycle: instead of capping the step, decay again over the next multiple of `decay_steps`.
        name: the name of the operation.
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, end_learning_rate: float = 0.0001,
                 power: float = 1.0, cycle: bool = False, name: str = "PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def _value(self, step):
        step = _f32(step)
        decay_steps = _f32(self.decay_steps)
        if self.cycle:
            decay_steps = decay_steps * (_ONE if step == 0 else np.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        end = _f32(self.end_learning_rate)
        p = step / decay_steps
        return (_f32(self.initial_learning_rate) - end) * (_ONE - p) ** _f32(self.power) + end

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


@ser.keras_export("keras.optimizers.schedules.InverseTimeDecay")
class InverseTimeDecay(_RateDecay):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the step scale of the decay (> 0).
        decay_rate: the decay rate.
        staircase: decay at whole multiples of `decay_steps` only.
        name: the name of the operation.
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value(self, step):
        return _f32(self.initial_learning_rate) / (_ONE + _f32(self.decay_rate) * self._progress(step))


def _cosine(step, decay_steps, alpha, scale=_ONE):
    """`(1 - alpha) * scale * (1 + cos(pi * step / decay_steps)) / 2 + alpha`."""
    cosine = _f32(0.5) * scale * (_ONE + np.cos(_PI * (step / decay_steps)))
    return (_ONE - _f32(alpha)) * cosine + _f32(alpha)


@ser.keras_export("keras.optimizers.schedules.CosineDecay")
class CosineDecay(_Builtin):
    """An optional linear warmup, then a cosine decay to `alpha` times the peak rate.

    Without `warmup_target` the rate decays from `initial_learning_rate`; with it, it
    first rises linearly from `initial_learning_rate` to `warmup_target` over
    `warmup_steps` steps, then decays from `warmup_target` over `decay_steps`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the steps of the decay (> 0).
        alpha: the final rate as a fraction of the peak rate.
        name: the name of the operation.
        warmup_target: the rate at the end of the warmup, or None for no warmup.
        warmup_steps: the steps of the warmup.
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None, warmup_steps: int = 0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_steps("decay_steps", decay_steps)

    def _value(self, step):
        step = _f32(step)
        initial = _f32(self.initial_learning_rate)
        decay_steps = _f32(self.decay_steps)
        if self.warmup_target is None:
            return initial * _cosine(min(step, decay_steps), decay_steps, self.alpha)
        target = _f32(self.warmup_target)
        warmup_steps = _f32(self.warmup_steps)
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return (target - initial) * (step / warmup_steps) + initial
        return target * _cosine(step - warmup_steps, decay_steps, self.alpha)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


@ser.keras_export("keras.optimizers.schedules.CosineDecayRestarts")
class CosineDecayRestarts(_Builtin):
    """Cosine decay with warm restarts (SGDR): each period `t_mul` times longer, `m_mul` times lower.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the steps of the first period (> 0).
        t_mul: the growth of the period length at each restart.
        m_mul: the factor on the peak rate at each restart.
        alpha: the lowest rate as a fraction of `initial_learning_rate`.
        name: the name of the operation.
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int, t_mul: float = 2.0,
                 m_mul: float = 1.0, alpha: float = 0.0, name: str = "SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_steps("first_decay_steps", first_decay_steps)

    def _value(self, step):
        fraction = _f32(step) / _f32(self.first_decay_steps)
        t_mul = _f32(self._t_mul)
        if t_mul == 1.0:
            restart = np.floor(fraction)
            fraction = fraction - restart
        else:
            restart = np.floor(np.log(_ONE - fraction * (_ONE - t_mul)) / np.log(t_mul))
            done = (_ONE - t_mul**restart) / (_ONE - t_mul)
            fraction = (fraction - done) / t_mul**restart
        scale = _f32(self._m_mul) ** restart
        return _f32(self.initial_learning_rate) * _cosine(fraction, _ONE, self.alpha, scale)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in (
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
    CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """The config dict of a schedule (`{'module', 'class_name', 'config', 'registered_name'}`)."""
    return ser.serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects: dict | None = None) -> LearningRateSchedule:
    """The schedule a config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


__all__ = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay", "LearningRateSchedule",
           "PiecewiseConstantDecay", "PolynomialDecay", "deserialize", "serialize"]
