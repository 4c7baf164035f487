"""Keras variables: the weights layers create with `add_weight`.

A Keras variable is a `tf.Variable` (so every `tf.*` op takes it) with Keras 3's
identity: `name` is the bare name (`kernel`), `path` where it lives
(`dense/kernel`), and its repr is Keras's `<Variable path=…, shape=…, value=…>`.
"""

from __future__ import annotations

import torch

from kerastorch.framework.variable import Variable, VariableAggregation, VariableSynchronization
from kerastorch.keras.engine.call_context import _context


class KerasVariable(Variable):
    """A layer weight, as `keras.Variable`.

    Args:
        initializer: the initial value, or a callable `(shape, dtype) -> value`.
        shape: its shape (needed when `initializer` is a callable).
        dtype: its dtype (default float32).
        trainable: whether optimizers update it.
        name: the bare name; `path` is `<scope>/<name>`.
        regularizer: a callable giving a loss from the value, read by `layer.losses`.
    """

    __slots__ = ("_path", "_regularizer", "_autocast")

    def __init__(self, initializer, shape=None, dtype=None, trainable: bool = True,
                 autocast: bool = True, aggregation="none", synchronization="auto", name=None,
                 constraint=None, regularizer=None, path: str | None = None):
        if callable(initializer):
            if shape is None:
                raise ValueError(f"When creating a Variable from an initializer, the `shape` argument "
                                 f"should be specified. Received: initializer={initializer} and "
                                 f"shape={shape}")
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
        name = "variable" if name is None else name
        super().__init__(value, trainable=trainable, dtype=dtype, constraint=constraint, name=name)
        self._name = name
        self._path = name if not path else f"{path}/{name}"
        self._regularizer = regularizer
        self._autocast = autocast

    @property
    def _t(self):
        """The value as ops read it, cast to the compute dtype inside a mixed-precision layer call."""
        raw = self._read()
        target = _context.autocast
        if target is not None and self._autocast and raw.dtype != target and raw.is_floating_point():
            return raw.to(target)
        return raw

    @property
    def path(self) -> str:
        return self._path

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        param = self._param
        if isinstance(param, torch.Tensor) and (param.is_floating_point() or param.is_complex()):
            param.requires_grad_(self._trainable)

    @property
    def regularizer(self):
        return self._regularizer

    @property
    def value(self):
        """The current value as a Tensor (Keras 3 spells it as a property)."""
        return Variable.value(self)

    def __repr__(self) -> str:
        return (f"<Variable path={self._path}, shape={tuple(self.shape.as_list())}, "
                f"dtype={self.dtype.name}, value={self.numpy()}>")

    __str__ = __repr__


def from_parameter(param: torch.nn.Parameter, name: str, path: str) -> KerasVariable:
    """A Keras variable over an existing torch Parameter (shared, not copied)."""
    variable = object.__new__(KerasVariable)
    variable._param = param
    variable._name = name
    variable._shape = None
    variable._trainable = bool(param.requires_grad)
    variable._constraint = None
    variable._synchronization = VariableSynchronization.AUTO
    variable._aggregation = VariableAggregation.NONE
    variable._uid = next(Variable._uids)
    variable._path = f"{path}/{name}" if path else name
    variable._regularizer = None
    variable._autocast = True
    return variable
