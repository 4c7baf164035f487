"""An optimizer's config (`get_config` / `from_config`) and its state as arrays (`set_weights`, saving)."""

from __future__ import annotations

import warnings

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.optimizers import schedules


class ConfigMixin:
    """Config and saved state of `Optimizer`."""

    def get_config(self) -> dict:
        """The constructor arguments, as Keras 3.15 records them (the learning rate as a float or config)."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(lr)
        elif isinstance(lr, KerasVariable):
            learning_rate = float(lr.numpy())
        else:
            learning_rate = ser.serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """An optimizer from its `get_config()` (a schedule's config is deserialized)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = ser.deserialize_keras_object(config["learning_rate"],
                                                                   custom_objects=custom_objects)
        return cls(**config)

    def set_weights(self, weights: list) -> None:
        """Sets the values of `variables` from arrays, in order."""
        if not self.built:
            raise ValueError("You are calling `set_weights()` on an optimizer that has not yet been built. Please "
                             "call `optimizer.build(trainable_variables)` to create the optimizer weights before "
                             "calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape.as_list()) != weight.shape:
                raise ValueError(f"Optimizer variable {self._var_key(variable)} has shape {variable.shape} not "
                                 f"compatible with provided weight shape {weight.shape}.")
            variable.assign(weight)

    def save_own_variables(self, store) -> None:
        """Writes the variables' values to `store` under `"0"`, `"1"`, …"""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Reads the values `save_own_variables` wrote (warns and skips when the counts differ)."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(self._variables)} variables whereas the saved optimizer has {len(store.keys())} "
                          "variables. ", stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])
