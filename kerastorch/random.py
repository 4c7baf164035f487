"""`tf.random`: random tensors, the global seed and `Generator` streams."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.ops.random_ops import (
    Generator,
    categorical,
    get_global_generator,
    normal,
    set_global_generator,
    set_seed,
    shuffle,
    truncated_normal,
    uniform,
)

__all__ = [
    "Generator", "categorical", "get_global_generator", "normal", "set_global_generator", "set_seed",
    "shuffle", "truncated_normal", "uniform",
]

__getattr__ = _missing_names("tf.random", __name__)
