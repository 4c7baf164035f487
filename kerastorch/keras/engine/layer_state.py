"""What a layer owns: its variables, sublayers and losses (the tracking half of `Layer`).

Keras orders a layer's weights as its own trainable variables, then its own
non-trainable ones (each in creation order), then each tracked sublayer's weights in
the order the sublayers were assigned; `get_weights`/`set_weights` and weight files
follow that order. Sublayers held in attributes, lists, tuples and dicts are tracked;
torch sees them too (list items as `blocks.0`, dict items as `blocks.key`).
"""

from __future__ import annotations

import itertools

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import wrap
from kerastorch.framework.variable import Variable

_generation = itertools.count()
_current_generation = [0]
_generation_losses = []  # every loss added by any layer since the last top-level call began
_compiled_losses = []  # (layer, loss) added inside a compiled step, handed to the layers after it


def settle_compiled_losses() -> None:
    """Gives each layer the losses it added inside the compiled step that just ran (`jit_compile`),
    so that `layer.losses` reads them as after an eager call."""
    for layer, loss in _compiled_losses:
        layer._keep_loss(loss)
    _compiled_losses.clear()


def new_generation() -> None:
    """Starts a top-level call: losses added before it become stale."""
    _current_generation[0] = next(_generation) + 1
    _generation_losses.clear()
    _compiled_losses.clear()


def generation_losses() -> list:
    """The losses layers added during the current top-level call (a training step's forward
    pass), without walking any layer tree."""
    return list(_generation_losses)


class _Group(torch.nn.Module):
    """The torch-side view of a list/tuple/dict of layers held in one attribute."""

    def __init__(self, items):
        super().__init__()
        for key, item in items:
            self.add_module(str(key), item)


class LayerState:
    """Tracking of variables, sublayers and losses, mixed into `Layer`."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, Variable):
            self._drop_module(name)
            object.__setattr__(self, name, value)
            self._track_variable(value)
            return
        if type(value) in (list, tuple, dict) and name not in ("_own_trainable", "_own_non_trainable",
                                                               "_losses"):
            object.__setattr__(self, name, value)
            self._track_container(name, value)
            return
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._drop_module(name)
        super().__delattr__(name)

    def _drop_module(self, name: str) -> None:
        modules = self.__dict__.get("_modules")
        if modules is not None and name in modules:
            del modules[name]

    def _track_variable(self, variable: Variable, register: bool = True) -> None:
        """Makes `variable` one of this layer's weights; `register` also shows it to torch."""
        if any(v is variable for v in self._own_trainable + self._own_non_trainable):
            return
        (self._own_trainable if variable.trainable else self._own_non_trainable).append(variable)
        if not register:
            return
        params = self._parameters
        key = variable.name.split(":")[0].replace(".", "_") or "variable"
        unique, n = key, 1
        while unique in params:
            unique, n = f"{key}_{n}", n + 1
        raw = variable._param
        if isinstance(raw, torch.nn.Parameter):
            params[unique] = raw

    def _track_container(self, name: str, value) -> None:
        items = value.items() if type(value) is dict else enumerate(value)
        modules = [(k, v) for k, v in items if isinstance(v, torch.nn.Module)]
        if modules:
            self._modules[name] = _Group(modules)  # an existing key keeps its place in the order
        else:
            self._drop_module(name)
        for item in (value.values() if type(value) is dict else value):
            if isinstance(item, Variable):
                self._track_variable(item)

    def _sync_containers(self) -> None:
        """Re-reads tracked lists and dicts (layers appended after assignment)."""
        for name, module in list(self._modules.items()):
            if type(module) is _Group:
                self._track_container(name, self.__dict__[name])

    # -- sublayers and weights ----------------------------------------------------------
    def _sublayers(self) -> list:
        """Directly tracked sublayers, in tracking order."""
        from kerastorch.keras.engine.base_layer import Layer

        found = []
        for module in self._modules.values():
            children = module._modules.values() if type(module) is _Group else (module,)
            found.extend(m for m in children if isinstance(m, Layer))
        return found

    def _flatten_layers(self, include_self: bool = True) -> list:
        """This layer and every layer below it, each once, depth first."""
        seen, out = set(), []

        def visit(layer):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            out.append(layer)
            for sub in layer._sublayers():
                visit(sub)

        visit(self)
        return out if include_self else out[1:]

    @property
    def weights(self) -> list:
        """Every weight: own trainable, own non-trainable, then sublayers' (each once)."""
        seen, out = set(), []
        for layer in self._flatten_layers():
            for v in layer._own_trainable + layer._own_non_trainable:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def variables(self) -> list:
        return self.weights

    @property
    def trainable_weights(self) -> list:
        if not self._trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        for layer in self._flatten_layers():
            layer._trainable = value
            for v in layer._own_trainable:
                v.trainable = value

    # -- metrics held by layers ---------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The metrics this layer holds in its attributes, then its sublayers' (Keras's order)."""
        found = self._own_metrics()
        for layer in self._sublayers():
            found.extend(layer.metrics)
        return found

    def _own_metrics(self) -> list:
        from kerastorch.keras.metrics.base import Metric

        found = []
        for value in vars(self).values():
            if isinstance(value, Metric):
                found.append(value)
            elif type(value) in (list, tuple):
                found.extend(item for item in value if isinstance(item, Metric))
        return found

    # -- weight files -------------------------------------------------------------------
    def save_own_variables(self, store) -> None:
        """Writes this layer's own variables (not its sublayers') to `store` as "0", "1", …

        The order is Keras's: variables created trainable, then the others, each in
        creation order. Override it (with `load_own_variables`) to save other state.
        """
        for i, variable in enumerate(self._own_trainable + self._own_non_trainable):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Reads what `save_own_variables` wrote; checks the count and every shape before
        assigning anything, so a mismatch leaves the layer unchanged."""
        own = self._own_trainable + self._own_non_trainable
        if len(store.keys()) != len(own):
            if not own and not self.built:
                raise ValueError(f"Layer '{self.name}' was never built and thus it doesn't have any variables. "
                                 f"However the weights file lists {len(store.keys())} variables for this layer.")
            raise ValueError(f"Layer '{self.name}' expected {len(own)} variables, but received "
                             f"{len(store.keys())} variables during loading. Expected: {[v.name for v in own]}")
        values = [store[str(i)] for i in range(len(own))]
        for variable, value in zip(own, values):
            shape = tuple(variable.shape.as_list())
            if tuple(value.shape) != shape:
                raise ValueError(f"Layer '{self.name}': weight '{variable.path}' has shape {shape}, but the file "
                                 f"holds shape {tuple(value.shape)} for it.")
        for variable, value in zip(own, values):
            variable.assign(value)

    # -- losses -------------------------------------------------------------------------
    def add_loss(self, loss) -> None:
        """Adds a loss tensor (from `call`) to `losses`."""
        self._add_raw_loss(unwrap(loss))

    def _add_raw_loss(self, loss: torch.Tensor) -> None:
        _generation_losses.append(loss)
        if torch.compiler.is_compiling():
            # Kept after the compiled step runs (`settle_compiled_losses`): reading the generation
            # counter here would make torch recompile the step at every call.
            _compiled_losses.append((self, loss))
            return
        self._keep_loss(loss)

    def _keep_loss(self, loss: torch.Tensor) -> None:
        # A layer's losses are those of its latest top-level call: older ones are dropped.
        if self._losses_generation != _current_generation[0]:
            self._losses = []
            self._losses_generation = _current_generation[0]
        self._losses.append(loss)

    def _raw_losses(self) -> list:
        """Activity losses of the last call plus weight regularization, as torch scalars."""
        losses = []
        for layer in self._flatten_layers():
            losses.extend(layer._losses)
        for v in self.trainable_weights:
            if v.regularizer is not None:
                losses.append(_regularize(v))
        return losses

    @property
    def losses(self) -> list:
        """The losses added during the last call and the weight regularization penalties."""
        return [wrap(x) for x in self._raw_losses()]

    # -- the symbolic calls (functional models) -----------------------------------------
    def _only_node(self, what: str):
        nodes = self.__dict__.get("_inbound_nodes") or []
        if not nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called and thus has no defined {what}.")
        if len(nodes) > 1:
            raise AttributeError(f"Layer '{self.name}' has multiple inbound nodes, hence the notion of \"layer "
                                 f"{what}\" is ill-defined. Use `get_{what}_at(node_index)` instead.")
        return nodes[0]

    @property
    def output(self):
        """The output KerasTensor(s) of the layer's one symbolic call."""
        return self._only_node("output").outputs

    @property
    def input(self):
        """The input KerasTensor(s) of the layer's one symbolic call."""
        node = self._only_node("input")
        return node.call_args[0] if node.call_args else next(iter(node.call_kwargs.values()))

    def get_output_at(self, node_index: int):
        return self._inbound_nodes[node_index].outputs

    def get_input_at(self, node_index: int):
        return self._inbound_nodes[node_index].call_args[0]

    # -- Keras 2's shapes ---------------------------------------------------------------
    @property
    def input_shape(self):
        """The input shape of the last call, batch axis None (Keras 2's attribute)."""
        if self._last_shapes is not None:
            return batchless(self._last_shapes[0])
        if self._batch_input_shape is not None:
            return self._batch_input_shape
        raise AttributeError(f"The layer \"{self.name}\" has never been called and thus has no defined "
                             f"input shape.")

    @property
    def output_shape(self):
        """The output shape of the last call, batch axis None (Keras 2's attribute)."""
        if self._last_shapes is not None:
            return batchless(self._last_shapes[1])
        raise AttributeError(f"The layer \"{self.name}\" has never been called and thus has no defined "
                             f"output shape.")


def batchless(shapes):
    from kerastorch.keras.engine.base_layer import batchless as strip

    return strip(shapes)


def _regularize(variable) -> torch.Tensor:
    from kerastorch.keras import regularizers

    return regularizers.raw_regularizer(variable.regularizer)(variable._t)
