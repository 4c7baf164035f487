"""`tf.data`: input pipelines (`tf.data.Dataset`) whose elements are kerastorch Tensors."""

from kerastorch.data import experimental
from kerastorch.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset

__all__ = ["AUTOTUNE", "Dataset", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "experimental"]
