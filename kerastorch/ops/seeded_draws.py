"""Random draws from the seeded generators of `random_ops`, also inside a compiled step.

The layers' random ops (Dropout's mask, GaussianNoise's noise, an RNN cell's dropout
masks) draw from the torch generator of their seed, so TF's seeding rules hold and
torch's global generator is untouched. `torch.compile` cannot trace a call that takes a
generator; inside a compiled step (`jit_compile=True`) a draw is therefore one opaque
custom op, `kerastorch::draw`, that draws from the same generator when the step runs.
A compiled step thus draws the numbers the eager step draws. The op is tagged as
random, so AOTAutograd saves its result for the backward pass rather than drawing again.
"""

from __future__ import annotations

import torch

from kerastorch.ops import random_ops


def bernoulli(shape, p: float, dtype: torch.dtype, device: torch.device, seed) -> torch.Tensor:
    """1 with probability `p`, else 0, in `dtype`."""
    return _draw("bernoulli", shape, p, 0.0, dtype, device, seed)


def normal(shape, mean: float, stddev: float, dtype: torch.dtype, device: torch.device, seed) -> torch.Tensor:
    """Normal values of the given mean and standard deviation."""
    return _draw("normal", shape, mean, stddev, dtype, device, seed)


def uniform(shape, dtype: torch.dtype, device: torch.device, seed) -> torch.Tensor:
    """Uniform values in [0, 1)."""
    return _draw("uniform", shape, 0.0, 1.0, dtype, device, seed)


def _draw(kind: str, shape, a: float, b: float, dtype: torch.dtype, device: torch.device, seed) -> torch.Tensor:
    if torch.compiler.is_compiling():
        return _draw_op(kind, list(shape), a, b, dtype, device, seed)
    return _eager_draw(kind, shape, a, b, dtype, device, seed)


def _eager_draw(kind: str, shape, a: float, b: float, dtype: torch.dtype, device: torch.device,
                seed) -> torch.Tensor:
    generator = random_ops.generator(seed, device)
    if kind == "bernoulli":
        return torch.empty(shape, dtype=dtype, device=device).bernoulli_(a, generator=generator)
    if kind == "normal":
        return torch.normal(a, b, tuple(shape), generator=generator, dtype=dtype, device=device)
    return torch.rand(tuple(shape), generator=generator, dtype=dtype, device=device)


@torch.library.custom_op("kerastorch::draw", mutates_args=(), tags=(torch.Tag.nondeterministic_seeded,))
def _draw_op(kind: str, shape: list[int], a: float, b: float, dtype: torch.dtype, device: torch.device,
             seed: int | None) -> torch.Tensor:
    return _eager_draw(kind, shape, a, b, dtype, device, seed)


@_draw_op.register_fake
def _(kind, shape, a, b, dtype, device, seed):
    return torch.empty(shape, dtype=dtype, device=device)
