"""Optimizers scaling steps by accumulated squared gradients: `RMSprop`, `Adagrad`, `Adadelta`."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.initializers import Constant
from kerastorch.keras.optimizers.base import Optimizer


@ser.keras_export("keras.optimizers.RMSprop")
class RMSprop(Optimizer):
    """RMSprop: steps divided by a moving root mean square of the gradients.

    `v = rho * v + (1 - rho) * g^2`, `w -= lr * g / sqrt(v + epsilon)`; `centered`
    subtracts the square of the moving mean gradient from `v`, `momentum` accumulates
    the steps.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        rho: the decay of the moving averages.
        momentum: the momentum of the steps (0 for none).
        epsilon: added inside the square root.
        centered: normalize by the variance instead of the second moment.
        **kwargs: the `Optimizer` arguments: `weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`.
    """

    def __init__(self, learning_rate=0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum > 0 else []
        self._average_gradients = (self.add_optimizer_variables(variables, "average_gradient")
                                   if self.centered else [])

    def _slot_lists(self) -> list:
        return [s for s in (self._velocities, self._momentums, self._average_gradients) if s]

    def _update_group(self, group, grads, lr, step) -> None:
        slots = iter(group.slots)
        velocities = next(slots)
        momentums = next(slots) if self.momentum > 0 else None
        torch._foreach_mul_(velocities, self.rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1.0 - self.rho)
        if self.centered:
            averages = next(slots)
            torch._foreach_mul_(averages, self.rho)
            torch._foreach_add_(averages, grads, alpha=1.0 - self.rho)
            denominators = torch._foreach_addcmul(velocities, averages, averages, value=-1.0)
            torch._foreach_add_(denominators, self.epsilon)
        else:
            denominators = torch._foreach_add(velocities, self.epsilon)
        torch._foreach_sqrt_(denominators)
        if momentums is None:
            torch._foreach_addcdiv_(group.params, grads, denominators, value=-lr)
            return
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_addcdiv_(momentums, grads, denominators, value=lr)
        torch._foreach_sub_(group.params, momentums)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}


@ser.keras_export("keras.optimizers.Adagrad")
class Adagrad(Optimizer):
    """Adagrad: steps divided by the root of the sum of all squared gradients so far.

    `acc += g^2`, `w -= lr * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        initial_accumulator_value: the starting value of the sums.
        epsilon: added inside the square root.
        **kwargs: the `Optimizer` arguments (see `RMSprop`).
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(variables, "accumulator",
                                                          initializer=Constant(self.initial_accumulator_value))

    def _slot_lists(self) -> list:
        return [self._accumulators]

    def _update_group(self, group, grads, lr, step) -> None:
        (accumulators,) = group.slots
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominators = torch._foreach_add(accumulators, self.epsilon)
        torch._foreach_sqrt_(denominators)
        torch._foreach_addcdiv_(group.params, grads, denominators, value=-lr)

    def get_config(self) -> dict:
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}


@ser.keras_export("keras.optimizers.Adadelta")
class Adadelta(Optimizer):
    """Adadelta: steps scaled by the ratio of the moving RMS of past steps to that of the gradients.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001
            (the original algorithm uses 1.0).
        rho: the decay of both moving averages.
        epsilon: added inside the square roots.
        **kwargs: the `Optimizer` arguments (see `RMSprop`).
    """

    def __init__(self, learning_rate=0.001, rho: float = 0.95, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def _slot_lists(self) -> list:
        return [self._accumulated_grads, self._accumulated_delta_vars]

    def _update_group(self, group, grads, lr, step) -> None:
        grad_averages, delta_averages = group.slots
        torch._foreach_mul_(grad_averages, self.rho)
        torch._foreach_addcmul_(grad_averages, grads, grads, value=1.0 - self.rho)
        # `deltas` is minus the step: sqrt(delta_avg + eps) * g / sqrt(grad_avg + eps)
        deltas = torch._foreach_add(delta_averages, self.epsilon)
        torch._foreach_sqrt_(deltas)
        torch._foreach_mul_(deltas, grads)
        denominators = torch._foreach_add(grad_averages, self.epsilon)
        torch._foreach_sqrt_(denominators)
        torch._foreach_div_(deltas, denominators)
        torch._foreach_mul_(delta_averages, self.rho)
        torch._foreach_addcmul_(delta_averages, deltas, deltas, value=1.0 - self.rho)
        torch._foreach_add_(group.params, deltas, alpha=-lr)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
