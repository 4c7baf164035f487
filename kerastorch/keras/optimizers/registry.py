"""`get` / `serialize` / `deserialize` for optimizers: names are the lowercased class names."""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.optimizers.adafactor import Adafactor
from kerastorch.keras.optimizers.adam import Adam, Adamax, AdamW, Nadam
from kerastorch.keras.optimizers.base import Optimizer
from kerastorch.keras.optimizers.ftrl import Ftrl
from kerastorch.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerastorch.keras.optimizers.rmsprop import Adadelta, Adagrad, RMSprop
from kerastorch.keras.optimizers.sgd import SGD, Lion

# The names `get` / `deserialize` accept, case-insensitively ('adam', 'Adam', 'RMSprop', …); Keras 3.15
# leaves Lamb out.
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in (
    Optimizer, Adam, SGD, RMSprop, Adadelta, AdamW, Adagrad, Adamax, Adafactor, Nadam, Ftrl, Lion,
    LossScaleOptimizer)}


@ser.keras_export("keras.optimizers.serialize")
def serialize(optimizer: Optimizer) -> dict:
    """The config dict of an optimizer (`{'module', 'class_name', 'config', 'registered_name'}`)."""
    return ser.serialize_keras_object(optimizer)


@ser.keras_export("keras.optimizers.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """The optimizer a config dict describes (a built-in's class name in any case)."""
    if config["class_name"].lower() in ALL_OBJECTS_DICT:
        config = {**config, "class_name": config["class_name"].lower()}
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


@ser.keras_export("keras.optimizers.get")
def get(identifier) -> Optimizer | None:
    """An optimizer from None, a name (a new default instance: `"adam"`), a config dict or an instance.

    Example:
        >>> tf.keras.optimizers.get("rmsprop").name
        'rm_sprop'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ser.get_error("optimizer", identifier)
