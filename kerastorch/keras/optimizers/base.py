"""`keras.optimizers.Optimizer`: the base of every optimizer, and the training loop's entry point.

The public face is Keras 3.15's: `apply_gradients(zip(grads, vars))`, `apply(grads, vars)`,
`build`, `variables`, `iterations`, `learning_rate`, clipping, weight decay, EMA,
gradient accumulation and `get_config`. It converts the gradients and calls the raw one:

    optimizer.apply_raw(grads, variables=None)

`grads` is a list of torch tensors (or None: skipped, with Keras's warning) of the
variables' device and dtype; `variables` the Keras variables (default: those the
optimizer was built with; the first call builds it). One call is one whole Keras step —
loss-scale unscaling, gradient accumulation, clipping, weight decay, the update, the EMA,
constraints, `iterations += 1` — in torch foreach ops over all the variables of a device
and dtype at once, under `torch.no_grad()`. It never reads the device: the iteration count
and the learning rate are mirrored on the host (`_plan.HostScalar`), schedules are
evaluated there, so every per-step coefficient is a Python float. (A user-defined schedule
or learning-rate callable runs on the CPU and its value is read there.)

A subclass implements `build(variables)` (slots from `add_optimizer_variables`) and either
`_update_group(group, grads, lr, step)` with foreach ops (the built-ins) or Keras's
`update_step(gradient, variable, learning_rate)` on kerastorch tensors (a user's optimizer).
"""

from __future__ import annotations

import warnings

import numpy as np

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import initializers
from kerastorch.keras.engine import naming
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.optimizers import schedules
from kerastorch.keras.optimizers._config import ConfigMixin
from kerastorch.keras.optimizers._plan import HostScalar
from kerastorch.keras.optimizers._step import StepMixin


@ser.keras_export("keras.Optimizer", "keras.optimizers.Optimizer")
class Optimizer(StepMixin, ConfigMixin):
    """Base class of optimizers.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable without
            arguments returning the rate.
        weight_decay: if set, decoupled weight decay `w -= w * weight_decay * lr` before
            each update (see `exclude_from_weight_decay`).
        clipnorm: if set, each gradient is clipped to this norm.
        clipvalue: if set, each gradient element is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are scaled so their global norm is at most this.
        use_ema: keep an exponential moving average of the weights.
        ema_momentum: the EMA's momentum (`average = m * average + (1 - m) * w`).
        ema_overwrite_frequency: copy the average into the weights every this many steps;
            None leaves it to `finalize_variable_values`.
        loss_scale_factor: `scale_loss` multiplies the loss by it, the update divides the
            gradients by it.
        gradient_accumulation_steps: update every this many steps (>= 2) with the mean
            of the gradients since the last update.
        name: the name of the optimizer's variables' scope (default the snake-cased
            class name, numbered: `adam`, `adam_1`, …).

    A subclass creates its state in `build(variables)` with `add_optimizer_variables` and
    implements `update_step(gradient, variable, learning_rate)` with `self.assign`,
    `self.assign_add`, `self.assign_sub` (and `get_config` for its own arguments).
    """

    def __init__(self, learning_rate, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = naming.unique_name(naming.to_snake_case(type(self).__name__)) if name is None else name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        _check_options(gradient_accumulation_steps, use_ema, ema_momentum, ema_overwrite_frequency,
                       clipnorm, clipvalue, global_clipnorm)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._plans = {}
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._iterations = self._track(KerasVariable(0, dtype="int64", trainable=False, name="iteration",
                                                     path=self.name))
        self._step_count = HostScalar(self._iterations, 0)
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError("Argument `learning_rate` should be float, or an instance of "
                                 "LearningRateSchedule, or a callable (that takes in the current iteration "
                                 "value and returns the corresponding learning rate value). Received instead: "
                                 f"learning_rate={learning_rate}")
            self._learning_rate = self._track(KerasVariable(learning_rate, dtype="float32", trainable=False,
                                                            name="learning_rate", path=self.name))
            self._lr_host = HostScalar(self._learning_rate, float(np.float32(learning_rate)))

    # -- state ------------------------------------------------------------------------
    @property
    def variables(self) -> list:
        """The optimizer's variables: `iteration`, `learning_rate`, then what `build` made."""
        return self._variables[:]

    @property
    def iterations(self):
        """The number of steps taken (updates, with gradient accumulation), an int64 variable."""
        if self.gradient_accumulation_steps:
            return wrap(self._iterations._param.detach() // self.gradient_accumulation_steps)
        return self._iterations

    @property
    def learning_rate(self):
        """The learning rate: its variable, or the schedule's value at the current step."""
        lr = self._learning_rate
        if isinstance(lr, KerasVariable):
            return lr
        if isinstance(lr, schedules.LearningRateSchedule):
            return lr(self._iterations)
        return lr()

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        previous = self._learning_rate if isinstance(self._learning_rate, KerasVariable) else None
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if isinstance(self._learning_rate, schedules.LearningRateSchedule):
                raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its "
                                "`learning_rate` constructor argument, hence its learning rate is not "
                                "settable. If you need the learning rate to be settable, you should "
                                "instantiate the optimizer with a float `learning_rate` argument.")
            self._learning_rate.assign(learning_rate)
        if previous is not None and previous is not self._learning_rate:
            self._variables = [v for v in self._variables if v is not previous]

    def _track(self, variable: KerasVariable) -> KerasVariable:
        self._variables.append(variable)
        return variable

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation: str = "none", layout=None,
                     name: str | None = None) -> KerasVariable:
        """A new (non-trainable) optimizer variable, at path `<optimizer name>/<name>`.

        Args:
            shape: its shape.
            initializer: an initializer or its name.
            dtype: its dtype (default float32).
            aggregation, layout: accepted for Keras compatibility.
            name: its name.
        """
        dtype = dtypes.as_dtype(dtype or "float32")
        shape = tuple(int(d) for d in shape)
        value = initializers.raw_initializer(initializers.get(initializer))(shape, dtype._torch, _device.current())
        return self._track(KerasVariable(value, shape=shape, dtype=dtype, trainable=False, name=name,
                                         path=self.name))

    def add_variable_from_reference(self, reference_variable, name: str | None = None,
                                    initializer="zeros") -> KerasVariable:
        """A variable of the shape, dtype and device of `reference_variable`, named `<its path>_<name>`."""
        name = name or "var"
        if hasattr(reference_variable, "path"):
            name = f"{reference_variable.path.replace('/', '_')}_{name}"
        else:
            name = f"{str(reference_variable.name).replace('/', '_').replace(':', '_')}_{name}"
        with _device.device(reference_variable._param.device):
            return self.add_variable(reference_variable.shape, initializer, reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One variable per trainable variable for each name (a list, or a tuple of lists for a list of names).

        Args:
            trainable_variables: the model's variables.
            name: a name (e.g. `"momentum"`) or a list of names.
            initializer: one initializer for all, or one per name.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError(f"The number of provided names must match the number of provided initializers.  "
                             f"Received name='{name}', initializer='{initializer}'")
        created = tuple([] for _ in names)
        for variable in trainable_variables:
            for made, var_name, init in zip(created, names, inits):
                made.append(self.add_variable_from_reference(variable, name=var_name, initializer=init))
        return created[0] if isinstance(name, str) else created

    def build(self, variables: list) -> None:
        """Creates the optimizer's state for `variables` (subclasses add their slots after this)."""
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[self._var_key(variable)] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator"))
        self._trainable_variables = variables
        self._plans.clear()
        self.built = True

    def _var_key(self, variable) -> int:
        return variable._uid

    def _get_variable_index(self, variable) -> int:
        """The position of `variable` in the list the optimizer was built with."""
        return self._trainable_variables_indices[self._var_key(variable)]

    def _slot_lists(self) -> list:
        """The per-variable slot lists `_update_group` reads (each aligned with the built variables)."""
        return []


def _check_options(gradient_accumulation_steps, use_ema, ema_momentum, ema_overwrite_frequency, clipnorm,
                   clipvalue, global_clipnorm) -> None:
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                         f"gradient_accumulation_steps={gradient_accumulation_steps}")
    if use_ema:
        if ema_momentum > 1 or ema_momentum < 0:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
        if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
            raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                             f"ema_overwrite_frequency={ema_overwrite_frequency}")
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                         f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
