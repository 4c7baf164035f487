"""The layer graph of a functional model, ordered as Keras orders it.

Keras lists a functional model's layers by depth (distance from the outputs), deepest
first, and equal depths in the order a depth-first walk back from the outputs first
meets them; `model.layers`, `get_layer(index=...)`, the weight order and `summary()`
all follow it.
"""

from __future__ import annotations

from kerastorch.keras.engine.symbolic import KerasTensor


def keras_graph(model) -> tuple:
    """(layers, {depth: nodes}) of a functional model, ordered as Keras orders them:
    deepest first (the inputs), equal depths in the order a depth-first walk back
    from the outputs first meets them."""
    input_ids = {id(t) for t in keras_flatten(model.input)}
    walked, finished, first_seen = [], set(), {}

    def visit(tensor) -> None:
        if tensor._keras_history is None:
            return
        layer, index, _ = tensor._keras_history
        node = layer._inbound_nodes[index]
        if id(node) in finished:
            return
        parents = inputs_of(node)
        if parents and id(tensor) in input_ids:  # a model input made by another layer
            finished.add(id(node))
            return
        first_seen.setdefault(id(layer), len(first_seen))
        for parent in parents:
            visit(parent)
        finished.add(id(node))
        walked.append(node)

    for tensor in keras_flatten(model.output):
        visit(tensor)
    in_graph = {id(node) for node in walked}
    node_depth, layer_depth, by_id = {}, {}, {}
    for node in reversed(walked):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.operation), 0))
        node_depth[id(node)] = layer_depth[id(node.operation)] = depth
        by_id[id(node)], by_id[id(node.operation)] = node, node.operation
        for parent in parent_nodes(node):
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in keras_flatten(model.input):  # inputs the outputs do not use are listed too
        layer, index, _ = tensor._keras_history
        node = layer._inbound_nodes[index]
        if id(layer) not in layer_depth and not inputs_of(node):
            layer_depth[id(layer)], node_depth[id(node)], first_seen[id(layer)] = 0, 0, -1
            by_id[id(node)], by_id[id(layer)] = node, layer
    by_depth = {}
    for key, depth in node_depth.items():
        by_depth.setdefault(depth, []).append(by_id[key])
    ordered = sorted(layer_depth, key=lambda key: (-layer_depth[key], first_seen[key]))
    return [by_id[key] for key in ordered], by_depth


def keras_flatten(structure) -> list:
    """The leaves in Keras's order (`keras.tree.flatten`: dict values by sorted key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in keras_flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in keras_flatten(item)]
    return [structure]


def inputs_of(node) -> list:
    """The KerasTensors a node reads, in Keras's order."""
    return [x for x in keras_flatten((node.call_args, node.call_kwargs)) if isinstance(x, KerasTensor)]


def parent_nodes(node) -> list:
    parents = []
    for tensor in inputs_of(node):
        if tensor._keras_history is not None:
            layer, index, _ = tensor._keras_history
            parents.append(layer._inbound_nodes[index])
    return parents
