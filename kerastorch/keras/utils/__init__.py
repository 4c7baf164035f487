"""`keras.utils`: helpers for Keras programs (the registry functions are `keras.saving`'s, re-exported)."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.saving import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from kerastorch.keras.utils.numerical import normalize, to_categorical
from kerastorch.keras.utils.progbar import Progbar
from kerastorch.keras.utils.py_dataset import PyDataset, Sequence
from kerastorch.keras.utils.random import set_random_seed
from kerastorch.keras.utils.sequence_padding import pad_sequences
from kerastorch.keras.utils.split_dataset import split_dataset

__all__ = ["CustomObjectScope", "Progbar", "PyDataset", "Sequence", "custom_object_scope", "deserialize_keras_object",
           "get_registered_name", "get_registered_object", "normalize", "pad_sequences", "register_keras_serializable",
           "serialize_keras_object", "set_random_seed", "split_dataset", "to_categorical"]

__getattr__ = _missing_names("tf.keras.utils", __name__)
