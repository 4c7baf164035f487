"""`keras.utils`: helpers for Keras programs."""

from kerastorch.keras._serialization import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from kerastorch.keras.utils.random import set_random_seed

CustomObjectScope = custom_object_scope

__all__ = ["CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_registered_name",
           "get_registered_object", "register_keras_serializable", "serialize_keras_object", "set_random_seed"]
