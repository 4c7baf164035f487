"""Where each object's variables live in a Keras 3 weights file: Keras's walk of the model.

Keras names an object by the attribute that holds it, from the model down:
`layers/dense` (Sequential and functional models list their layers first; a subclassed
model's `layers` property is visited in its sorted place), `optimizer`,
`layers/lstm/cell`, `layers/bidirectional/forward_layer/cell`. Attributes are visited in
sorted order with private ones (`_query_dense`) last; an object reached twice (a shared
layer) is saved once, at the first path. Inside a list or dict the name is the item's
snake-cased class name, numbered when repeated (`dense`, `dense_1`, ...; a nested list
is `container`), so the paths do not depend on the auto-generated layer names. This
module reproduces that walk over kerastorch's objects, so files move between TF and
kerastorch unchanged.
"""

from __future__ import annotations

import warnings

from kerastorch.keras.engine import naming
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.layer_state import _Group


def _name_key(name: str) -> str:
    return f"~{name}" if name.startswith("_") else name


def _is_saveable(obj) -> bool:
    from kerastorch.keras.optimizers.base import Optimizer

    return isinstance(obj, (Layer, Optimizer))


def children(obj):
    """`(attribute name, child)` pairs in Keras's order; a child is a saveable or a container."""
    if not isinstance(obj, Layer):
        inner = getattr(obj, "inner_optimizer", None)  # a LossScaleOptimizer's wrapped optimizer
        if _is_saveable(inner):
            yield "inner_optimizer", inner
        return
    from kerastorch.keras.models.functional import Functional
    from kerastorch.keras.models.sequential import Sequential

    internal = ()
    graph_model = isinstance(obj, (Sequential, Functional))
    if graph_model:
        yield "layers", obj.layers
        internal = obj._internal_modules()
    found = {}
    renamed = getattr(type(obj), "_saved_as", {})  # a sublayer Keras reaches through a public property
    for name, module in obj._modules.items():
        if name in internal:
            continue
        if type(module) is _Group:
            found[renamed.get(name, name)] = obj.__dict__[name]
        elif isinstance(module, Layer):
            found[renamed.get(name, name)] = module
    optimizer = obj.__dict__.get("optimizer")
    if _is_saveable(optimizer):
        found["optimizer"] = optimizer
    from kerastorch.keras.models.model import Model

    if isinstance(obj, Model) and not graph_model:
        # A subclassed model's `layers` property is one more attribute to Keras: a sublayer
        # not reached earlier in sorted order is saved under it (`layers/dense_1`).
        found["layers"] = obj.layers
    for name in sorted(found, key=_name_key):
        yield name, found[name]


def _container_items(container):
    """`(name, item)` for the saveables and nested containers of a list, tuple or dict."""
    used = {}
    items = container.values() if isinstance(container, dict) else container
    for item in items:
        if _is_saveable(item):
            yield _unique(naming.to_snake_case(type(item).__name__), used), item
        elif isinstance(item, (list, tuple, dict)):
            yield _unique("container", used), item


def _unique(name: str, used: dict) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def walk(obj, path: str = "", visited: set | None = None, containers: set | None = None):
    """Every saveable under `obj` (itself first) as `(path, saveable)`, each once."""
    visited = set() if visited is None else visited
    containers = set() if containers is None else containers
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for name, child in children(obj):
        yield from _walk_child(child, _join(path, name), visited, containers)


def _walk_child(child, path: str, visited: set, containers: set):
    if _is_saveable(child):
        yield from walk(child, path, visited, containers)
    elif isinstance(child, (list, tuple, dict)) and id(child) not in containers:
        containers.add(id(child))
        for name, item in _container_items(child):
            yield from _walk_child(item, _join(path, name), visited, containers)


def save_state(obj, store, assets=None) -> None:
    """Writes the variables of `obj` and of everything below it into the H5 `store`, and
    their files (a lookup layer's vocabulary) into the `assets` directories, if given."""
    for path, saveable in walk(obj):
        name = getattr(saveable, "name", None)
        saveable.save_own_variables(store.make(path, name if isinstance(name, str) else None))
        if assets is not None and hasattr(saveable, "save_assets"):
            saveable.save_assets(assets.make(path))


def load_state(obj, store, assets=None, skip_mismatch: bool = False) -> None:
    """Reads the variables of `obj` and everything below it from the H5 `store` (and their
    files from `assets`).

    Each object is checked and loaded on its own; failures are collected and reported
    together (a `ValueError`, or a warning with `skip_mismatch=True`, the failing objects
    keeping their current values).
    """
    failures = []
    for path, saveable in walk(obj):
        try:
            saveable.load_own_variables(store.get(path))
            if assets is not None and hasattr(saveable, "load_assets"):
                saveable.load_assets(assets.get(path))
        except (ValueError, KeyError) as error:
            failures.append((path, saveable, error))
    if not failures:
        return
    path, saveable, error = failures[0]
    listed = [f"'{p or '/'}' ({getattr(s, 'name', type(s).__name__)})" for p, s, _ in failures]
    message = (f"A total of {len(failures)} objects could not be loaded. Example error message for object "
               f"'{path or '/'}' ({getattr(saveable, 'name', '')}):\n\n{error}\n\nList of objects that could not "
               f"be loaded:\n{', '.join(listed)}")
    if skip_mismatch:
        warnings.warn(message, stacklevel=3)
    else:
        raise ValueError(message)
