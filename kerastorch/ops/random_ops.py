"""`tf.random`: random tensors and TF's seeding rules, on private torch generators.

TF's rules (`tf.random.set_seed`): with a global seed, the sequence of random ops in
a program is reproducible — each op without a `seed=` draws an op seed from a Python
`random.Random(global_seed)`, as TF's eager context does; an op-level `seed=` alone is
combined with TF's default graph seed. Each (global seed, op seed) pair owns one
`torch.Generator` per device that keeps advancing, so calling the same seeded op twice
gives different numbers, and `set_seed` starts every sequence again. Without any seed
the numbers come from a generator seeded from OS entropy. torch's global RNG is never
touched, so plain torch code is not affected. `Generator` is TF's stateful stream
object, with its own torch generators.
"""

from __future__ import annotations

import random as _pyrandom

import numpy as np
import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import box, to_raw, unwrap
from kerastorch.framework.errors import InvalidArgumentError, op_error
from kerastorch.framework.tensor import Tensor, TensorLike, wrap
from kerastorch.framework.tensor_shape import TensorShape
from kerastorch.ops._util import FLOATS, legacy_name, no_kernel

_MAXINT32 = 2**31 - 1
_DEFAULT_GRAPH_SEED = 87654321
_MASK64 = 2**64 - 1
_MAX_GENERATORS = 1024  # seeded generators kept; the oldest is dropped beyond this
_UNIFORM_DTYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32,
                   dtypes.int64)
_SHAPE_DTYPES = (torch.int32, torch.int64)


class _SeedState:
    """The global seed and the Python RNG that hands out op seeds (TF's eager context)."""

    def __init__(self):
        self.global_seed = None
        self.op_seeds = None
        self.generators = {}  # (global seed, op seed, torch device) -> torch.Generator


_state = _SeedState()


def set_seed(seed) -> None:
    """`tf.random.set_seed`: makes the sequence of random ops reproducible.

    Args:
        seed: an integer, or None to go back to unseeded (entropy-based) numbers.
    """
    _state.generators.clear()
    if seed is None:
        _state.global_seed = None
        _state.op_seeds = None
        return
    seed = int(np.asarray(seed))
    _state.global_seed = seed
    _state.op_seeds = _pyrandom.Random(seed)


def get_seed(op_seed=None) -> tuple:
    """TF's `(global seed, op seed)` pair for an op; `(None, None)` when nothing is seeded."""
    if _state.global_seed is not None:
        if op_seed is None:
            op_seed = _state.op_seeds.randint(0, _MAXINT32)
        return _state.global_seed % _MAXINT32, int(op_seed) % _MAXINT32
    if op_seed is not None:
        return _DEFAULT_GRAPH_SEED, int(op_seed) % _MAXINT32
    return None, None


def generator(seed=None, device=None) -> torch.Generator:
    """The torch generator a random op with op-level `seed` draws from, per TF's rules.

    Args:
        seed: the op-level seed (`seed=` of a TF random op), or None.
        device: the torch device of the generator; default `device.current()`.
    """
    dev = _device.current() if device is None else device
    key = (*get_seed(seed), dev)
    gen = _state.generators.get(key)
    if gen is None:
        gen = torch.Generator(dev)
        if key[0] is None:
            gen.seed()
        else:
            gen.manual_seed(mix_seeds(key[0], key[1]))
        if len(_state.generators) >= _MAX_GENERATORS:
            _state.generators.pop(next(iter(_state.generators)))
        _state.generators[key] = gen
    return gen


def mix_seeds(first: int, second: int) -> int:
    """One well-mixed 64-bit torch seed from two ints (splitmix64).

    torch's CPU engine only uses the low 32 bits of a seed, so the pair is hashed
    rather than concatenated.
    """
    z = (first * 0x9E3779B97F4A7C15 + second + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


# -- samplers shared by the ops and Generator ------------------------------------------

def _normal(dims, mean, stddev, dtype, gen) -> torch.Tensor:
    out = torch.randn(dims, generator=gen, dtype=dtype._torch, device=gen.device)
    return _affine(out, mean, stddev)


def _truncated_normal(dims, mean, stddev, dtype, gen) -> torch.Tensor:
    # erfinv has no half-precision CPU kernel: sample in float32 for the 16-bit types.
    work = torch.float32 if dtype._torch in (torch.float16, torch.bfloat16) else dtype._torch
    out = torch.empty(dims, dtype=work, device=gen.device)
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=gen)
    return _affine(out.to(dtype._torch), mean, stddev)


def _uniform(dims, low, high, dtype, gen, int_op: str) -> torch.Tensor:
    if dtype.is_integer:
        low, high = _int_bounds(low, int_op), _int_bounds(high, int_op)
        if low >= high:
            raise op_error(InvalidArgumentError, f"Need minval < maxval, got {low} >= {high}", int_op)
        return torch.randint(low, high, dims, generator=gen, dtype=dtype._torch, device=gen.device)
    if isinstance(low, torch.Tensor) or isinstance(high, torch.Tensor) or low > high:
        out = torch.rand(dims, generator=gen, dtype=dtype._torch, device=gen.device)
        return out * (high - low) + low
    return torch.empty(dims, dtype=dtype._torch, device=gen.device).uniform_(low, high, generator=gen)


# -- ops ----------------------------------------------------------------------------------

def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples from a normal distribution.

    Args:
        shape: the output shape (a list of ints or a 1-D integer tensor).
        mean, stddev: the distribution's parameters (scalars or broadcastable tensors).
        dtype: a floating point dtype.
        seed: an op-level seed (see `set_seed`).
    """
    dtype = dtypes.as_dtype(dtype)
    dims = _shape(shape, "RandomStandardNormal")
    mean = _param(mean, dtype, "mean")
    stddev = _param(stddev, dtype, "stddev")
    _require_dtype(dtype, "RandomStandardNormal")
    return wrap(_normal(dims, mean, stddev, dtype, generator(seed)))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None,
                     name=None) -> Tensor:
    """Samples from a normal distribution truncated to two standard deviations.

    Values beyond `mean ± 2 * stddev` are redrawn (here by sampling the truncated
    distribution directly through its inverse CDF, which gives the same distribution).

    Args:
        shape: the output shape (a list of ints or a 1-D integer tensor).
        mean, stddev: the parameters of the normal before truncation.
        dtype: a floating point dtype.
        seed: an op-level seed (see `set_seed`).
    """
    dtype = dtypes.as_dtype(dtype)
    dims = _shape(shape, "TruncatedNormal")
    mean = _param(mean, dtype, "mean")
    stddev = _param(stddev, dtype, "stddev")
    _require_dtype(dtype, "TruncatedNormal")
    return wrap(_truncated_normal(dims, mean, stddev, dtype, generator(seed)))


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples uniformly from `[minval, maxval)`.

    Args:
        shape: the output shape (a list of ints or a 1-D integer tensor).
        minval, maxval: the range; `maxval` defaults to 1 and is required for integer
            dtypes, whose bounds must be scalars with `minval < maxval`.
        dtype: float16, bfloat16, float32, float64, int32 or int64.
        seed: an op-level seed (see `set_seed`).
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"{_UNIFORM_DTYPES}.")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    dims = _shape(shape, "RandomUniformInt" if dtype.is_integer else "RandomUniform")
    low = _param(minval, dtype, "min")
    high = _param(maxval, dtype, "max")
    return wrap(_uniform(dims, low, high, dtype, generator(seed), "RandomUniformInt"))


def shuffle(value, seed=None, name=None) -> Tensor:
    """Randomly permutes `value` along its first axis."""
    raw = unwrap(value)
    if raw.ndim == 0:
        return box(raw)
    if type(raw) is np.ndarray:
        gen = generator(seed, torch.device("cpu"))
        return box(raw[torch.randperm(raw.shape[0], generator=gen).numpy()])
    gen = generator(seed, raw.device)
    return wrap(raw.index_select(0, torch.randperm(raw.shape[0], generator=gen, device=raw.device)))


def categorical(logits, num_samples, dtype=None, seed=None, name=None) -> Tensor:
    """Draws `num_samples` class indices per row of `logits` `[batch, num_classes]`.

    Args:
        logits: unnormalized log-probabilities, a 2-D floating point tensor.
        num_samples: samples per row.
        dtype: int64 (default) or int32.
        seed: an op-level seed (see `set_seed`).

    Returns:
        A `[batch, num_samples]` tensor of indices. A row without any finite logit
        gives `num_classes`, as TF's kernel does.
    """
    out_dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if out_dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {out_dtype}. Accepted dtypes are "
                         f"{(dtypes.int32, dtypes.int64)}.")
    raw = unwrap(logits)
    count = int(to_raw(num_samples, dtypes.int32))
    if raw.dtype not in FLOATS:
        raise no_kernel("Multinomial", raw)
    if raw.ndim != 2:
        raise op_error(InvalidArgumentError, f"logits should be a matrix, got shape {_dims(raw.shape)}",
                       "Multinomial")
    if count < 0:
        raise op_error(InvalidArgumentError, f"num_samples should be non-negative, got {count}",
                       "Multinomial")
    batch, classes = raw.shape
    if classes == 0:
        raise op_error(InvalidArgumentError, "num_classes should be positive, got 0", "Multinomial")
    gen = generator(seed, raw.device)
    if batch == 0 or count == 0:
        return wrap(torch.zeros((batch, count), dtype=out_dtype._torch, device=raw.device))
    probs = torch.softmax(raw.float() if raw.dtype in (torch.float16, torch.bfloat16) else raw, -1)
    invalid = torch.isnan(probs[:, :1])
    samples = torch.multinomial(torch.nan_to_num(probs, nan=1.0), count, replacement=True, generator=gen)
    samples = torch.where(invalid, classes, samples)
    return wrap(samples.to(out_dtype._torch))


# -- tf.random.Generator ------------------------------------------------------------------

class Generator:
    """`tf.random.Generator`: a random stream of its own, independent of the global seed.

    Each device gets its own torch generator derived from the Generator's seed, so
    the numbers are reproducible for a seed; they are not TF's numbers (TF's Philox
    state is not reproduced: `state` is read as a seed).

    Example:
        >>> g = tf.random.Generator.from_seed(1)
        >>> g.normal([2, 3]).shape
        TensorShape([2, 3])
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._seed = copy_from._seed
            self._streams = {}
            for dev, stream in copy_from._streams.items():
                self._streams[dev] = torch.Generator(dev)
                self._streams[dev].set_state(stream.get_state())
        elif state is not None:
            self.reset_from_seed(int(np.asarray(state).reshape(-1)[-1]))
        else:
            raise ValueError("Either `copy_from` or `state` must be provided. "
                             "Received: copy_from=None and state=None")

    @classmethod
    def from_seed(cls, seed, alg=None) -> Generator:
        """A generator whose numbers are determined by `seed`."""
        return cls(state=seed)

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> Generator:
        """A generator seeded from OS entropy."""
        return cls(state=torch.Generator().seed() >> 1)

    def reset_from_seed(self, seed) -> None:
        """Starts the stream again from `seed`."""
        self._seed = int(seed) & _MASK64
        self._streams = {}

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None) -> Tensor:
        """Samples from a normal distribution (see `tf.random.normal`)."""
        dtype = dtypes.as_dtype(dtype)
        dims = _shape(shape, "StatelessRandomNormalV2")
        mean, stddev = _param(mean, dtype, "mean"), _param(stddev, dtype, "stddev")
        _require_dtype(dtype, "StatelessRandomNormalV2")
        return wrap(_normal(dims, mean, stddev, dtype, self._stream()))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None) -> Tensor:
        """Samples from a normal distribution truncated to two standard deviations."""
        dtype = dtypes.as_dtype(dtype)
        dims = _shape(shape, "StatelessTruncatedNormalV2")
        mean, stddev = _param(mean, dtype, "mean"), _param(stddev, dtype, "stddev")
        _require_dtype(dtype, "StatelessTruncatedNormalV2")
        return wrap(_truncated_normal(dims, mean, stddev, dtype, self._stream()))

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None) -> Tensor:
        """Samples uniformly from `[minval, maxval)`.

        For integer dtypes `minval` and `maxval` are both given, or both None for the
        dtype's whole range.
        """
        dtype = dtypes.as_dtype(dtype)
        op_name = "StatelessRandomUniformIntV2" if dtype.is_integer else "StatelessRandomUniformV2"
        dims = _shape(shape, op_name)
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError(f"For integer dtype {dtype}, minval and maxval must be both `None` or "
                                 f"both non-`None`; got minval={minval} and maxval={maxval}")
            if dtype not in (dtypes.int32, dtypes.int64):
                raise op_error(InvalidArgumentError, f"Value for attr 'dtype' of {dtype._legacy} is not in "
                               "the list of allowed values: int32, int64, uint32, uint64", op_name)
            if minval is None:
                minval, maxval = dtype.min, dtype.max
        else:
            _require_dtype(dtype, op_name)
            maxval = 1 if maxval is None else maxval
        low, high = _param(minval, dtype, "min"), _param(maxval, dtype, "max")
        return wrap(_uniform(dims, low, high, dtype, self._stream(), op_name))

    def make_seeds(self, count: int = 1) -> Tensor:
        """An int64 `[2, count]` tensor of seeds for stateless ops, drawn from this stream."""
        gen = self._stream()
        return wrap(torch.randint(-(2**63), 2**63 - 1, (2, count), generator=gen, dtype=torch.int64,
                                  device=gen.device))

    def split(self, count: int = 1) -> list:
        """`count` new generators, independent of each other, seeded from this stream."""
        seeds = torch.randint(0, 2**62, (count,), generator=self._stream(torch.device("cpu")))
        return [Generator.from_seed(s) for s in seeds.tolist()]

    def _stream(self, dev=None) -> torch.Generator:
        dev = _device.current() if dev is None else dev
        stream = self._streams.get(dev)
        if stream is None:
            stream = torch.Generator(dev)
            stream.manual_seed(mix_seeds(self._seed, 0 if dev.type == "cpu" else 1 + (dev.index or 0)))
            self._streams[dev] = stream
        return stream


_global_generator = []


def get_global_generator() -> Generator:
    """The global `Generator` (created from OS entropy on first use)."""
    if not _global_generator:
        _global_generator.append(Generator.from_non_deterministic_state())
    return _global_generator[0]


def set_global_generator(generator: Generator) -> None:
    """Replaces the global `Generator`."""
    _global_generator[:] = [generator]


# -- helpers ----------------------------------------------------------------------------

def _shape(shape, op_name: str) -> tuple:
    """The dims of an op's `shape` argument, checked as TF's random kernels do."""
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        dims = tuple(shape)
    else:
        if isinstance(shape, TensorShape):
            shape = shape.as_list()
        raw = unwrap(shape)
        if type(raw) is np.ndarray or raw.dtype not in _SHAPE_DTYPES:
            raise op_error(InvalidArgumentError, f"Value for attr 'T' of {legacy_name(raw.dtype)} is not in "
                           "the list of allowed values: int32, int64", op_name)
        if raw.ndim != 1:
            raise op_error(InvalidArgumentError, "shape must be a vector of {int32,int64}, got shape "
                           f"{_dims(raw.shape)}", op_name)
        dims = tuple(raw.tolist())
    for d in dims:
        if d < 0:
            raise op_error(InvalidArgumentError, f"Dimension {d} must be >= 0", op_name)
    return dims


def _param(value, dtype, name: str):
    """A distribution parameter: a Python number stays one, anything else becomes a tensor."""
    kind = type(value)
    if kind is float and dtype.is_floating or kind is int and (dtype.is_floating or dtype.is_integer):
        return value
    if isinstance(value, TensorLike) and value.dtype is not dtype:
        raise ValueError(f"{name}: Tensor conversion requested dtype {dtype.name} for Tensor with "
                         f"dtype {value.dtype.name}: {value!r}")
    return to_raw(value, dtype)


def _require_dtype(dtype, op_name: str) -> None:
    if dtype._torch not in FLOATS:
        raise op_error(InvalidArgumentError,
                       f"Value for attr 'dtype' of {dtype._legacy} is not in the list of allowed values: "
                       "half, bfloat16, float, double", op_name)


def _affine(out: torch.Tensor, mean, stddev) -> torch.Tensor:
    """`out * stddev + mean`, in place when both are Python numbers."""
    if isinstance(mean, torch.Tensor) or isinstance(stddev, torch.Tensor):
        return out * stddev + mean
    if stddev != 1:
        out.mul_(stddev)
    if mean != 0:
        out.add_(mean)
    return out


def _int_bounds(value, op_name: str) -> int:
    if isinstance(value, torch.Tensor):
        if value.ndim:
            raise op_error(InvalidArgumentError, f"minval must be 0-D, got shape {_dims(value.shape)}",
                           op_name)
        return int(value)
    return value


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"
