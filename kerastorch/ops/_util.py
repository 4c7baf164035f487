"""Small helpers shared by the op modules: dtype checks and TF's error wording."""

from __future__ import annotations

import torch

from kerastorch.framework import dtypes
from kerastorch.framework.errors import InvalidArgumentError, NotFoundError, op_error

FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
INEXACT = FLOATS + (torch.complex64, torch.complex128)


def require(raw: torch.Tensor, allowed, op_name: str) -> None:
    """Raises TF's error when `raw`'s dtype is not one an op accepts."""
    if raw.dtype not in allowed:
        dtype = dtypes.from_torch(raw.dtype)
        raise op_error(
            InvalidArgumentError,
            f"Value for attr 'T' of {dtype._legacy} is not in the list of allowed values: "
            + ", ".join(dtypes.from_torch(d)._legacy for d in allowed),
            op_name)


def require_float(raw: torch.Tensor, op_name: str) -> None:
    """Float-only kernels: TF finds no kernel for integer inputs (NotFoundError)."""
    if raw.dtype not in INEXACT:
        dtype = dtypes.from_torch(raw.dtype)
        raise op_error(
            NotFoundError,
            f"Could not find device for node: {{{{node {op_name}}}}} = {op_name}[T=DT_{dtype.name.upper()}]",
            op_name)


def norm_axis(axis, rank: int):
    """A tuple of non-negative axes from TF's `axis` (int, list or tensor); None stays None."""
    if axis is None:
        return None
    if hasattr(axis, "numpy"):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(_one_axis(int(a), rank) for a in axis)
    return (_one_axis(int(axis), rank),)


def _one_axis(a: int, rank: int) -> int:
    if not -max(rank, 1) <= a < max(rank, 1):
        raise op_error(InvalidArgumentError,
                       f"Invalid reduction dimension ({a} for input with {rank} dimension(s)",
                       "Reduce")
    return a % max(rank, 1)
