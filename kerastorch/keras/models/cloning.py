"""`keras.models.clone_model` and `model_from_json`: new models from an existing architecture."""

from __future__ import annotations

import json

from kerastorch.keras import _serialization as ser


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """The model (new weights) a `model.to_json()` string describes.

    Args:
        json_string: the JSON text.
        custom_objects: `{name: class}` for user layers that are not registered.
    """
    config = json.loads(json_string)
    return ser.deserialize_keras_object(config, custom_objects=custom_objects)


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the same architecture and freshly initialized weights.

    Args:
        model: a Sequential or functional model.
        input_tensors: not supported yet beyond None (the clone gets new inputs).
        clone_function: called on each layer to make its clone (default: the layer
            rebuilt from its config).
    """
    from kerastorch.keras.models.functional import Functional
    from kerastorch.keras.models.sequential import Sequential

    if input_tensors is not None:
        raise ValueError("clone_model(input_tensors=...) is not supported yet. Received: "
                         f"input_tensors={input_tensors}")
    if clone_function is not None:
        with ser.custom_object_scope({}):
            return _clone_with(model, clone_function)
    if isinstance(model, (Sequential, Functional)):
        return type(model).from_config(model.get_config())
    raise ValueError(f"Arguments clone_function and input_tensors are only supported for Sequential models or "
                     f"Functional models. Received model of type '{model.__class__.__name__}'")


def _clone_with(model, clone_function):
    from kerastorch.keras.engine.input_layer import InputLayer
    from kerastorch.keras.models.sequential import Sequential

    if not isinstance(model, Sequential):
        raise ValueError("clone_model(clone_function=...) is supported for Sequential models only so far. "
                         f"Received model of type '{type(model).__name__}'")
    layers = [clone_function(layer) for layer in model.layers]
    clone = Sequential(name=model.name)
    if model._input is not None:
        clone.add(InputLayer(batch_shape=model._input.batch_shape, dtype=model._input.dtype), rebuild=False)
    for layer in layers:
        clone.add(layer, rebuild=False)
    clone._maybe_rebuild()
    return clone
