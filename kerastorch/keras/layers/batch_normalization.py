"""BatchNormalization: batch statistics in training, their moving averages in inference.

Training without a mask runs torch's fused `native_batch_norm` on a channels-first view
of the channels-last data (it also returns the batch moments for the moving averages);
masked moments and batch renormalization follow Keras's formulas. With `synchronized=True`
on several processes the moments are those of the global batch, from the per-channel sums
and sums of squares added up over the processes (Keras's formula on TF).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from kerastorch.distribute import collectives, sharding
from kerastorch.framework.convert import unwrap
from kerastorch.keras import initializers
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.layers._options import set_weight_options, weight_options_config
from kerastorch.keras.layers.normalization import add_gamma_beta, check_axes, out_dtype, working
from kerastorch.keras.losses.base import divide_no_nan

_KERAS_EPSILON = 1e-7  # keras.config.epsilon(), used by Keras's masked moments


def _clone(initializer):
    """A fresh instance of a Keras initializer (a new seed for an unseeded random one)."""
    return initializer.clone() if isinstance(initializer, initializers.Initializer) else initializer


def _sqrt_initializer(initializer):
    """The square root of what `initializer` gives (renorm's stddevs start at sqrt(moving variance))."""
    clone = _clone(initializer)

    def initialize(shape, dtype=None):
        return torch.sqrt(unwrap(clone(shape, dtype=dtype)))

    return initialize


def _channels_first(x: torch.Tensor, axis: int):
    """`x` laid out as torch's kernels want it, `(batch, channels, ...)`, without a copy, and the way back.

    Channels-last 4D/5D data becomes a view in torch's channels_last format; other
    channels-last data becomes a `(rows, channels)` matrix with the same per-channel statistics.
    """
    if axis == 1:
        return x, lambda y: y
    if axis == x.dim() - 1 and x.dim() not in (4, 5):
        shape = x.shape
        return x.reshape(-1, shape[-1]), lambda y: y.reshape(shape)
    return x.movedim(axis, 1), lambda y: y.movedim(1, axis)


def _along(v: torch.Tensor, axis: int, ndim: int) -> torch.Tensor:
    """A per-channel vector shaped to broadcast against the input along `axis`."""
    shape = [1] * ndim
    shape[axis] = -1
    return v.reshape(shape)


def _assign(variable, value: torch.Tensor) -> None:
    variable.assign(value.detach().to(variable._param.dtype), read_value=False)


def _average_into(variable, batch: torch.Tensor, momentum: float) -> torch.Tensor:
    """Keras's moving average, `variable * momentum + batch * (1 - momentum)`; returns the new value."""
    old = variable._t
    new = torch.add(old * momentum, batch.detach().to(old.dtype), alpha=1.0 - momentum)
    variable.assign(new, read_value=False)
    return new


class BatchNormalization(Layer):
    """Normalizes with batch statistics in training and with their moving averages in inference.

    Training (`training=True` and a trainable layer) returns
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta` with the (biased) moments over
    every axis but `axis`, and updates `moving = moving * momentum + batch * (1 - momentum)`;
    inference uses `moving_mean` and `moving_variance`. A layer with `trainable = False`
    always runs in inference mode (Keras 3's rule).

    Args:
        axis: the channels axis (an int).
        momentum: the moving averages' momentum.
        epsilon: added to the variance.
        center, scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer, beta_regularizer, gamma_regularizer, beta_constraint,
        gamma_constraint: the weights' families.
        renorm, renorm_clipping, renorm_momentum: batch renormalization (Ioffe, 2017) with
            optional `{"rmax", "rmin", "dmax"}` clipping of its corrections.
        synchronized: under a strategy training on several processes, the training moments are
            those of the global batch (summed over the processes, gradients too), as
            TF's synchronized batch normalization; one process sees the whole batch anyway.

    Call arguments: `training`; `mask` (rank one less than the input): masked positions
    do not count in the batch moments.

    Input shape: any. Output shape: the input's.

    Example:
        >>> bn = tf.keras.layers.BatchNormalization()
        >>> bn(tf.ones((4, 3)), training=True).shape
        TensorShape([4, 3])
    """

    _default_masking = True

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, renorm: bool = False,
                 renorm_clipping: dict | None = None, renorm_momentum: float = 0.99, synchronized: bool = False,
                 **kwargs):
        if renorm:
            renorm_clipping = renorm_clipping or {}
            if set(renorm_clipping) - {"rmax", "rmin", "dmax"}:
                raise ValueError(f"Received invalid keys for `renorm_clipping` argument: {renorm_clipping}. "
                                 f"Supported values: ['rmax', 'rmin', 'dmax'].")
            rmax, rmin, dmax = (renorm_clipping.get(k) for k in ("rmax", "rmin", "dmax"))
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError(f"rmax should be greater than rmin in the `renorm_clipping` argument. "
                                 f"Received: rmax={rmax}, rmin={rmin}.")
            if dmax is not None and dmax < 0:
                raise ValueError(f"dmax should be non-negative in the `renorm_clipping` argument. "
                                 f"Received: dmax={dmax}.")
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        set_weight_options(self, "beta", beta_initializer, beta_regularizer, beta_constraint)
        set_weight_options(self, "gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape) -> None:
        shape = (input_shape[self.axis],)
        add_gamma_beta(self, shape, self.scale, self.center)
        self.moving_mean = self.add_weight(name="moving_mean", shape=shape, initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=shape, trainable=False,
                                               initializer=self.moving_variance_initializer, autocast=False)
        if self.renorm:
            stddev = _sqrt_initializer(self.moving_variance_initializer)
            self.moving_stddev = self.add_weight(name="moving_stddev", shape=shape, initializer=stddev,
                                                 trainable=False, autocast=False)
            self.renorm_mean = self.add_weight(name="renorm_mean", shape=shape, trainable=False,
                                               initializer=_clone(self.moving_mean_initializer), autocast=False)
            self.renorm_stddev = self.add_weight(name="renorm_stddev", shape=shape, initializer=stddev,
                                                 trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: input_shape[self.axis]})

    def forward(self, inputs: torch.Tensor, training=None, mask=None) -> torch.Tensor:
        if mask is not None and mask.dim() != inputs.dim() - 1:
            raise ValueError(f"The mask provided should be one dimension less than the inputs. Received: "
                             f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}")
        x = working(inputs)
        axis = self.axis % x.dim()
        gamma = None if self.gamma is None else self.gamma._t.to(x.dtype)
        beta = None if self.beta is None else self.beta._t.to(x.dtype)
        if not (training and self.trainable):
            view, back = _channels_first(x, axis)
            out = back(F.batch_norm(view, self.moving_mean._t.to(x.dtype), self.moving_variance._t.to(x.dtype),
                                    gamma, beta, False, 0.0, self.epsilon))
        elif mask is None and not self.renorm and not self._spans_processes():
            view, back = _channels_first(x, axis)
            out, mean, invstd = torch.native_batch_norm(view, gamma, beta, None, None, True, 0.0, self.epsilon)
            out = back(out)
            # The fused kernel hands back 1/sqrt(var + epsilon): the (biased) variance is recovered from it.
            self._update_moving(mean, invstd.detach().pow(-2) - self.epsilon)
        else:
            mean, var = self._moments(x, axis, mask)
            if self.renorm:
                gamma, beta = self._renorm(mean, var, gamma, beta)
            else:
                self._update_moving(mean, var)
            inv = torch.rsqrt(var + self.epsilon)
            if gamma is not None:
                inv = inv * gamma
            shift = -mean * inv if beta is None else beta - mean * inv
            out = x * _along(inv, axis, x.dim()) + _along(shift, axis, x.dim())
        return out.to(out_dtype(self))

    def _spans_processes(self) -> bool:
        """Whether the moments are synchronized over several processes (`synchronized=True`)."""
        return self.synchronized and sharding.current_shard() is not None

    def _moments(self, x: torch.Tensor, axis: int, mask):
        dims = [d for d in range(x.dim()) if d != axis]
        if mask is None and self._spans_processes():  # a masked call stays local, as in Keras
            return self._global_moments(x, axis, dims)
        if mask is None:
            var, mean = torch.var_mean(x, dim=dims, correction=0)
            return mean, var
        keep = mask.bool().unsqueeze(-1).expand(x.shape)
        count = keep.to(x.dtype).sum(dims) + _KERAS_EPSILON
        mean = torch.where(keep, x, 0.0).sum(dims) / count
        var = torch.square(torch.where(keep, x - _along(mean, axis, x.dim()), 0.0)).sum(dims) / count
        return mean, var

    def _global_moments(self, x: torch.Tensor, axis: int, dims: list) -> tuple:
        """Keras's synchronized moments: `E[x]` and `max(E[x^2] - E[x]^2, 0)` over every process's samples."""
        count = torch.full((x.shape[axis],), float(x.numel() // max(x.shape[axis], 1)), dtype=x.dtype,
                           device=x.device)
        total, squares, count = collectives.differentiable_sum(
            torch.stack([x.sum(dims), x.square().sum(dims), count])).unbind(0)
        mean = divide_no_nan(total, count)
        return mean, torch.relu(divide_no_nan(squares, count) - mean.square())

    def _update_moving(self, mean: torch.Tensor, var: torch.Tensor) -> None:
        _average_into(self.moving_mean, mean, self.momentum)
        _average_into(self.moving_variance, var, self.momentum)

    def _renorm(self, mean: torch.Tensor, var: torch.Tensor, gamma, beta) -> tuple:
        """Batch renormalization: the corrected gamma and beta, and the statistics' updates."""
        stddev = torch.sqrt(var + self.epsilon)
        renorm_mean = self.renorm_mean._t.to(mean.dtype)
        renorm_stddev = self.renorm_stddev._t.to(mean.dtype)
        floor = torch.clamp(renorm_stddev, min=math.sqrt(self.epsilon))
        r = (stddev / floor).detach()
        d = ((mean - renorm_mean) / floor).detach()
        clip = self.renorm_clipping
        if clip.get("rmin") is not None:
            r = torch.clamp(r, min=clip["rmin"])
        if clip.get("rmax") is not None:
            r = torch.clamp(r, max=clip["rmax"])
        if clip.get("dmax") is not None:
            d = torch.clamp(d, -clip["dmax"], clip["dmax"])
        new_gamma, new_beta = (r, d) if gamma is None else (r * gamma, d * gamma)
        if beta is not None:
            new_beta = new_beta + beta
        _average_into(self.renorm_mean, mean, self.renorm_momentum)
        _average_into(self.renorm_stddev, stddev, self.renorm_momentum)
        _average_into(self.moving_mean, mean, self.momentum)
        moving_stddev = _average_into(self.moving_stddev, stddev, self.momentum)
        # ReLU: rounding could make the difference slightly negative.
        _assign(self.moving_variance, torch.relu(moving_stddev * moving_stddev - self.epsilon))
        return new_gamma, new_beta

    def compute_output_shape(self, input_shape) -> tuple:
        return check_axes(self.axis, input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                **weight_options_config(self, "beta", "gamma", "moving_mean", "moving_variance",
                                        families=("initializer",)),
                **weight_options_config(self, "beta", "gamma", families=("regularizer", "constraint")),
                "synchronized": self.synchronized, "renorm": self.renorm, "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}


__all__ = ["BatchNormalization"]
