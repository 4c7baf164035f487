"""`keras.utils.set_random_seed`: one call seeds every source of randomness."""

from __future__ import annotations

import random

import numpy as np

from kerastorch.ops import random_ops


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, numpy and kerastorch's random ops (TF's `tf.random.set_seed`).

    Args:
        seed: a non-negative integer.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type "
                         f"{type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    random_ops.set_seed(seed)
