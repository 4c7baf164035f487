"""`keras.utils`: helpers for Keras programs."""

from kerastorch.keras.utils.random import set_random_seed

__all__ = ["set_random_seed"]
