"""Loss functions and `LossFunctionWrapper`, the Loss that calls one.

Every built-in loss function is written once, on torch tensors (its twin);
`loss_function` makes the public function from it (kerastorch tensors, numpy or Python
values in, a Tensor out). `raw_loss_function(fn)` is the torch-level form of any loss
function: the twin for ours, a wrap/call/unwrap shell for a user function on the facade.
`compile_loss(identifier, y_true, y_pred)` turns a `compile(loss=...)` entry into a Loss
with a `raw` entry point, as Keras's `compile_utils.get_loss` does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch

from kerastorch.framework.tensor import wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import call_context, naming
from kerastorch.keras.losses.base import Loss, as_raw, squeeze_or_expand_to_same_rank

_TWINS = {}  # public loss function -> its torch twin


def loss_function(*names: str) -> Callable:
    """Decorator: the public loss function of a torch twin, exported under Keras's `names`."""

    def register(twin: Callable) -> Callable:
        @functools.wraps(twin)
        def public(y_true, y_pred, *args, **kwargs):
            return wrap(twin(as_raw(y_true), as_raw(y_pred), *args, **kwargs))

        _TWINS[public] = twin
        ser.keras_export(*names)(public)
        return public

    return register


def raw_loss_function(fn: Callable) -> Callable[..., torch.Tensor]:
    """The torch-level form of a loss function: `(y_true, y_pred, **kwargs) -> torch.Tensor`.

    Args:
        fn: one of the built-in loss functions (its twin comes back), or any function
            of kerastorch tensors (called on wrapped inputs, its result unwrapped).
    """
    twin = _TWINS.get(fn)
    if twin is not None:
        return twin

    def foreign(y_true, y_pred, **kwargs):
        with call_context.keep_graph():
            return as_raw(fn(wrap(y_true), wrap(y_pred), **kwargs))

    return foreign


class LossFunctionWrapper(Loss):
    """A Loss that calls a loss function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the loss function (a built-in one, or any function of kerastorch tensors).
        reduction: see `Loss`.
        name: see `Loss`.
        dtype: see `Loss`.
        **kwargs: further arguments of `fn`.

    Example:
        >>> loss = tf.keras.losses.LossFunctionWrapper(tf.keras.losses.huber, delta=0.5)
    """

    def __init__(self, fn: Callable, reduction: str | None = "sum_over_batch_size", name: str | None = None,
                 dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return wrap(self._raw_call(as_raw(y_true), as_raw(y_pred)))

    def _raw_call(self, y_true, y_pred) -> torch.Tensor:
        if type(self).call is not LossFunctionWrapper.call:  # a subclass with its own `call`
            return super()._raw_call(y_true, y_pred)
        if isinstance(y_true, torch.Tensor) and isinstance(y_pred, torch.Tensor):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        twin = _TWINS.get(self.fn)
        if twin is not None:
            return twin(y_true, y_pred, **self._fn_kwargs)
        with call_context.keep_graph():
            return as_raw(self.fn(_facade(y_true), _facade(y_pred), **self._fn_kwargs))

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = ser.serialize_keras_object(self.fn)
        config.update(ser.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config: dict) -> LossFunctionWrapper:
        if "fn" in config:
            config = ser.deserialize_keras_object(config)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class BuiltinLoss(LossFunctionWrapper):
    """A built-in loss class: its config is Loss's plus the attributes named in `_CONFIG_KEYS`."""

    _CONFIG_KEYS = ()

    def get_config(self) -> dict:
        return {**Loss.get_config(self), **{key: getattr(self, key) for key in self._CONFIG_KEYS}}


def _facade(value):
    if isinstance(value, dict):
        return {key: _facade(item) for key, item in value.items()}
    return wrap(value)


def get_object_name(obj) -> str:
    """Keras's name of a loss or metric object: its `name`, else its snake-cased function or class name."""
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return naming.to_snake_case(obj.__name__)
    return naming.to_snake_case(type(obj).__name__)


def _shape(value) -> tuple:
    return tuple(value.shape) if hasattr(value, "shape") else tuple(value)


def is_binary_or_sparse_categorical(y_true, y_pred) -> tuple[bool, bool]:
    """Keras's guess from the shapes of targets and predictions (tensors or shapes)."""
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    is_binary = pred_shape[-1] == 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_shape[-1] == 1 and pred_shape[-1] > 1)
    return is_binary, is_sparse


def compile_loss(identifier, y_true=None, y_pred=None) -> Loss | None:
    """The Loss of a `compile(loss=...)` entry for one output (None stays None).

    A name, function or config dict is resolved with `get`; `"crossentropy"` / `"ce"`
    picks the binary, sparse or categorical crossentropy from the shapes of `y_true`
    and `y_pred` (tensors or shapes). A function is wrapped in a LossFunctionWrapper
    named after the string given, or after the function, as Keras does.
    """
    from kerastorch.keras.losses import (
        binary_crossentropy,
        categorical_crossentropy,
        get,
        sparse_categorical_crossentropy,
    )

    if identifier is None:
        return None
    if str(identifier).lower() not in ("crossentropy", "ce"):
        loss = get(identifier)
    else:
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            loss = binary_crossentropy
        elif is_sparse:
            loss = sparse_categorical_crossentropy
        else:
            loss = categorical_crossentropy
    if isinstance(loss, Loss):
        return loss
    name = identifier if isinstance(identifier, str) else get_object_name(loss)
    return LossFunctionWrapper(loss, name=name)

