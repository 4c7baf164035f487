"""Legacy HDF5 files: `model.save("m.h5")` and `save_weights("w.h5")` of Keras 2 / tf.keras, which Keras 3
still reads and writes.

A model file holds, at its root, the attributes `keras_version`, `backend`, `model_config`
(JSON, `legacy_h5_config`) and `training_config` (JSON, `legacy_h5_training`); the group
`model_weights` with the attribute `layer_names` (every layer of `model.layers`), one group
per layer whose `weight_names` list its trainable then non-trainable variables (by path:
the datasets are nested groups `<layer>/<path>`), and `top_level_model_weights` for the
model's own variables; and, for a compiled model, `optimizer_weights`. A weights file is the
`model_weights` group alone, at the root. Weights load by position among the layers that
have weights, or by layer name. String lists longer than HDF5's object header allows are
split into `name0`, `name1`, … attributes, as Keras does.

Nothing here unpickles or runs code from the file: a Lambda layer's bytecode is refused
unless `safe_mode=False`.
"""

from __future__ import annotations

import io
import json
import os
import warnings

import h5py
import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.saving import legacy_h5_config, legacy_h5_training
from kerastorch.keras.saving.atomic import atomic_path

_HEADER_LIMIT = 64512  # bytes an HDF5 attribute may hold (object header limit)


# -- writing -------------------------------------------------------------------------------

def save_model_to_h5(model, filepath, include_optimizer: bool = True) -> None:
    """Writes `model` (architecture, weights and, if compiled, compile state) as a legacy `.h5` file.

    Args:
        model: the model (its `get_config()` must work).
        filepath: the path to write, or an `h5py.File` open for writing.
        include_optimizer: also store `training_config` and the optimizer's variables.
    """
    config = legacy_h5_config.legacy_model_config(model)
    training = legacy_h5_training.training_config(model) if include_optimizer else None
    if isinstance(filepath, h5py.File):
        _write_model(filepath, model, config, training, include_optimizer)
        return
    directory = os.path.dirname(os.fspath(filepath))
    if directory:
        os.makedirs(directory, exist_ok=True)
    with atomic_path(filepath) as tmp, h5py.File(tmp, "w") as f:
        _write_model(f, model, config, training, include_optimizer)


def save_weights_to_h5(model, filepath) -> None:
    """Writes the weights of `model.layers` as a legacy weights-only `.h5` file (Keras 2's `save_weights`)."""
    with atomic_path(filepath) as tmp, h5py.File(tmp, "w") as f:
        _write_weights(f, model)


def _write_model(f, model, config: dict, training: dict | None, include_optimizer: bool) -> None:
    from kerastorch.keras.backend import backend
    from kerastorch.keras.saving.saving_lib import KERAS_VERSION

    f.attrs["keras_version"] = KERAS_VERSION
    f.attrs["backend"] = backend()
    f.attrs["model_config"] = json.dumps(config, default=_json_default).encode("utf8")
    if training is not None:
        f.attrs["training_config"] = json.dumps(training, default=_json_default).encode("utf8")
    _write_weights(f.create_group("model_weights"), model)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and optimizer.variables:
        _write_subset(f.create_group("optimizer_weights"), optimizer.variables)


def _write_weights(group, model) -> None:
    from kerastorch.keras.backend import backend
    from kerastorch.keras.saving.saving_lib import KERAS_VERSION

    layers = model.layers
    _write_names(group, "layer_names", [layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = backend().encode("utf8")
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    # Sorted by name, as Keras writes them (so that no group name is created after a prefix of it).
    for layer in sorted(layers, key=lambda layer: layer.name):
        _write_subset(group.create_group(layer.name), _legacy_weights(layer))
    _write_subset(group.create_group("top_level_model_weights"), _own_weights(model))


def _write_subset(group, variables: list) -> None:
    names = [str(v.path).encode("utf8") for v in variables]
    _write_names(group, "weight_names", names)
    for name, variable in zip(names, variables):
        value = np.asarray(variable.numpy())
        group.create_dataset(name, value.shape, dtype=value.dtype)[()] = value


def _write_names(group, name: str, data: list) -> None:
    too_long = [x for x in data if len(x) > _HEADER_LIMIT]
    if too_long:
        raise RuntimeError(f"The following attributes cannot be saved to HDF5 file because they are larger than "
                           f"{_HEADER_LIMIT} bytes: {too_long}")
    array = np.asarray(data)
    chunks = [array]
    while any(chunk.nbytes > _HEADER_LIMIT for chunk in chunks):
        chunks = np.array_split(array, len(chunks) + 1)
    if len(chunks) == 1:
        group.attrs[name] = data
        return
    for index, chunk in enumerate(chunks):
        group.attrs[f"{name}{index}"] = chunk


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "as_numpy_dtype"):  # a DType
        return value.name
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable: {value!r}")


def _legacy_weights(layer) -> list:
    """Keras's legacy order: trainable variables, then non-trainable ones."""
    return layer.trainable_weights + layer.non_trainable_weights


def _own_weights(model) -> list:
    return list(getattr(model, "_own_trainable", [])) + list(getattr(model, "_own_non_trainable", []))


# -- reading -------------------------------------------------------------------------------

def load_model_from_h5(filepath, custom_objects: dict | None = None,
                       compile: bool = True, safe_mode: bool = True):  # noqa: A002 -- Keras's keyword
    """The model a legacy `.h5` file holds, written by Keras 3 or by Keras 2 / tf.keras.

    Args:
        filepath: a path, a readable binary file object, or an open `h5py.File`.
        custom_objects: `{name: class or function}` for user objects that are not registered.
        compile: compile the model from `training_config` and restore the optimizer's state.
        safe_mode: refuse Lambda layers holding Python bytecode.
    """
    with _H5(filepath) as f:
        raw = f.attr(f.file, "model_config")
        if raw is None:
            raise ValueError(f"No model config found in the file at {f.name}.")
        keras2 = _written_by_keras2(f)
        config = legacy_h5_config.from_legacy(f.json(raw, "model_config"), keras2, custom_objects)
        with ser.SafeModeScope(safe_mode), ser.custom_object_scope(custom_objects or {}):
            model = ser.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
        _load_weights(f, f.group(f.file, "model_weights"), model, skip_mismatch=False, by_name=False)
        if not compile:
            return model
        raw = f.attr(f.file, "training_config")
        if raw is None:
            warnings.warn("No training configuration found in the save file, so the model was *not* compiled. "
                          "Compile it manually.", stacklevel=2)
            return model
        model.compile(**legacy_h5_training.compile_args(f.json(raw, "training_config"), model, keras2,
                                                        custom_objects))
        if "optimizer_weights" in f.file:
            names, values = f.subset(f.group(f.file, "optimizer_weights"))
            legacy_h5_training.restore_optimizer(model.optimizer, model.trainable_variables, names, values, keras2)
    return model


def load_weights_from_h5(model, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Loads a legacy weights file (or the weights of a legacy model file) into `model`.

    Args:
        model: a built model.
        filepath: a path, a readable binary file object, or an open `h5py.File`.
        skip_mismatch: skip (with a warning) the weights whose shape differs, and with `by_name`
            the layers whose number of weights differs.
        by_name: match saved layers to `model.layers` by name instead of by position.

    Nothing is assigned unless every weight fits (or is skipped).
    """
    with _H5(filepath) as f:
        group = f.file
        if not _has_names(group, "layer_names") and "model_weights" in group:
            group = f.group(group, "model_weights")
        if not _has_names(group, "layer_names"):
            raise ValueError(f"{f.name} is not a legacy Keras weights file: it has no `layer_names` attribute.")
        _load_weights(f, group, model, skip_mismatch=skip_mismatch, by_name=by_name)


def _written_by_keras2(f) -> bool:
    version = f.attr(f.file, "keras_version")
    if version is None and "model_weights" in f.file:
        version = f.attr(f.file["model_weights"], "keras_version")
    return not str(version or "1").startswith("3")


def _load_weights(f, group, model, skip_mismatch: bool, by_name: bool) -> None:
    saved = [(name, f.subset(f.group(group, name))[1]) for name in f.names(group, "layer_names")]
    plan = _by_name(model, saved, skip_mismatch) if by_name else _by_position(model, saved, skip_mismatch)
    if "top_level_model_weights" in group:
        values = f.subset(f.group(group, "top_level_model_weights"))[1]
        variables = _own_weights(model)
        if len(values) != len(variables):
            message = (f"Weight count mismatch for top-level weights when loading weights from file. Model "
                       f"expects {len(variables)} top-level weight(s). Received {len(values)} saved top-level "
                       "weight(s)")
            if not (by_name and skip_mismatch):
                raise ValueError(message)
            warnings.warn(message, stacklevel=4)
        else:
            plan += _matched(variables, values, "top-level model", skip_mismatch)
    for variable, value in plan:
        variable.assign(value)


def _by_position(model, saved: list, skip_mismatch: bool) -> list:
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = [(name, values) for name, values in saved if values]
    if len(saved) != len(layers):
        raise ValueError(f"Layer count mismatch when loading weights from file. Model expected {len(layers)} "
                         f"layers, found {len(saved)} saved layers.")
    plan = []
    for k, ((saved_name, values), layer) in enumerate(zip(saved, layers)):
        variables = _legacy_weights(layer)
        if len(values) != len(variables):
            raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name} in the current model, "
                             f"{saved_name} in the save file). Layer expects {len(variables)} weight(s). Received "
                             f"{len(values)} saved weight(s)")
        plan += _matched(variables, values, f"layer #{k} (named {layer.name})", skip_mismatch)
    return plan


def _by_name(model, saved: list, skip_mismatch: bool) -> list:
    index = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    plan = []
    for k, (name, values) in enumerate(saved):
        for layer in index.get(name, []):
            variables = _legacy_weights(layer)
            if len(values) != len(variables):
                message = (f"Weight count mismatch for layer #{k} (named {layer.name}). Layer expects "
                           f"{len(variables)} weight(s). Received {len(values)} saved weight(s)")
                if not skip_mismatch:
                    raise ValueError(message)
                warnings.warn(f"Skipping loading of weights for layer #{k} (named {layer.name}) due to mismatch "
                              f"in number of weights. Layer expects {len(variables)} weight(s). Received "
                              f"{len(values)} saved weight(s)", stacklevel=5)
                continue
            plan += _matched(variables, values, f"layer #{k} (named {layer.name})", skip_mismatch)
    return plan


def _matched(variables: list, values: list, where: str, skip_mismatch: bool) -> list:
    """`(variable, value)` pairs whose shapes agree; a mismatch raises (or, skipping, warns)."""
    pairs = []
    for variable, value in zip(variables, values):
        expected = tuple(variable.shape.as_list())
        if expected != value.shape:
            message = (f"{where} for weight {variable.path}. Weight expects shape {expected}. Received saved "
                       f"weight with shape {value.shape}")
            if not skip_mismatch:
                raise ValueError(f"Shape mismatch in {message}")
            warnings.warn(f"Skipping loading weights for {where} due to mismatch in shape for weight "
                          f"{variable.path}. Weight expects shape {expected}. Received saved weight with shape "
                          f"{value.shape}", stacklevel=5)
            continue
        pairs.append((variable, value))
    return pairs


def _has_names(group, name: str) -> bool:
    return name in group.attrs or f"{name}0" in group.attrs


class _H5:
    """An HDF5 file opened for reading, whose every read turns h5py's errors into `ValueError`s
    naming the file (a damaged or foreign file must not surface as an h5py traceback)."""

    def __init__(self, filepath):
        self._given = filepath
        self.file = None
        if isinstance(filepath, (h5py.File, h5py.Group)):
            self.name = filepath.file.filename
        elif isinstance(filepath, io.IOBase):
            self.name = getattr(filepath, "name", None) or "the file object"
        else:
            self.name = os.fspath(filepath)

    def __enter__(self):
        if isinstance(self._given, (h5py.File, h5py.Group)):
            self.file = self._given
            return self
        if not isinstance(self._given, io.IOBase) and not os.path.exists(self.name):
            raise ValueError(f"File not found: filepath={self.name}. Please ensure the file is an accessible "
                             "`.h5` file.")
        try:
            self.file = h5py.File(self._given, "r")
        except (OSError, ValueError) as error:
            raise ValueError(f"Could not read {self.name}: it is not a valid HDF5 file ({error}).") from None
        return self

    def __exit__(self, *exc_info):
        if self.file is not None and self.file is not self._given:
            self.file.close()

    def _damaged(self, error) -> ValueError:
        return ValueError(f"Could not read {self.name}: the file is damaged or is not a Keras HDF5 file ({error}).")

    def attr(self, obj, name: str):
        """An attribute as `str` (HDF5 strings come back as bytes or str), or None if absent."""
        try:
            value = obj.attrs.get(name)
        except (OSError, RuntimeError, KeyError) as error:
            raise self._damaged(error) from None
        return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else value

    def json(self, text: str, name: str):
        try:
            return json.loads(text)
        except (json.JSONDecodeError, TypeError) as error:
            raise ValueError(f"Could not read {self.name}: its `{name}` attribute is not valid JSON ({error}).") \
                from None

    def group(self, parent, name: str):
        try:
            found = parent[name]
        except (KeyError, OSError, RuntimeError) as error:
            raise ValueError(f"Could not read {self.name}: the group `{name}` is missing or damaged ({error}).") \
                from None
        if not isinstance(found, h5py.Group):
            raise ValueError(f"Could not read {self.name}: `{name}` is not an HDF5 group.")
        return found

    def names(self, group, name: str) -> list:
        """A list of strings stored as `name` or split over `name0`, `name1`, …"""
        try:
            if name in group.attrs:
                chunks = [group.attrs[name]]
            else:
                chunks, index = [], 0
                while f"{name}{index}" in group.attrs:
                    chunks.append(group.attrs[f"{name}{index}"])
                    index += 1
        except (OSError, RuntimeError, KeyError) as error:
            raise self._damaged(error) from None
        return [n.decode("utf8") if isinstance(n, (bytes, np.bytes_)) else str(n) for c in chunks for n in c]

    def subset(self, group) -> tuple:
        """The `weight_names` of a group and their arrays."""
        names = self.names(group, "weight_names")
        try:
            values = [np.asarray(group[name]) for name in names]
        except (KeyError, OSError, RuntimeError, TypeError) as error:
            raise self._damaged(error) from None
        return names, values
