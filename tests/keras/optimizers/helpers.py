"""Small Keras variables with known values for the optimizer tests."""

import numpy as np

from kerastorch.keras.engine.variables import KerasVariable


def make_variable(values, name: str = "w", dtype: str = "float32", **kwargs) -> KerasVariable:
    """A Keras variable at path `layer/<name>`."""
    return KerasVariable(np.asarray(values, dtype=dtype), name=name, path="layer", **kwargs)
