"""`keras.dtype_policies`: the dtype a layer keeps its variables in and computes in.

`DTypePolicy("float32")` is the default; `"mixed_float16"` / `"mixed_bfloat16"` keep
variables in float32 and compute in the low precision: a layer casts its floating inputs
to the compute dtype and reads its variables in it during its call (see
`engine/base_layer.py` and `engine/variables.py`), so torch runs float16/bfloat16 kernels
while the optimizer updates float32 weights.

The global policy (`set_global_policy`, `keras.mixed_precision`) is what layers created
without a `dtype` get.
"""

from __future__ import annotations

from kerastorch.framework import dtypes
from kerastorch.keras import _serialization as ser

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
_global_policy = None


@ser.keras_export("keras.DTypePolicy", "keras.dtype_policies.DTypePolicy", "keras.mixed_precision.DTypePolicy",
                  "keras.mixed_precision.Policy")
class DTypePolicy:
    """The dtype policy of a layer (`keras.DTypePolicy`, `keras.mixed_precision.Policy`).

    Args:
        name: a dtype name (`"float32"`, `"float64"`, `"bfloat16"`, …) or
            `"mixed_float16"` / `"mixed_bfloat16"` (float32 variables, float16 /
            bfloat16 compute); None means the global policy's name.

    Example:
        >>> policy = tf.keras.DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
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
        """The dtype layers compute in (and cast their floating inputs and variables to)."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype layers create their variables in."""
        return self._variable_dtype

    @property
    def quantization_mode(self) -> None:
        """None: kerastorch has no quantized policies."""
        return None

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __eq__(self, other) -> bool:
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'


@ser.keras_export("keras.dtype_policies.FloatDTypePolicy")
class FloatDTypePolicy(DTypePolicy):
    """Keras's other name for `DTypePolicy` (it serializes under its own class name)."""


_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy,
            "Policy": DTypePolicy}  # "Policy": tf.keras 2's files


@ser.keras_export("keras.dtype_policies.get")
def get(identifier) -> DTypePolicy:
    """A DTypePolicy from a policy, a dtype (name or DType), a serialized dict or None (the global policy)."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, dtypes.DType):
        return DTypePolicy(identifier.name)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    raise ValueError(f"Cannot interpret `dtype` argument. Expected a string or an instance of "
                     f"DTypePolicy. Received: dtype={identifier}")


@ser.keras_export("keras.dtype_policies.serialize")
def serialize(policy: DTypePolicy) -> dict:
    """The config dict of a policy (`{'module': 'keras', 'class_name': 'DTypePolicy', …}`)."""
    return {"module": "keras", "class_name": type(policy).__name__, "config": policy.get_config(),
            "registered_name": None}


@ser.keras_export("keras.dtype_policies.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> DTypePolicy:
    """The policy a config dict describes (also tf.keras 2's `{"class_name": "Policy", …}`)."""
    class_name = config.get("class_name", "DTypePolicy")
    if class_name not in _CLASSES:
        if custom_objects and class_name in custom_objects:
            return custom_objects[class_name].from_config(config["config"])
        raise ValueError(f"kerastorch does not support the dtype policy '{class_name}' (quantized policies "
                         f"are not available). Received: config={config}")
    return _CLASSES[class_name].from_config(config.get("config", config))


def set_global_policy(policy) -> None:
    """Sets the policy layers get when they are given no `dtype` (`keras.mixed_precision.set_global_policy`).

    Args:
        policy: a policy name (`"mixed_float16"`, `"mixed_bfloat16"`, `"float32"`, …) or a DTypePolicy.

    Example:
        >>> tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
        >>> tf.keras.layers.Dense(2).compute_dtype
        'bfloat16'
        >>> tf.keras.mixed_precision.set_global_policy("float32")
    """
    global _global_policy
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    elif not isinstance(policy, DTypePolicy):
        raise ValueError(f"Invalid `policy` argument. Expected the string name of a policy (such as "
                         f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy} "
                         f"(of type {type(policy)})")
    _global_policy = policy


def reset_global_policy() -> None:
    """Forgets the global policy: the next query makes it from `keras.config.floatx()` (as
    Keras's `clear_session` does)."""
    global _global_policy
    _global_policy = None


def global_policy() -> DTypePolicy:
    """The policy layers get when they are given no `dtype` (float32 unless set)."""
    global _global_policy
    if _global_policy is None:
        from kerastorch.keras import config

        _global_policy = DTypePolicy(config.floatx())
    return _global_policy


__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]
