"""Interleaved best-of timing shared by the layer benchmarks.

Every case holds several statements (kerastorch's ways and torch's); samples of all
statements of all cases alternate, round after round, so load from other processes
hits every side alike, and the best sample of each statement counts.
"""

from __future__ import annotations

import argparse
import math
import timeit


def add_arguments(parser: argparse.ArgumentParser, number: int, repeat: int, rounds: int) -> None:
    """The `--number/--repeat/--rounds` options with a benchmark's defaults."""
    parser.add_argument("--number", type=int, default=number, help="steps per sample")
    parser.add_argument("--repeat", type=int, default=repeat, help="samples per case and round")
    parser.add_argument("--rounds", type=int, default=rounds, help="passes over all cases (the best sample counts)")


def best_times(steps: dict, number: int, repeat: int, rounds: int) -> dict:
    """`{case: [best seconds per call of each statement]}` after one warm-up call each."""
    best = {name: [math.inf] * len(fns) for name, fns in steps.items()}
    for fns in steps.values():
        for fn in fns:
            fn()
    for _ in range(rounds):
        for name, fns in steps.items():
            for _ in range(repeat):
                for i, fn in enumerate(fns):
                    best[name][i] = min(best[name][i], timeit.timeit(fn, number=number) / number)
    return best
