"""`tf.keras`: Keras 3 on PyTorch (layers, and their families)."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    optimizers,
    preprocessing,
    regularizers,
    saving,
    utils,
)
from kerastorch.keras.dtype_policies import DTypePolicy
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_layer import Input
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.engine.symbolic import KerasTensor
from kerastorch.keras.engine.variables import KerasVariable as Variable
from kerastorch.keras.losses import Loss
from kerastorch.keras.metrics.base import Metric
from kerastorch.keras.models import Model, Sequential
from kerastorch.keras.optimizers import Optimizer

__getattr__ = _missing_names("tf.keras", __name__)
