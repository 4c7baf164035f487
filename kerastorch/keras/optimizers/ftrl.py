"""`Ftrl`: Follow The Regularized Leader (McMahan et al., 2013), with L1, L2 and L2-shrinkage."""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.initializers import Constant
from kerastorch.keras.optimizers.base import Optimizer


@ser.keras_export("keras.optimizers.Ftrl")
class Ftrl(Optimizer):
    """FTRL-proximal, for shallow models with large sparse feature spaces.

    Per element, with `n` the accumulator and `z` the linear term (`p = -lr_power`):
    `z += g' - (n_new^p - n^p) / lr * w`, `n = n + g^2`, then
    `w = (clip(z, -l1, l1) - z) / (n^p / lr + 2 * (l2 + beta / (2 * lr)))`, where `g'` is
    the gradient plus `2 * l2_shrinkage * w`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        learning_rate_power: <= 0; how the per-element rate falls as `n` grows (0: fixed).
        initial_accumulator_value: the starting value of `n` (>= 0).
        l1_regularization_strength: >= 0.
        l2_regularization_strength: >= 0 (a stabilization penalty).
        l2_shrinkage_regularization_strength: >= 0 (a magnitude penalty on the weights).
        beta: the beta of the paper.
        **kwargs: the `Optimizer` arguments: `weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`.
    """

    def __init__(self, learning_rate=0.001, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float = 0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if initial_accumulator_value < 0.0:
            raise ValueError("`initial_accumulator_value` needs to be positive or zero. Received: "
                             f"initial_accumulator_value={initial_accumulator_value}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        for name, value in (("l1_regularization_strength", l1_regularization_strength),
                            ("l2_regularization_strength", l2_regularization_strength),
                            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"`{name}` needs to be positive or zero. Received: {name}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"], initializer=[Constant(self.initial_accumulator_value), "zeros"])

    def _slot_lists(self) -> list:
        return [self._accumulators, self._linears]

    def _update_group(self, group, grads, lr, step) -> None:
        accumulators, linears = group.slots
        params = group.params
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        f = group.scalar
        l2 = float(self.l2_regularization_strength + f(self.beta) / (2 * f(lr)))
        new_accumulators = torch._foreach_addcmul(accumulators, grads, grads)
        new_powers = torch._foreach_pow(new_accumulators, power)
        sigmas = torch._foreach_sub(new_powers, torch._foreach_pow(accumulators, power))
        torch._foreach_div_(sigmas, lr)
        torch._foreach_mul_(sigmas, params)
        shrunk = torch._foreach_add(grads, torch._foreach_mul(params, 2 * self.l2_shrinkage_regularization_strength))
        torch._foreach_add_(linears, torch._foreach_sub(shrunk, sigmas))
        quadratics = torch._foreach_div(new_powers, lr)
        torch._foreach_add_(quadratics, 2 * l2)
        clipped = torch._foreach_clamp_min(linears, -l1)
        torch._foreach_clamp_max_(clipped, l1)
        torch._foreach_sub_(clipped, linears)
        torch._foreach_div_(clipped, quadratics)
        torch._foreach_copy_(params, clipped)
        torch._foreach_copy_(accumulators, new_accumulators)

    def get_config(self) -> dict:
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
