"""What an optimizer step works on: torch tensors grouped by device and dtype, and host scalars.

A `Plan` is made once per list of variables (the optimizer caches it by the variables'
identities). Each `Group` holds the Parameters of one device and dtype with their
optimizer slots; the plan adds the flat lists gradient accumulation, weight decay and
constraints need. A step then hands each group its gradients and runs torch's foreach
ops: no per-variable Python work.

`HostScalar` keeps the iteration counter and the learning rate on the host, so the step
computes its coefficients (bias corrections, schedules) in Python without reading the
device.
"""

from __future__ import annotations

import numpy as np
import torch

from kerastorch.keras.constraints import raw_constraint

# Keras computes an update's scalar coefficients in the variable's dtype; the step does too.
_SCALARS = {torch.float16: np.float16, torch.float32: np.float32, torch.float64: np.float64}


class HostScalar:
    """A host copy of a scalar variable, read from the device only after an outside write.

    The optimizer writes the variable in place through `add` and keeps the copy in step;
    any other write (`optimizer.iterations.assign(…)`, loading weights) bumps the
    Parameter's version counter, which `get` notices.
    """

    __slots__ = ("_variable", "_value", "_version")

    def __init__(self, variable, value):
        self._variable = variable
        self._value = value
        self._version = variable._param._version

    def get(self):
        """The value (read from the device only if written from outside since the last call)."""
        param = self._variable._param
        if param._version != self._version:
            self._value = param.item()
            self._version = param._version
        return self._value

    def add(self, delta) -> None:
        """Adds `delta` to the variable and the copy."""
        value = self.get() + delta
        param = self._variable._param
        param.add_(delta)
        self._value = value
        self._version = param._version

    def set(self, value) -> None:
        """Writes `value` (already rounded to the variable's dtype) to the variable and the copy."""
        param = self._variable._param
        param.fill_(value)
        self._value = value
        self._version = param._version


class Group:
    """The variables of one device and dtype, as torch tensors.

    Attributes:
        positions: where their gradients are in the step's gradient list.
        variables: the Keras variables.
        params: their Parameters.
        slots: one list per kind of optimizer slot (`_slot_lists()` order), aligned with `params`.
        scalar: the numpy scalar type coefficients are computed in (bfloat16: float32).
    """

    __slots__ = ("positions", "variables", "params", "slots", "scalar")

    def __init__(self, positions, variables, params, slots):
        self.positions = positions
        self.variables = variables
        self.params = params
        self.slots = slots
        self.scalar = _SCALARS.get(params[0].dtype, np.float32)


class Plan:
    """The step's view of one list of variables.

    Attributes:
        variables: the list (kept so the identities it was cached under stay valid).
        params: their Parameters, in order.
        groups: the `Group`s; `single` when there is one holding everything in order.
        decayed: the Parameters weight decay applies to.
        accumulators: the gradient accumulators, aligned with `params` (or None).
        constraints: `(param, projection)` pairs of the constrained variables.
    """

    __slots__ = ("variables", "params", "groups", "single", "decayed", "accumulators", "constraints")

    def __init__(self, optimizer, variables: list):
        indices = [optimizer._get_variable_index(v) for v in variables]
        slot_lists = optimizer._slot_lists()
        self.variables = variables
        self.params = [v._param for v in variables]
        by_kind = {}
        for position, param in enumerate(self.params):
            by_kind.setdefault((param.device, param.dtype), []).append(position)
        self.groups = [
            Group(positions, [variables[p] for p in positions], [self.params[p] for p in positions],
                  [[slots[indices[p]]._param for p in positions] for slots in slot_lists])
            for positions in by_kind.values()
        ]
        self.single = len(self.groups) == 1
        self.decayed = [p for v, p in zip(variables, self.params) if optimizer._use_weight_decay(v)]
        accumulators = getattr(optimizer, "_accumulated_gradients", None)
        self.accumulators = [accumulators[i]._param for i in indices] if accumulators else None
        self.constraints = [(p, raw_constraint(v.constraint)) for v, p in zip(variables, self.params)
                            if v.constraint is not None]

    def split(self, grads: list) -> list:
        """The gradients of each group (they have their variables' device and dtype)."""
        if self.single:
            return [grads]
        return [[grads[p] for p in g.positions] for g in self.groups]
