"""Operators and `tf.*` ops on KerasTensors: each becomes a weightless layer in the graph.

`x + 1`, `x[:, 0]`, `-x` on a KerasTensor record an operation node as Keras 3 does (an
`Add`, `GetItem`, `Negative` … named `add`, `get_item`, `negative`), so functional
models can use them. Keras 3 refuses `tf.concat` and the other TF functions on
KerasTensors; Keras 2 code uses them, so kerastorch accepts them too: the first
KerasTensor a program creates installs a dispatcher on the public op functions of the
`tf` namespaces (`install_op_dispatch`), which sends calls with a KerasTensor argument
here and every other call straight to the op. Programs that never build a functional
model never pay for the check.
"""

from __future__ import annotations

import functools
import sys

from kerastorch.keras.engine import nest
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.symbolic import KerasTensor

_OP_CLASSES = {}  # class name -> the SymbolicOp subclass with that name
_NAMESPACES = ("kerastorch", "kerastorch.math", "kerastorch.nn", "kerastorch.linalg", "kerastorch.bitwise",
               "kerastorch.dtypes", "kerastorch.random")
_installed = []


class SymbolicOp(Layer):
    """A function of tensors used on KerasTensors, replayed as a layer with no weights.

    Args:
        fn: the function (on kerastorch Tensors).
        template: `(args, kwargs)` of the original call, with the KerasTensors in place.
    """

    def __init__(self, fn, template, **kwargs):
        super().__init__(autocast=False, **kwargs)
        self.fn = fn
        self._template = template
        self.built = True

    def call(self, *tensors):
        it = iter(tensors)
        args, kwargs = nest.map(lambda x: next(it) if isinstance(x, KerasTensor) else x, self._template)
        return self.fn(*args, **kwargs)

    def get_config(self) -> dict:
        return {"name": self.name, "function": getattr(self.fn, "__name__", repr(self.fn))}


def op_class(class_name: str) -> type:
    """The SymbolicOp subclass named `class_name` (so names read `add`, `get_item`, as Keras)."""
    cls = _OP_CLASSES.get(class_name)
    if cls is None:
        cls = _OP_CLASSES[class_name] = type(class_name, (SymbolicOp,), {"__module__": __name__})
    return cls


def apply(fn, args, kwargs, class_name: str):
    """Records `fn(*args, **kwargs)` on KerasTensors; returns the output KerasTensor(s)."""
    template = (args, kwargs)
    tensors = [x for x in nest.flatten(template) if isinstance(x, KerasTensor)]
    return op_class(class_name)(fn, template)(*tensors)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


# -- operators on KerasTensor (Keras 3's operation names) ------------------------------------

def _operator(method: str, class_name: str):
    """`KerasTensor.<method>`: records the tensor operator `method` with the KerasTensor first
    (so `1 + x` replays as `x.__radd__(1)`)."""

    def operator(self, other):
        from kerastorch.framework.tensor import TensorLike

        return apply(getattr(TensorLike, method), (self, other), {}, class_name)

    operator.__name__ = method
    return operator


_BINARY = {"__add__": "Add", "__sub__": "Subtract", "__mul__": "Multiply", "__truediv__": "TrueDivide",
           "__floordiv__": "FloorDivide", "__mod__": "Mod", "__pow__": "Power", "__matmul__": "Matmul",
           "__lt__": "Less", "__le__": "LessEqual", "__gt__": "Greater", "__ge__": "GreaterEqual",
           "__and__": "LogicalAnd", "__or__": "LogicalOr", "__xor__": "LogicalXor"}


def _install_operators() -> None:
    for method, class_name in _BINARY.items():
        setattr(KerasTensor, method, _operator(method, class_name))
        reflected = method.replace("__", "__r", 1)
        if method not in ("__lt__", "__le__", "__gt__", "__ge__"):
            setattr(KerasTensor, reflected, _operator(reflected, class_name))
    KerasTensor.__neg__ = lambda self: apply(lambda a: -a, (self,), {}, "Negative")
    KerasTensor.__abs__ = lambda self: apply(abs, (self,), {}, "Absolute")
    KerasTensor.__invert__ = lambda self: apply(lambda a: ~a, (self,), {}, "LogicalNot")
    KerasTensor.__getitem__ = lambda self, key: apply(lambda a, k: a[k], (self, key), {}, "GetItem")


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
            if name.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if not getattr(value, "__module__", "").startswith("kerastorch.ops"):
                continue
            wrapper = wrappers.get(value)
            if wrapper is None:
                wrapper = wrappers[value] = _dispatching(value)
            setattr(module, name, wrapper)


def _dispatching(fn):
    class_name = _camel(fn.__name__)

    @functools.wraps(fn)
    def dispatch(*args, **kwargs):
        for value in args:
            if type(value) is KerasTensor or (type(value) in (list, tuple) and any(
                    type(x) is KerasTensor for x in value)):
                return apply(fn, args, kwargs, class_name)
        for value in kwargs.values():
            if type(value) is KerasTensor:
                return apply(fn, args, kwargs, class_name)
        return fn(*args, **kwargs)

    dispatch.__wrapped_op__ = fn
    return dispatch
