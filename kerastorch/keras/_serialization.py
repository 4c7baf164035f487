"""Keras 3's object (de)serialization, shared by the configurable families.

A built-in object serializes to `{'module': 'keras.initializers', 'class_name':
'GlorotUniform', 'config': {...}, 'registered_name': None}`: the public module and
name come from `keras_export`, which the families put on their classes and functions.
A user class registered with `register_keras_serializable` records its Python module
and `'package>Name'`; functions become `class_name: 'function'` entries. Deserializing
looks names up in the family's own table (`module_objects`), the caller's
`custom_objects`, the active `custom_object_scope`s and the global registry, in that
order of precedence reversed (the registry wins, as in Keras).
"""

from __future__ import annotations

import base64
import inspect
import marshal
import threading
import types
import warnings

import numpy as np

from kerastorch.framework import dtypes
from kerastorch.framework.convert import constant
from kerastorch.framework.tensor import TensorLike

_PLAIN_TYPES = (str, int, float, bool)
_BUILTIN_MODULES = ("activations", "constraints", "initializers", "losses", "metrics", "optimizers",
                    "regularizers")

_PUBLIC = {}  # object -> its canonical Keras name, e.g. "keras.initializers.GlorotUniform"
_BY_NAME = {}  # every exported Keras name -> object
GLOBAL_CUSTOM_OBJECTS = {}  # 'package>Name' -> object (register_keras_serializable)
GLOBAL_CUSTOM_NAMES = {}  # object -> 'package>Name'


class _Scopes(threading.local):
    def __init__(self):
        self.stack = []  # dicts of the active custom_object_scopes, innermost last
        self.safe_mode = []  # the safe_mode of the active loads, innermost last


_scopes = _Scopes()


def keras_export(*names: str):
    """Records the public Keras names of a class or function; the first is canonical.

    Example: `@keras_export("keras.initializers.Zeros", "keras.initializers.zeros")`.
    """

    def register(obj):
        _PUBLIC[obj] = names[0]
        for name in names:
            _BY_NAME[name] = obj
        return obj

    return register


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Registers a user class or function under `'package>name'` (Keras's decorator).

    Args:
        package: the package part of the key.
        name: the name part; default the object's `__name__`.
    """

    def register(obj):
        key = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        GLOBAL_CUSTOM_OBJECTS[key] = obj
        GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return register


def get_registered_name(obj) -> str:
    """The name `obj` is registered under, else its `__name__`."""
    return GLOBAL_CUSTOM_NAMES.get(obj, obj.__name__)


def get_registered_object(name: str, custom_objects: dict | None = None, module_objects: dict | None = None):
    """The object registered (or in scope, or in `custom_objects` / `module_objects`) as `name`, else None."""
    visible = _visible_objects(custom_objects)
    if name in visible:
        return visible[name]
    return (module_objects or {}).get(name)


class custom_object_scope:  # noqa: N801 -- a context manager, named as Keras names it
    """Makes the objects of a `{name: object}` dict visible to deserialization inside."""

    def __init__(self, custom_objects: dict):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _scopes.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _scopes.stack.pop()


class SafeModeScope:
    """Sets the `safe_mode` that deserialization inside sees (a load's `safe_mode` argument
    reaches every nested `from_config`, e.g. a Lambda layer's)."""

    def __init__(self, safe_mode: bool | None = True):
        self.safe_mode = safe_mode

    def __enter__(self):
        _scopes.safe_mode.append(self.safe_mode)
        return self

    def __exit__(self, *exc_info):
        _scopes.safe_mode.pop()


def in_safe_mode() -> bool | None:
    """The innermost active `SafeModeScope`'s value; None outside any."""
    return _scopes.safe_mode[-1] if _scopes.safe_mode else None


def _visible_objects(custom_objects) -> dict:
    merged = dict(custom_objects or {})
    for scope in _scopes.stack:
        merged.update(scope)
    merged.update(GLOBAL_CUSTOM_OBJECTS)
    return merged


# -- serializing -------------------------------------------------------------------------

def serialize_keras_object(obj):
    """The JSON-friendly config of `obj`, as Keras's `serialize_keras_object`."""
    if obj is None or isinstance(obj, _PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, TensorLike):
        return {"class_name": "__tensor__", "config": {"value": obj.numpy().tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item()
    if isinstance(obj, dtypes.DType):
        return obj.name
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return _serialize_lambda(obj)
    if isinstance(obj, types.FunctionType):
        inner = get_registered_name(obj)
    elif hasattr(obj, "get_config"):
        inner = obj.get_config()
        if not isinstance(inner, dict):
            raise TypeError(f"The `get_config()` method of {obj} should return a dict. It returned: {inner}")
        inner = serialize_keras_object(inner)
    else:
        raise TypeError(f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a class "
                        "must implement the `get_config()` method.")
    cls = type(obj)
    public = _PUBLIC.get(cls)
    if public is not None:
        module, _, name = public.rpartition(".")
        return {"module": module, "class_name": name, "config": inner, "registered_name": None}
    # For a function `cls` is Python's function type: Keras records 'builtins' / 'function'
    # and puts the function's own (registered) name in `config`. A script's classes get None.
    return {"module": None if cls.__module__ == "__main__" else cls.__module__, "class_name": cls.__name__,
            "config": inner, "registered_name": get_registered_name(cls)}


def _serialize_lambda(fn) -> dict:
    warnings.warn("The object being serialized includes a `lambda`. This is unsafe. In order to reload the "
                  "object, you will have to pass `safe_mode=False` to the loading function. Please avoid "
                  "using `lambda` in the future, and use named Python functions instead. This is the "
                  f"`lambda` being serialized: {_source(fn)}", stacklevel=3)
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    return {"class_name": "__lambda__", "config": {"value": code}}


def _source(fn) -> str:
    try:
        return inspect.getsource(fn)
    except OSError:
        return repr(fn)


# -- deserializing -----------------------------------------------------------------------

def deserialize_keras_object(config, custom_objects=None, safe_mode: bool | None = None, module_objects=None):
    """The object a config describes, as Keras's `deserialize_keras_object`.

    Args:
        config: a config dict, a name, a list of those, or a plain value.
        custom_objects: `{name: object}` for user classes and functions.
        safe_mode: refuse to rebuild serialized lambdas (default: the enclosing
            `SafeModeScope`'s value, else True).
        module_objects: a family's `{name: object}` table; with it, a bare name or a
            dict naming a function or class resolves through the table (an unknown name
            comes back unchanged, as in Keras).
    """
    if config is None:
        return None
    if safe_mode is not None and safe_mode != in_safe_mode():
        with SafeModeScope(safe_mode):
            return deserialize_keras_object(config, custom_objects, safe_mode, module_objects)
    safe_mode = in_safe_mode() is not False
    visible = _visible_objects(custom_objects)
    if isinstance(config, str) and visible.get(config) is not None:
        return visible[config]
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects) for x in config]
    if module_objects is not None:
        resolved = _from_module_objects(config, visible, module_objects)
        if resolved is not _UNRESOLVED:
            return resolved
    if isinstance(config, _PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects) for key, value in config.items()}
    return _from_full_config(config, visible, safe_mode)


_UNRESOLVED = object()


def _from_module_objects(config, visible: dict, module_objects: dict):
    inner = None
    if isinstance(config, dict):
        inner = config.get("config")
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        name = config["class_name"]
        if name in visible or config.get("registered_name") in visible or (
                isinstance(inner, str) and inner in visible):
            return _UNRESOLVED
        if name == "function":
            name = inner if config.get("module") == "builtins" else config.get("registered_name")
        elif config.get("module", "_") is None:
            raise TypeError(f"Cannot deserialize object of type `{name}`. If `{name}` is a custom class, "
                            "please register it using the `@keras.saving.register_keras_serializable()` "
                            "decorator.")
    else:
        name = config
    if not isinstance(name, str) or name not in module_objects:
        return name
    obj = module_objects[name]
    if isinstance(obj, types.FunctionType):
        return obj
    return obj.from_config(inner or {})


def _from_full_config(config: dict, visible: dict, safe_mode: bool):
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    if class_name == "__tensor__":
        return constant(inner["value"], dtype=inner["dtype"])
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__lambda__":
        from kerastorch.keras import config as keras_config

        if safe_mode and not keras_config.is_unsafe_deserialization_enabled():
            raise ValueError("Requested the deserialization of a Python lambda. This carries a potential "
                             "risk of arbitrary code execution and thus it is disallowed by default. If you "
                             "trust the source of the artifact, you can override this error by passing "
                             "`safe_mode=False` to the loading function, or calling "
                             "`keras.config.enable_unsafe_deserialization().")
        code = marshal.loads(base64.b64decode(inner["value"]))
        return types.FunctionType(code, globals())
    module = config.get("module")
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(f"Expected 'config' to be a non-null str for a function classname,\ninstead got "
                            f"{type(inner)}\nFull config: {config}")
        return _locate(inner, inner, module, "function", config, visible)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name},\ninstead got {type(inner)}\n"
                        f"Full config: {config}")
    cls = _locate(class_name, config.get("registered_name", class_name), module, "class", config, visible)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of '{class_name}' because the class is missing a "
                        f"`from_config()` method. Full object config: {config}")
    with custom_object_scope(visible):
        return cls.from_config(inner)


def _locate(name: str, registered_name, module, kind: str, config: dict, visible: dict):
    """The class or function a config names: registered first, then Keras's public names."""
    custom = visible.get(name if kind == "function" else registered_name)
    if custom is not None:
        return custom
    if module and (module == "keras" or module.startswith("keras.")):
        obj = _BY_NAME.get(f"{module}.{name}")
        if obj is not None:
            return obj
    if kind == "function" and module == "builtins":
        for family in _BUILTIN_MODULES:
            obj = _BY_NAME.get(f"keras.{family}.{name}")
            if obj is not None:
                return obj
    raise TypeError(f"Could not locate {kind} '{name}'. Make sure custom classes and functions are decorated "
                    "with `@keras.saving.register_keras_serializable()`. If they are already decorated, make "
                    "sure they are all imported so that the decorator is run before trying to load them. "
                    f"Full object config: {config}")


def get_error(kind: str, identifier) -> ValueError:
    """Keras's error for an identifier a family's `get` cannot use."""
    return ValueError(f"Could not interpret {kind} identifier: {identifier}")
