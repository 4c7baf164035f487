"""The `Initializer` base class, the engine's raw entry point, and seeds.

The engine creates weights through `raw_initializer(init)(shape, dtype, device)` (or
`init.raw(...)`), which gives a torch tensor. Built-in initializers draw it directly;
a user subclass (or a plain function) is called with a kerastorch dtype and its result
unwrapped, so anything that works as `init(shape, dtype=None)` works for layers too.

Seeds follow Keras 3: an initializer fixes its seed when it is created (an unseeded
one draws it then), so calling the same instance twice gives the same values, two
unseeded instances give different ones, and a seeded one is reproducible. Unseeded
seeds come from `kerastorch.ops.random_ops.generator`, so `tf.random.set_seed` makes
them reproducible. Values are drawn on the CPU (the same weights whatever the device)
and then moved.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from kerastorch.framework import device as _device
from kerastorch.framework import dtypes
from kerastorch.framework.convert import unwrap
from kerastorch.framework.tensor import Tensor, wrap
from kerastorch.keras import _serialization as ser
from kerastorch.ops import random_ops

_MAX_DEFAULT_SEED = 10**9  # Keras draws unseeded seeds in [1, 1e9]


class Initializer:
    """Base class of initializers: `init(shape, dtype=None)` returns a new tensor.

    Subclass it and implement `__call__(self, shape, dtype=None)` (on kerastorch
    tensors); add `get_config` for serialization. Layers call it through `raw`.

    Example:
        >>> class Halves(tf.keras.initializers.Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return tf.fill(shape, 0.5)
    """

    def __call__(self, shape, dtype=None) -> Tensor:
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def raw(self, shape: tuple, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
        """The initial value as a torch tensor of `dtype` on `device` (the engine's entry point)."""
        if type(self).__call__ is _Drawn.__call__:
            return self._draw(tuple(shape), dtype).to(device)
        return _called(self, shape, dtype, device)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """An initializer from its `get_config()`."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer with the same config (an unseeded one draws a new seed)."""
        return self.__class__.from_config(self.get_config())


class _Drawn(Initializer):
    """A built-in initializer: `_draw(shape, dtype)` makes the values on the CPU."""

    def __call__(self, shape, dtype=None) -> Tensor:
        value = self._draw(standardize_shape(shape), standardize_dtype(dtype)._torch)
        return wrap(value.to(_device.current()))

    def _draw(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        raise NotImplementedError


def _called(init: Callable, shape, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    value = unwrap(init(tuple(shape), dtype=dtypes.from_torch(dtype)))
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"An initializer must return a numeric tensor. Received: {value!r}")
    return value.to(device=device, dtype=dtype)


def raw_initializer(init: Callable) -> Callable[[tuple, torch.dtype, torch.device], torch.Tensor]:
    """The engine's entry point for any initializer: `(shape, torch dtype, device) -> torch.Tensor`.

    Args:
        init: an `Initializer`, or a function `f(shape, dtype=None)` on kerastorch values.
    """
    if isinstance(init, Initializer):
        return init.raw
    return lambda shape, dtype, device: _called(init, shape, dtype, device)


def standardize_shape(shape) -> tuple:
    """`shape` (tuple, list, TensorShape) as a tuple of ints; unknown dimensions are refused."""
    dims = tuple(shape)
    if any(d is None for d in dims):
        raise ValueError(f"Cannot initialize a tensor of unknown shape. Received: shape={dims}")
    return tuple(int(d) for d in dims)


def standardize_dtype(dtype) -> dtypes.DType:
    """A DType from None (float32, Keras's floatx), a name, a DType, numpy or torch dtype."""
    if dtype is None:
        return dtypes.float32
    if isinstance(dtype, torch.dtype):
        return dtypes.from_torch(dtype)
    return dtypes.as_dtype(dtype)


def make_default_seed() -> int:
    """A seed for an unseeded initializer, from the kerastorch random stream (TF's seeding)."""
    gen = random_ops.generator(None, _device.cpu)
    return int(torch.randint(1, _MAX_DEFAULT_SEED + 1, (), generator=gen))


class RandomInitializer(_Drawn):
    """Base of the random initializers: holds the seed, fixed at creation.

    Args:
        seed: an int, or None to draw one now (see the module docstring).
    """

    def __init__(self, seed: int | None = None):
        self._init_seed = seed
        if seed is None:
            seed = make_default_seed()
        elif not isinstance(seed, int):  # as Keras: a numpy integer is refused too
            raise ValueError("`seed` argument should be an instance of `keras.random.SeedGenerator()` or an "
                             f"integer. Received: seed={seed}")
        self.seed = int(seed)

    def _generator(self) -> torch.Generator:
        return torch.Generator().manual_seed(self.seed)

    def get_config(self) -> dict:
        return {"seed": ser.serialize_keras_object(self._init_seed)}


def require_float(init: Initializer, dtype: torch.dtype) -> None:
    """Random initializers draw floating point values only."""
    if not dtype.is_floating_point:
        raise ValueError(f"{type(init).__name__} can only produce floating point values. Received: "
                         f"dtype={dtypes.from_torch(dtype).name}")


def sampling_dtype(dtype: torch.dtype) -> torch.dtype:
    # The CPU has no half-precision kernels for some samplers (erfinv, qr): draw in float32.
    return torch.float64 if dtype == torch.float64 else torch.float32
