"""One optimizer step: kerastorch's optimizers against `torch.optim` with `foreach=True`.

For the parameters of an MLP, with fixed gradients, one step of
- `optimizer.apply_raw(grads, variables)`: the fit loop's entry point (torch tensors);
- `optimizer.apply_gradients(zip(grads, variables))`: the public Keras call (kerastorch tensors);
- `torch.optim.<Same>(params, foreach=True).step()` with the gradients in `.grad`.

MLPs: `mlp10` 64-128-128-128-128-10 (10 tensors), `mlp_mnist` 784-256-128-10 and
`mlp_tiny` 4-16-8-1 (6 tensors each; the fit benchmark's workloads). Optimizers: Adam
and SGD with momentum (Keras's formulas: Adam's epsilon placement differs from torch's).

Usage: python bench/optimizers.py [--number N] [--repeat R] [--rounds K]
"""

from __future__ import annotations

import argparse

import _timing
import torch

import kerastorch as tf
from kerastorch.keras import optimizers
from kerastorch.keras.engine.variables import KerasVariable

MLPS = {"mlp10": [64, 128, 128, 128, 128, 10], "mlp_mnist": [784, 256, 128, 10], "mlp_tiny": [4, 16, 8, 1]}
OPTIMIZERS = {
    "Adam": (lambda: optimizers.Adam(1e-3), lambda params: torch.optim.Adam(params, 1e-3, foreach=True)),
    "SGD momentum": (lambda: optimizers.SGD(0.01, momentum=0.9),
                     lambda params: torch.optim.SGD(params, 0.01, momentum=0.9, foreach=True)),
}


def _case(widths: list, make_keras, make_torch):
    generator = torch.Generator().manual_seed(0)
    shapes = [s for a, b in zip(widths, widths[1:]) for s in ((a, b), (b,))]
    values = [torch.randn(s, generator=generator) * 0.1 for s in shapes]
    grads = [torch.randn(s, generator=generator) * 0.01 for s in shapes]
    variables = [KerasVariable(v.clone(), name=f"w{i}") for i, v in enumerate(values)]
    facade_grads = [tf.constant(g.numpy()) for g in grads]
    keras_raw, keras_public = make_keras(), make_keras()
    keras_public.build(variables)
    params = [torch.nn.Parameter(v.clone()) for v in values]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch_optimizer = make_torch(params)
    return [lambda: keras_raw.apply_raw(grads, variables),
            lambda: keras_public.apply_gradients(zip(facade_grads, variables)),
            torch_optimizer.step]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _timing.add_arguments(parser, number=200, repeat=5, rounds=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    steps = {(opt, mlp): _case(widths, *makers) for opt, makers in OPTIMIZERS.items()
             for mlp, widths in MLPS.items()}
    best = _timing.best_times(steps, args.number, args.repeat, args.rounds)
    print("| optimizer | MLP | apply_raw us | apply_gradients us | torch.optim foreach us | raw / torch |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for (opt, mlp), (raw, public, ref) in best.items():
        print(f"| {opt} | {mlp} | {raw * 1e6:.1f} | {public * 1e6:.1f} | {ref * 1e6:.1f} | {raw / ref:.2f}x |")


if __name__ == "__main__":
    main()
