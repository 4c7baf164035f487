"""Keras dtype policies: the dtype a layer keeps its variables in and computes in.

`DTypePolicy("float32")` is the default; `"mixed_float16"` / `"mixed_bfloat16"` keep
variables in float32 and compute in the low precision.
"""

from __future__ import annotations

from kerastorch.framework import dtypes

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
_global_policy = None


class DTypePolicy:
    """The dtype policy of a layer (`keras.DTypePolicy`).

    Args:
        name: a dtype name (`"float32"`, `"float64"`, `"bfloat16"`, …) or
            `"mixed_float16"` / `"mixed_bfloat16"`; None means the global policy.
    """

    def __init__(self, name: str | None = None):
        if name is None:
            name = global_policy().name
        if not isinstance(name, str):
            raise TypeError(f"'name' must be a string, such as 'mixed_float16'. Received: name={name} "
                            f"(of type {type(name)})")
        if name in _MIXED:
            compute, variable = _MIXED[name], "float32"
        else:
            try:
                compute = variable = dtypes.as_dtype(name).name
            except TypeError:
                raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid "
                                 f"policies include 'mixed_float16', 'mixed_bfloat16', and the name of "
                                 f"any float dtype such as 'float32'.") from None
        self._name = name
        self._compute_dtype = compute
        self._variable_dtype = variable

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._variable_dtype

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other._name == self._name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'


def get(identifier) -> DTypePolicy:
    """A DTypePolicy from a policy, a dtype (name or DType), a serialized dict or None."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    if isinstance(identifier, dtypes.DType):
        return DTypePolicy(identifier.name)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    raise ValueError(f"Cannot interpret `dtype` argument. Expected a string or an instance of "
                     f"DTypePolicy. Received: dtype={identifier}")


def serialize(policy: DTypePolicy) -> dict:
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(),
            "registered_name": None}


def set_global_policy(policy) -> None:
    """Sets the policy layers get when they are given no `dtype`."""
    global _global_policy
    _global_policy = None if policy is None else get(policy)


def global_policy() -> DTypePolicy:
    """The policy layers get when they are given no `dtype` (float32 unless set)."""
    global _global_policy
    if _global_policy is None:
        _global_policy = DTypePolicy("float32")
    return _global_policy
