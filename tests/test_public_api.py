"""The public API is pinned: a name added or lost shows up here, on purpose."""

import types

import pytest

import kerastorch as tf

# tf.* names that are not modules (checked against dir(tensorflow) in TF 2.21 when added).
TOP_LEVEL = {
    'DType', 'GradientTape', 'Tensor', 'TensorShape', 'TensorSpec', 'UnconnectedGradients', 'Variable',
    'VariableAggregation', 'VariableSynchronization', 'abs', 'acos', 'acosh', 'add', 'add_n',
    'argmax', 'argmin', 'argsort', 'as_dtype', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
    'bfloat16', 'bool', 'boolean_mask', 'broadcast_to', 'cast', 'clip_by_global_norm',
    'clip_by_norm', 'clip_by_value', 'complex128', 'complex64', 'concat', 'constant',
    'convert_to_tensor', 'cos', 'cosh', 'cumsum', 'custom_gradient', 'device', 'divide',
    'double', 'einsum', 'equal', 'executing_eagerly', 'exp', 'expand_dims', 'eye', 'fill',
    'float16', 'float32', 'float64', 'floor', 'function', 'gather', 'gather_nd', 'greater',
    'greater_equal', 'half', 'identity', 'install', 'int16', 'int32', 'int64', 'int8', 'is_tensor', 'less',
    'less_equal', 'linspace', 'logical_and', 'logical_not', 'logical_or',
    'matmul', 'maximum', 'minimum', 'multiply', 'negative', 'newaxis', 'norm', 'not_equal',
    'one_hot', 'ones', 'ones_like', 'pad', 'pow', 'range', 'rank', 'realdiv', 'reduce_all',
    'reduce_any', 'reduce_logsumexp', 'reduce_max', 'reduce_mean', 'reduce_min', 'reduce_prod',
    'reduce_sum', 'reshape', 'reverse', 'round', 'scalar_mul', 'shape', 'shape_n', 'sigmoid',
    'sign', 'sin', 'sinh', 'size', 'slice', 'sort', 'split', 'sqrt', 'square', 'squeeze',
    'stack', 'stop_gradient', 'string', 'subtract', 'tan', 'tanh', 'tensordot', 'tile',
    'transpose', 'truediv', 'truncatediv', 'truncatemod', 'uint8', 'unique',
    'unique_with_counts', 'unstack', 'where', 'zeros', 'zeros_like'
}

NAMESPACES = {
    "bitwise": {"bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"},
    "config": {
        'LogicalDevice', 'PhysicalDevice', 'experimental', 'get_visible_devices',
        'list_logical_devices', 'list_physical_devices', 'set_visible_devices', 'threading'
    },
    "data": {"AUTOTUNE", "Dataset", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "experimental"},
    "distribute": {
        'CrossDeviceOps', 'DistributedDataset', 'HierarchicalCopyAllReduce', 'MirroredStrategy',
        'MultiWorkerMirroredStrategy', 'NcclAllReduce', 'OneDeviceStrategy', 'ReduceOp', 'ReductionToOneDevice',
        'ReplicaContext', 'Strategy', 'StrategyExtended', 'experimental', 'get_replica_context', 'get_strategy',
        'has_strategy', 'in_cross_replica_context'
    },
    "nest": {"assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"},
    "dtypes": {
        'DType', 'as_dtype', 'bfloat16', 'bool', 'cast', 'complex128', 'complex64', 'double',
        'float16', 'float32', 'float64', 'half', 'int16', 'int32', 'int64', 'int8', 'string',
        'uint8'
    },
    "errors": {
        'ABORTED', 'ALREADY_EXISTS', 'AbortedError', 'AlreadyExistsError', 'CANCELLED',
        'CancelledError', 'DATA_LOSS', 'DEADLINE_EXCEEDED', 'DataLossError',
        'DeadlineExceededError', 'FAILED_PRECONDITION', 'FailedPreconditionError', 'INTERNAL',
        'INVALID_ARGUMENT', 'InternalError', 'InvalidArgumentError', 'NOT_FOUND', 'NotFoundError',
        'OK', 'OUT_OF_RANGE', 'OpError', 'OperatorNotAllowedInGraphError', 'OutOfRangeError',
        'PERMISSION_DENIED', 'PermissionDeniedError', 'RESOURCE_EXHAUSTED',
        'ResourceExhaustedError', 'UNAUTHENTICATED', 'UNAVAILABLE', 'UNIMPLEMENTED', 'UNKNOWN',
        'UnauthenticatedError', 'UnavailableError', 'UnimplementedError', 'UnknownError'
    },
    "linalg": {
        'adjoint', 'band_part', 'cholesky', 'det', 'diag', 'diag_part', 'eigh', 'eigvalsh', 'eye',
        'inv', 'l2_normalize', 'logdet', 'matmul', 'matrix_transpose', 'norm', 'qr', 'slogdet',
        'solve', 'svd', 'trace', 'triangular_solve'
    },
    "math": {
        'abs', 'acos', 'acosh', 'add', 'add_n', 'argmax', 'argmin', 'asin', 'asinh', 'atan',
        'atan2', 'atanh', 'ceil', 'conj', 'cos', 'cosh', 'count_nonzero', 'cumprod', 'cumsum',
        'cumulative_logsumexp', 'digamma', 'divide', 'divide_no_nan', 'equal', 'erf', 'erfc', 'exp',
        'expm1', 'floor', 'floordiv', 'floormod', 'greater', 'greater_equal', 'imag', 'in_top_k',
        'is_finite', 'is_inf', 'is_nan', 'l2_normalize', 'less', 'less_equal', 'lgamma', 'log',
        'log1p', 'log_sigmoid', 'log_softmax', 'logical_and', 'logical_not', 'logical_or',
        'logical_xor', 'maximum', 'minimum', 'mod', 'multiply', 'multiply_no_nan', 'negative',
        'not_equal', 'pow', 'real', 'reciprocal', 'reciprocal_no_nan', 'reduce_all', 'reduce_any',
        'reduce_euclidean_norm', 'reduce_logsumexp', 'reduce_max', 'reduce_mean', 'reduce_min',
        'reduce_prod', 'reduce_std', 'reduce_sum', 'reduce_variance', 'rint', 'round', 'rsqrt',
        'scalar_mul', 'sigmoid', 'sign', 'sin', 'sinh', 'softmax', 'softplus', 'softsign', 'sqrt',
        'square', 'squared_difference', 'subtract', 'tan', 'tanh', 'top_k', 'truediv', 'xdivy',
        'xlogy'
    },
    "nn": {
        'bias_add', 'dropout', 'elu', 'gelu', 'l2_loss', 'l2_normalize', 'leaky_relu',
        'log_softmax', 'moments', 'relu', 'relu6', 'selu', 'sigmoid',
        'sigmoid_cross_entropy_with_logits', 'silu', 'softmax', 'softmax_cross_entropy_with_logits',
        'softplus', 'softsign', 'sparse_softmax_cross_entropy_with_logits', 'swish', 'tanh'
    },
    "random": {
        'Generator', 'categorical', 'get_global_generator', 'normal', 'set_global_generator',
        'set_seed', 'shuffle', 'truncated_normal', 'uniform'
    },
    "test": {
        'gpu_device_name', 'is_built_with_cuda', 'is_built_with_gpu_support', 'is_built_with_rocm',
        'is_built_with_xla', 'is_gpu_available'
    },
}


def test_top_level_names():
    public = {n for n in dir(tf) if not n.startswith("_") and not isinstance(getattr(tf, n), types.ModuleType)}
    assert public == TOP_LEVEL


def test_namespaces_are_modules():
    for name in NAMESPACES:
        assert isinstance(getattr(tf, name), types.ModuleType), name


@pytest.mark.parametrize("namespace", sorted(NAMESPACES), ids=str)
def test_namespace_names(namespace):
    module = getattr(tf, namespace)
    assert set(module.__all__) == NAMESPACES[namespace]
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_shared_objects_are_the_same():
    """Names TF exposes in several places are one object, as in TF."""
    assert tf.math.reduce_sum is tf.reduce_sum
    assert tf.nn.sigmoid is tf.math.sigmoid is tf.sigmoid
    assert tf.linalg.norm is tf.norm
    assert tf.linalg.matmul is tf.matmul
    assert tf.dtypes.float32 is tf.float32
