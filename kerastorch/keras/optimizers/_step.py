"""What one optimizer step does: `apply_gradients` / `apply` (public) over `apply_raw` (the fit loop's).

The order is Keras 3.15's `apply`: drop None gradients (with a warning), unscale by
`loss_scale_factor`, accumulate (`gradient_accumulation_steps`: update on every N-th
call with the mean), clip, decay the weights, update, average (EMA) and overwrite,
project through the constraints, count the iteration.
"""

from __future__ import annotations

import functools
import re
import warnings

import torch

from kerastorch.distribute import replica_step
from kerastorch.framework import device as _device
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.optimizers import _transforms, schedules
from kerastorch.keras.optimizers._plan import Plan

_MAX_PLANS = 8  # variable lists whose plan is kept (training, a partly frozen variant, …)


class StepMixin:
    """The step of `Optimizer`: applying gradients, and the transforms around the update."""

    def apply_gradients(self, grads_and_vars) -> KerasVariable:
        """Applies `(gradient, variable)` pairs; returns `iterations` (as tf.keras does)."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None) -> None:
        """Updates `trainable_variables` (default: those the optimizer was built with) from `grads`.

        Args:
            grads: gradients (kerastorch tensors, Variables, numpy arrays, or None to skip).
            trainable_variables: the variables, one per gradient; the first call builds
                the optimizer on them.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            self._check_built_for(grads)
            targets = self._trainable_variables
        else:
            trainable_variables = targets = list(trainable_variables)
        raw = [None if g is None else _as_gradient(g, v) for g, v in zip(grads, targets)]
        # Summed over the processes in a custom train_step on several (TF's cross-replica sum).
        self.apply_raw(replica_step.summed_gradients(raw), trainable_variables)

    def apply_raw(self, grads: list, variables: list | None = None) -> None:
        """One whole step on torch gradients (the fit loop's entry point; see the module docstring).

        Args:
            grads: torch tensors with the variables' device and dtype, or None.
            variables: the Keras variables (default: those the optimizer was built with).
        """
        if not len(grads):
            return
        if variables is None:
            self._check_built_for(grads)
            variables = self._trainable_variables
        elif not self.built:
            with naming.name_scope(self.name):
                self.build(list(variables))
        for g in grads:
            if g is None:
                grads, variables = _filter_empty_gradients(grads, variables)
                break
        plan = self._plan(variables)
        with torch.no_grad():
            self._step(plan, grads)

    def _check_built_for(self, grads) -> None:
        if not self.built:
            raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on "
                             "a list of variables. Call `optimizer.build(trainable_variables)` first. ")
        if len(grads) != len(self._trainable_variables_indices):
            raise ValueError(f"When passing `grads` as a list of gradient tensors, the gradients must match "
                             f"`optimizer.variables` one-to-on. Received a list of {len(grads)} gradients, but "
                             f"the optimizer is tracking {len(self._trainable_variables)} trainable variables.")

    def _plan(self, variables) -> Plan:
        key = tuple(map(id, variables))
        plan = self._plans.get(key)
        if plan is None:
            for v in variables:
                if self._var_key(v) not in self._trainable_variables_indices:
                    raise ValueError(f"Unknown variable: {v}. This optimizer can only be called for the "
                                     "variables it was originally built with. When working with a new set of "
                                     "variables, you should recreate a new optimizer instance.")
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            plan = self._plans[key] = Plan(self, list(variables))
        return plan

    def _step(self, plan: Plan, grads) -> None:
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, self.loss_scale_factor)
        count = self._step_count.get()
        every = self.gradient_accumulation_steps
        iterations = count // every if every else count
        if every and (count + 1) % every:
            torch._foreach_add_(plan.accumulators, grads)
        else:
            if every:
                grads = torch._foreach_add(grads, plan.accumulators)
                torch._foreach_div_(grads, every)
            grads = _transforms.clip(self, grads)
            lr = self._lr_value()
            if self.weight_decay is not None:
                _transforms.decay_weights(plan.decayed, self.weight_decay, lr)
            self._update(plan, grads, lr, iterations + 1)
            if every:
                torch._foreach_zero_(plan.accumulators)
        if self.use_ema:
            self._update_ema(iterations)
        for param, project in plan.constraints:
            param.copy_(project(param))
        self._step_count.add(1)

    def _lr_value(self) -> float:
        """The learning rate of this step, on the host."""
        lr = self._learning_rate
        if isinstance(lr, KerasVariable):
            return self._lr_host.get()
        if isinstance(lr, schedules.LearningRateSchedule):
            return schedules.host_value(lr, self._step_count.get())
        with _device.device("/CPU:0"):
            return float(lr())

    def _update(self, plan: Plan, grads, lr: float, step: int) -> None:
        """Updates every group; `step` is the 1-based update count (Keras's `iterations + 1`)."""
        per_variable = _per_variable(type(self))
        for group, group_grads in zip(plan.groups, plan.split(grads)):
            if per_variable:
                learning_rate = self.learning_rate
                for variable, grad in zip(group.variables, group_grads):
                    self.update_step(wrap(grad), variable, learning_rate)
            else:
                self._update_group(group, group_grads, lr, step)

    def update_step(self, gradient, variable, learning_rate) -> None:
        """Updates `variable` from `gradient` (kerastorch tensors); a user's optimizer implements it."""
        raise NotImplementedError

    def assign(self, variable, value) -> None:
        """`variable.assign(value)`, `value` cast to the variable's dtype."""
        variable.assign(_like(value, variable))

    def assign_add(self, variable, value) -> None:
        """`variable.assign_add(value)`, `value` cast to the variable's dtype."""
        variable.assign_add(_like(value, variable))

    def assign_sub(self, variable, value) -> None:
        """`variable.assign_sub(value)`, `value` cast to the variable's dtype."""
        variable.assign_sub(_like(value, variable))

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` when it is set (before computing gradients), else `loss`."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- weight decay -----------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Leaves variables out of weight decay.

        Args:
            var_list: variables to leave out.
            var_names: substrings (regular expressions): a variable whose name contains
                one is left out, e.g. `["bias"]`.
        """
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list} if var_list else set()
        self._exclude_from_weight_decay_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._plans.clear()

    def _use_weight_decay(self, variable) -> bool:
        if self._var_key(variable) in self._exclude_from_weight_decay:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        return pattern is None or pattern.search(variable.name) is None

    # -- moving average -----------------------------------------------------------------------
    def _update_ema(self, iterations: int) -> None:
        averages = [a._param for a in self._model_variables_moving_average]
        params = [v._param for v in self._trainable_variables]
        _transforms.update_average(averages, params, self.ema_momentum if iterations != 0 else 0.0)
        frequency = self.ema_overwrite_frequency
        if frequency and (iterations + 1) % frequency == 0:
            torch._foreach_copy_(params, averages)

    def finalize_variable_values(self, var_list) -> None:
        """With `use_ema`, replaces the values of `var_list` (the model's variables) by their averages."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    def _overwrite_model_variables_with_average_value(self, trainable_variables) -> None:
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(f"The length of model variables ({len(trainable_variables)}) to override does not "
                             f"match the length of model variables stored in the optimizer ({len(averages)}). "
                             "Please check if the optimizer was called on your model.")
        with torch.no_grad():
            for variable, average in zip(trainable_variables, averages):
                variable._param.copy_(average._param)


@functools.cache
def _per_variable(cls: type) -> bool:
    """Whether `cls` updates through Keras's `update_step` rather than a foreach `_update_group`."""
    return next("update_step" in vars(k) for k in cls.__mro__ if {"update_step", "_update_group"} & vars(k).keys())


def _filter_empty_gradients(grads, variables) -> tuple:
    kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
    if not kept:
        raise ValueError("No gradients provided for any variable.")
    missing = [getattr(v, "path", None) or v.name for g, v in zip(grads, variables) if g is None]
    warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                  "`model.compile()`, did you forget to provide a `loss` argument?", stacklevel=2)
    return [g for g, _ in kept], [v for _, v in kept]


def _as_gradient(grad, variable) -> torch.Tensor:
    param = variable._param
    return unwrap(grad).to(device=param.device, dtype=param.dtype)


def _like(value, variable) -> torch.Tensor:
    return unwrap(value).to(variable._param.dtype)
