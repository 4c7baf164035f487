"""Preprocessing layers: numeric and image layers on torch, text and lookup layers on numpy strings."""

from kerastorch.keras.layers.preprocessing.augmentation import RandomFlip, RandomRotation, RandomZoom
from kerastorch.keras.layers.preprocessing.categorical import CategoryEncoding, Hashing
from kerastorch.keras.layers.preprocessing.image import CenterCrop, Resizing
from kerastorch.keras.layers.preprocessing.lookups import IntegerLookup, StringLookup
from kerastorch.keras.layers.preprocessing.normalization import Normalization, Rescaling
from kerastorch.keras.layers.preprocessing.text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "CenterCrop", "Hashing", "IntegerLookup", "Normalization", "RandomFlip",
           "RandomRotation", "RandomZoom", "Rescaling", "Resizing", "StringLookup", "TextVectorization"]
