"""A functional model's config (Keras 3's layout) and the model rebuilt from it.

Each layer's entry is its serialized config plus `name` and `inbound_nodes`: the calls
of that layer inside the model, with their KerasTensor arguments written as
`{'class_name': '__keras_tensor__', 'config': {'shape', 'dtype', 'keras_history':
[layer name, node index, tensor index]}}`. Node indices count only the layer's calls that
belong to this model, so a layer shared with other models numbers its calls here from 0.
`input_layers`/`output_layers` give the model's inputs and outputs as those triples,
in the structure (single, list, dict) the model was built with.
"""

from __future__ import annotations

import numpy as np

from kerastorch.framework import dtypes
from kerastorch.framework.tensor import TensorLike
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import nest
from kerastorch.keras.engine.input_layer import InputLayer
from kerastorch.keras.engine.symbolic import KerasTensor

_CONSTANTS = ("__slice__", "__ellipsis__", "__tensor__", "__numpy__", "__bytes__")


def get_config(model) -> dict:
    from kerastorch.keras.layers import serialization

    in_model = {id(node) for node in model._nodes}
    index = {}  # id(node) -> its index among the layer's nodes in this model
    for layer in model._layer_list:
        position = 0
        for node in layer.__dict__.get("_inbound_nodes", []):
            if id(node) in in_model:
                index[id(node)] = position
                position += 1

    def history(tensor) -> list:
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, index[id(layer._inbound_nodes[node_index])], tensor_index]

    def model_history(tensor) -> list:
        # Keras counts a nested functional model's calls from 1 here (its own construction is
        # call 0 in Keras 3), though from 0 in the layers' `inbound_nodes`.
        name, node_index, tensor_index = history(tensor)
        return [name, node_index + _functional_offset(tensor._keras_history[0]), tensor_index]

    def reference(value):
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": value.shape, "dtype": value.dtype, "keras_history": history(value)}}
        return _constant(value)

    layers = []
    for layer in model._layer_list:
        entry = serialization.serialize(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [] if isinstance(layer, InputLayer) else [
            {"args": nest.map(reference, node.call_args), "kwargs": nest.map(reference, node.call_kwargs)}
            for node in layer._inbound_nodes if id(node) in in_model]
        layers.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": _structure(model._inputs_struct, model_history),
            "output_layers": _structure(model._outputs_struct, model_history)}


def _structure(tensors, history):
    """Keras's `input_layers` / `output_layers`: one triple for a single tensor, else per item."""
    if isinstance(tensors, KerasTensor):
        return history(tensors)
    if isinstance(tensors, dict):
        return {key: history(value) for key, value in tensors.items()}
    return [history(t) for t in tensors]


def _constant(value):
    """A constant call argument (`x[:, 0]`'s key, `x + 1`'s 1) as Keras serializes it."""
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {"start": _constant(value.start), "stop": _constant(value.stop),
                                                      "step": _constant(value.step)}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, (TensorLike, np.ndarray, np.generic, dtypes.DType)):
        return ser.serialize_keras_object(value)
    return value


def _from_constant(value: dict):
    """The constant one of `_constant`'s dicts stands for."""
    class_name = value.get("class_name")
    inner = value.get("config") or {}
    if class_name == "__slice__":
        return slice(_rebuild(inner.get("start"), None), _rebuild(inner.get("stop"), None),
                     _rebuild(inner.get("step"), None))
    if class_name == "__ellipsis__":
        return Ellipsis
    return ser.deserialize_keras_object(value)  # a tensor, numpy array or bytes


def from_config(cls, config: dict, custom_objects=None):
    """The functional model `config` describes, with new layers (fresh weights)."""
    from kerastorch.keras.engine import tf_op_layer  # noqa: F401 -- registers the operations' classes
    from kerastorch.keras.layers import serialization

    layers, pending = {}, []
    for entry in config["layers"]:
        layer = serialization.deserialize(entry, custom_objects=custom_objects)
        layers[entry["name"]] = layer
        pending.extend((layer, node) for node in entry.get("inbound_nodes") or [])
    outputs = {}  # (layer name, node index) -> the node's output structure

    def produced(layer_name, node_index):
        layer = layers[layer_name]
        if isinstance(layer, InputLayer):
            return layer.output
        return outputs.get((layer_name, node_index))

    def resolve(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = value["config"]["keras_history"]
            out = produced(name, node_index)
            if out is None:
                raise LookupError(name)
            return nest.flatten(out)[tensor_index]
        return value

    calls = {}  # layer name -> calls made so far (its node index in this model)
    while pending:
        progressed = False
        for item in list(pending):
            layer, node = item
            try:
                args = _rebuild(node.get("args", ()), resolve)
                kwargs = _rebuild(node.get("kwargs", {}), resolve)
            except LookupError:
                continue
            out = layer(*args, **kwargs)
            outputs[(layer.name, calls.get(layer.name, 0))] = out
            calls[layer.name] = calls.get(layer.name, 0) + 1
            pending.remove(item)
            progressed = True
        if not progressed:
            raise ValueError(f"Could not rebuild the functional model '{config.get('name')}': some layer calls "
                             f"read tensors no other call produces.")

    def tensor_of(triple):
        name, node_index, tensor_index = triple
        node_index -= _functional_offset(layers[name])
        return nest.flatten(produced(name, node_index))[tensor_index]

    inputs = _from_structure(config["input_layers"], tensor_of)
    outputs_struct = _from_structure(config["output_layers"], tensor_of)
    return cls(inputs, outputs_struct, name=config.get("name"), trainable=config.get("trainable", True))


def _functional_offset(layer) -> int:
    from kerastorch.keras.models.functional import Functional

    return 1 if isinstance(layer, Functional) else 0


def _is_triple(value) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str)


def _from_structure(value, tensor_of):
    if _is_triple(value):
        return tensor_of(value)
    if isinstance(value, dict):
        return {key: tensor_of(v) for key, v in value.items()}
    return [tensor_of(v) for v in value]


def _rebuild(value, resolve):
    """Call arguments with their tensor references resolved and constants rebuilt (tuples and lists kept)."""
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        return resolve(value)
    if isinstance(value, dict) and value.get("class_name") in _CONSTANTS:
        return _from_constant(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_rebuild(v, resolve) for v in value)
    if isinstance(value, dict):
        return {k: _rebuild(v, resolve) for k, v in value.items()}
    return value
