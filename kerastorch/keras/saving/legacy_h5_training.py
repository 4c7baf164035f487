"""The compile state of legacy `.h5` files: `training_config` and the optimizer's variables.

Keras 3 writes `training_config` as the arguments of `compile` (losses and metrics that are
objects as legacy `{'class_name', 'config'}` dicts, functions by name) plus
`optimizer_config`, and the optimizer's `variables` in order. Keras 2 wrote the built
metrics (`[[{'class_name': 'MeanMetricWrapper', ...}]]`), loss reductions `'auto'`,
optimizer configs with `jit_compile` / `is_legacy_optimizer` / `decay` / `lr`, and the
optimizer state under TF variable names (`Adam/iter:0`, `Adam/dense/kernel/m:0` before
TF 2.11; `iteration:0`, `Adam/m/dense/kernel:0` after); those are matched to the Keras 3
optimizer's slots by kind and position.
"""

from __future__ import annotations

import warnings

import numpy as np

from kerastorch.keras import _serialization as ser

_OPTIMIZER_STATE_LOST = ("Error in loading the saved optimizer state. As a result, your model is starting with a "
                         "freshly initialized optimizer.")
# Keras 2 slot names (optimizer_v2 and the TF 2.11+ optimizers) -> the Keras 3 slot each becomes.
_SLOTS = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "momentum": "momentum", "rms": "velocity",
          "velocity": "velocity", "velocity_hat": "velocity_hat", "mg": "average_gradient",
          "average_gradient": "average_gradient", "accumulator": "accumulator", "linear": "linear",
          "accum_grad": "accumulated_grad", "accum_var": "accumulated_delta_var",
          "accumulated_grad": "accumulated_grad", "accumulated_delta_var": "accumulated_delta_var"}
_ADAMAX_SLOTS = {**_SLOTS, "v": "norm", "u": "norm"}


# -- writing -------------------------------------------------------------------------------

def training_config(model) -> dict | None:
    """The `training_config` Keras 3 writes for a compiled model (None when not compiled)."""
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return None
    compile_config = model._compile_config
    config = {key: _legacy_nested(compile_config.get(key))
              for key in ("loss", "loss_weights", "metrics", "weighted_metrics")}
    jit_compile = getattr(model, "jit_compile", False)
    config.update(run_eagerly=bool(getattr(model, "run_eagerly", False)),
                  steps_per_execution=getattr(model, "steps_per_execution", 1),
                  jit_compile=False if jit_compile == "auto" else jit_compile)
    optimizer = model.optimizer
    config["optimizer_config"] = {"class_name": ser.get_registered_name(type(optimizer)),
                                  "config": optimizer.get_config()}
    return config


def _legacy_nested(value):
    if isinstance(value, dict):
        return {key: _legacy_nested(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_legacy_nested(v) for v in value]
    return _legacy_object(value) if callable(value) else value


def _legacy_object(obj):
    """Keras's legacy serialization: `{'class_name', 'config'}` for objects, names for functions."""
    if hasattr(obj, "get_config"):
        config = {}
        for key, item in obj.get_config().items():
            serialized = item if isinstance(item, (str, dict)) or item is None else _legacy_object(item)
            if isinstance(serialized, dict) and not isinstance(item, dict):
                serialized["__passive_serialization__"] = True
            config[key] = serialized
        return {"class_name": ser.get_registered_name(type(obj)), "config": config}
    if hasattr(obj, "__name__"):
        return ser.get_registered_name(obj)
    return obj


# -- reading -------------------------------------------------------------------------------

def compile_args(config: dict, model, keras2: bool, custom_objects: dict | None = None) -> dict:
    """The `compile` arguments a `training_config` describes."""
    with ser.custom_object_scope(custom_objects or {}):
        metrics = _metrics(config.get("metrics"), model)
        weighted = _metrics(config.get("weighted_metrics"), model)
        return {"optimizer": _optimizer(config["optimizer_config"], keras2),
                "loss": _nested(config.get("loss"), _loss), "metrics": metrics, "weighted_metrics": weighted,
                "loss_weights": config.get("loss_weights")}


def _nested(value, single):
    """`single` applied to each object of a nested structure (a dict with `class_name` or a name is one)."""
    if value is None:
        return None
    if isinstance(value, str) or (isinstance(value, dict) and "class_name" in value):
        return single(value)
    if isinstance(value, dict):
        return {key: _nested(v, single) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nested(v, single) for v in value]
    raise ValueError(f"Saved configuration not understood. Configuration should be a dictionary, string, tuple "
                     f"or list. Received: config={value}.")


def _loss(config):
    from kerastorch.keras import losses

    if isinstance(config, str):
        return config  # `compile` resolves names (Keras 3 fails on 'mse' here; kerastorch does not)
    inner = dict(config.get("config") or {})
    if config["class_name"] == "LossFunctionWrapper" and isinstance(inner.get("fn"), str):
        return losses.get(inner["fn"])
    inner.pop("fn", None)  # Keras 2.13+ recorded the function of built-in loss classes too
    if inner.get("reduction") == "auto":  # Keras 2's default, Keras 3's 'sum_over_batch_size'
        inner["reduction"] = "sum_over_batch_size"
    return losses.deserialize({**config, "config": inner})


def _metrics(value, model):
    """Keras 2 recorded the built metrics: one list per output (also for a single output), in the order
    of its flattened outputs (a dict's keys sorted), each named `<output>_<metric>` when there are
    several outputs. Keras 3 takes one list per output name and adds the prefix itself."""
    if not (isinstance(value, list) and value and all(isinstance(m, list) for m in value)):
        return _nested(value, _metric)
    outputs = getattr(model, "_outputs_struct", None)
    if not isinstance(outputs, (dict, list, tuple)):
        return _nested(value[0] if len(value) == 1 else value, _metric)
    names = sorted(outputs) if isinstance(outputs, dict) else model._output_names()
    if len(names) != len(value):
        return _nested(value, _metric)
    by_output = {name: [_metric(_unprefixed(config, f"{name}_")) for config in configs]
                 for name, configs in zip(names, value)}
    return by_output if isinstance(outputs, dict) else [by_output[name] for name in names]


def _unprefixed(config, prefix: str):
    name = config.get("config", {}).get("name") if isinstance(config, dict) else None
    if isinstance(name, str) and name.startswith(prefix):
        return {**config, "config": {**config["config"], "name": name[len(prefix):]}}
    return config


def _metric(config):
    from kerastorch.keras import metrics

    if isinstance(config, str):
        return config
    inner = config.get("config") or {}
    if config["class_name"] == "MeanMetricWrapper" and isinstance(inner.get("fn"), str):
        found = metrics.get(inner["fn"])
        name, dtype = inner.get("name"), inner.get("dtype")
        if isinstance(found, metrics.Metric):
            return type(found)(name=name, dtype=dtype)
        return metrics.MeanMetricWrapper(found, name=name, dtype=dtype)
    return metrics.deserialize(config)


def _optimizer(config: dict, keras2: bool):
    from kerastorch.keras import optimizers
    from kerastorch.keras.optimizers.registry import ALL_OBJECTS_DICT

    class_name = config["class_name"]
    inner = dict(config.get("config") or {})
    if keras2:
        # TF 2.11+ registered its optimizers as 'Custom>Adam'.
        if class_name.startswith("Custom>") and class_name[7:].lower() in ALL_OBJECTS_DICT:
            class_name = class_name[7:]
        inner.pop("jit_compile", None)
        inner.pop("is_legacy_optimizer", None)
        if "lr" in inner:
            inner.setdefault("learning_rate", inner.pop("lr"))
        if inner.get("decay") == 0:
            del inner["decay"]  # Keras 2's default; Keras 3 warns about any `decay`
        rate = inner.get("learning_rate")
        if isinstance(rate, dict) and "module" not in rate:
            inner["learning_rate"] = {"module": "keras.optimizers.schedules", **rate, "registered_name": None}
    return optimizers.deserialize({"class_name": class_name, "config": inner})


# -- optimizer state -----------------------------------------------------------------------

def restore_optimizer(optimizer, variables: list, names: list, values: list, keras2: bool) -> None:
    """Builds `optimizer` for `variables` and sets the saved state (warns and keeps it fresh if it does not fit)."""
    optimizer.build(variables)
    plan = _keras2_plan(optimizer, names, values) if keras2 else _keras3_plan(optimizer, values)
    if plan is None:
        warnings.warn(_OPTIMIZER_STATE_LOST, stacklevel=3)
        return
    for variable, value in plan:
        variable.assign(value)


def _keras3_plan(optimizer, values: list) -> list | None:
    """Keras 3 saved `optimizer.variables` in order; Keras sets them pairwise."""
    plan = list(zip(optimizer.variables, values))
    return plan if all(_fits(v, value) for v, value in plan) else None


def _keras2_plan(optimizer, names: list, values: list) -> list | None:
    table = _ADAMAX_SLOTS if type(optimizer).__name__ == "Adamax" else _SLOTS
    iteration, by_kind = None, {}
    for name, value in zip(names, values):
        parts = name.rsplit(":", 1)[0].split("/")
        if parts[-1] in ("iter", "iteration"):
            iteration = value
            continue
        kind = _slot_kind(parts, table)
        if kind is not None:
            by_kind.setdefault(kind, []).append(value)
    plan = [] if iteration is None else [(optimizer._iterations, iteration)]
    covered = {id(optimizer._iterations), id(getattr(optimizer, "_learning_rate", None))}
    for slots in optimizer._slot_lists():
        saved = by_kind.get(_own_kind(optimizer, slots), [])
        if len(saved) != len(slots):
            return None
        plan.extend(zip(slots, saved))
        covered.update(id(v) for v in slots)
    if any(id(v) not in covered for v in optimizer.variables):
        return None  # state kerastorch cannot derive from a Keras 2 file (Nadam's momentum product)
    return plan if all(_fits(v, value) for v, value in plan) else None


def _slot_kind(parts: list, table: dict) -> str | None:
    """The Keras 3 slot of a Keras 2 name: `<opt>/<var path>/<slot>` or `[<opt>/]<slot>/<var path>`."""
    if len(parts) >= 2 and parts[-1] in table:
        return table[parts[-1]]
    for position in (1, 0):
        if len(parts) > position + 1 and parts[position] in table:
            return table[parts[position]]
    return None


def _own_kind(optimizer, slots: list) -> str | None:
    """A slot list's kind, from its first variable's name `<variable path>_<kind>`."""
    if not slots:
        return None
    reference = optimizer._trainable_variables[0]
    prefix = reference.path.replace("/", "_") + "_"
    name = slots[0].name
    return name[len(prefix):] if name.startswith(prefix) else None


def _fits(variable, value) -> bool:
    return tuple(variable.shape.as_list()) == np.shape(value)
