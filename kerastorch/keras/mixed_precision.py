"""`keras.mixed_precision`: float16 / bfloat16 computation with float32 variables.

`set_global_policy("mixed_bfloat16")` (or `"mixed_float16"`) makes the layers created
afterwards compute in the low precision and keep float32 weights; one layer can have its
own policy (`Dense(10, dtype="float32")`, the usual way to get a float32 model output,
which Keras does not do by itself). With `"mixed_float16"`, `Model.compile` wraps the
optimizer in a `LossScaleOptimizer` (dynamic loss scaling against float16 gradient
underflow) unless `auto_scale_loss=False`.

Example:
    >>> tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
    >>> model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
    >>> model(tf.ones((1, 4))).dtype, model.layers[0].kernel.dtype
    (tf.bfloat16, tf.float32)
    >>> tf.keras.mixed_precision.set_global_policy("float32")
"""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.dtype_policies import DTypePolicy, set_global_policy
from kerastorch.keras.dtype_policies import global_policy as dtype_policy
from kerastorch.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_dtype_policy = set_global_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy", "set_dtype_policy",
           "set_global_policy"]

__getattr__ = _missing_names("tf.keras.mixed_precision", __name__)
