"""`tf.*` functions on KerasTensors: a Keras 3 operation where one computes the same, else `TFOpLambda`.

Keras 3 refuses TF functions on KerasTensors. Keras 2 recorded each call as a `TFOpLambda`
layer (config `function`: the TF API name without `tf.`, such as `concat` or
`math.reduce_sum`; the call's tensors and constants in its node) and `tensor[...]` as a
`SlicingOpLambda`. kerastorch records a call as the Keras 3 operation that computes the
same where there is one (`tf.concat` -> `Concatenate`, `tf.reduce_sum` -> `Sum`), so the
model loads in Keras 3 too, and any other call as a `TFOpLambda`, which only kerastorch
(and Keras 2) reads. Configs with Keras 2's `TFOpLambda` and `SlicingOpLambda` load here.
"""

from __future__ import annotations

import inspect
import sys

from kerastorch.framework import dtypes
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine import naming, symbolic_ops
from kerastorch.keras.engine.symbolic import KerasTensor

# Sub-namespaces first: a function's API name is its first name here (`math.reduce_sum`).
_API_ORDER = ("kerastorch.math", "kerastorch.nn", "kerastorch.linalg", "kerastorch", "kerastorch.bitwise",
              "kerastorch.dtypes", "kerastorch.random")
_api = {}  # TF API name -> op function
_names = {}  # op function -> its API name


def _operators() -> dict:
    """Keras 2's names for TF's tensor operators (`tf.__operators__.add`, …)."""
    import kerastorch as tf

    def add(x, y, name=None):
        return x + y

    def getitem(tensor, slice_spec, var=None):
        return tensor[slice_spec]

    def eq(self, other):  # TF's parameter names: Keras 2 passes them by keyword
        return tf.equal(self, other)

    def ne(self, other):
        return tf.not_equal(self, other)

    return {"__operators__.add": add, "__operators__.getitem": getitem, "__operators__.eq": eq,
            "__operators__.ne": ne}


def api_functions() -> dict:
    """Every public TF op function by API name (`concat`, `math.reduce_sum`, `nn.relu`)."""
    if not _api:
        for module_name in _API_ORDER:
            module = sys.modules.get(module_name)
            prefix = module_name.partition(".")[2]
            for name, value in (vars(module) if module else {}).items():
                op = getattr(value, "__wrapped_op__", value)
                if name.startswith("_") or not callable(op) or isinstance(op, type) or not symbolic_ops.is_op(op):
                    continue
                api_name = f"{prefix}.{name}" if prefix else name
                _api[api_name] = op
                _names.setdefault(op, api_name)
        _api.update(_operators())
    return _api


def _resolve(function: str):
    found = api_functions().get(function) if isinstance(function, str) else None
    if found is None:
        raise ValueError(f"Unknown TF function in a TFOpLambda layer: tf.{function}. Received: "
                         f"function={function!r}")
    return found


@ser.register_keras_serializable(package="kerastorch")
class TFOpLambda(symbolic_ops.OperationLayer):
    """A TF function (`tf.concat`, `tf.math.reduce_sum`) called on KerasTensors, as Keras 2's layer.

    Args:
        function: the function's TF API name without `tf.` (`"concat"`, `"math.reduce_sum"`).
        name: the layer's name; default the function's own name made unique (`reduce_sum_1`).
    """

    def __init__(self, function: str, name: str | None = None, **kwargs):
        fn = _resolve(function)
        super().__init__(name=name or naming.unique_name(function.rpartition(".")[2]), **kwargs)
        self.function = function
        self._fn = fn
        if "mask" in inspect.signature(fn).parameters:
            self._engine_arguments = ("training",)  # `tf.boolean_mask(tensor, mask=...)` takes its own

    def call(self, *args, **kwargs):
        return self._fn(*args, **self._call_arguments(kwargs))

    def get_config(self) -> dict:
        return {**super().get_config(), "function": self.function}


@ser.register_keras_serializable(package="kerastorch")
class SlicingOpLambda(TFOpLambda):
    """Keras 2's layer for `tensor[...]` on KerasTensors (read from Keras 2 configs).

    Args:
        function: `"__operators__.getitem"`.
        name: the layer's name.
    """

    def call(self, *args, **kwargs):
        kwargs = self._call_arguments(kwargs)
        if "slice_spec" in kwargs:
            kwargs["slice_spec"] = _keras2_slices(kwargs["slice_spec"])
        return self._fn(*args, **kwargs)


def _keras2_slices(spec):
    """Keras 2's JSON slice spec: slices as `{start, stop, step}`, `...` as `{'class_name': '__ellipsis__'}`."""
    if isinstance(spec, dict):
        if spec.get("class_name") == "__ellipsis__":
            return Ellipsis
        if set(spec) == {"start", "stop", "step"}:
            return slice(spec["start"], spec["stop"], spec["step"])
    if isinstance(spec, (list, tuple)):
        return tuple(_keras2_slices(s) for s in spec)
    return spec


# -- tf.* calls on KerasTensors ------------------------------------------------------------------

_UNARY = {"exp": "Exp", "math.log": "Log", "sqrt": "Sqrt", "square": "Square", "abs": "Absolute",
          "negative": "Negative", "math.sin": "Sin", "math.cos": "Cos", "math.tan": "Tan", "tanh": "Tanh",
          "math.floor": "Floor", "math.ceil": "Ceil", "math.sign": "Sign", "math.reciprocal": "Reciprocal",
          "math.log1p": "Log1p", "math.expm1": "Expm1", "math.logical_not": "LogicalNot", "math.round": "Round",
          "sigmoid": "Sigmoid", "nn.relu": "Relu", "nn.relu6": "Relu6", "nn.softplus": "Softplus",
          "nn.silu": "Silu", "nn.elu": "Elu", "stop_gradient": "StopGradient"}
_BINARY = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "divide": "TrueDivide",
           "math.truediv": "TrueDivide", "math.floordiv": "FloorDivide", "math.floormod": "Mod", "pow": "Power",
           "maximum": "Maximum", "minimum": "Minimum", "equal": "Equal", "not_equal": "NotEqual",
           "greater": "Greater", "greater_equal": "GreaterEqual", "less": "Less", "less_equal": "LessEqual",
           "math.logical_and": "LogicalAnd", "math.logical_or": "LogicalOr", "linalg.matmul": "Matmul"}
_REDUCE = {"axis": "axis", "keepdims": "keepdims"}
# TF API name -> (Keras class, how many leading parameters are its call's arguments,
# {Keras config key: TF parameter}); the TF function's other parameters must keep their defaults.
_TO_KERAS = {
    **{api: (cls, 1, {}) for api, cls in _UNARY.items()},
    **{api: (cls, 2, {}) for api, cls in _BINARY.items()},
    "where": ("Where", 3, {}),
    "concat": ("Concatenate", 1, {"axis": "axis"}),
    "stack": ("Stack", 1, {"axis": "axis"}),
    "split": ("Split", 1, {"indices_or_sections": "num_or_size_splits", "axis": "axis"}),
    "reshape": ("Reshape", 1, {"newshape": "shape"}),
    "transpose": ("Transpose", 1, {"axes": "perm"}),
    "expand_dims": ("ExpandDims", 1, {"axis": "axis"}),
    "squeeze": ("Squeeze", 1, {"axis": "axis"}),
    "tile": ("Tile", 1, {"repeats": "multiples"}),
    "cast": ("Cast", 1, {"dtype": "dtype"}),
    "ones_like": ("OnesLike", 1, {"dtype": "dtype"}),
    "zeros_like": ("ZerosLike", 1, {"dtype": "dtype"}),
    "clip_by_value": ("Clip", 1, {"x_min": "clip_value_min", "x_max": "clip_value_max"}),
    "math.cumsum": ("Cumsum", 1, {"axis": "axis"}),
    "math.reduce_sum": ("Sum", 1, _REDUCE),
    "math.reduce_mean": ("Mean", 1, _REDUCE),
    "math.reduce_max": ("Max", 1, _REDUCE),
    "math.reduce_min": ("Min", 1, _REDUCE),
    "math.reduce_prod": ("Prod", 1, _REDUCE),
    "math.reduce_std": ("Std", 1, _REDUCE),
    "math.reduce_variance": ("Var", 1, _REDUCE),
    "nn.softmax": ("Softmax", 1, {"axis": "axis"}),
    "nn.log_softmax": ("LogSoftmax", 1, {"axis": "axis"}),
    "nn.gelu": ("Gelu", 1, {"approximate": "approximate"}),
    "nn.leaky_relu": ("LeakyRelu", 1, {"negative_slope": "alpha"}),
}
_FLOATS_ONLY = {"TrueDivide", "Mean"}  # TF keeps integers (or gives float64) where Keras gives float32
_by_function = {}


def record_tf_call(fn, args, kwargs):
    """The output KerasTensor(s) of `fn(*args, **kwargs)`, a TF op function called on KerasTensors."""
    mapped = _as_keras_operation(fn, args, kwargs)
    if mapped is not None:
        class_name, op_args, config = mapped
        return symbolic_ops.record(class_name, op_args, config=config)
    api_functions()
    return TFOpLambda(_names[fn])(*args, **kwargs)


def _as_keras_operation(fn, args, kwargs):
    """(Keras class, call arguments, config) of the Keras operation computing `fn(*args, **kwargs)`, else None."""
    if not _by_function:
        functions = api_functions()
        _by_function.update({functions[api]: entry for api, entry in _TO_KERAS.items() if api in functions})
    entry = _by_function.get(fn)
    if entry is None:
        return None
    class_name, count, config_map = entry
    signature = inspect.signature(fn)
    parameters = signature.parameters
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    values = bound.arguments
    names = list(parameters)
    op_args = [values[name] for name in names[:count]]
    for name in names[count:]:
        if name != "name" and name not in config_map.values() and not _is_default(values[name], parameters[name]):
            return None
    config = {key: symbolic_ops.config_value(values[param]) for key, param in config_map.items()}
    if not _accepts(class_name, op_args, config):
        return None
    return class_name, op_args, config


def _is_default(value, parameter) -> bool:
    default = parameter.default
    return value is default or (type(value) is type(default) and isinstance(value, (bool, int, float, str))
                                and value == default)


def _accepts(class_name: str, op_args: list, config: dict) -> bool:
    """Whether the Keras operation computes what the TF function does for these arguments."""
    if any(value is None for value in op_args) or not all(_json_plain(v) for v in config.values()):
        return False
    if class_name in _FLOATS_ONLY:
        return all(dtypes.as_dtype(x.dtype).is_floating for x in op_args if isinstance(x, KerasTensor))
    if class_name in ("Softmax", "LogSoftmax") and config["axis"] is None:
        config["axis"] = -1
    if class_name == "Split":
        return isinstance(config["indices_or_sections"], int)  # TF's sizes are not numpy's split points
    return True


def _json_plain(value) -> bool:
    if isinstance(value, list):
        return all(_json_plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))
