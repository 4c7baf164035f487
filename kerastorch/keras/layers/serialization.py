"""`keras.layers.serialize` / `deserialize`: a layer as Keras 3's config dict and back.

A built-in layer serializes as `{'module': 'keras.layers', 'class_name': 'Dense',
'config': {...}, 'registered_name': None}`, plus `'build_config': {'input_shape': ...}`
once it is built (so a deserialized layer is built again and can take weights before
its first call). A user layer records its Python module and registered name. Classes
are found among the public names of `kerastorch.keras.layers`, the caller's
`custom_objects`, the active `custom_object_scope`s and the registry of
`register_keras_serializable` (see `kerastorch.keras._serialization`).
"""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.base_layer import Layer

_exported = set()


def _export_builtins() -> None:
    """Records `keras.layers.<Name>` for every public layer class (families add theirs over time)."""
    from kerastorch.keras import layers

    for name, obj in vars(layers).items():
        if name in _exported or name.startswith("_"):
            continue
        if isinstance(obj, type) and issubclass(obj, Layer):
            # The class's own name is canonical (`Conv1D`, not its alias `Convolution1D`).
            ser.keras_export(f"keras.layers.{obj.__name__}", f"keras.layers.{name}")(obj)
            _exported.add(name)


def serialize(layer: Layer) -> dict:
    """The layer's Keras 3 config dict (`keras.layers.serialize`).

    Example:
        >>> tf.keras.layers.serialize(tf.keras.layers.Dense(3))["class_name"]
        'Dense'
    """
    _export_builtins()
    config = ser.serialize_keras_object(layer)
    if layer.built and layer._build_shapes is not None:
        config["build_config"] = {"input_shape": layer._build_shapes}
    return config


def deserialize(config: dict, custom_objects: dict | None = None) -> Layer:
    """The layer a `serialize` dict describes (`keras.layers.deserialize`).

    Args:
        config: the dict from `serialize` (or from a Keras 3 model file).
        custom_objects: `{name: class}` for user layers that are not registered.
    """
    _export_builtins()
    from kerastorch.keras.engine import tf_op_layer  # noqa: F401 -- registers the operation layers

    layer = ser.deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(f"`keras.layers.deserialize` was passed a `config` object that is not a "
                         f"`keras.layers.Layer`. Received: {config}")
    build_config = config.get("build_config") if isinstance(config, dict) else None
    shape = (build_config or {}).get("input_shape")
    if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
        shape = tuple(shape)  # a shape read back from JSON
    if shape is not None and not layer.built:
        layer._maybe_build(shape, (shape,))
    return layer
