"""`keras.saving`: model files (`.keras`, `.weights.h5`, legacy `.h5`), object
(de)serialization and the registry of custom objects."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras._serialization import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from kerastorch.keras.saving.saving_api import load_model, load_weights, save_model, save_weights
from kerastorch.keras.saving.state_dict import variable_paths

CustomObjectScope = custom_object_scope

__all__ = ["CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_registered_name",
           "get_registered_object", "load_model", "load_weights", "register_keras_serializable", "save_model",
           "save_weights", "serialize_keras_object", "variable_paths"]

__getattr__ = _missing_names("tf.keras.saving", __name__)
