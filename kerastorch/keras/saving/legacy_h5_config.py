"""The `model_config` of legacy `.h5` files: written as Keras 3 writes it, read from Keras 3 and Keras 2.

Keras 3 writes the model's `get_config()` with each layer of a Sequential or functional
model (nested models too) in the legacy form `{'class_name', 'config'}` (plus `name` and
`inbound_nodes` in a functional model) — no `module`, `registered_name` or
`build_config` — and, in `input_layers` / `output_layers`, the node index of a nested
functional model counted from 1 (Keras counts the node that links its own inputs), as
`get_config()` gives it.

Keras 2 (tf.keras 2.x) configs differ more: `inbound_nodes` are lists of
`[layer, node, tensor, kwargs]` (tensors in the kwargs as `[layer, node, tensor]`), every
reference to a nested model with an input counts from 1, `batch_input_shape`, dtype
policies as `{'class_name': 'Policy'}`, Lambda bytecode as a list, a few arguments Keras 3
dropped. `from_legacy` turns both into the Keras 3 config `deserialize_keras_object`
rebuilds.
"""

from __future__ import annotations

from kerastorch.keras import _serialization as ser

_MODELS = {"Sequential": "keras", "Functional": "keras.src.models.functional"}
_NESTED_LAYER_KEYS = ("layer", "backward_layer", "cell")


# -- writing -------------------------------------------------------------------------------

def legacy_model_config(model) -> dict:
    """`{'class_name', 'config'}` of `model` as Keras 3 writes it in an `.h5` file."""
    return {"class_name": ser.get_registered_name(type(model)), "config": _legacy_model(model, model.get_config())}


def _legacy_model(model, config: dict) -> dict:
    if not isinstance(config.get("layers"), list):
        return config
    from kerastorch.keras.models.functional import Functional
    from kerastorch.keras.models.sequential import Sequential

    layers = {layer.name: layer for layer in getattr(model, "layers", [])}
    entries = []
    for entry in config["layers"]:
        layer = layers.get(entry.get("name") or entry["config"].get("name"))
        legacy = {"class_name": entry.get("registered_name") or entry["class_name"], "config": entry["config"]}
        if isinstance(layer, (Functional, Sequential)):
            legacy["config"] = _legacy_model(layer, entry["config"])
        if "inbound_nodes" in entry:
            legacy["name"] = entry["name"]
            legacy["inbound_nodes"] = entry["inbound_nodes"]
        entries.append(legacy)
    return {**config, "layers": entries}


def _shift_triples(value, shifts: dict):
    """`[layer, node, tensor]` references with `shifts[layer]` added to the node index."""
    if _is_triple(value):
        return [value[0], value[1] + shifts.get(value[0], 0), value[2]]
    if isinstance(value, dict):
        return {key: _shift_triples(v, shifts) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shift_triples(v, shifts) for v in value]
    return value


def _is_triple(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], int) and isinstance(value[2], int))


# -- reading -------------------------------------------------------------------------------

def from_legacy(config: dict, keras2: bool, custom_objects: dict | None = None) -> dict:
    """The Keras 3 config (`module`, `class_name`, `config`) of a legacy `model_config`."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError("The provided configuration is not a valid Keras configuration. Expected a dictionary "
                         f"containing a 'config' key. Received: config={config}")
    return _Reader(keras2, ser._visible_objects(custom_objects)).entry(config)


class _Reader:
    """Converts one legacy config tree (`keras2`: written by Keras 2 rather than Keras 3)."""

    def __init__(self, keras2: bool, visible: dict):
        self.keras2 = keras2
        self.visible = visible

    def entry(self, entry: dict) -> dict:
        class_name = entry["class_name"]
        config = entry["config"]
        if class_name == "Model" and isinstance(config, dict) and "layers" in config:
            class_name = "Functional"  # tf.keras 2.0-2.3 named functional models `Model`
        if class_name == "Sequential" and isinstance(config, list):
            config = {"name": None, "layers": config}  # Keras 2.2's Sequential config was its layer list
        if class_name in _MODELS and class_name not in self.visible:
            config = self.model(config)
        else:
            config = self.layer(class_name, dict(config))
        converted = {**self.where(class_name), "config": config}
        if "name" in entry:
            converted["name"] = entry["name"]
        return converted

    def where(self, class_name: str) -> dict:
        """`module` and `registered_name` that make `deserialize_keras_object` find the class."""
        if class_name in self.visible:
            return {"module": None, "class_name": class_name, "registered_name": class_name}
        if class_name in _MODELS:
            return {"module": _MODELS[class_name], "class_name": class_name, "registered_name": None}
        from kerastorch.keras import layers
        from kerastorch.keras.engine.base_layer import Layer

        found = getattr(layers, class_name, None)
        if not (isinstance(found, type) and issubclass(found, Layer)):
            raise ValueError(f"Unknown layer: '{class_name}'. Please ensure you are using a "
                             "`keras.utils.custom_object_scope` and that this object is included in the scope.")
        return {"module": "keras.layers", "class_name": class_name, "registered_name": None}

    def model(self, config: dict) -> dict:
        config = dict(config)
        entries = list(config.get("layers") or [])
        if "input_layers" in config:
            shifts = {e["name"]: 1 for e in entries if self._counts_from_one(e)}
            entries, dropped = self._drop_mask_ops(entries)
            names = {e["name"] for e in entries}
            config["layers"] = [self.functional_entry(e, shifts, names, dropped) for e in entries]
            # `input_layers` / `output_layers` keep Keras 3's numbering (functional models from 1,
            # which the functional config reader expects): only Keras 2's nested Sequential shifts.
            functional = {e["name"] for e in entries if e["class_name"] in ("Functional", "Model")}
            keras3_numbering = {name: -shift for name, shift in shifts.items() if name not in functional}
            config["input_layers"] = _shift_triples(config["input_layers"], keras3_numbering)
            config["output_layers"] = _shift_triples(config["output_layers"], keras3_numbering)
        else:
            config["layers"] = [self.entry(e) for e in entries]
        return config

    def _counts_from_one(self, entry: dict) -> bool:
        """Whether references to this layer count its nodes from 1: a nested model that links its own
        inputs (Keras 2: functional models and Sequential models with an input; Keras 3: functional
        models, in `input_layers` / `output_layers` only)."""
        class_name = entry["class_name"]
        if class_name in ("Functional", "Model"):
            return True
        if not self.keras2 or class_name != "Sequential":
            return False
        layers = entry["config"]["layers"] if isinstance(entry["config"], dict) else entry["config"]
        return bool(layers) and layers[0]["class_name"] == "InputLayer"

    def _drop_mask_ops(self, entries: list) -> tuple:
        """Leaves out the operations Keras 3 records to compute a mask (an `Embedding(mask_zero=True)`'s
        `NotEqual`): kerastorch propagates masks with the tensors, so the calls get them without the op."""
        from kerastorch.keras import layers

        dropped = set()
        for entry in entries:
            class_name = entry["class_name"]
            if class_name in self.visible or class_name in _MODELS or isinstance(getattr(layers, class_name, None),
                                                                                   type):
                continue
            if self._only_masks(entry["name"], entries):
                dropped.add(entry["name"])
        return [e for e in entries if e["name"] not in dropped], dropped

    @staticmethod
    def _only_masks(name: str, entries: list) -> bool:
        used = False
        for entry in entries:
            for node in entry.get("inbound_nodes") or []:
                if not isinstance(node, dict):
                    return False
                if _mentions(node.get("args"), name):
                    return False
                for key, value in (node.get("kwargs") or {}).items():
                    if _mentions(value, name):
                        if key != "mask":
                            return False
                        used = True
        return used

    def functional_entry(self, entry: dict, shifts: dict, names: set, dropped: set) -> dict:
        converted = self.entry(entry)
        converted["inbound_nodes"] = [self.node(node, shifts, names, dropped)
                                      for node in entry.get("inbound_nodes") or []]
        return converted

    @staticmethod
    def node(node, shifts: dict, names: set, dropped: set) -> dict:
        """One call of a layer as `{'args', 'kwargs'}` with `__keras_tensor__` references.

        A recorded `training=False` is left out: Keras replaces it by the model call's own
        `training` (True in `fit`), which kerastorch's layers read from the call context.
        """
        if isinstance(node, dict):  # Keras 3: node indices already count from 0
            kwargs = {k: v for k, v in (node.get("kwargs") or {}).items()
                      if not _mentions_any(v, dropped) and not (k == "training" and v is False)}
            return {"args": node.get("args", []), "kwargs": kwargs}
        inputs, kwargs = [], {}
        for item in node:
            name, node_index, tensor_index = item[:3]
            kwargs = item[3] if len(item) > 3 else kwargs
            if name == "_CONSTANT_VALUE":
                inputs.append(tensor_index)  # a constant argument of a TF op layer
            else:
                inputs.append(_reference(name, node_index - shifts.get(name, 0), tensor_index))
        kwargs = {k: _kwarg(v, shifts, names) for k, v in kwargs.items() if not (k == "training" and v is False)}
        return {"args": [inputs[0] if len(inputs) == 1 else inputs], "kwargs": kwargs}

    def nested(self, entry: dict) -> dict:
        """A layer inside a layer's config (a wrapper's layer, an RNN's cell): Keras 2.13+ wrote those
        with `module`, in the Keras 3 form, but with Keras 2 arguments."""
        if "module" not in entry:
            return self.entry(entry)
        return {**entry, "config": self.layer(entry["class_name"], dict(entry["config"]))}

    def layer(self, class_name: str, config: dict) -> dict:
        """A layer's own config with what Keras 3 renamed or dropped converted."""
        if "batch_input_shape" in config and class_name == "InputLayer":
            config["batch_shape"] = config.pop("batch_input_shape")
        axis = config.get("axis")
        if isinstance(axis, list) and len(axis) == 1:
            config["axis"] = int(axis[0])
        for key in _NESTED_LAYER_KEYS:
            if isinstance(config.get(key), dict):
                config[key] = self.nested(config[key])
        if isinstance(config.get("cells"), list):
            config["cells"] = [self.nested(cell) for cell in config["cells"]]
        if self.keras2:
            _keras2_layer(class_name, config, self.visible)
        return config


def _keras2_layer(class_name: str, config: dict, visible: dict) -> None:
    """Keras 2 arguments that Keras 3 renamed or dropped, in place."""
    if config.pop("time_major", False):
        raise ValueError(f"Layer '{config.get('name')}' ({class_name}) was saved with `time_major=True`, which "
                         "Keras 3 does not support: inputs are always (batch, time, features).")
    dtype = config.get("dtype")
    if isinstance(dtype, dict) and dtype.get("class_name") == "Policy":
        config["dtype"] = dtype["config"]["name"]
    if class_name == "Embedding":
        config.pop("input_length", None)  # Keras 3 dropped it; the input shape comes from the model
    if class_name == "MultiHeadAttention":
        for key in ("query_shape", "key_shape", "value_shape"):
            config.pop(key, None)  # Keras 2 rebuilt from them; the model's call builds the layer here
        if not config.get("softmax_robust_masking", True):
            del config["softmax_robust_masking"]
    if class_name == "LeakyReLU" and "alpha" in config:
        config["negative_slope"] = config.pop("alpha")
    if class_name == "Lambda":
        _keras2_lambda(config, visible)


def _keras2_lambda(config: dict, visible: dict) -> None:
    """Keras 2 stored a lambda as `[code, defaults, closure]` and a named function by name."""
    for key, kind_key in (("function", "function_type"), ("output_shape", "output_shape_type")):
        kind = config.pop(kind_key, None)
        value = config.get(key)
        if kind == "lambda" and isinstance(value, (list, tuple)):
            code, defaults, closure = value
            config[key] = {"class_name": "__lambda__", "config": {"code": code, "defaults": defaults,
                                                                  "closure": closure}}
        elif kind == "function" and isinstance(value, str) and value not in visible:
            raise ValueError(f"Unknown function '{value}' in Lambda layer '{config.get('name')}'. Pass it in "
                             "`custom_objects`.")
    config.pop("module", None)
    config.pop("output_shape_module", None)


def _reference(name: str, node_index: int, tensor_index: int) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, node_index, tensor_index]}}


def _kwarg(value, shifts: dict, names: set):
    """A Keras 2 call keyword argument, its `[layer, node, tensor]` lists made tensor references."""
    if _is_triple(value) and value[0] in names:
        return _reference(value[0], value[1] - shifts.get(value[0], 0), value[2])
    if isinstance(value, dict):
        return {k: _kwarg(v, shifts, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_kwarg(v, shifts, names) for v in value]
    return value


def _mentions(value, name: str) -> bool:
    """Whether a Keras 3 node argument reads a tensor of layer `name`."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            return value["config"]["keras_history"][0] == name
        return any(_mentions(v, name) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, name) for v in value)
    return False


def _mentions_any(value, names: set) -> bool:
    return any(_mentions(value, name) for name in names)
