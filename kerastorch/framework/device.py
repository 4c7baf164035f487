"""Device placement: `tf.device` scopes, soft placement and `tf.config` device lists.

A thread-local stack of scopes decides where new tensors live. By default a visible
CUDA GPU is used, as TF does; a scope naming a GPU that does not exist falls back to
the CPU (TF's soft placement).
"""

from __future__ import annotations

import contextlib
import re
import threading
from typing import NamedTuple

import torch

_PREFIX = "/job:localhost/replica:0/task:0/device:"
_SPEC = re.compile(r"(?:^|/)(?:device:)?(CPU|GPU)(?::(\d+))?$", re.IGNORECASE)


class PhysicalDevice(NamedTuple):
    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    name: str
    device_type: str


class _State(threading.local):
    def __init__(self):
        self.device = None  # torch.device of the innermost scope, None = default


_state = _State()
_visible_gpus = None  # None = all CUDA devices; else a list of indices


def _gpu_indices() -> list:
    if not torch.cuda.is_available():
        return []
    every = list(range(torch.cuda.device_count()))
    return every if _visible_gpus is None else [i for i in _visible_gpus if i in every]


_default_cache = []


def default_device() -> torch.device:
    """The device TF would pick without a scope: the first visible GPU, else the CPU."""
    if not _default_cache:
        gpus = _gpu_indices()
        _default_cache.append(torch.device("cuda", gpus[0]) if gpus else torch.device("cpu"))
    return _default_cache[0]


def current() -> torch.device:
    """The torch device new tensors are placed on now."""
    dev = _state.device
    return default_device() if dev is None else dev


def resolve(spec) -> torch.device | None:
    """Maps a TF device string to a torch device, applying soft placement."""
    if spec is None or spec == "":
        return None
    if isinstance(spec, torch.device):
        return spec
    tail = str(spec).split("/device:")[-1] if "/device:" in str(spec) else str(spec)
    match = _SPEC.search(tail.strip())
    if match is None:
        if "/job:" in str(spec) or "/task:" in str(spec) or "/replica:" in str(spec):
            return _state.device
        raise ValueError(f"Invalid device specification: '{spec}'")
    kind, index = match.group(1).upper(), int(match.group(2) or 0)
    if kind == "GPU":
        gpus = _gpu_indices()
        if index < len(gpus):
            return torch.device("cuda", gpus[index])
    return torch.device("cpu")


@contextlib.contextmanager
def device(device_name):
    """`with tf.device('/GPU:0'):` places the tensors created inside on that device.

    Scopes nest and are per thread. An unknown GPU falls back to the CPU, as TF's soft
    placement does; `tf.device(None)` restores the default placement.
    """
    previous = _state.device
    _state.device = resolve(device_name)
    try:
        yield
    finally:
        _state.device = previous


def tf_name(dev: torch.device) -> str:
    """TF's long device name, e.g. `/job:localhost/replica:0/task:0/device:CPU:0`."""
    if dev.type == "cuda":
        gpus = _gpu_indices()
        index = gpus.index(dev.index) if dev.index in gpus else (dev.index or 0)
        return f"{_PREFIX}GPU:{index}"
    return f"{_PREFIX}CPU:0"


def list_physical_devices(device_type=None) -> list:
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if torch.cuda.is_available():
        found += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
                  for i in range(torch.cuda.device_count())]
    return _filter(found, device_type)


def list_logical_devices(device_type=None) -> list:
    found = [LogicalDevice("/device:CPU:0", "CPU")]
    found += [LogicalDevice(f"/device:GPU:{i}", "GPU") for i in range(len(_gpu_indices()))]
    return _filter(found, device_type)


def get_visible_devices(device_type=None) -> list:
    physical = list_physical_devices()
    gpus = _gpu_indices()
    visible = [d for d in physical if d.device_type == "CPU" or int(d.name.rsplit(":", 1)[1]) in gpus]
    return _filter(visible, device_type)


def set_visible_devices(devices, device_type=None) -> None:
    """Limits the GPUs kerastorch places tensors on (CPU is always visible)."""
    global _visible_gpus
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    chosen = [int(d.name.rsplit(":", 1)[1]) for d in devices if d.device_type == "GPU"]
    if device_type is not None and device_type.upper() not in ("GPU", "CPU"):
        raise ValueError(f"Unrecognized device_type: {device_type}")
    if device_type is None or device_type.upper() == "GPU":
        _visible_gpus = chosen
    _default_cache.clear()


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """`tf.test.is_gpu_available`: whether a visible CUDA device exists."""
    gpus = _gpu_indices()
    if not gpus:
        return False
    if min_cuda_compute_capability is None:
        return True
    return any(torch.cuda.get_device_capability(i) >= tuple(min_cuda_compute_capability) for i in gpus)


def gpu_device_name() -> str:
    return "/device:GPU:0" if _gpu_indices() else ""


def _filter(devices, device_type):
    if device_type is None:
        return devices
    return [d for d in devices if d.device_type == device_type.upper()]
