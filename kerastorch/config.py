"""`tf.config`: the devices kerastorch sees and places tensors on, and torch's threads.

`tf.config.experimental` holds the GPU set-up calls scripts make before building a
model (`set_memory_growth`); torch's caching allocator always grows on demand, so the
setting is recorded and reported back but changes nothing.
"""

from __future__ import annotations

import types

import torch

from kerastorch._missing import missing_names as _missing_names
from kerastorch.framework.device import (
    LogicalDevice,
    PhysicalDevice,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_visible_devices,
)

_memory_growth = {}
_threads = {"inter": 0, "intra": 0}


def set_memory_growth(device: PhysicalDevice, enable: bool) -> None:
    """`tf.config.experimental.set_memory_growth`: only GPUs accept it, as in TF."""
    if device.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    _memory_growth[device] = bool(enable)


def get_memory_growth(device: PhysicalDevice) -> bool:
    """`tf.config.experimental.get_memory_growth`: what `set_memory_growth` recorded."""
    if device.device_type != "GPU":
        raise KeyError(device)
    return _memory_growth.get(device, False)


def get_inter_op_parallelism_threads() -> int:
    """Threads for running independent ops in parallel (0: the system's choice)."""
    return _threads["inter"]


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Sets torch's inter-op thread pool size (possible only before parallel work starts)."""
    if num_threads:
        try:
            torch.set_num_interop_threads(num_threads)
        except RuntimeError:
            raise RuntimeError("Inter op parallelism cannot be modified after initialization.") from None
    _threads["inter"] = num_threads


def get_intra_op_parallelism_threads() -> int:
    """Threads used inside one op (0: the system's choice)."""
    return _threads["intra"]


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Sets the number of threads torch uses inside one op (`torch.set_num_threads`)."""
    if num_threads:
        torch.set_num_threads(num_threads)
    _threads["intra"] = num_threads


def _namespace(name: str, doc: str, **members) -> types.ModuleType:
    module = types.ModuleType(f"{__name__}.{name}", doc)
    module.__dict__.update(members)
    return module


experimental = _namespace(
    "experimental", "`tf.config.experimental`: memory growth and the device lists.",
    set_memory_growth=set_memory_growth, get_memory_growth=get_memory_growth,
    list_physical_devices=list_physical_devices, list_logical_devices=list_logical_devices,
    get_visible_devices=get_visible_devices, set_visible_devices=set_visible_devices)
threading = _namespace(
    "threading", "`tf.config.threading`: torch's inter-op and intra-op thread counts.",
    get_inter_op_parallelism_threads=get_inter_op_parallelism_threads,
    set_inter_op_parallelism_threads=set_inter_op_parallelism_threads,
    get_intra_op_parallelism_threads=get_intra_op_parallelism_threads,
    set_intra_op_parallelism_threads=set_intra_op_parallelism_threads)

__all__ = [
    "LogicalDevice", "PhysicalDevice", "experimental", "get_visible_devices", "list_logical_devices",
    "list_physical_devices", "set_visible_devices", "threading",
]

__getattr__ = _missing_names("tf.config", __name__)
