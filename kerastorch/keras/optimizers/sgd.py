"""`SGD` (with momentum and Nesterov momentum) and `Lion` (the sign of an interpolated momentum)."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.optimizers.base import Optimizer


@ser.keras_export("keras.optimizers.SGD")
class SGD(Optimizer):
    """Gradient descent, optionally with (Nesterov) momentum.

    `w -= lr * g`; with momentum `velocity = momentum * velocity - lr * g` then
    `w += velocity`, or with Nesterov `w += momentum * velocity - lr * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.01.
        momentum: a float in [0, 1]; 0 is plain gradient descent.
        nesterov: use Nesterov momentum.
        **kwargs: the `Optimizer` arguments: `weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`.

    Example:
        >>> opt = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
        >>> opt.apply_gradients(zip(grads, model.trainable_variables))
    """

    def __init__(self, learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def _slot_lists(self) -> list:
        return [self.momentums] if self.momentums else []

    def _update_group(self, group, grads, lr, step) -> None:
        params = group.params
        if not group.slots:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        (velocities,) = group.slots
        torch._foreach_mul_(velocities, self.momentum)
        torch._foreach_add_(velocities, grads, alpha=-lr)
        if self.nesterov:
            delta = torch._foreach_mul(velocities, self.momentum)
            torch._foreach_add_(delta, grads, alpha=-lr)
            torch._foreach_add_(params, delta)
        else:
            torch._foreach_add_(params, velocities)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


@ser.keras_export("keras.optimizers.Lion")
class Lion(Optimizer):
    """Lion: steps of size `lr` in the sign of an interpolation of momentum and gradient.

    `w -= lr * sign(beta_1 * m + (1 - beta_1) * g)`, then `m = beta_2 * m + (1 - beta_2) * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_1: the interpolation of the step, in (0, 1].
        beta_2: the decay of the momentum.
        **kwargs: the `Optimizer` arguments (see `SGD`).
    """

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                             f"to SignSGD. Received: beta_1={beta_1}.")

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def _slot_lists(self) -> list:
        return [self._momentums]

    def _update_group(self, group, grads, lr, step) -> None:
        (momentums,) = group.slots
        f = group.scalar
        direction = torch._foreach_mul(momentums, self.beta_1)
        torch._foreach_add_(direction, torch._foreach_mul(grads, float(1 - f(self.beta_1))))
        torch._foreach_sign_(direction)
        torch._foreach_add_(group.params, direction, alpha=-lr)
        torch._foreach_mul_(momentums, self.beta_2)
        torch._foreach_add_(momentums, torch._foreach_mul(grads, float(1 - f(self.beta_2))))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
