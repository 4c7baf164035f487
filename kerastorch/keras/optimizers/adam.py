"""The Adam family: `Adam` (and AMSGrad), `AdamW`, `Adamax`, `Nadam`, `Lamb`.

Keras's Adam is not `torch.optim.Adam`: its epsilon is added to `sqrt(v)` before the
bias correction of the step size, `w -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + eps)`
("epsilon hat" of Kingma & Ba), where torch adds it after correcting `v`. The moments
follow Keras's `m += (g - m) * (1 - beta_1)`, which is `torch.lerp`.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.optimizers._plan import HostScalar
from kerastorch.keras.optimizers.base import Optimizer


class _Moments(Optimizer):
    """An optimizer with `beta_1`, `beta_2`, `epsilon` and a first and second moment per variable."""

    _moment_names = ("momentum", "velocity")

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, list(self._moment_names))

    def _slot_lists(self) -> list:
        return [self._momentums, self._velocities]

    def _update_moments(self, grads, momentums, velocities, one_minus_betas=None) -> None:
        """`m += (g - m) * (1 - beta_1)`, `v += (g^2 - v) * (1 - beta_2)` (default: `1 - beta` in float64)."""
        weight_1, weight_2 = one_minus_betas or (1.0 - self.beta_1, 1.0 - self.beta_2)
        torch._foreach_lerp_(momentums, grads, weight_1)
        torch._foreach_lerp_(velocities, torch._foreach_mul(grads, grads), weight_2)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}


@ser.keras_export("keras.optimizers.Adam")
class Adam(_Moments):
    """Adam: steps scaled by running estimates of the gradients' first and second moments.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_1: the decay of the first moment.
        beta_2: the decay of the second moment.
        epsilon: added to `sqrt(v)` ("epsilon hat", not torch's placement).
        amsgrad: use the running maximum of the second moment (AMSGrad).
        **kwargs: the `Optimizer` arguments: `weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`.

    Example:
        >>> model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
    """

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **kwargs)
        self.amsgrad = amsgrad

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def _slot_lists(self) -> list:
        return super()._slot_lists() + ([self._velocity_hats] if self.amsgrad else [])

    def _update_group(self, group, grads, lr, step) -> None:
        momentums, velocities = group.slots[:2]
        self._update_moments(grads, momentums, velocities)
        if self.amsgrad:
            velocities = group.slots[2]
            torch._foreach_maximum_(velocities, group.slots[1])
        f = group.scalar
        alpha = f(lr) * np.sqrt(1 - f(self.beta_2) ** f(step)) / (1 - f(self.beta_1) ** f(step))
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(group.params, momentums, denominators, value=-float(alpha))

    def get_config(self) -> dict:
        return {**super().get_config(), "amsgrad": self.amsgrad}


@ser.keras_export("keras.optimizers.AdamW")
class AdamW(Adam):
    """Adam with decoupled weight decay (`w -= w * weight_decay * lr` before each update).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        weight_decay: the decay rate (required; default 0.004).
        beta_1, beta_2, epsilon, amsgrad: as for `Adam`.
        **kwargs: the other `Optimizer` arguments (see `Adam`).
    """

    def __init__(self, learning_rate=0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay=weight_decay, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")


@ser.keras_export("keras.optimizers.Adamax")
class Adamax(_Moments):
    """Adamax: Adam with the infinity norm, `u = max(beta_2 * u, |g|)`, in place of the second moment.

    `w -= lr * m / ((1 - beta_1^t) * (u + epsilon))`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_1: the decay of the first moment.
        beta_2: the decay of the infinity norm.
        epsilon: added to the norm.
        **kwargs: the `Optimizer` arguments (see `Adam`).
    """

    _moment_names = ("momentum", "norm")

    def _update_group(self, group, grads, lr, step) -> None:
        momentums, norms = group.slots
        torch._foreach_lerp_(momentums, grads, 1.0 - self.beta_1)
        torch._foreach_mul_(norms, self.beta_2)
        torch._foreach_maximum_(norms, torch._foreach_abs(grads))
        denominators = torch._foreach_add(norms, self.epsilon)
        f = group.scalar
        torch._foreach_mul_(denominators, float(1 - f(self.beta_1) ** f(step)))
        torch._foreach_addcdiv_(group.params, momentums, denominators, value=-lr)


@ser.keras_export("keras.optimizers.Nadam")
class Nadam(_Moments):
    """Nadam: Adam with Nesterov momentum (Dozat's momentum schedule `beta_1 * (1 - 0.5 * 0.96^t)`).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_1, beta_2, epsilon: as for `Adam`.
        **kwargs: the `Optimizer` arguments (see `Adam`).
    """

    def build(self, variables) -> None:
        if self.built:
            return
        variables = list(variables)
        dtype = variables[0].dtype if variables else "float32"
        super().build(variables)
        # The running product of the momentum schedule, a variable of Keras's saved state.
        self._u_product = self._track(KerasVariable(1.0, dtype=dtype, name=naming.unique_name("variable"),
                                                    path=naming.current_path()))
        self._u_host = HostScalar(self._u_product, 1.0)

    def _update(self, plan, grads, lr, step) -> None:
        f = self._u_product.dtype.as_numpy_dtype
        self._u_host.set(float(f(self._u_host.get()) * f(self.beta_1) * (1 - f(0.5) * f(0.96) ** f(step))))
        super()._update(plan, grads, lr, step)

    def _update_group(self, group, grads, lr, step) -> None:
        momentums, velocities = group.slots
        f = group.scalar
        u_t = f(self.beta_1) * (1 - f(0.5) * f(0.96) ** f(step))
        u_next = f(self.beta_1) * (1 - f(0.5) * f(0.96) ** f(step + 1))
        product = f(self._u_host.get())
        # Keras's Nadam takes `1 - beta` in the variable's dtype (Adam in float64).
        self._update_moments(grads, momentums, velocities,
                             (float(1 - f(self.beta_1)), float(1 - f(self.beta_2))))
        m_hat = torch._foreach_mul(momentums, float(u_next / (1 - product * u_next)))
        torch._foreach_add_(m_hat, grads, alpha=float((1 - u_t) / (1 - product)))
        denominators = torch._foreach_div(velocities, float(1 - f(self.beta_2) ** f(step)))
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(group.params, m_hat, denominators, value=-lr)


@ser.keras_export("keras.optimizers.Lamb")
class Lamb(_Moments):
    """LAMB: Adam's bias-corrected step rescaled per variable by `|w| / |step|` (layer-wise trust ratio).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_1, beta_2, epsilon: as for `Adam` (epsilon added after the bias correction).
        **kwargs: the `Optimizer` arguments (see `Adam`).
    """

    def _update_group(self, group, grads, lr, step) -> None:
        momentums, velocities = group.slots
        self._update_moments(grads, momentums, velocities)
        f = group.scalar
        updates = torch._foreach_div(momentums, float(1 - f(self.beta_1) ** f(step)))
        denominators = torch._foreach_div(velocities, float(1 - f(self.beta_2) ** f(step)))
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_div_(updates, denominators)
        w_norms = torch.stack(torch._foreach_norm(group.params))
        u_norms = torch.stack(torch._foreach_norm(updates))
        ratios = torch.where((w_norms > 0) & (u_norms > 0), w_norms / u_norms, 1.0) * -lr
        torch._foreach_mul_(updates, list(ratios.unbind()))
        torch._foreach_add_(group.params, updates)
