"""kerastorch: TensorFlow/Keras code on PyTorch. `import kerastorch as tf`.

The public `tf.*` names are re-exported here, one block per area; the namespaces
(`tf.math`, `tf.nn`, `tf.linalg`, `tf.random`, `tf.config`, `tf.errors`, `tf.test`) are
modules of their own. `tests/test_public_api.py` pins the set of names.
"""

from kerastorch import config, errors, ops, test
from kerastorch.framework.convert import constant, convert_to_tensor
from kerastorch.framework.device import device
from kerastorch.framework.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
)
from kerastorch.framework.tensor import Tensor
from kerastorch.framework.tensor_shape import TensorShape

# -- arithmetic and comparison (ops/math_ops.py) --
from kerastorch.ops.math_ops import (
    abs,
    add,
    divide,
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    matmul,
    multiply,
    negative,
    not_equal,
    pow,
    subtract,
    truediv,
)

# -- array ops (ops/array_ops.py) --

# -- elementwise, reduction and sorting ops --

# -- nn, random, linalg --

# -- variables, gradient tapes, tf.function --

newaxis = None
__version__ = "0.1.0"
