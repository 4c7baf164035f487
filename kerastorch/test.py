"""`tf.test`: the device queries TF test code uses."""

from kerastorch.framework.device import gpu_device_name, is_gpu_available


def is_built_with_cuda() -> bool:
    """Whether the installed torch was built with CUDA support."""
    import torch

    return torch.version.cuda is not None


__all__ = ["gpu_device_name", "is_built_with_cuda", "is_gpu_available"]
