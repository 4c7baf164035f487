"""`tf.function` and `tf.custom_gradient`: the decorators that wrap Python functions.

kerastorch has no graph mode: a `tf.function` runs its Python function as written on
every call, so gradients and side effects behave as in eager TF. What code relies on
is kept: outputs come back as tensors, an `input_signature` converts and checks the
arguments, it works on methods, and it has `python_function` and
`get_concrete_function`. `torch.compile` is deliberately not used here.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import types

import numpy as np
import torch

from kerastorch.framework.convert import convert_to_tensor, to_raw
from kerastorch.framework.tape import GradientTape, _flatten, _pack
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.framework.tensor_shape import TensorShape


class Function:
    """A Python function called through `tf.function` (see `function`)."""

    def __init__(self, python_function, input_signature=None, bound=None):
        functools.update_wrapper(self, python_function)
        self._python_function = python_function
        self._input_signature = None if input_signature is None else tuple(input_signature)
        self._call = python_function if bound is None else types.MethodType(python_function, bound)

    @property
    def python_function(self):
        """The original Python function."""
        return self._python_function

    @property
    def input_signature(self):
        """The `input_signature` given to `tf.function` (a tuple), or None."""
        return self._input_signature

    def __call__(self, *args, **kwargs):
        if self._input_signature is not None:
            args = self._bind(args, kwargs)
        return _outputs(self._call(*args, **kwargs))

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return Function(self._python_function, self._input_signature, bound=instance)

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """A callable for these argument types (eagerly, the function itself)."""
        return ConcreteFunction(self)

    def _bind(self, args: tuple, kwargs: dict) -> tuple:
        """Converts the arguments matched by `input_signature` to tensors of its specs."""
        bound = []
        for arg, spec in zip(args, self._input_signature):
            if hasattr(spec, "dtype") and hasattr(spec, "shape"):
                arg = self._convert(arg, spec, args, kwargs)
            bound.append(arg)
        return tuple(bound) + args[len(bound):]

    def _convert(self, arg, spec, args, kwargs):
        try:
            tensor = arg if isinstance(arg, TensorLike) else convert_to_tensor(arg, spec.dtype)
        except (TypeError, ValueError):
            tensor = None
        if tensor is None or tensor.dtype != spec.dtype or not TensorShape(spec.shape).is_compatible_with(
                tensor.shape):
            got = (f"TensorSpec(shape={tensor.shape}, dtype={tensor.dtype!r}, name=None)"
                   if tensor is not None else repr(arg))
            raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast {got} to "
                            f"{spec!r}`. Received args: {args} and kwargs: {kwargs} for signature: "
                            f"{self._signature_text()}.")
        return tensor

    def _signature_text(self) -> str:
        names = [p for p in inspect.signature(self._call).parameters]
        return "(" + ", ".join(f"{n}: {s!r}" for n, s in zip(names, self._input_signature)) + ")"


class ConcreteFunction:
    """What `get_concrete_function` returns: callable like the `Function` it came from."""

    def __init__(self, function: Function):
        self._function = function

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)


def function(func=None, input_signature=None, autograph: bool = True, jit_compile=None,
             reduce_retracing: bool = False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """`tf.function`: usable as `@tf.function`, `@tf.function(...)` or `tf.function(f)`.

    The function runs eagerly on each call; its outputs are converted to tensors
    (Variables to their values), and `input_signature` specs convert the matching
    positional arguments. The compilation options are accepted and have no effect.

    Example:
        >>> @tf.function
        ... def square(x):
        ...     return x * x
        >>> square(tf.constant(3))
        <tf.Tensor: shape=(), dtype=int32, numpy=9>
    """
    if func is None:
        return functools.partial(function, input_signature=input_signature)
    if not callable(func):
        raise TypeError(f"{func} is not a callable object")
    return Function(func, input_signature)


def _outputs(value):
    """TF's conversion of a tf.function's return value: Python and numpy values become tensors."""
    if value is None or isinstance(value, Tensor):
        return value
    if isinstance(value, TensorLike):
        return value.read_value()
    if isinstance(value, dict):
        return type(value)((key, _outputs(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        items = [_outputs(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, (numbers.Number, str, bytes, np.ndarray, np.generic, torch.Tensor)):
        return convert_to_tensor(value)
    return value


# -- tf.custom_gradient ------------------------------------------------------------------

def custom_gradient(f=None):
    """`tf.custom_gradient`: `f(*x)` returns `(y, grad_fn)`; `grad_fn(*dy)` gives the x grads.

    If `f` reads trainable variables, `grad_fn` must take a `variables` keyword and
    return `(x_grads, variable_grads)`. The ops inside `f` are still recorded, so
    `grad_fn` may use them for higher-order gradients, as in TF.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        args = [a if type(a) is Tensor else convert_to_tensor(a) for a in args]
        with GradientTape() as watcher:
            result, grad_fn = f(*args, **kwargs)
        variables = watcher.watched_variables()
        if variables and not _takes_variables(grad_fn):
            raise TypeError(f"@tf.custom_gradient grad_fn must accept keyword argument 'variables', "
                            f"since function uses variables: {list(variables)}")
        outputs = _flatten(result)
        link = _Link(grad_fn, len(args), variables)
        raws = _CustomGradient.apply(link, [to_raw(y) for y in outputs],
                                     *[a._t for a in args], *[v._param for v in variables])
        return _pack(result, iter(wrap(r) for r in raws))

    return decorated


def _takes_variables(grad_fn) -> bool:
    params = inspect.signature(grad_fn).parameters.values()
    return any(p.name == "variables" or p.kind is p.VAR_KEYWORD for p in params)


class _Link:
    """What the autograd node needs to call a custom `grad_fn`."""

    def __init__(self, grad_fn, count: int, variables: tuple):
        self.grad_fn = grad_fn
        self.count = count
        self.variables = variables


class _CustomGradient(torch.autograd.Function):
    """Passes the outputs of `f` through a node whose backward is the user's `grad_fn`."""

    @staticmethod
    def forward(ctx, link, outputs, *inputs):
        ctx.link = link
        return tuple(y.detach() for y in outputs)

    @staticmethod
    def backward(ctx, *upstream):
        link = ctx.link
        dys = [wrap(d) for d in upstream]
        if link.variables:
            grads, var_grads = link.grad_fn(*dys, variables=list(link.variables))
        else:
            grads, var_grads = link.grad_fn(*dys), []
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != link.count:
            raise ValueError(f"custom_gradient function expected to return {link.count} gradients, but "
                             f"returned {len(grads)} instead.")
        raws = [None if g is None else to_raw(g) for g in grads + list(var_grads)]
        needed = ctx.needs_input_grad[2:]
        return (None, None) + tuple(r if need else None for r, need in zip(raws, needed))


def executing_eagerly() -> bool:
    """`tf.executing_eagerly`: always True — kerastorch runs every function eagerly."""
    return True
