"""`tf.test`: the device and build queries TF test code uses."""

import torch

from kerastorch._missing import missing_names as _missing_names
from kerastorch.framework.device import gpu_device_name, is_gpu_available


def is_built_with_cuda() -> bool:
    """Whether the installed torch was built with CUDA support."""
    return torch.version.cuda is not None


def is_built_with_rocm() -> bool:
    """Whether the installed torch was built with ROCm (HIP) support."""
    return torch.version.hip is not None


def is_built_with_gpu_support() -> bool:
    """Whether the installed torch can use a GPU at all (CUDA or ROCm)."""
    return is_built_with_cuda() or is_built_with_rocm()


def is_built_with_xla() -> bool:
    """Always False: kerastorch runs on torch, not on XLA."""
    return False


__all__ = ["gpu_device_name", "is_built_with_cuda", "is_built_with_gpu_support", "is_built_with_rocm",
           "is_built_with_xla", "is_gpu_available"]

__getattr__ = _missing_names("tf.test", __name__)
