"""`keras.saving`: object (de)serialization and the registry of custom objects."""

from kerastorch.keras._serialization import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

CustomObjectScope = custom_object_scope

__all__ = ["CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_registered_name",
           "get_registered_object", "register_keras_serializable", "serialize_keras_object"]
