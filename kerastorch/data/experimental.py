"""`tf.data.experimental`: the constants again, and `cardinality` as a function."""

from __future__ import annotations

from kerastorch.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from kerastorch.framework.tensor import Tensor

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality"]


def cardinality(dataset: Dataset) -> Tensor:
    """`dataset.cardinality()`: the number of elements, or -1 (infinite) / -2 (unknown)."""
    return dataset.cardinality()
