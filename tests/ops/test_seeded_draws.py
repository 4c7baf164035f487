"""The layers' random draws: from the seed's generator, and the same numbers inside a compiled function."""

import pytest
import torch

from kerastorch.ops import random_ops, seeded_draws

SHAPE = (3, 5)


def _draws():
    return [seeded_draws.bernoulli(SHAPE, 0.7, torch.float32, torch.device("cpu"), 11),
            seeded_draws.normal(SHAPE, 1.0, 0.5, torch.float32, torch.device("cpu"), 12),
            seeded_draws.uniform(SHAPE, torch.float64, torch.device("cpu"), 13)]


def test_draws_come_from_the_seeds_generators():
    random_ops.set_seed(5)
    got = _draws()
    random_ops.set_seed(5)
    want = [torch.empty(SHAPE).bernoulli_(0.7, generator=random_ops.generator(11, "cpu")),
            torch.normal(1.0, 0.5, SHAPE, generator=random_ops.generator(12, "cpu")),
            torch.rand(SHAPE, dtype=torch.float64, generator=random_ops.generator(13, "cpu"))]
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        torch.testing.assert_close(g, w, rtol=0, atol=0)


@pytest.mark.parametrize("backend", ["eager", "aot_eager"])
def test_a_compiled_function_draws_what_eager_draws(backend):
    random_ops.set_seed(5)
    eager = [_draws(), _draws()]  # the second call draws the generators' next numbers
    compiled = torch.compile(_draws, backend=backend, fullgraph=True)  # fullgraph: no graph break
    random_ops.set_seed(5)
    for want in eager:
        for g, w in zip(compiled(), want):
            torch.testing.assert_close(g, w, rtol=0, atol=0)
