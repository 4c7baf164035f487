"""`keras.config`: process-wide Keras settings (image layout, float type, fuzz factor, safety)."""

from __future__ import annotations

from kerastorch.framework import dtypes
from kerastorch.keras import dtype_policies


class _Settings:
    image_data_format = "channels_last"
    floatx = "float32"
    epsilon = 1e-7
    unsafe_deserialization = False


_settings = _Settings()


def image_data_format() -> str:
    """`"channels_last"` (the default) or `"channels_first"`: the layout image layers assume."""
    return _settings.image_data_format


def set_image_data_format(data_format: str) -> None:
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. "
                         f"Received: data_format={data_format}")
    _settings.image_data_format = value


def floatx() -> str:
    """The default float dtype name (`"float32"`)."""
    return _settings.floatx


def set_floatx(value: str) -> None:
    name = dtypes.as_dtype(value).name
    if name not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {{'float16', 'bfloat16', 'float32', "
                         f"'float64'}}")
    _settings.floatx = name


def epsilon() -> float:
    """Keras's fuzz factor (1e-7)."""
    return _settings.epsilon


def set_epsilon(value: float) -> None:
    _settings.epsilon = float(value)


def enable_unsafe_deserialization() -> None:
    """Lets loading rebuild serialized Python lambdas (trusted files only)."""
    _settings.unsafe_deserialization = True


def is_unsafe_deserialization_enabled() -> bool:
    return _settings.unsafe_deserialization


def standardize_data_format(data_format) -> str:
    """A layer's `data_format` argument: None means `image_data_format()`."""
    if data_format is None:
        return image_data_format()
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. "
                         f"Received: data_format={value}")
    return value


# Keras 3's names for the global dtype policy.
dtype_policy = dtype_policies.global_policy
set_dtype_policy = dtype_policies.set_global_policy

__all__ = ["dtype_policy", "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format",
           "set_dtype_policy", "set_epsilon", "set_floatx", "set_image_data_format"]
