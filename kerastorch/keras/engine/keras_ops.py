"""Keras 3's operations (`keras.ops`) that functional model configs hold, computed with torch.

Keras 3 writes an operation used in a functional model as a node of its own: `class_name`
(`NotEqual`), `module` (`keras.src.ops.numpy`), the operation's constructor arguments as
`config` (`Sum`: `axis`, `keepdims`; `Cast`: `dtype`) and, in the node, the tensors and
constants it was called with (`[tensor, 0]`). `OPS` maps every class name kerastorch
replays to its module, a function of the call's arguments and the config on torch
tensors, and the config's keys with their defaults. The functions follow Keras's argument
names and dtype rules: Python numbers take the tensor's dtype (`int32 + 1.5` is float32),
`int / int` and float functions of ints are float32, reductions keep integer dtypes,
`argmax` gives int32.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 -- torch's own spelling

from kerastorch.framework import dtypes
from kerastorch.framework.tensor import wrap
from kerastorch.keras.engine import nest

NUMPY, CORE, NN = "keras.src.ops.numpy", "keras.src.ops.core", "keras.src.ops.nn"
REQUIRED = object()  # a config key the operation's constructor requires


class OpSpec(NamedTuple):
    """One Keras operation: its module, its function and its config keys with defaults."""

    module: str
    fn: Callable
    config: dict


# -- operands ------------------------------------------------------------------------------

def _tensor(value, like: torch.Tensor | None = None) -> torch.Tensor:
    """A constant as a tensor: Python and numpy 64-bit numbers become Keras's int32 / float32."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in value):
        return torch.stack([_tensor(v, like) for v in value])
    array = np.asarray(value)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    elif array.dtype == np.int64:
        array = array.astype(np.int32)
    return torch.as_tensor(array, device=None if like is None else like.device)


def _pair(x1, x2) -> tuple:
    """Both operands as tensors of one dtype; a Python number is weakly typed (it takes the
    tensor's dtype unless it needs a wider kind: `int32 + 1.5` is float32)."""
    first = isinstance(x1, torch.Tensor)
    ref, other = (x1, x2) if first else (x2, x1)
    if isinstance(other, (bool, int, float)) and isinstance(ref, torch.Tensor):
        dtype = torch.result_type(ref, other)
        if dtype is torch.int64 and ref.dtype is not torch.int64:
            dtype = torch.int32  # Keras's default integer, where torch would pick int64
        other = torch.tensor(other, dtype=dtype, device=ref.device)
    else:
        ref = _tensor(ref, other if isinstance(other, torch.Tensor) else None)
        other = _tensor(other, ref)
        dtype = torch.promote_types(ref.dtype, other.dtype)
    ref, other = ref.to(dtype), other.to(dtype)
    return (ref, other) if first else (other, ref)


def _same_dtype(xs) -> list:
    tensors = [_tensor(x) for x in xs]
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return [t.to(dtype) for t in tensors]


def _floating(x) -> torch.Tensor:
    x = _tensor(x)
    return x if x.is_floating_point() else x.to(torch.float32)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _torch_dtype(dtype):
    return None if dtype is None else dtypes.as_dtype(dtype)._torch


def _binary(torch_fn) -> Callable:
    def binary(x1, x2):
        return torch_fn(*_pair(x1, x2))

    return binary


def _unary(torch_fn, floats: bool = False) -> Callable:
    def unary(x):
        return torch_fn(_floating(x) if floats else _tensor(x))

    return unary


# -- functions with arguments --------------------------------------------------------------

def get_item(x, key):
    """`x[key]` with TF's indexing (negative steps included); a list key reads as a tuple, as
    Keras reads the key a config stores as a JSON list."""
    key = tuple(key) if isinstance(key, list) else key
    return wrap(x)[nest.map(lambda k: wrap(k) if isinstance(k, torch.Tensor) else k, key)]._t


def _reduce(torch_fn, floats: bool = False):
    def reduce(x, axis=None, keepdims=False):
        x = _floating(x) if floats else _tensor(x)
        dtype = None
        if not floats and not x.is_floating_point():
            dtype = torch.int32 if x.dtype is torch.bool else x.dtype  # torch would widen to int64
        dims = tuple(range(x.ndim)) if axis is None else _axis(axis)
        return torch_fn(x, dim=dims, keepdim=keepdims, dtype=dtype)

    return reduce


def _extreme(torch_fn, pick):
    def extreme(x, axis=None, keepdims=False, initial=None):
        out = torch_fn(x, dim=() if axis is None else _axis(axis), keepdim=keepdims)
        return out if initial is None else pick(*_pair(out, initial))

    return extreme


def _prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _torch_dtype(dtype) or (x.dtype if not x.dtype.is_floating_point and x.dtype is not torch.bool
                                    else None)
    axes = range(x.ndim) if axis is None else [axis] if isinstance(axis, int) else axis
    for a in sorted((a % x.ndim for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=dtype)
    return x


def _arg(torch_fn):
    def arg(x, axis=None, keepdims=False):
        if axis is None:
            out = torch_fn(x.reshape(-1))
            return out.reshape([1] * x.ndim if keepdims else []).to(torch.int32)
        return torch_fn(x, dim=axis, keepdim=keepdims).to(torch.int32)

    return arg


def _moment(root: bool):
    """The (population) variance, or with `root` the standard deviation."""

    def moment(x, axis=None, keepdims=False):
        x = _floating(x)
        dims = tuple(range(x.ndim)) if axis is None else _axis(axis)
        var = torch.var(x, dim=dims, keepdim=keepdims, correction=0)
        return torch.sqrt(var) if root else var

    return moment


def _expand_dims(x, axis):
    axes = [axis] if isinstance(axis, int) else list(axis)
    ndim = x.ndim + len(axes)
    for a in sorted(a % ndim for a in axes):
        x = x.unsqueeze(a)
    return x


def _squeeze(x, axis=None):
    return torch.squeeze(x) if axis is None else torch.squeeze(x, _axis(axis))


def _transpose(x, axes=None):
    return x.permute(*(reversed(range(x.ndim)) if axes is None else axes))


def _clip(x, x_min, x_max):
    x = _tensor(x)
    dtype = torch.int32 if x.dtype is torch.bool else x.dtype
    return torch.clamp(x.to(dtype), x_min, x_max).to(dtype)


def _where(condition, x1=None, x2=None):
    if x1 is None or x2 is None:
        raise ValueError("kerastorch replays `where` only with both `x1` and `x2` given. "
                         f"Received: x1={x1}, x2={x2}")
    return torch.where(_tensor(condition).to(torch.bool), *_pair(x1, x2))


def _round(x, decimals=0):
    return torch.round(x, decimals=decimals) if x.is_floating_point() else x


def _cumsum(x, axis=None, dtype=None):
    x = x.reshape(-1) if axis is None else x
    dtype = _torch_dtype(dtype) or (x.dtype if not x.dtype.is_floating_point and x.dtype is not torch.bool
                                    else None)
    return torch.cumsum(x, dim=0 if axis is None else axis, dtype=dtype)


def _like(fill: float):
    def like(x, dtype=None):
        return torch.full_like(x, fill, dtype=_torch_dtype(dtype))

    return like


def _softmax(torch_fn):
    def softmax(x, axis=-1):
        return torch_fn(_floating(x), dim=axis)

    return softmax


_SHAPE = {"axis": 0}
_REDUCE = {"axis": None, "keepdims": False}

OPS = {
    # numpy: operators and elementwise functions of two tensors (or a tensor and a constant)
    **{name: OpSpec(NUMPY, _binary(fn), {}) for name, fn in {
        "Add": torch.add, "Subtract": torch.subtract, "Multiply": torch.multiply, "Divide": torch.true_divide,
        "TrueDivide": torch.true_divide, "FloorDivide": torch.floor_divide, "Mod": torch.remainder,
        "Power": torch.pow, "Matmul": torch.matmul, "Maximum": torch.maximum, "Minimum": torch.minimum,
        "Equal": torch.eq, "NotEqual": torch.ne, "Greater": torch.gt, "GreaterEqual": torch.ge, "Less": torch.lt,
        "LessEqual": torch.le, "LogicalAnd": torch.logical_and, "LogicalOr": torch.logical_or,
        "LogicalXor": torch.logical_xor}.items()},
    # numpy: functions of one tensor (`floats`: ints become float32 first, as in Keras)
    **{name: OpSpec(NUMPY, _unary(fn, floats), {}) for name, (fn, floats) in {
        "Negative": (torch.negative, False), "Absolute": (torch.abs, False), "Abs": (torch.abs, False),
        "Square": (torch.square, False), "Sign": (torch.sign, False), "LogicalNot": (torch.logical_not, False),
        "Exp": (torch.exp, True), "Expm1": (torch.expm1, True), "Log": (torch.log, True),
        "Log1p": (torch.log1p, True), "Sqrt": (torch.sqrt, True), "Reciprocal": (torch.reciprocal, True),
        "Sin": (torch.sin, True), "Cos": (torch.cos, True), "Tan": (torch.tan, True), "Tanh": (torch.tanh, True),
        "Floor": (torch.floor, True), "Ceil": (torch.ceil, True)}.items()},
    "GetItem": OpSpec(NUMPY, get_item, {}),
    "Round": OpSpec(NUMPY, _round, {"decimals": 0}),
    "Concatenate": OpSpec(NUMPY, lambda xs, axis=0: torch.cat(_same_dtype(xs), dim=axis), _SHAPE),
    "Stack": OpSpec(NUMPY, lambda x, axis=0: torch.stack(_same_dtype(x), dim=axis), _SHAPE),
    "Split": OpSpec(NUMPY, lambda x, indices_or_sections, axis=0: list(torch.tensor_split(
        x, indices_or_sections, dim=axis)), {"indices_or_sections": REQUIRED, **_SHAPE}),
    "Reshape": OpSpec(NUMPY, lambda x, newshape: torch.reshape(x, _axis(newshape) if not isinstance(
        newshape, int) else (newshape,)), {"newshape": REQUIRED}),
    "Transpose": OpSpec(NUMPY, _transpose, {"axes": None}),
    "ExpandDims": OpSpec(NUMPY, _expand_dims, {"axis": REQUIRED}),
    "Squeeze": OpSpec(NUMPY, _squeeze, {"axis": None}),
    "Tile": OpSpec(NUMPY, lambda x, repeats: torch.tile(x, (repeats,) if isinstance(repeats, int) else tuple(
        repeats)), {"repeats": REQUIRED}),
    "Flip": OpSpec(NUMPY, lambda x, axis=None: torch.flip(x, tuple(range(x.ndim)) if axis is None else (
        (axis,) if isinstance(axis, int) else tuple(axis))), {"axis": None}),
    "Sum": OpSpec(NUMPY, _reduce(torch.sum), _REDUCE),
    "Mean": OpSpec(NUMPY, _reduce(lambda x, dim, keepdim, dtype: torch.mean(x, dim=dim, keepdim=keepdim),
                                  floats=True), _REDUCE),
    "Max": OpSpec(NUMPY, _extreme(torch.amax, torch.maximum), {**_REDUCE, "initial": None}),
    "Min": OpSpec(NUMPY, _extreme(torch.amin, torch.minimum), {**_REDUCE, "initial": None}),
    "Prod": OpSpec(NUMPY, _prod, {**_REDUCE, "dtype": None}),
    "Var": OpSpec(NUMPY, _moment(False), _REDUCE),
    "Std": OpSpec(NUMPY, _moment(True), _REDUCE),
    "Argmax": OpSpec(NUMPY, _arg(torch.argmax), _REDUCE),
    "Argmin": OpSpec(NUMPY, _arg(torch.argmin), _REDUCE),
    "Cumsum": OpSpec(NUMPY, _cumsum, {"axis": None, "dtype": None}),
    "Clip": OpSpec(NUMPY, _clip, {"x_min": REQUIRED, "x_max": REQUIRED}),
    "Where": OpSpec(NUMPY, _where, {}),
    "Einsum": OpSpec(NUMPY, lambda *operands, subscripts: torch.einsum(subscripts, *_same_dtype(operands)),
                     {"subscripts": REQUIRED}),
    "ZerosLike": OpSpec(NUMPY, _like(0), {"dtype": None}),
    "OnesLike": OpSpec(NUMPY, _like(1), {"dtype": None}),
    # core
    "Cast": OpSpec(CORE, lambda x, dtype: x.to(_torch_dtype(dtype)), {"dtype": REQUIRED}),
    "StopGradient": OpSpec(CORE, lambda variable: variable.detach(), {}),
    # nn
    "Relu": OpSpec(NN, _unary(torch.relu), {}),
    "Relu6": OpSpec(NN, _unary(lambda x: torch.clamp(x, 0, 6)), {}),
    "Sigmoid": OpSpec(NN, _unary(torch.sigmoid, floats=True), {}),
    "HardSigmoid": OpSpec(NN, _unary(F.hardsigmoid, floats=True), {}),
    "Softplus": OpSpec(NN, _unary(F.softplus, floats=True), {}),
    "Silu": OpSpec(NN, _unary(F.silu, floats=True), {}),
    "Gelu": OpSpec(NN, lambda x, approximate=True: F.gelu(_floating(x), approximate="tanh" if approximate
                                                          else "none"), {"approximate": True}),
    "Elu": OpSpec(NN, lambda x, alpha=1.0: F.elu(_floating(x), alpha=alpha), {"alpha": 1.0}),
    "LeakyRelu": OpSpec(NN, lambda x, negative_slope=0.2: F.leaky_relu(_floating(x), negative_slope),
                        {"negative_slope": 0.2}),
    "Softmax": OpSpec(NN, _softmax(torch.softmax), {"axis": -1}),
    "LogSoftmax": OpSpec(NN, _softmax(torch.log_softmax), {"axis": -1}),
}
