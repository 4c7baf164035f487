"""`tf.keras.initializers`: Keras 3's initializers, with `get` / `serialize` / `deserialize`.

The engine creates weights with `raw_initializer(init)(shape, torch_dtype, device)`
(see `base.py`), which works for built-ins, user subclasses and plain functions.
"""

from __future__ import annotations

import inspect

import numpy as np

from kerastorch._missing import missing_names as _missing_names
from kerastorch.framework.convert import constant as _constant
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras import _serialization as ser
from kerastorch.keras.initializers.base import (
    Initializer,
    RandomInitializer,
    raw_initializer,
    standardize_dtype,
    standardize_shape,
)
from kerastorch.keras.initializers.constant import Constant, Identity, Ones, Zeros
from kerastorch.keras.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

ser.keras_export("keras.Initializer", "keras.initializers.Initializer")(Initializer)

# The snake_case names Keras exports for each class are aliases of the class itself.
constant = Constant
zeros, ones, identity = Zeros, Ones, Identity
glorot_normal, glorot_uniform = GlorotNormal, GlorotUniform
he_normal, he_uniform = HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform
orthogonal, random_normal, random_uniform = Orthogonal, RandomNormal, RandomUniform
truncated_normal, variance_scaling = TruncatedNormal, VarianceScaling
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal

# The names `get` / `deserialize` accept (Keras 3.15's table, without STFT).
ALL_OBJECTS_DICT = {
    "Constant": Constant, "constant": Constant,
    "GlorotNormal": GlorotNormal, "glorot_normal": GlorotNormal,
    "GlorotUniform": GlorotUniform, "glorot_uniform": GlorotUniform,
    "HeNormal": HeNormal, "he_normal": HeNormal,
    "HeUniform": HeUniform, "he_uniform": HeUniform,
    "Identity": Identity, "identity": Identity, "IdentityInitializer": Identity,
    "Initializer": Initializer, "initializer": Initializer,
    "LecunNormal": LecunNormal, "lecun_normal": LecunNormal,
    "LecunUniform": LecunUniform, "lecun_uniform": LecunUniform,
    "Ones": Ones, "ones": Ones, "one": Ones,
    "Orthogonal": Orthogonal, "orthogonal": Orthogonal, "OrthogonalInitializer": Orthogonal,
    "RandomNormal": RandomNormal, "random_normal": RandomNormal, "normal": RandomNormal,
    "RandomUniform": RandomUniform, "random_uniform": RandomUniform, "uniform": RandomUniform,
    "TruncatedNormal": TruncatedNormal, "truncated_normal": TruncatedNormal,
    "VarianceScaling": VarianceScaling, "variance_scaling": VarianceScaling,
    "Zeros": Zeros, "zeros": Zeros, "zero": Zeros,
}


def serialize(initializer) -> dict:
    """The config dict of an initializer (`{'module', 'class_name', 'config', 'registered_name'}`)."""
    return ser.serialize_keras_object(initializer)


def deserialize(config, custom_objects: dict | None = None):
    """The initializer a name or config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """An initializer from a name, a config dict, a class, a callable, or a tensor / array.

    A name or class gives a new instance; a tensor or numpy array gives a function
    returning it (cast to the requested dtype) for a request of its exact shape.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    elif isinstance(identifier, (TensorLike, np.ndarray, np.generic)):
        obj = _from_value(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ser.get_error("initializer", identifier)


def _from_value(value):
    def initialize_fn(shape, dtype=None):
        if standardize_shape(shape) != tuple(value.shape):
            raise ValueError(f"Expected `shape` to be {tuple(value.shape)} for direct tensor as initializer. "
                             f"Received shape={shape}")
        array = value.numpy() if isinstance(value, TensorLike) else np.asarray(value)
        return _constant(array.astype(standardize_dtype(dtype).as_numpy_dtype))

    return initialize_fn


# Keras's public names; `raw_initializer`, `compute_fans` and `RandomInitializer` are for the engine.
__all__ = sorted({*ALL_OBJECTS_DICT, "deserialize", "get", "serialize"}
                 - {"initializer", "one", "zero", "normal", "uniform"})

__getattr__ = _missing_names("tf.keras.initializers", __name__)
