"""`tf.keras.preprocessing.sequence`: `pad_sequences` (the same function as `keras.utils`')."""

from kerastorch.keras.utils.sequence_padding import pad_sequences

__all__ = ["pad_sequences"]
