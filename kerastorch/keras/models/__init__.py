"""`keras.models`: Model (functional or subclassed) and Sequential."""

from kerastorch.keras.models.functional import Functional
from kerastorch.keras.models.model import Model
from kerastorch.keras.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
