"""`tf.nn`: activations, dropout, moments, normalization and the logit losses.

Each op is one funnel pass: `unwrap` -> one fused torch call -> `wrap`. The losses use
torch's fused, numerically stable kernels (`cross_entropy`,
`binary_cross_entropy_with_logits`), which compute the same formulas as TF's.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch.framework import dtypes
from kerastorch.framework.convert import dtype_mismatch, operands, unwrap
from kerastorch.framework.errors import InvalidArgumentError, UnimplementedError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.ops import random_ops
from kerastorch.ops._util import FLOAT_COMPLEX, FLOATS, NUMBER, OpDef, norm_axis, reduction_opdef

# The ops whose dtype checks these functions make, with TF's allowed types (in TF's
# order, as its messages list them) and signatures.
_HALF_FLOAT = "half, bfloat16, float, double"
_FEATURES = "features:T -> activations:T"
_RELU = OpDef("Relu", "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, "
              "uint64, qint8", _FEATURES)
_RELU6 = OpDef("Relu6", "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, "
               "uint64", _FEATURES)
_ELU = OpDef("Elu", _HALF_FLOAT, _FEATURES)
_SELU = OpDef("Selu", _HALF_FLOAT, _FEATURES)
_SOFTPLUS = OpDef("Softplus", _HALF_FLOAT, _FEATURES)
_SOFTSIGN = OpDef("Softsign", _HALF_FLOAT, _FEATURES)
_SIGMOID = OpDef("Sigmoid", FLOAT_COMPLEX)
_LEAKY_RELU = OpDef("LeakyRelu", _HALF_FLOAT, _FEATURES, "attr=alpha:float,default=0.2; {T}")
_SOFTMAX = OpDef("Softmax", _HALF_FLOAT, "logits:T -> softmax:T")
_LOG_SOFTMAX = OpDef("LogSoftmax", _HALF_FLOAT, "logits:T -> logsoftmax:T")
_MEAN = reduction_opdef("Mean")
_L2_LOSS = OpDef("L2Loss", _HALF_FLOAT, "t:T -> output:T")
_BIAS_ADD = OpDef("BiasAdd", NUMBER, "value:T, bias:T -> output:T",
                  '{T}; attr=data_format:string,default="NHWC",allowed=["NHWC", "NCHW"]')
_EXP = OpDef("Exp", FLOAT_COMPLEX)
_SOFTMAX_CE = OpDef("SoftmaxCrossEntropyWithLogits", _HALF_FLOAT, "features:T, labels:T -> loss:T, backprop:T")
_SPARSE_SOFTMAX_CE = OpDef("SparseSoftmaxCrossEntropyWithLogits", _HALF_FLOAT,
                           "features:T, labels:Tlabels -> loss:T, backprop:T",
                           "{T}; attr=Tlabels:type,default=DT_INT64,allowed=[DT_INT32, DT_INT64]")
_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
_HALF = (torch.float16, torch.bfloat16)


def relu(features, name=None) -> Tensor:
    """`max(features, 0)` elementwise; integers are accepted."""
    raw = unwrap(features)
    _RELU.check(raw)
    return wrap(torch.relu(raw))


def relu6(features, name=None) -> Tensor:
    """`min(max(features, 0), 6)` elementwise; integers are accepted."""
    raw = unwrap(features)
    _RELU6.check(raw)
    # F.relu6 has TF's gradient (0 at both corners); clamp's is 1 there.
    return wrap(F.relu6(raw) if raw.is_floating_point() else torch.clamp(raw, 0, 6))


def elu(features, name=None) -> Tensor:
    """Exponential linear unit: `x` for `x > 0`, else `exp(x) - 1`."""
    raw = unwrap(features)
    _ELU.check(raw)
    return wrap(F.elu(raw))


def selu(features, name=None) -> Tensor:
    """Scaled exponential linear unit (Klambauer et al., 2017)."""
    raw = unwrap(features)
    _SELU.check(raw)
    # Composed rather than F.selu, whose gradient at 0 is scale*alpha; TF's is scale.
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    return wrap(scale * torch.where(raw >= 0, raw, alpha * torch.expm1(raw)))


def gelu(features, approximate: bool = False, name=None) -> Tensor:
    """Gaussian error linear unit; `approximate=True` uses the tanh approximation.

    Args:
        features: a floating point tensor.
        approximate: whether to use `0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))`.
    """
    raw = unwrap(features)
    if raw.dtype not in FLOATS:
        raise ValueError("`features.dtype` must be a floating point tensor."
                         f"Received:features.dtype={dtypes.from_torch(raw.dtype)}")
    return wrap(F.gelu(raw, approximate="tanh" if approximate else "none"))


def softplus(features, name=None) -> Tensor:
    """`log(exp(features) + 1)`, computed without overflow."""
    raw = unwrap(features)
    _SOFTPLUS.check(raw)
    return wrap(F.softplus(raw))


def softsign(features, name=None) -> Tensor:
    """`features / (abs(features) + 1)`."""
    raw = unwrap(features)
    _SOFTSIGN.check(raw)
    return wrap(F.softsign(raw))


def swish(features, beta=1.0) -> Tensor:
    """`features * sigmoid(beta * features)` (also called SiLU).

    Args:
        features: a floating point tensor.
        beta: the slope of the sigmoid gate.
    """
    raw = unwrap(features)
    _SIGMOID.check(raw)
    if type(beta) in (int, float) and beta == 1:
        return wrap(F.silu(raw))
    return wrap(raw * torch.sigmoid(raw * _scalar_or_raw(beta, raw)))


silu = swish


def leaky_relu(features, alpha=0.2, name=None) -> Tensor:
    """`features` where positive, else `alpha * features`; integers become float32.

    Args:
        features: a numeric tensor.
        alpha: the slope for negative inputs.
    """
    raw = unwrap(features)
    if raw.dtype in _INTEGERS:
        raw = raw.to(torch.float32)
    _LEAKY_RELU.check(raw)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    return wrap(F.leaky_relu(raw, float(alpha)))


def softmax(logits, axis=None, name=None) -> Tensor:
    """`exp(logits) / sum(exp(logits), axis)`, computed stably.

    Args:
        logits: a floating point tensor of rank >= 1.
        axis: the axis to normalize over (default: the last).
    """
    raw = unwrap(logits)
    return wrap(torch.softmax(raw, _softmax_axis(raw, axis, _SOFTMAX)))


def log_softmax(logits, axis=None, name=None) -> Tensor:
    """`logits - log(sum(exp(logits), axis))`, computed stably.

    Args:
        logits: a floating point tensor of rank >= 1.
        axis: the axis to normalize over (default: the last).
    """
    raw = unwrap(logits)
    return wrap(torch.log_softmax(raw, _softmax_axis(raw, axis, _LOG_SOFTMAX)))


def _softmax_axis(raw, axis, op: OpDef) -> int:
    op.check(raw)
    op_name = op.name
    if raw.ndim == 0:
        raise op_error(InvalidArgumentError, "logits must have >= 1 dimension, got []", op_name)
    if axis is None:
        return -1
    axis = int(axis)
    if not -raw.ndim <= axis < raw.ndim:
        raise InvalidArgumentError(
            None, None, f"`dim` must be in the range [{-raw.ndim}, {raw.ndim}) where {raw.ndim} is "
            f"the number of dimensions in the input. Received: dim={axis}")
    return axis


def dropout(x, rate, noise_shape=None, seed=None, name=None) -> Tensor:
    """Zeroes elements with probability `rate` and scales the others by `1 / (1 - rate)`.

    Args:
        x: a floating point tensor.
        rate: the drop probability, a float in `[0, 1)` or a scalar tensor.
        noise_shape: the shape of the keep/drop mask, broadcast against `x`; `None`
            entries take `x`'s dimension.
        seed: an op-level seed (see `tf.random.set_seed`).
    """
    is_number = isinstance(rate, numbers.Real)
    if is_number and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    raw = unwrap(x)
    if raw.dtype not in FLOATS:
        raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype={dtypes.from_torch(raw.dtype)}")
    gen = random_ops.generator(seed, raw.device)
    if is_number and rate == 0:
        return wrap(raw)
    if is_number:
        scaled = raw * (1 / (1 - rate))
    elif isinstance(rate, TensorLike):
        rate = _rate_tensor(rate, raw.dtype)
        scaled = raw / (1 - rate)
    else:
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    shape = raw.shape if noise_shape is None else _noise_shape(noise_shape, raw.shape)
    keep = torch.rand(shape, generator=gen, dtype=raw.dtype, device=raw.device) >= rate
    if shape != raw.shape:
        _check_broadcast(keep, raw)
    return wrap(torch.where(keep, scaled, torch.zeros((), dtype=raw.dtype, device=raw.device)))


def _rate_tensor(rate, dtype) -> torch.Tensor:
    if rate.shape.rank != 0:
        raise ValueError(f"Shape {rate.shape} must have rank 0")
    if rate.dtype._torch is not dtype:
        raise ValueError("`x.dtype` must be compatible with `rate.dtype`. Received: "
                         f"x.dtype={dtypes.from_torch(dtype)} and rate.dtype={rate.dtype}")
    return rate._t


def _noise_shape(noise_shape, x_shape) -> tuple:
    if isinstance(noise_shape, TensorLike):
        noise_shape = noise_shape.numpy().tolist()
    dims = list(noise_shape)
    if len(dims) == len(x_shape):
        dims = [x if d is None else d for d, x in zip(dims, x_shape)]
    return tuple(int(d) for d in dims)


def _check_broadcast(keep, raw) -> None:
    if not _broadcastable(keep.shape, raw.shape):
        cond = ",".join(str(d) for d in keep.shape)
        then = ",".join(str(d) for d in raw.shape)
        raise op_error(InvalidArgumentError,
                       f"condition [{cond}], then [{then}], and else [] must be broadcastable",
                       "SelectV2")


def _broadcastable(a, b) -> bool:
    # Checked here: torch.broadcast_shapes takes half a second to raise the first time.
    return all(x == y or x == 1 or y == 1 for x, y in zip(reversed(a), reversed(b)))


def moments(x, axes, shift=None, keepdims: bool = False, name=None):
    """The mean and variance of `x` over `axes`, as a `(mean, variance)` tuple.

    Args:
        x: a numeric tensor; float16 is computed in float32, integers with integer
            (truncating) division as TF does.
        axes: the axes to reduce (an int or a list; `None` reduces all).
        shift: unused, as in TF.
        keepdims: keep the reduced axes with length 1.
    """
    raw = unwrap(x)
    dims = norm_axis(axes, raw.ndim)
    if dims == ():
        return wrap(raw), wrap(torch.zeros_like(raw))
    if raw.dtype in FLOATS or raw.is_complex():
        y = raw.float() if raw.dtype is torch.float16 else raw
        variance, mean = torch.var_mean(y, dim=dims, correction=0, keepdim=keepdims)
        return wrap(mean.to(raw.dtype)), wrap(variance.to(raw.dtype))
    _MEAN.check(raw)
    count = raw.numel() if dims is None else math.prod(raw.shape[d] for d in dims)
    mean = torch.div(torch.sum(raw, dim=dims, keepdim=True), count, rounding_mode="trunc")
    squares = torch.square(raw - mean)
    variance = torch.div(torch.sum(squares, dim=dims, keepdim=keepdims), count, rounding_mode="trunc")
    if not keepdims:
        mean = mean.squeeze(dims) if dims is not None else mean.reshape(())
    return wrap(mean.to(raw.dtype)), wrap(variance.to(raw.dtype))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None) -> Tensor:
    """`x / sqrt(max(sum(x**2, axis), epsilon))`, with TF's formula (and gradients).

    Args:
        x: a floating point or complex tensor.
        axis: the axis or axes to normalize over (`None`: all).
        epsilon: lower bound of the squared norm (so zeros stay zeros).
        dim: deprecated alias of `axis`.
    """
    raw = unwrap(x)
    if axis is None:
        axis = dim
    if raw.dtype not in FLOATS and not raw.is_complex():
        raise TypeError(f"Cannot convert {epsilon!r} to EagerTensor of dtype "
                        f"{dtypes.from_torch(raw.dtype).name}")
    dims = norm_axis(axis, raw.ndim)
    squares = (raw * raw.conj()).real if raw.is_complex() else torch.square(raw)
    square_sum = torch.sum(squares, dim=dims, keepdim=True)
    return wrap(raw * torch.rsqrt(torch.clamp_min(square_sum, epsilon)))


def l2_loss(t, name=None) -> Tensor:
    """`sum(t ** 2) / 2`, a scalar."""
    raw = unwrap(t)
    _L2_LOSS.check(raw)
    return wrap(torch.sum(torch.square(raw)) * 0.5)


def bias_add(value, bias, data_format=None, name=None) -> Tensor:
    """Adds the 1-D `bias` along the channel axis of `value`.

    Args:
        value: a tensor of rank >= 2.
        bias: a 1-D tensor with as many elements as `value` has channels.
        data_format: `"N...C"` (channels last, the default) or `"NC..."`.
    """
    channels_first = False
    if data_format is not None:
        if data_format.startswith("NC"):
            channels_first = True
        elif not (data_format.startswith("N") and data_format.endswith("C")):
            raise ValueError("`data_format` must be of the form `N...C` or `NC...`. "
                             f"Received: data_format={data_format}")
    a, b = operands(value, bias, "BiasAdd")
    if not isinstance(b, torch.Tensor):
        b = torch.tensor(b, dtype=a.dtype, device=a.device)
    _BIAS_ADD.check(a)
    if a.ndim < 2:
        raise op_error(InvalidArgumentError, f"Input tensor must be at least 2D: {_dims(a)}", "BiasAdd")
    if b.ndim != 1:
        raise op_error(InvalidArgumentError, f"Biases must be 1D: {_dims(b)}", "BiasAdd")
    channel = 1 if channels_first else -1
    if a.shape[channel] != b.shape[0]:
        raise op_error(InvalidArgumentError,
                       "Must provide as many biases as the last dimension of the input tensor: "
                       f"{_dims(b)} vs. {_dims(a)}", "BiasAdd")
    if channels_first and a.ndim > 2:
        b = b.reshape((-1,) + (1,) * (a.ndim - 2))
    return wrap(torch.add(a, b))


def _dims(raw) -> str:
    return "[" + ",".join(str(d) for d in raw.shape) + "]"


def _scalar_or_raw(value, like):
    if isinstance(value, (int, float)):
        return value
    return unwrap(value, dtypes.from_torch(like.dtype))


# -- losses on logits -------------------------------------------------------------------

def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """Elementwise logistic loss `max(x, 0) - x * z + log(1 + exp(-abs(x)))`.

    Args:
        labels: targets `z` in `[0, 1]`, same shape and dtype as `logits`.
        logits: unscaled log-odds `x`.
    """
    _require_both("sigmoid_cross_entropy_with_logits", labels, logits)
    z = unwrap(labels)
    x = unwrap(logits)
    if z.shape != x.shape:
        raise ValueError("`logits` and `labels` must have the same shape, received "
                         f"({TensorShape(x.shape)} vs {TensorShape(z.shape)}).")
    if z.dtype is not x.dtype:
        raise dtype_mismatch("Mul", x.dtype, z.dtype)
    _EXP.check(x)
    return wrap(F.binary_cross_entropy_with_logits(x, z, reduction="none"))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None) -> Tensor:
    """Cross entropy between the distributions `labels` and `softmax(logits)` along `axis`.

    Args:
        labels: a probability distribution along `axis` (cast to `logits`' dtype).
        logits: unscaled log-probabilities, a floating point tensor.
        axis: the class axis.

    Returns:
        A tensor with `logits`' shape without `axis`.
    """
    op_name = "SoftmaxCrossEntropyWithLogits"
    _require_both("softmax_cross_entropy_with_logits", labels, logits)
    lg = unwrap(logits)
    lb = unwrap(labels)
    if type(lb) is np.ndarray:
        raise op_error(UnimplementedError, "Cast string to float is not supported", "Cast")
    _SOFTMAX_CE.check(lg)
    x = lg.float() if lg.dtype in _HALF else lg
    z = lb.to(x.dtype)
    if x.ndim == 0:
        raise op_error(InvalidArgumentError, "Expected begin[0] == 0 (got -1) and size[0] == 0 "
                       "(got 1) when input.dim_size(0) == 0", "Slice")
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise op_error(InvalidArgumentError,
                       f"Requires start <= limit when delta > 0: {axis + 1}/{x.ndim}", "Range")
    if z.shape != x.shape:
        if not _broadcastable(x.shape, z.shape):
            raise op_error(InvalidArgumentError, "logits and labels must be broadcastable: "
                           f"logits_size={_flat(x, axis)} labels_size={_flat(z, axis)}", op_name)
        shape = torch.broadcast_shapes(x.shape, z.shape)
        x, z = x.expand(shape), z.expand(shape)
    if x.ndim > 1 and axis % x.ndim != 1:
        x, z = x.movedim(axis, 1), z.movedim(axis, 1)
    return wrap(F.cross_entropy(x, z, reduction="none").to(lg.dtype))


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None) -> Tensor:
    """Cross entropy of integer class `labels` against `softmax(logits)` on the last axis.

    Args:
        labels: int32/int64 class indices in `[0, num_classes)`, shaped like `logits`
            without its last axis. Out-of-range labels raise on the CPU and give NaN
            on a GPU, as in TF.
        logits: unscaled log-probabilities `[..., num_classes]`.
    """
    op_name = "SparseSoftmaxCrossEntropyWithLogits"
    _require_both("sparse_softmax_cross_entropy_with_logits", labels, logits)
    lb = unwrap(labels)
    lg = unwrap(logits)
    if lg.ndim == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={lg.detach().cpu().numpy()}`")
    if lb.ndim != lg.ndim - 1:
        raise ValueError("`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                         f"labels.shape={TensorShape(lb.shape)} of rank {lb.ndim} and "
                         f"logits.shape={TensorShape(lg.shape)} of rank {lg.ndim}")
    if lb.shape != lg.shape[:-1]:
        raise ValueError("`labels.shape` must equal `logits.shape` except for the last dimension. "
                         f"Received: labels.shape={TensorShape(lb.shape)} and "
                         f"logits.shape={TensorShape(lg.shape)}")
    _SPARSE_SOFTMAX_CE.check(lg)
    if lb.dtype not in (torch.int32, torch.int64):
        raise op_error(InvalidArgumentError,
                       f"Value for attr 'Tlabels' of {dtypes.from_torch(lb.dtype)._legacy} is not in "
                       "the list of allowed values: int32, int64", op_name)
    classes = lg.shape[-1]
    x = lg.float() if lg.dtype in _HALF else lg
    y = lb if lb.dtype is torch.int64 else lb.long()
    if x.ndim != 2:
        x, y = x.reshape(-1, classes), y.reshape(-1)
    if x.device.type == "cpu":
        _check_labels(y, classes, op_name)
        cost = F.cross_entropy(x, y, reduction="none")
    else:
        # No host sync on a GPU: invalid labels give NaN, as TF's GPU kernel does.
        valid = (y >= 0) & (y < classes)
        cost = F.cross_entropy(x, torch.where(valid, y, 0), reduction="none")
        cost = torch.where(valid, cost, float("nan"))
    if cost.shape != lb.shape:
        cost = cost.reshape(lb.shape)
    return wrap(cost if cost.dtype is lg.dtype else cost.to(lg.dtype))


def _check_labels(y, classes, op_name) -> None:
    if y.numel() == 0:
        return
    low, high = torch.aminmax(y)
    if low.item() < 0 or high.item() >= classes:
        values = y.tolist()
        bad = next(v for v in values if not 0 <= v < classes)
        raise op_error(InvalidArgumentError,
                       f"Received a label value of {bad} which is outside the valid range of "
                       f"[0, {classes}).  Label values: {' '.join(map(str, values))}", op_name)


def _require_both(name, labels, logits) -> None:
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {name}"
                         f"Received: labels={labels} and logits={logits}")


def _flat(raw, axis) -> str:
    outer = raw.numel() // max(1, raw.shape[axis])
    return f"[{outer},{raw.shape[axis]}]"
