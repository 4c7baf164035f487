"""`keras.backend`: the few backend-level calls Keras code makes."""

from __future__ import annotations

import torch

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import dtype_policies
from kerastorch.keras.engine import naming


def clear_session(free_memory: bool = True) -> None:
    """Resets layer name counters (`dense`, `dense_1`, … start again) and the global dtype
    policy (it follows `floatx()` again), and frees cached memory."""
    naming.reset()
    dtype_policies.reset_global_policy()
    if free_memory and torch.cuda.is_available():
        torch.cuda.empty_cache()


def backend() -> str:
    """The name of the backend running Keras: kerastorch runs it on torch."""
    return "torch"


def floatx() -> str:
    """The default float dtype name."""
    return "float32"


def epsilon() -> float:
    """Keras's fuzz factor."""
    return 1e-7


__all__ = ["backend", "clear_session", "epsilon", "floatx"]

__getattr__ = _missing_names("tf.keras.backend", __name__)
