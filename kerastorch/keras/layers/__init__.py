"""`tf.keras.layers`: the built-in layers, re-exported from one module per family."""

from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_layer import Input, InputLayer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.engine.torch_wrapper import TorchModuleWrapper

# isort: split
from kerastorch.keras.layers.core import Dense
