"""The `Loss` base class and Keras's reduction, sample-weight and mask arithmetic.

Everything here computes on torch tensors. The fit loop calls
`loss.raw(y_true, y_pred, sample_weight=None)`: torch tensors in (on any device, any
dtype: they are cast to the loss's dtype as Keras does), a torch tensor out (0-d for
every reduction but `"none"` / None), with no wrapping and no host sync. A mask on
`y_pred` (`y_pred._keras_mask`, a bool torch tensor) or on the per-sample losses is
merged into the sample weights the way Keras's `Loss.__call__` does (`apply_mask`),
so the caller passes the output tensor as it is. `loss(y_true, y_pred, sample_weight)`
is the public face on kerastorch tensors, numpy arrays or Python values.
"""

from __future__ import annotations

import functools

import torch

from kerastorch.distribute import replica_step
from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.keras import _serialization as ser
from kerastorch.keras import config, dtype_policies
from kerastorch.keras.engine import call_context, masking, naming, nest

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")
_NO_REDUCTION = (None, "none")
_COUNT_MEANS = ("mean", "sum_over_batch_size")


def standardize_reduction(reduction: str | None) -> str | None:
    """`reduction` if Keras knows it, else Keras's ValueError."""
    if reduction not in _REDUCTIONS:
        allowed = {"sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"}
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of {allowed}. Received: "
                         f"reduction={reduction}")
    return reduction


@ser.keras_export("keras.Loss", "keras.losses.Loss")
class Loss:
    """Base class of losses: `loss(y_true, y_pred, sample_weight=None)` is a scalar Tensor.

    Subclass it and implement `call(y_true, y_pred)` on kerastorch tensors, returning
    the per-sample losses; the base class applies sample weights, masks and the
    reduction.

    Args:
        name: the loss's name (default: the snake-cased class name, made unique).
        reduction: `"sum_over_batch_size"` (default) and `"mean"` divide the weighted sum
            by the number of loss values, `"sum"` sums, `"mean_with_sample_weight"`
            divides by the sum of the sample weights, `"none"` / None keep every value.
        dtype: the dtype the inputs are cast to and the loss computed in (default
            `keras.backend.floatx()`); a `DTypePolicy` gives its compute dtype.

    Example:
        >>> class MeanSquared(tf.keras.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)
    """

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype=None):
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or config.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._torch_dtype = dtypes.as_dtype(self._dtype)._torch

    @property
    def dtype(self) -> str:
        """The name of the dtype the loss computes in."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        weight = None if sample_weight is None else as_raw(sample_weight)
        return wrap(self._reduced(as_raw(y_true), as_raw(y_pred), weight))

    def raw(self, y_true, y_pred, sample_weight=None) -> torch.Tensor:
        """The loss of torch tensors, as a torch tensor (the fit loop's entry point).

        Args:
            y_true: the targets (a torch tensor, or a dict of them for a custom loss).
            y_pred: the predictions; a `_keras_mask` on it weighs masked entries 0.
            sample_weight: None, or a torch tensor broadcastable to the per-sample losses.
        """
        if type(self).__call__ is not Loss.__call__:  # a subclass that redefines `__call__` on the facade
            with call_context.keep_graph():
                weight = None if sample_weight is None else wrap(sample_weight)
                return unwrap(self(nest.map(wrap, y_true), nest.map(wrap, y_pred), weight))
        return self._reduced(y_true, y_pred, sample_weight)

    def _reduced(self, y_true, y_pred, sample_weight) -> torch.Tensor:
        in_mask = masking.get_mask(y_pred)
        dtype = self._torch_dtype
        losses = self._raw_call(_cast(y_true, dtype), _cast(y_pred, dtype))
        out_mask = masking.get_mask(losses)
        if in_mask is not None and out_mask is not None:
            mask = in_mask & out_mask
        else:
            mask = out_mask if in_mask is None else in_mask
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, dtype)

    def _raw_call(self, y_true, y_pred) -> torch.Tensor:
        """`call` on torch tensors: here through the facade; built-ins compute directly."""
        with call_context.keep_graph():
            return as_raw(self.call(nest.map(wrap, y_true), nest.map(wrap, y_pred)))

    def call(self, y_true, y_pred):
        """The per-sample losses (to implement in subclasses)."""
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        """A loss from its `get_config()`."""
        return cls(**config)


def as_raw(value):
    """The torch tensor(s) of a Tensor, Variable, torch tensor, numpy or Python value (or a dict of them)."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, dict):
        return {key: as_raw(item) for key, item in value.items()}
    return unwrap(value)


def _cast(value, dtype: torch.dtype):
    if type(value) is torch.Tensor:
        return value.to(dtype)
    return nest.map(lambda t: t.to(dtype), value)


def squeeze_or_expand_to_same_rank(x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True):
    """`(x1, x2)` with a trailing size-1 axis dropped (or a rank-1 tensor expanded) where ranks differ by 1."""
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def divide_no_nan(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """`x / y`, and 0 where `y` is 0 (gradients too, as TF's DivNoNan)."""
    zero = y == 0
    return torch.where(zero, torch.zeros_like(x), x / torch.where(zero, torch.ones_like(y), y))


def scalar_in(value: float, dtype: torch.dtype) -> float:
    """`value` rounded to `dtype`, where Keras makes a tensor of a Python number before using it."""
    return _rounded(value, dtype)


def prepare_for_compiled_steps() -> None:
    """Makes `scalar_in` a constant of compiled steps (`jit_compile`; torch.compile would trace the
    rounding). Called when a model first compiles: it imports torch._dynamo (about a second)."""
    torch.compiler.assume_constant_result(scalar_in)


@functools.lru_cache(maxsize=256)
def _rounded(value: float, dtype: torch.dtype) -> float:
    return torch.tensor(value, dtype=dtype).item() if dtype.is_floating_point else float(value)


def _count(n: int, dtype: torch.dtype) -> float:
    # Keras casts the element count to the loss dtype first: in float16 a count above
    # 65504 is inf (the mean becomes 0), as on TF.
    if torch.compiler.is_compiling() and dtype in (torch.float32, torch.float64):
        # Exact for any count below 2**24; a compiled step (`jit_compile`) may hold a symbolic batch size.
        return n
    return scalar_in(n, dtype)


def reduce_values(values: torch.Tensor, sample_weight: torch.Tensor | None = None,
                  reduction: str | None = "sum_over_batch_size") -> torch.Tensor:
    """Keras's reduction of (weighted) loss values; scalars and empty vectors come back as they are."""
    if reduction in _NO_REDUCTION or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _scaled_for_replicas(divide_no_nan(loss, sample_weight.sum().to(loss.dtype)))
    count = _count(values.numel(), loss.dtype)
    return _scaled_for_replicas(loss / count if count != 0 else loss * 0.0)


def _scaled_for_replicas(loss: torch.Tensor) -> torch.Tensor:
    """Keras's `scale_loss_for_distribution`: a mean loss times `1 / replicas` inside a custom
    training step on several processes (see `distribute/replica_step.py`)."""
    factor = replica_step.loss_scale()
    return loss if factor is None else loss * scalar_in(factor, loss.dtype)


def apply_mask(sample_weight: torch.Tensor | None, mask: torch.Tensor | None, dtype: torch.dtype,
               reduction: str | None) -> torch.Tensor | None:
    """Merges a boolean mask into the sample weights, as Keras does.

    For `"sum_over_batch_size"` and `"mean"`, valid entries weigh `total / valid`, so the
    count-mean of the reduction becomes a mean over the valid entries only.
    """
    if mask is None:
        return sample_weight
    float_mask = mask.to(dtype)
    if reduction in _COUNT_MEANS:
        valid = float_mask.sum()
        total = torch.full_like(valid, _count(mask.numel(), dtype))
        float_mask = torch.where(float_mask != 0, divide_no_nan(total, valid), 0.0)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight.to(dtype))
    return sample_weight * float_mask


def reduce_weighted_values(values: torch.Tensor, sample_weight: torch.Tensor | None = None,
                           mask: torch.Tensor | None = None, reduction: str | None = "sum_over_batch_size",
                           dtype: torch.dtype | None = None) -> torch.Tensor:
    """Loss values weighted by `sample_weight` (and `mask`), then reduced, as Keras's function.

    Args:
        values: the per-sample losses.
        sample_weight: None or weights; a rank off by one is fixed by squeezing or expanding.
        mask: None or a bool tensor of `values`'s shape.
        reduction: one of Keras's reductions.
        dtype: the torch dtype everything is cast to first (default: `values`'s).
    """
    reduction = standardize_reduction(reduction)
    if dtype is not None:
        values = values.to(dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight.to(values.dtype))
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class Reduction:
    """Keras 2's reduction names (`tf.keras.losses.Reduction`), kept for code that uses them."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple:
        """The four names."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: str) -> None:
        """Raises Keras's ValueError for a name not in `all()`."""
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')
