"""`Adafactor` (Shazeer & Stern, 2018): second moments factored into row and column averages."""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.optimizers.base import Optimizer


@ser.keras_export("keras.optimizers.Adafactor")
class Adafactor(Optimizer):
    """Adafactor: memory-light adaptive steps relative to the weights' scale.

    For a variable of rank >= 2 the second moment of its last two dimensions is kept as
    a row vector and a column vector whose outer product (normalized) estimates it;
    lower ranks keep it whole. The step is `max(epsilon_2, rms(w)) * min(lr, 1/sqrt(t))`
    times the normalized gradient, clipped to RMS `clip_threshold`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable. Defaults to 0.001.
        beta_2_decay: the second-moment decay is `1 - t^beta_2_decay`.
        epsilon_1: added to the squared gradients.
        epsilon_2: the smallest weight scale of a step.
        clip_threshold: the largest RMS of the normalized gradient.
        relative_step: with a constant learning rate, cap it at `1/sqrt(t)`.
        **kwargs: the `Optimizer` arguments: `weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`.
    """

    def __init__(self, learning_rate=0.001, beta_2_decay: float = -0.8, epsilon_1: float = 1e-30,
                 epsilon_2: float = 1e-3, clip_threshold: float = 1.0, relative_step: bool = True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables) -> None:
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for variable in variables:
            shape = tuple(variable.shape.as_list())
            if len(shape) < 2:
                # Placeholders, as Keras keeps them (they are part of its saved state).
                for factors in (self._r, self._c):
                    factors.append(self._track(KerasVariable(0, dtype="int32", trainable=False,
                                                             name=variable.name, path=naming.current_path())))
            else:
                with _device.device(variable._param.device):
                    self._r.append(self.add_variable(shape[:-1], dtype=variable.dtype, name=variable.name))
                    self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=variable.dtype,
                                                     name=variable.name))
            self._v.append(self.add_variable_from_reference(variable, name="velocity"))

    def _slot_lists(self) -> list:
        return [self._r, self._c, self._v]

    def _update_group(self, group, grads, lr, step) -> None:
        f = group.scalar
        lr, step = f(lr), f(step)
        if not callable(self._learning_rate) and self.relative_step:
            lr = min(lr, 1 / np.sqrt(step))
        rho = float(min(lr, 1 / np.sqrt(step)))
        beta = float(1 - step ** f(self.beta_2_decay))
        for param, grad, rows, cols, velocity in zip(group.params, grads, *group.slots):
            alpha = torch.clamp(_rms(param), min=self.epsilon_2) * rho
            squares = grad * grad + self.epsilon_1
            if param.ndim >= 2:
                rows.mul_(beta).add_(squares.mean(-1), alpha=1.0 - beta)
                cols.mul_(beta).add_(squares.mean(-2), alpha=1.0 - beta)
                velocity.copy_((rows / rows.mean(-1, keepdim=True)).unsqueeze(-1) * cols.unsqueeze(-2))
            else:
                velocity.mul_(beta).add_(squares, alpha=1.0 - beta)
            normalized = grad / velocity.sqrt()
            normalized /= torch.clamp(_rms(normalized) / self.clip_threshold, min=1.0)
            param.sub_(alpha * normalized)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step}


def _rms(x: torch.Tensor) -> torch.Tensor:
    return x.square().mean().sqrt()
