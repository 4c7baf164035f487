"""Nested structures of call arguments and outputs (tensors in tuples, lists, dicts)."""

from __future__ import annotations

import torch


def map(fn, structure):  # noqa: A001 -- the tree-utility name
    """`fn` applied to every leaf, keeping lists, tuples (named too) and dicts."""
    kind = type(structure)
    if kind is list:
        return [map(fn, x) for x in structure]
    if kind is tuple:
        return tuple(map(fn, x) for x in structure)
    if kind is dict:
        return {k: map(fn, v) for k, v in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return kind(*(map(fn, x) for x in structure))
    return fn(structure)


def flatten(structure) -> list:
    """The leaves in order (dicts by insertion order)."""
    kind = type(structure)
    if kind is list or kind is tuple or (isinstance(structure, tuple) and hasattr(structure, "_fields")):
        return [leaf for x in structure for leaf in flatten(x)]
    if kind is dict:
        return [leaf for v in structure.values() for leaf in flatten(v)]
    return [structure]


def pack_like(structure, leaves: list):
    """`structure` with its leaves replaced, in order, by `leaves`."""
    it = iter(leaves)
    return map(lambda _: next(it), structure)


def any_torch(structure) -> bool:
    """Whether a leaf is a plain torch tensor (a plain-PyTorch caller)."""
    return any(isinstance(leaf, torch.Tensor) for leaf in flatten(structure))
