"""Operators and `tf.*` ops on KerasTensors: each becomes a weightless layer in the graph.

`x + 1`, `x[:, 0]`, `-x` on a KerasTensor record an operation node as Keras 3 does: an
`Add`, `GetItem`, `Negative` … named `add`, `get_item`, `negative`, called with the
tensors and constants in Keras's order (`1 + x` is `Add` of `[1, x]`). These
`KerasOperation` layers serialize as Keras 3 writes its operations (`module`
`keras.src.ops.numpy`, constructor arguments in `config`), so a functional model that
uses them round-trips through `get_config` and `.keras` files, and loads in Keras 3.

Keras 3 refuses `tf.concat` and the other TF functions on KerasTensors; Keras 2 code uses
them, so kerastorch accepts them too: the first KerasTensor a program creates installs a
dispatcher on the public op functions of the `tf` namespaces (`install_op_dispatch`),
which sends calls with a KerasTensor argument to `tf_op_layer.record_tf_call` and every
other call straight to the op. Programs that never build a functional model never pay
for the check.
"""

from __future__ import annotations

import functools
import sys

import numpy as np

from kerastorch.framework import dtypes
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import keras_ops
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.symbolic import KerasTensor

_NAMESPACES = ("kerastorch", "kerastorch.math", "kerastorch.nn", "kerastorch.linalg", "kerastorch.bitwise",
               "kerastorch.dtypes", "kerastorch.random")
_installed = []


class OperationLayer(Layer):
    """A weightless layer that stands for an operation in a functional model.

    As Keras 3's operations, it takes constants positionally (`Add` of `[x, 1]`) and
    drops the mask of its inputs without a warning.
    """

    _allow_non_tensor_positional_args = True
    _default_masking = True
    _engine_arguments = ("training", "mask")  # keyword arguments the engine adds to every call

    def __init__(self, name: str | None = None, **kwargs):
        super().__init__(name=name, autocast=False, **kwargs)
        self.built = True

    def _raw_mask(self, inputs, mask):
        return None

    def _call_arguments(self, kwargs: dict) -> dict:
        """The call's own keyword arguments, without those the engine adds."""
        return {k: v for k, v in kwargs.items() if k not in self._engine_arguments}


class KerasOperation(OperationLayer):
    """A Keras 3 operation (`keras.ops.*`, or an operator on a KerasTensor) as a layer.

    Each Keras operation class kerastorch knows (`keras_ops.OPS`) has a subclass of the
    same name, found by `deserialize_keras_object` under its Keras module
    (`keras.src.ops.numpy.Add`).

    Args:
        name: the node's name; default the snake-cased class name made unique (`add_1`).
        **config: the operation's constructor arguments (`Sum`: `axis`, `keepdims`).
    """

    _spec = None  # the subclass's keras_ops.OpSpec

    def __init__(self, name: str | None = None, **config):
        spec = self._spec
        unknown = sorted(set(config) - set(spec.config))
        if unknown:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected keyword arguments: {unknown}. "
                            f"It takes: {list(spec.config)}")
        missing = [key for key, default in spec.config.items() if default is keras_ops.REQUIRED
                   and key not in config]
        if missing:
            raise TypeError(f"{type(self).__name__}.__init__() is missing required arguments: {missing}")
        super().__init__(name=name)
        self._op_config = {key: config_value(config.get(key, default)) for key, default in spec.config.items()}

    def forward(self, *args, **kwargs):
        return self._spec.fn(*args, **self._call_arguments(kwargs), **self._op_config)

    def get_config(self) -> dict:
        return {"name": self.name, **self._op_config}


def config_value(value):
    """A config value as Keras writes it: dtypes by name, tuples as lists, numpy numbers as Python's."""
    if isinstance(value, dtypes.DType):
        return value.name
    if isinstance(value, (list, tuple)):
        return [config_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _make_classes() -> dict:
    classes = {}
    for class_name, spec in keras_ops.OPS.items():
        cls = type(class_name, (KerasOperation,), {"_spec": spec, "__module__": __name__,
                                                   "__doc__": f"Keras 3's `{class_name}` operation."})
        classes[class_name] = ser.keras_export(f"{spec.module}.{class_name}")(cls)
    return classes


OPERATIONS = _make_classes()  # Keras class name -> its KerasOperation subclass


def record(class_name: str, args, kwargs: dict | None = None, config: dict | None = None):
    """The output KerasTensor(s) of Keras operation `class_name` (with `config`) called on `args`."""
    return OPERATIONS[class_name](**(config or {}))(*args, **(kwargs or {}))


# -- operators on KerasTensor (Keras 3's operation names and argument order) ------------------

_BINARY = {"add": "Add", "sub": "Subtract", "mul": "Multiply", "truediv": "TrueDivide",
           "floordiv": "FloorDivide", "mod": "Mod", "pow": "Power", "matmul": "Matmul", "and": "LogicalAnd",
           "or": "LogicalOr", "xor": "LogicalXor"}
_COMPARISONS = {"lt": "Less", "le": "LessEqual", "gt": "Greater", "ge": "GreaterEqual", "ne": "NotEqual"}


def _operator(class_name: str, reflected: bool = False):
    if reflected:
        return lambda self, other: record(class_name, (other, self))
    return lambda self, other: record(class_name, (self, other))


def _install_operators() -> None:
    for name, class_name in _BINARY.items():
        setattr(KerasTensor, f"__{name}__", _operator(class_name))
        setattr(KerasTensor, f"__r{name}__", _operator(class_name, reflected=True))
    for name, class_name in _COMPARISONS.items():
        setattr(KerasTensor, f"__{name}__", _operator(class_name))
    KerasTensor.__neg__ = lambda self: record("Negative", (self,))
    KerasTensor.__abs__ = lambda self: record("Absolute", (self,))
    KerasTensor.__invert__ = lambda self: record("LogicalNot", (self,))
    KerasTensor.__getitem__ = lambda self, key: record("GetItem", (self, key))
    KerasTensor.__round__ = lambda self, ndigits=None: record("Round", (self,), config={"decimals": ndigits or 0})


_install_operators()


# -- tf.* functions on KerasTensors -------------------------------------------------------------

def install_op_dispatch() -> None:
    """Lets the public op functions of the `tf` namespaces take KerasTensors (once per process)."""
    if _installed:
        return
    _installed.append(True)
    wrappers = {}
    for module_name in _NAMESPACES:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        for name, value in list(vars(module).items()):
            if name.startswith("_") or not callable(value) or isinstance(value, type) or not is_op(value):
                continue
            wrapper = wrappers.get(value)
            if wrapper is None:
                wrapper = wrappers[value] = _dispatching(value)
            setattr(module, name, wrapper)


def is_op(fn) -> bool:
    """Whether `fn` is a public TF op function (from `kerastorch.ops`)."""
    module = getattr(fn, "__module__", None) or ""
    if module.startswith("kerastorch.ops"):
        return True
    # `tf.add` and the other fast binary ops are made in framework/convert.py.
    math_ops = sys.modules.get("kerastorch.ops.math_ops")
    return math_ops is not None and vars(math_ops).get(getattr(fn, "__name__", "")) is fn


def _dispatching(fn):
    @functools.wraps(fn)
    def dispatch(*args, **kwargs):
        for value in args:
            if type(value) is KerasTensor or (type(value) in (list, tuple) and any(
                    type(x) is KerasTensor for x in value)):
                return _record_tf_call(fn, args, kwargs)
        for value in kwargs.values():
            if type(value) is KerasTensor:
                return _record_tf_call(fn, args, kwargs)
        return fn(*args, **kwargs)

    dispatch.__wrapped_op__ = fn
    return dispatch


def _record_tf_call(fn, args, kwargs):
    from kerastorch.keras.engine import tf_op_layer

    return tf_op_layer.record_tf_call(fn, args, kwargs)
