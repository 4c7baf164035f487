"""`fit` speed on the shared workloads: kerastorch against the hand-written PyTorch loop.

Runs `shared/bench/workloads.py` (the project's fixed workloads: mlp_tiny, mlp_mnist,
cnn, lstm, predict) under both frontends, alternating, and prints ms per step and the
ratio. Each frontend runs in its own process, so neither warms the other's caches.

Usage: python bench/fit.py [--rounds K] [WORKLOAD ...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

WORKLOADS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "workloads.py"
DEFAULT = ["mlp_tiny", "mlp_mnist", "cnn", "lstm", "predict"]
FIGURE = re.compile(r"^(\S+) (\S+) (?:ms_per_step|ms)=([\d.]+)")


def run(frontend: str, workloads: list) -> dict:
    """`{workload: ms}` from one run of the workloads script."""
    out = subprocess.run([sys.executable, str(WORKLOADS), frontend, *workloads], capture_output=True, text=True,
                         check=True).stdout
    figures = {}
    for line in out.splitlines():
        match = FIGURE.match(line)
        if match:
            figures[match.group(1).replace("predict_mnist", "predict")] = float(match.group(3))
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs per frontend (the best counts)")
    parser.add_argument("workloads", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    best = {"kerastorch": {}, "torch": {}}
    for _ in range(args.rounds):
        for frontend in best:
            for name, ms in run(frontend, args.workloads).items():
                best[frontend][name] = min(best[frontend].get(name, ms), ms)
    print(f"{'workload':<12}{'kerastorch ms':>15}{'torch ms':>10}{'ratio':>8}")
    for name in args.workloads:
        kt, pt = best["kerastorch"].get(name), best["torch"].get(name)
        if kt is None or pt is None:
            print(f"{name:<12}{'-':>15}{'-':>10}")
            continue
        print(f"{name:<12}{kt:>15.3f}{pt:>10.3f}{kt / pt:>7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
