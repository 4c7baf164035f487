"""Functional models: a graph of layer calls recorded on KerasTensors, replayed on data.

`Model(inputs, outputs)` walks back from the outputs through the `Node`s that layer
calls on KerasTensors recorded (`engine/symbolic.py`), orders them so every node runs
after the nodes it reads, and on a call replays them on torch tensors: each node's
arguments are its KerasTensors replaced by the values computed so far.
"""

from __future__ import annotations

import torch

from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import nest
from kerastorch.keras.engine.input_layer import InputLayer
from kerastorch.keras.engine.symbolic import KerasTensor
from kerastorch.keras.models import functional_config, graph
from kerastorch.keras.models.model import Model


@ser.keras_export("keras.src.models.functional.Functional")
class Functional(Model):
    """A model defined by its input and output KerasTensors (`keras.Model(inputs, outputs)`).

    Args:
        inputs: a KerasTensor from `keras.Input`, or a list or dict of them.
        outputs: KerasTensors computed from the inputs (single, list or dict).
        name: the model's name (default `functional`, `functional_1`, …).

    Example:
        >>> x = tf.keras.Input(shape=(4,))
        >>> y = tf.keras.layers.Dense(1)(tf.keras.layers.Dense(8, activation="relu")(x))
        >>> model = tf.keras.Model(x, y)
        >>> model.output_shape
        (None, 1)
    """

    def __init__(self, inputs, outputs, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)
        if type(outputs) is list and len(outputs) == 1:
            outputs = outputs[0]  # as Keras: a one-element output list gives a single output
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        flat_inputs = nest.flatten(inputs)
        flat_outputs = nest.flatten(outputs)
        for value, what in ((flat_inputs, "inputs"), (flat_outputs, "outputs")):
            for tensor in value:
                if not isinstance(tensor, KerasTensor):
                    raise ValueError(f"All `{what}` of a functional model must be KerasTensors (from "
                                     f"`keras.Input` and layer calls). Received: {tensor} (of type {type(tensor)})")
        self._nodes = _ordered_nodes(flat_inputs, flat_outputs)
        # Not a tracked list: torch sees the layers once, through `_graph_layers`.
        object.__setattr__(self, "_layer_list", graph.keras_graph(self)[0])
        self._run_nodes = [n for n in self._nodes if not isinstance(n.operation, InputLayer)]
        self._modules["_graph_layers"] = _LayerHolder(self._layer_list)
        self.built = True
        self._build_shapes = nest.map(lambda t: t.shape, inputs)

    # -- structure ----------------------------------------------------------------------
    def _internal_modules(self) -> set:
        """The `_modules` keys that hold the graph's layers (weight files list `layers` instead)."""
        return {"_graph_layers"}

    @property
    def layers(self) -> list:
        """The layers in the order they run, input layers first (not the operations on
        tensors, `x + 1`, which Keras 3 keeps out of `layers` too)."""
        from kerastorch.keras.engine.symbolic_ops import OperationLayer

        return [layer for layer in self._layer_list if not isinstance(layer, OperationLayer)]

    @property
    def input_dtype(self) -> str | None:
        """The dtype of its Inputs when they share one (Keras casts each input to its Input's
        dtype, not to the compute dtype), else None: no cast."""
        names = {t.dtype for t in nest.flatten(self._inputs_struct)}
        return names.pop() if len(names) == 1 else None

    @property
    def inputs(self) -> list:
        return nest.flatten(self._inputs_struct)

    @property
    def outputs(self) -> list:
        return nest.flatten(self._outputs_struct)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def output_names(self) -> list:
        """The names of the layers that produce the outputs (dict keys for a dict of outputs)."""
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct)
        return [t._keras_history.operation.name for t in nest.flatten(self._outputs_struct)]

    @property
    def input_shape(self):
        return nest.map(lambda t: t.shape, self._unlisted(self._inputs_struct))

    @property
    def output_shape(self):
        return nest.map(lambda t: t.shape, self._unlisted(self._outputs_struct))

    @staticmethod
    def _unlisted(structure):
        return structure[0] if type(structure) is list and len(structure) == 1 else structure

    def _sublayers(self) -> list:
        return [layer for layer in self._layer_list if not isinstance(layer, InputLayer)]

    # -- running ------------------------------------------------------------------------
    def forward(self, inputs, training=None, mask=None):
        values = {}
        given = _match_inputs(self._inputs_struct, inputs)
        masks = nest.flatten(mask) if mask is not None else [None] * len(given)
        for (tensor, value), value_mask in zip(given, masks):
            if value_mask is not None and isinstance(value, torch.Tensor):
                value._keras_mask = value_mask  # as Keras: a mask given to the call sits on its input
            values[id(tensor)] = value
        for node in self._run_nodes:
            args = nest.map(lambda x: values[id(x)] if isinstance(x, KerasTensor) else x, node.call_args)
            kwargs = nest.map(lambda x: values[id(x)] if isinstance(x, KerasTensor) else x, node.call_kwargs)
            if training is not None and "training" in kwargs:
                kwargs["training"] = training  # Keras 3: the model call's `training` wins over a recorded one
            out = node.operation._raw_call(tuple(args), dict(kwargs))
            for tensor, value in zip(nest.flatten(node.outputs), nest.flatten(out)):
                values[id(tensor)] = value
        return nest.map(lambda t: values[id(t)], self._outputs_struct)

    def compute_output_shape(self, input_shape):
        return nest.map(lambda t: t.shape, self._outputs_struct)

    def get_config(self) -> dict:
        """Keras 3's functional config: every layer with the calls that wire the graph."""
        return functional_config.get_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return functional_config.from_config(cls, config, custom_objects)


class _LayerHolder(torch.nn.Module):
    """Shows the graph's layers to torch (`parameters()`, `state_dict()`), in run order."""

    def __init__(self, layers):
        super().__init__()
        for layer in layers:
            if not isinstance(layer, InputLayer):
                self.add_module(layer.name.replace(".", "_"), layer)  # Keras 2's `tf.math.reduce_sum` op names


def _match_inputs(structure, given) -> list:
    """(KerasTensor, value) pairs for the model's inputs and the values given for them."""
    if isinstance(structure, dict):
        if not isinstance(given, dict):
            flat = nest.flatten(given)
            keys = list(structure)
            if len(flat) != len(keys):
                raise ValueError(f"The model expects {len(keys)} inputs ({keys}), but received {len(flat)}.")
            return list(zip(structure.values(), flat))
        missing = [k for k in structure if k not in given]
        if missing:
            raise ValueError(f"Missing data for input {missing[0]!r}. You passed a data dictionary with keys "
                             f"{list(given)}. Expected the following keys: {list(structure)}")
        return [(structure[k], given[k]) for k in structure]
    expected = nest.flatten(structure)
    values = nest.flatten(given) if isinstance(given, (list, tuple, dict)) else [given]
    if len(values) != len(expected):
        raise ValueError(f"Functional model expects {len(expected)} input(s), but it received {len(values)} "
                         f"input tensors.")
    return list(zip(expected, values))


def _ordered_nodes(inputs: list, outputs: list) -> list:
    """The nodes from `inputs` to `outputs`, each after the nodes it reads (a depth-first
    walk back from the outputs, as Keras orders a functional model's layers). The input
    layers' own nodes are included, where the walk reaches them."""
    input_ids = {id(t) for t in inputs}
    ordered, done, visiting = [], set(), set()

    def visit(tensor):
        history = tensor._keras_history
        if history is None:
            raise ValueError(f"Output {tensor} is not connected to `inputs`: it does not come from a layer call.")
        layer, index, _ = history
        node = layer._inbound_nodes[index]
        if id(node) in done:
            return
        if id(tensor) in input_ids:
            done.add(id(node))
            ordered.append(node)
            return
        if isinstance(layer, InputLayer):
            raise ValueError(f"Graph disconnected: the input {tensor} (from layer '{layer.name}') is needed to "
                             f"compute the outputs but is not one of the model's `inputs`.")
        if id(node) in visiting:
            raise ValueError("The layer graph has a cycle.")
        visiting.add(id(node))
        for parent in node.input_tensors:
            visit(parent)
        visiting.discard(id(node))
        done.add(id(node))
        ordered.append(node)

    for tensor in outputs:
        visit(tensor)
    for tensor in inputs:  # inputs the outputs do not use still belong to the model
        visit(tensor)
    return ordered
