"""`LossScaleOptimizer`: dynamic loss scaling for float16 training (Keras 3.15's rules).

The training step multiplies the loss by the scale (`scale_loss`) so small float16
gradients do not flush to zero; `apply` divides the gradients by it again. A step with a
non-finite gradient is skipped and halves the scale; after `dynamic_growth_steps`
finite steps in a row the scale doubles.

The scale and the step counter live in variables (saved with the optimizer) mirrored on
the host: the only device read of a step is whether the gradients are finite.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import initializers
from kerastorch.keras.engine import naming
from kerastorch.keras.optimizers._plan import HostScalar
from kerastorch.keras.optimizers.base import Optimizer

# The base optimizer's arguments Keras still accepts at their defaults (configs of older versions).
_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                  "loss_scale_factor": None, "gradient_accumulation_steps": None}
_LOW_PRECISION = (torch.float16, torch.bfloat16)


@ser.keras_export("keras.optimizers.LossScaleOptimizer", "keras.mixed_precision.LossScaleOptimizer")
class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss dynamically to keep float16 gradients from underflowing.

    Args:
        inner_optimizer: the optimizer that updates the variables (its own
            `loss_scale_factor` is switched off).
        initial_scale: the first loss scale; better too high than too low, since a high
            scale comes down faster than a low one goes up.
        dynamic_growth_steps: the scale doubles after this many steps with finite gradients.
        name: the name of the optimizer's variables' scope.

    `iterations` and `learning_rate` are the inner optimizer's.

    Example:
        >>> opt = tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.Adam())
        >>> with tf.GradientTape() as tape:
        ...     loss = opt.scale_loss(loss_fn())
        >>> opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
    """

    def __init__(self, inner_optimizer: Optimizer, initial_scale: float = 2.0**15, dynamic_growth_steps: int = 2000,
                 name: str | None = None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                             "`loss_scale_factor` directly on the `inner_optimizer`.")
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg}`. Instead, set `{arg}` on the "
                                 f"`inner_optimizer`.")
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"Argument `inner_optimizer` must be an `Optimizer` instance. "
                            f"Received: inner_optimizer={inner_optimizer}")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        inner_optimizer.loss_scale_factor = None  # else the gradients would be unscaled twice

    def build(self, variables: list) -> None:
        """Creates `step_counter` and `dynamic_scale`, and builds the inner optimizer."""
        self.step_counter = self.add_variable((), "zeros", dtype="int64", name="step_counter")
        self.dynamic_scale = self.add_variable((), initializers.Constant(self.initial_scale), dtype="float32",
                                               name="dynamic_scale")
        self._counter = HostScalar(self.step_counter, 0)
        self._scale = HostScalar(self.dynamic_scale, float(np.float32(self.initial_scale)))
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self) -> list:
        """Its own variables (`iteration`, `learning_rate`, `step_counter`, `dynamic_scale`), then the inner's."""
        return self._variables + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    def scale_loss(self, loss):
        """`loss * scale` (the current scale once built, else `initial_scale`), before the gradients.

        A float16/bfloat16 loss comes back in float32 once built, as Keras's product with
        the float32 scale variable.
        """
        if self.built:
            scale = self._scale.get()
            raw = unwrap(loss)
            if raw.dtype in _LOW_PRECISION:
                raw = raw.float()
        else:
            scale = self.initial_scale
            raw = unwrap(loss)
        scaled = raw * scale
        return scaled if isinstance(loss, torch.Tensor) else wrap(scaled)

    def apply_raw(self, grads: list, variables: list | None = None) -> None:
        """Unscales the gradients and applies them with the inner optimizer, or skips the step
        when one is not finite; then updates the scale (see the module docstring)."""
        if not len(grads):
            return
        if not self.built:
            if variables is None:
                self._check_built_for(grads)
            with naming.name_scope(self.name):
                self.build(list(variables))
        scale = self._scale.get()
        present = [g for g in grads if g is not None]
        with torch.no_grad():
            unscaled = torch._foreach_div(present, scale) if present else []
            finite = _all_finite(unscaled)
        if not finite:
            self._counter.set(0)
            self._scale.set(float(np.float32(scale * 0.5)))
            return
        if len(present) < len(grads):
            filled = iter(unscaled)
            unscaled = [None if g is None else next(filled) for g in grads]
        self.inner_optimizer.apply_raw(unscaled, variables)
        if self._counter.get() == self.dynamic_growth_steps - 1:
            self._counter.set(0)
            self._scale.set(float(np.float32(scale * 2.0)))
        else:
            self._counter.add(1)

    def finalize_variable_values(self, var_list) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def save_own_variables(self, store) -> None:
        """Writes `variables` (the inner optimizer's too, as Keras does) under `"0"`, `"1"`, …"""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Reads the values `save_own_variables` wrote (skipped, with a warning, when the counts differ)."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            super().load_own_variables(store)  # its warning
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self) -> dict:
        return {"name": self.name, "inner_optimizer": ser.serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> LossScaleOptimizer:
        config = dict(config)
        inner = ser.deserialize_keras_object(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)


def _all_finite(grads: list) -> bool:
    """Whether every element of `grads` is finite: one fused check per device, one host read.

    The check runs on the unscaled gradients: a scale >= 1 cannot make a finite gradient
    infinite, and below 1 an overflowing one could not be applied usefully anyway.
    """
    if not grads:
        return True
    by_device = {}
    for g in grads:
        by_device.setdefault(g.device, []).append(g)
    flags = []
    for device, group in by_device.items():
        found = torch.zeros(1, device=device)
        # The fused check multiplies by its scale argument in place: 1 leaves the values alone.
        torch._amp_foreach_non_finite_check_and_unscale_(group, found, torch.ones((), device=device))
        flags.append(found.cpu() if len(by_device) > 1 else found)
    return not bool(sum(flags))


def for_policy(optimizer: Optimizer | None, policy, auto_scale_loss: bool = True) -> Optimizer | None:
    """The optimizer `Model.compile` keeps: under the `"mixed_float16"` policy (and `auto_scale_loss`),
    `optimizer` wrapped in a LossScaleOptimizer named `loss_scale_optimizer`, as Keras does."""
    if (auto_scale_loss and policy.name == "mixed_float16" and optimizer is not None
            and not isinstance(optimizer, LossScaleOptimizer)):
        return LossScaleOptimizer(optimizer, name="loss_scale_optimizer")
    return optimizer
