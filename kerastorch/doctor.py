"""`kerastorch doctor`: what kerastorch runs on here.

The report lists the versions of kerastorch and the libraries it builds on, the devices
torch sees, where kerastorch places tensors by default (the first visible CUDA GPU, as
TF does, else the CPU), and what `import tensorflow` / `import keras` resolve to under
`kerastorch run` and outside it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import sys
from collections.abc import Mapping

import torch

import kerastorch
from kerastorch.framework import device as _device

_LIBRARIES = ("torch", "numpy", "h5py", "tabulate")


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _versions() -> list:
    lines = [f"kerastorch  {kerastorch.__version__} ({os.path.dirname(kerastorch.__file__)})",
             f"Python      {platform.python_version()} ({sys.executable})"]
    lines += [f"{name:<11} {_version(name)}" for name in _LIBRARIES]
    cuda = torch.version.cuda
    cudnn = torch.backends.cudnn.version() if cuda else None
    lines.append(f"torch build {'CUDA ' + cuda if cuda else 'CPU only (no CUDA support)'}"
                 + (f", cuDNN {cudnn}" if cudnn else ""))
    return lines


def _devices() -> list:
    lines = ["CPU:0       " + (platform.processor() or platform.machine()) + f", {os.cpu_count()} logical cores"]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            lines.append(f"GPU:{i:<7} {props.name} ({props.total_memory / 2**30:.1f} GiB, "
                         f"compute capability {props.major}.{props.minor})")
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        lines.append(f"CUDA_VISIBLE_DEVICES={visible!r}")
    default = _device.default_device()
    if default.type == "cuda":
        lines.append(f"Default     {_device.tf_name(default)}: CUDA is used by default")
    else:
        why = "torch was built without CUDA" if not torch.version.cuda else "no CUDA device is visible"
        lines.append(f"Default     {_device.tf_name(default)}: CUDA is not used ({why})")
    return lines


def _origin(module: str) -> str:
    """The file a kerastorch module is loaded from."""
    spec = importlib.util.find_spec(module)
    return spec.origin or spec.name


def _plain_origin(name: str) -> str:
    """Where plain python finds top-level module `name`, ignoring `kerastorch run`'s aliases."""
    for finder in sys.meta_path:
        if type(finder).__module__ == "kerastorch.cli":
            continue
        find_spec = getattr(finder, "find_spec", None)
        spec = find_spec(name, None) if find_spec else None
        if spec is not None:
            return spec.origin or spec.name
    return "not installed"


def _imports(aliases: Mapping[str, str]) -> list:
    lines = ["under `kerastorch run`:"]
    lines += [f"  import {alias:<10} -> {target} ({_origin(target)})" for alias, target in aliases.items()]
    lines.append("outside it (plain python):")
    lines += [f"  import {alias:<10} -> {_plain_origin(alias)}" for alias in aliases]
    return lines


def report(aliases: Mapping[str, str]) -> str:
    """The doctor's report as text.

    Args:
        aliases: the top-level module names `kerastorch run` maps to kerastorch modules
            (`{"tensorflow": "kerastorch", "keras": "kerastorch.keras"}`).
    """
    sections = (("Versions", _versions()), ("Devices", _devices()), ("Imports", _imports(aliases)))
    return "\n\n".join(title + "\n" + "\n".join("  " + line for line in lines) for title, lines in sections)
