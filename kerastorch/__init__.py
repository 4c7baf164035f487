"""kerastorch: TensorFlow/Keras code on PyTorch. `import kerastorch as tf`.

The public `tf.*` names are re-exported here, one block per area; the namespaces
(`tf.math`, `tf.nn`, `tf.linalg`, `tf.random`, `tf.config`, `tf.errors`, `tf.test`) are
modules of their own. `tests/test_public_api.py` pins the set of names.
"""

from kerastorch import config, errors, ops, test
from kerastorch._missing import missing_names as _missing_names
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
from kerastorch.framework.tensor_spec import TensorSpec

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
    matmul,
    multiply,
    negative,
    not_equal,
    pow,
    subtract,
    truediv,
)

# -- array ops (ops/array_ops.py) --
# isort: split
from kerastorch.ops.array_ops import (
    cast,
    eye,
    fill,
    identity,
    linspace,
    ones,
    ones_like,
    range,
    rank,
    shape,
    shape_n,
    size,
    zeros,
    zeros_like,
)
from kerastorch.ops.gather_ops import boolean_mask, gather, gather_nd, one_hot, where
from kerastorch.ops.join_ops import concat, split, stack, unstack
from kerastorch.ops.shape_ops import (
    broadcast_to,
    expand_dims,
    pad,
    reshape,
    reverse,
    slice,
    squeeze,
    tile,
    transpose,
)

# -- elementwise, reduction and sorting ops --
# isort: split
from kerastorch import math
from kerastorch.ops.elementwise_ops import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    clip_by_global_norm,
    clip_by_norm,
    clip_by_value,
    cos,
    cosh,
    exp,
    floor,
    maximum,
    minimum,
    realdiv,
    round,
    scalar_mul,
    sigmoid,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    tan,
    tanh,
)
from kerastorch.ops.math_ops import einsum, tensordot, truncatediv, truncatemod
from kerastorch.ops.reduction_ops import (
    add_n,
    argmax,
    argmin,
    cumsum,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from kerastorch.ops.sort_ops import argsort, sort, unique, unique_with_counts

# -- nn, random, linalg --
# isort: split
from kerastorch import linalg, nn, random
from kerastorch.ops.linalg_ops import norm

# isort: split

# -- variables, gradient tapes, tf.function --
from kerastorch.framework.function import custom_gradient, executing_eagerly, function
from kerastorch.framework.tape import GradientTape, UnconnectedGradients, stop_gradient
from kerastorch.framework.variable import Variable, VariableAggregation, VariableSynchronization

# isort: split

# -- namespaces and small helpers --
from kerastorch import bitwise, data, distribute, dtypes, nest
from kerastorch.framework.tensor import is_tensor

# isort: split

# -- tf.keras (imported last: it builds on everything above) --
from kerastorch import keras
from kerastorch.cli import install

newaxis = None
__version__ = "0.1.0"

__getattr__ = _missing_names("tf", __name__)
