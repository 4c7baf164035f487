"""`keras.models`: Model (functional or subclassed) and Sequential, cloning, JSON and files."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.models.cloning import clone_model, model_from_json
from kerastorch.keras.models.functional import Functional
from kerastorch.keras.models.model import Model
from kerastorch.keras.models.sequential import Sequential
from kerastorch.keras.saving.saving_api import load_model, save_model

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]

__getattr__ = _missing_names("tf.keras.models", __name__)
