"""`keras.models`: Model (functional or subclassed) and Sequential, cloning and JSON."""

from kerastorch.keras.models.cloning import clone_model, model_from_json
from kerastorch.keras.models.functional import Functional
from kerastorch.keras.models.model import Model
from kerastorch.keras.models.sequential import Sequential

__all__ = ["Model", "Sequential", "clone_model", "model_from_json"]
