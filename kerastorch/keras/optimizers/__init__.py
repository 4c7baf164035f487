"""`tf.keras.optimizers`: Keras 3's optimizers and learning-rate schedules, on torch foreach ops.

Each optimizer has the public Keras face (`apply_gradients`, `apply`, `variables`,
`get_config`, …) over one raw entry point for the training loop,
`optimizer.apply_raw(grads, variables)` on torch tensors (see `base.py`).
"""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.optimizers import legacy, schedules
from kerastorch.keras.optimizers.adafactor import Adafactor
from kerastorch.keras.optimizers.adam import Adam, Adamax, AdamW, Lamb, Nadam
from kerastorch.keras.optimizers.base import Optimizer
from kerastorch.keras.optimizers.ftrl import Ftrl
from kerastorch.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerastorch.keras.optimizers.registry import deserialize, get, serialize
from kerastorch.keras.optimizers.rmsprop import Adadelta, Adagrad, RMSprop
from kerastorch.keras.optimizers.sgd import SGD, Lion

__all__ = ["Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
           "LossScaleOptimizer", "Nadam", "Optimizer", "RMSprop", "SGD", "deserialize", "get", "legacy", "schedules",
           "serialize"]

__getattr__ = _missing_names("tf.keras.optimizers", __name__)
