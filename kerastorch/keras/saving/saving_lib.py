"""Keras 3's native formats: the `.keras` archive and the `.weights.h5` weights file.

A `.keras` file is a zip archive, its members written uncompressed as Keras does:

- `metadata.json`: `{"keras_version": ..., "date_saved": ...}`;
- `config.json`: the model's serialized config (`keras.saving.serialize_keras_object`)
  with its `build_config` and `compile_config` (optimizer, loss, metrics);
- `model.weights.h5`: every variable, the optimizer's included, laid out by
  `object_tree` (Keras's paths: `layers/dense/vars/0`, `optimizer/vars/3`, ...);
- `assets/<path>/...` when an object saves files (an adapted lookup layer's
  `vocabulary.txt`).

A `.weights.h5` file is that weights member on its own. Saving to a path is atomic
(`atomic.py`). Loading never runs code from the file: the config names classes that
must already be known (built-in, registered or passed as `custom_objects`), and a
serialized Python lambda is refused unless `safe_mode=False`. A file that is not what
it claims to be gives a `ValueError` naming the file.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile

from kerastorch.keras import _serialization as ser
from kerastorch.keras.saving import object_tree
from kerastorch.keras.saving.atomic import atomic_path
from kerastorch.keras.saving.h5_store import H5Store

KERAS_VERSION = "3.15.1"  # the Keras whose files kerastorch writes and reads
CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
ASSETS = "assets/"
_MAX_MEMBER_BYTES = 1 << 32  # a member declaring more than 4 GiB ...
_MAX_EXPANSION = 100  # ... and more than 100x its stored size is a zip bomb


# -- the .keras archive -------------------------------------------------------------------

def save_model(model, filepath) -> None:
    """Writes `model` (architecture, weights, compile state) as a `.keras` archive.

    Args:
        model: a built model.
        filepath: a path ending in `.keras`, or a writable binary file object.
    """
    if not model.built:
        warnings.warn("You are saving a model that has not yet been built. It might not contain any weights yet. "
                      "Consider building the model first by calling it on some data.", stacklevel=3)
    config_json, metadata_json = _model_json(model)
    if isinstance(filepath, io.IOBase):
        _write_archive(model, filepath, config_json, metadata_json)
        return
    with atomic_path(filepath) as tmp, open(tmp, "wb") as f:
        _write_archive(model, f, config_json, metadata_json)


def _model_json(model) -> tuple:
    config = ser.serialize_keras_object(model)
    build_config = model.get_build_config()
    if build_config is not None:
        config["build_config"] = build_config
    config["compile_config"] = model.get_compile_config()
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    return json.dumps(config, default=_json_default), json.dumps(metadata)


def _json_default(value):
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable: {value!r}")


def _write_archive(model, fileobj, config_json: str, metadata_json: str) -> None:
    weights = io.BytesIO()
    with AssetsDir() as assets:
        with H5Store(weights, "w") as store:
            object_tree.save_state(model, store, assets)
        with zipfile.ZipFile(fileobj, "w") as archive:
            archive.writestr(METADATA, metadata_json)
            archive.writestr(CONFIG, config_json)
            archive.writestr(WEIGHTS, weights.getvalue())
            assets.write_to(archive)


class AssetsDir:
    """The files objects save beside their variables (`assets/<path>/...` in the archive),
    staged in a temporary directory: `make(path)` / `get(path)` give an object's directory."""

    def __init__(self, archive: zipfile.ZipFile | None = None, name: str = ""):
        self._tmp = tempfile.TemporaryDirectory(prefix="kerastorch-assets-")
        self.root = self._tmp.name
        if archive is not None:
            self._extract(archive, name)

    def _extract(self, archive: zipfile.ZipFile, name: str) -> None:
        for member in archive.namelist():
            if not member.startswith(ASSETS) or member.endswith("/"):
                continue
            relative = os.path.normpath(member[len(ASSETS):])
            if relative.startswith("..") or os.path.isabs(relative):
                raise ValueError(f"Not allowed: {name} holds an asset outside its assets directory: {member}")
            target = os.path.join(self.root, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(_read_member(archive, member, name))

    def make(self, path: str) -> str:
        directory = os.path.join(self.root, path)
        os.makedirs(directory, exist_ok=True)
        return directory

    def get(self, path: str) -> str:
        return os.path.join(self.root, path)

    def write_to(self, archive: zipfile.ZipFile) -> None:
        for folder, _, files in sorted(os.walk(self.root)):
            for file in sorted(files):
                full = os.path.join(folder, file)
                archive.write(full, ASSETS + os.path.relpath(full, self.root).replace(os.sep, "/"))

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> AssetsDir:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def load_model(filepath, custom_objects: dict | None = None, compile_model: bool = True, safe_mode: bool = True):
    """The model a `.keras` archive holds (a path or a readable binary file object)."""
    name = _describe(filepath)
    with _open_archive(filepath, name) as archive:
        config = _read_config(archive, name)
        model = model_from_config(config, custom_objects, compile_model, safe_mode)
        weights = io.BytesIO(_read_member(archive, WEIGHTS, name))
        with _weights_store(weights, name) as store, AssetsDir(archive, name) as assets:
            _load_into(model, store, name, skip_mismatch=False, assets=assets)
    return model


def model_from_config(config: dict, custom_objects=None, compile_model: bool = True, safe_mode: bool = True):
    """Rebuilds, builds and (with `compile_model`) compiles the model a `config.json` describes."""
    with ser.SafeModeScope(safe_mode):
        model = ser.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
        build_config = config.get("build_config")
        if build_config and not model.built:
            model.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_model and compile_config:
            with ser.custom_object_scope(custom_objects or {}):
                model.compile_from_config(compile_config)
    return model


def _describe(filepath) -> str:
    if isinstance(filepath, io.IOBase):
        return getattr(filepath, "name", None) or "the file object"
    return os.fspath(filepath)


def _open_archive(filepath, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(filepath if isinstance(filepath, io.IOBase) else os.fspath(filepath), "r")
    except FileNotFoundError:
        raise ValueError(f"File not found: filepath={name}. Please ensure the file is an accessible `.keras` "
                         "zip file.") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValueError(f"Could not read {name}: it is not a valid `.keras` file (a zip archive): {error}") \
            from None


def _read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise ValueError(f"Could not read {name}: the archive has no `{member}` (it holds "
                         f"{archive.namelist()}); it is not a Keras model file.") from None
    if info.file_size > _MAX_MEMBER_BYTES and info.file_size > _MAX_EXPANSION * info.compress_size:
        raise ValueError(f"Not allowed: `{member}` in {name} declares {info.file_size} bytes but stores only "
                         f"{info.compress_size}; refusing to load a potential decompression bomb.")
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ValueError(f"Could not read `{member}` from {name}: the archive is damaged ({error}).") from None


def _read_config(archive: zipfile.ZipFile, name: str) -> dict:
    text = _read_member(archive, CONFIG, name)
    try:
        config = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"Could not read {name}: `{CONFIG}` is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not read {name}: `{CONFIG}` does not describe a Keras object.")
    return config


def _weights_store(target, name: str) -> H5Store:
    return H5Store(target, "r", filename=name)


def _load_into(model, store: H5Store, name: str, skip_mismatch: bool, assets=None) -> None:
    try:
        object_tree.load_state(model, store, assets, skip_mismatch=skip_mismatch)
    except (OSError, RuntimeError) as error:  # h5py's errors on damaged data
        raise ValueError(f"Could not read the weights in {name}: the file is damaged ({error}).") from None


# -- weights only ---------------------------------------------------------------------------

def save_weights_only(model, filepath) -> None:
    """Writes every variable (the optimizer's included) to a `.weights.h5` file."""
    if not model.built:
        raise ValueError("You are saving a model that has not yet been built. Try building the model first by "
                         "calling it on some data or by using `build()`.")
    with atomic_path(filepath) as tmp, H5Store(tmp, "w", filename=os.fspath(filepath)) as store:
        object_tree.save_state(model, store)


def load_weights_only(model, filepath, skip_mismatch: bool = False) -> None:
    """Reads the variables of a `.weights.h5` or `.keras` file into `model`.

    On an error (without `skip_mismatch`) the model keeps the values it had before.
    """
    if not model.built:
        raise ValueError("You are loading weights into a model that has not yet been built. Try building the "
                         "model first by calling it on some data or by using `build()`.")
    name = _describe(filepath)
    if name.endswith(".keras"):
        with _open_archive(filepath, name) as archive:
            target = io.BytesIO(_read_member(archive, WEIGHTS, name))
    else:
        if not isinstance(filepath, io.IOBase) and not os.path.exists(filepath):
            raise ValueError(f"File not found: filepath={name}.")
        target = filepath if isinstance(filepath, io.IOBase) else os.fspath(filepath)
    snapshot = [(v, v.numpy()) for _, obj in object_tree.walk(model) for v in _own_variables(obj)]
    try:
        with _weights_store(target, name) as store:
            _load_into(model, store, name, skip_mismatch)
    except BaseException:
        for variable, value in snapshot:
            variable.assign(value)
        raise


def _own_variables(obj) -> list:
    if hasattr(obj, "_own_trainable"):
        return obj._own_trainable + obj._own_non_trainable
    return list(getattr(obj, "_variables", []))

