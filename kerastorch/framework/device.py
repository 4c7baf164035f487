"""Device placement: `tf.device` scopes, soft placement and `tf.config` device lists.

A thread-local stack of scopes decides where new tensors live. By default a visible
CUDA GPU is used, as TF does; a scope naming a device that does not exist (a missing
GPU, a TPU) falls back to the CPU (TF's soft placement).
"""

from __future__ import annotations

import contextlib
import threading
from typing import NamedTuple

import torch

_PREFIX = "/job:localhost/replica:0/task:0/device:"
# Device types TF's spec parser knows by bare name (`/TPU:0`); others need `/device:X:0`.
_KNOWN_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})
cpu = torch.device("cpu")


class PhysicalDevice(NamedTuple):
    """A device of the machine, as listed by `tf.config.list_physical_devices`."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device tensors can be placed on, as listed by `tf.config.list_logical_devices`."""

    name: str
    device_type: str


class _State(threading.local):
    def __init__(self):
        self.device = None  # torch.device of the innermost scope, None = default


_state = _State()
_visible_gpus = None  # None = all CUDA devices; else a list of indices
_default_cache = []


def _gpu_indices() -> list:
    if not torch.cuda.is_available():
        return []
    every = list(range(torch.cuda.device_count()))
    return every if _visible_gpus is None else [i for i in _visible_gpus if i in every]


def default_device() -> torch.device:
    """The device TF would pick without a scope: the first visible GPU, else the CPU."""
    if not _default_cache:
        gpus = _gpu_indices()
        _default_cache.append(torch.device("cuda", gpus[0]) if gpus else cpu)
    return _default_cache[0]


def current() -> torch.device:
    """The torch device new tensors are placed on now."""
    dev = _state.device
    return default_device() if dev is None else dev


def _parse(spec: str):
    """(device type, index) of a TF device string, following TF's DeviceSpec parser."""
    kind = index = None
    for part in spec.split("/"):
        fields = part.split(":")
        if len(fields) == 2 and fields[0] in ("job", "replica", "task"):
            continue
        if len(fields) in (1, 2) and fields[0].upper() in _KNOWN_TYPES:
            named, number = fields[0].upper(), fields[1:]
        elif len(fields) == 3 and fields[0] == "device":
            named, number = fields[1].upper(), fields[2:]
        elif fields[0]:
            raise ValueError(f"Unknown attribute '{fields[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")
        else:
            continue
        if kind is not None:
            raise ValueError(f"Multiple device types are not allowed while parsing the device "
                             f"spec: {spec}.")
        kind = named
        if number and number[0] != "*":
            index = int(number[0])
    return kind, index


def resolve(spec) -> torch.device | None:
    """Maps a TF device string to a torch device, applying soft placement.

    `None` or `""` gives None (the default placement); a spec without a device type
    (`/job:localhost`) keeps the current scope's device.
    """
    if spec is None or spec == "":
        return None
    if isinstance(spec, torch.device):
        return spec
    if isinstance(spec, LogicalDevice):
        spec = spec.name
    if callable(spec):
        raise RuntimeError("tf.device does not support functions.")
    if not isinstance(spec, str):
        raise ValueError(f"Expecting a string device name. Got {type(spec)}({spec})")
    kind, index = _parse(spec)
    if kind is None:
        return _state.device
    if kind == "GPU":
        gpus = _gpu_indices()
        if (index or 0) < len(gpus):
            return torch.device("cuda", gpus[index or 0])
    return cpu


@contextlib.contextmanager
def device(device_name):
    """`with tf.device('/GPU:0'):` places the tensors created inside on that device.

    Scopes nest and are per thread. A device that does not exist falls back to the CPU,
    as TF's soft placement does; `tf.device(None)` restores the default placement.

    Args:
        device_name: a TF device string (`'/GPU:0'`, `'/device:CPU:0'`, `'gpu:1'`), a
            `LogicalDevice`, or None.
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


def list_physical_devices(device_type: str | None = None) -> list:
    """`tf.config.list_physical_devices`: the CPU and every CUDA GPU of the machine.

    Args:
        device_type: `"CPU"` or `"GPU"` (matched exactly, as in TF), or None for all.
    """
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if torch.cuda.is_available():
        found += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
                  for i in range(torch.cuda.device_count())]
    return _filter(found, device_type)


def list_logical_devices(device_type: str | None = None) -> list:
    """`tf.config.list_logical_devices`: the CPU and the visible GPUs."""
    found = [LogicalDevice("/device:CPU:0", "CPU")]
    found += [LogicalDevice(f"/device:GPU:{i}", "GPU") for i in range(len(_gpu_indices()))]
    return _filter(found, device_type)


def get_visible_devices(device_type: str | None = None) -> list:
    """`tf.config.get_visible_devices`: the physical devices kerastorch may use."""
    gpus = _gpu_indices()
    visible = [d for d in list_physical_devices()
               if d.device_type == "CPU" or _index(d) in gpus]
    return _filter(visible, device_type)


def set_visible_devices(devices, device_type: str | None = None) -> None:
    """`tf.config.set_visible_devices`: limits the GPUs kerastorch places tensors on.

    The CPU always stays visible. Only the GPUs among `devices` count; with a
    `device_type` other than None or `"GPU"` the GPU set is left unchanged, as in TF.
    """
    global _visible_gpus
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    if device_type is None or device_type == "GPU":
        _visible_gpus = [_index(d) for d in devices if d.device_type == "GPU"]
        _default_cache.clear()


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """`tf.test.is_gpu_available`: whether a visible CUDA device exists.

    Args:
        cuda_only: accepted for TF compatibility (every torch GPU here is CUDA).
        min_cuda_compute_capability: a `(major, minor)` pair the GPU must reach.
    """
    gpus = _gpu_indices()
    if not gpus:
        return False
    if min_cuda_compute_capability is None:
        return True
    return any(torch.cuda.get_device_capability(i) >= tuple(min_cuda_compute_capability) for i in gpus)


def gpu_device_name() -> str:
    """`tf.test.gpu_device_name`: `'/device:GPU:0'`, or `''` without a visible GPU."""
    return "/device:GPU:0" if _gpu_indices() else ""


def _index(dev) -> int:
    return int(dev.name.rsplit(":", 1)[1])


def _filter(devices, device_type):
    if device_type is None:
        return devices
    return [d for d in devices if d.device_type == device_type]
