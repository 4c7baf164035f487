"""What the families of tensor functions (regularizers, constraints) share.

A family member is called on kerastorch tensors; the engine calls it on torch tensors
through the family's `raw_*` entry point. Built-in members compute on torch tensors
(`_raw`) and wrap only at the public boundary; anything else (a user subclass
overriding `__call__`, a plain function) is called on the facade.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch

from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.keras import _serialization as ser


class Builtin:
    """Mixin of a family's built-in members: `_raw(x)` computes on torch tensors."""

    def __call__(self, x) -> Tensor:
        return wrap(self._raw(unwrap(x)))

    def _raw(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def call_raw(member: Callable, x: torch.Tensor) -> torch.Tensor:
    """`member(x)` on a torch tensor: `_raw` for a built-in, else through the facade."""
    if type(member).__call__ is Builtin.__call__:
        return member._raw(x)
    return unwrap(member(wrap(x))).to(device=x.device, dtype=x.dtype)


def raw_function(member: Callable, base: type) -> Callable[[torch.Tensor], torch.Tensor]:
    """The torch-tensor form of a family member (an instance of `base`) or of a plain function."""
    if isinstance(member, base):
        return member.raw
    return lambda x: call_raw(member, x)


def get(identifier, kind: str, table: dict):
    """A member from None, a name (a new default instance), a config dict, a class or a callable.

    Args:
        identifier: what to resolve.
        kind: the family's name in the error (`"regularizer"`, `"constraint"`).
        table: the family's `{name: class or function}` (its `ALL_OBJECTS_DICT`).
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = ser.deserialize_keras_object(identifier, module_objects=table)
    elif isinstance(identifier, str):
        obj = table.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ser.get_error(kind, identifier)
