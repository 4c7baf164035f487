"""Eager op overhead of kerastorch against raw torch on small (8x8 float32) tensors.

Each op is timed as one statement with `timeit` (the best of many samples after a
warm-up; kerastorch and torch samples interleaved, all cases taking turns, so machine
load hits both sides alike) and reported in microseconds per op with the ratio
kerastorch / torch. On 8x8 tensors the
compute is negligible, so the ratio measures what the facade adds (unwrap, dtype
checks, wrap). Ops kerastorch does not have yet are skipped with a note.

Usage: python bench/eager_ops.py [--number N] [--repeat R] [--rounds K]
"""

from __future__ import annotations

import argparse
import math
import timeit
from typing import NamedTuple

import numpy as np
import torch

import kerastorch as tf
from kerastorch.framework import device

TARGET = 1.5  # kerastorch may cost at most this many times raw torch per op


class Case(NamedTuple):
    name: str
    kerastorch: str  # statement timed with `tf`, `a`, `b`, `values` (and `add`, `mm`)
    torch: str  # the same with `torch`, `x`, `y`, `values`, `dev` (and `add`, `mm`)
    ops: int = 1  # ops per statement
    number: int | None = None  # statements per repeat; None: --number


CASES = [
    Case("tf.add", "tf.add(a, b)", "torch.add(x, y)"),
    Case("tf.multiply", "tf.multiply(a, b)", "torch.mul(x, y)"),
    Case("tf.matmul", "tf.matmul(a, b)", "torch.matmul(x, y)"),
    Case("tf.nn.relu", "tf.nn.relu(a)", "torch.relu(x)"),
    Case("tf.reduce_sum", "tf.reduce_sum(a)", "torch.sum(x)"),
    Case("tf.reduce_sum axis=0", "tf.reduce_sum(a, axis=0)", "torch.sum(x, dim=0)"),
    Case("tf.reshape", "tf.reshape(a, (4, 16))", "torch.reshape(x, (4, 16))"),
    Case("tf.transpose", "tf.transpose(a)", "torch.permute(x, (1, 0))"),
    Case("t[0]", "a[0]", "x[0]"),
    Case("a + b", "a + b", "x + y"),
    Case("tf.constant(list)", "tf.constant(values)", "torch.tensor(values, device=dev)"),
    # The loop of shared/bench/workloads.py `run_eager`: 5000 x (add + matmul), per op.
    Case("eager loop add+matmul", "add(a, b); mm(a, b)", "add(x, y); mm(x, y)", ops=2, number=5000),
]


def namespaces() -> tuple[dict, dict]:
    """The variables the kerastorch and the torch statements run with."""
    dev = device.current()
    values = np.arange(64, dtype=np.float32).reshape(8, 8).tolist()
    ones = np.ones((8, 8), dtype=np.float32)
    kt = {"tf": tf, "a": tf.constant(ones), "b": tf.constant(ones), "values": values}
    raw = {"torch": torch, "x": torch.ones((8, 8), device=dev), "y": torch.ones((8, 8), device=dev),
           "values": values, "dev": dev, "add": torch.add, "mm": torch.matmul}
    if hasattr(tf, "add") and hasattr(tf, "matmul"):
        kt.update(add=tf.add, mm=tf.matmul)
    return kt, raw


def missing(stmt: str, scope: dict) -> str | None:
    """Why `stmt` cannot run on kerastorch yet (a missing name), or None if it runs."""
    try:
        exec(stmt, dict(scope))
    except (AttributeError, NameError) as exc:
        return str(exc)
    return None


def measure(cases, kt_scope, raw_scope, number, repeat, rounds) -> dict:
    """Best seconds per statement of each case on each side: {name: [kerastorch, torch]}.

    The cases take turns (`rounds` passes over all of them, `repeat` interleaved
    kerastorch/torch samples per case per pass), so a burst of load on the machine
    spoils a few samples of many cases rather than every sample of one.
    """
    timers = {c.name: (timeit.Timer(c.kerastorch, globals=kt_scope), timeit.Timer(c.torch, globals=raw_scope),
                       c.number or number) for c in cases}
    best = {name: [math.inf, math.inf] for name in timers}
    for kt, raw, n in timers.values():  # warm-up
        kt.timeit(n // 5 + 1)
        raw.timeit(n // 5 + 1)
    for _ in range(rounds):
        for name, (kt, raw, n) in timers.items():
            for _ in range(repeat):
                best[name][0] = min(best[name][0], kt.timeit(n) / n)
                best[name][1] = min(best[name][1], raw.timeit(n) / n)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=500, help="statements per sample")
    parser.add_argument("--repeat", type=int, default=5, help="samples per case and round")
    parser.add_argument("--rounds", type=int, default=8, help="passes over all cases (the best sample counts)")
    args = parser.parse_args(argv)
    kt_scope, raw_scope = namespaces()
    print(f"kerastorch eager op overhead, 8x8 float32 on {device.current()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; best of {args.rounds * args.repeat} samples")
    runnable, skipped = [], []
    for case in CASES:
        why = missing(case.kerastorch, kt_scope)
        if why:
            skipped.append(f"{case.name} ({why})")
        else:
            runnable.append(case)
    best = measure(runnable, kt_scope, raw_scope, args.number, args.repeat, args.rounds)
    print(f"{'op':<24}{'kerastorch us/op':>18}{'torch us/op':>13}{'ratio':>8}")
    ratios, slow = [], []
    for case in runnable:
        kt_s, raw_s = best[case.name]
        ratios.append(kt_s / raw_s)
        if ratios[-1] > TARGET:
            slow.append(case.name)
        print(f"{case.name:<24}{kt_s / case.ops * 1e6:>18.2f}{raw_s / case.ops * 1e6:>13.2f}{ratios[-1]:>7.2f}x")
    if ratios:
        geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"geometric mean ratio over {len(ratios)} ops: {geomean:.2f}x (target <= {TARGET}x)")
    print(f"over {TARGET}x: {', '.join(slow) or 'none'}")
    for line in skipped:
        print(f"skipped, not in kerastorch yet: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
