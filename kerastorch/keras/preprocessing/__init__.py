"""`tf.keras.preprocessing`: the Keras 2 location of the data helpers (only `sequence` so far)."""

from kerastorch.keras.preprocessing import sequence

__all__ = ["sequence"]
