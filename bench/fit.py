"""`fit` speed on the shared workloads: kerastorch (and Keras 3 on torch) against the hand-written PyTorch loop.

Runs `shared/bench/workloads.py` (the project's fixed workloads: mlp_tiny, mlp_mnist,
cnn, lstm, predict) under each frontend, alternating, and prints ms per step and the
ratios to the torch loop. Each frontend runs in its own process, so neither warms the
other's caches. Keras 3 on its torch backend is measured too when an interpreter with
`keras` and the same torch is given (`--keras-python`, default `.venv-keras/bin/python`
if it exists; make it with `python3 -m venv .venv-keras && .venv-keras/bin/pip install
torch==2.13.0 keras==3.15.1`).

Usage: python bench/fit.py [--rounds K] [--keras-python PATH] [WORKLOAD ...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

WORKLOADS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "workloads.py"
DEFAULT = ["mlp_tiny", "mlp_mnist", "cnn", "lstm", "predict"]
KERAS_PYTHON = Path(__file__).resolve().parents[1] / ".venv-keras" / "bin" / "python"
FIGURE = re.compile(r"^(\S+) (\S+) (?:ms_per_step|ms)=([\d.]+)")


def run(frontend: str, workloads: list, python: str = sys.executable) -> dict:
    """`{workload: ms}` from one run of the workloads script."""
    out = subprocess.run([python, str(WORKLOADS), frontend, *workloads], capture_output=True, text=True,
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
    parser.add_argument("--keras-python", default=str(KERAS_PYTHON) if KERAS_PYTHON.exists() else None,
                        help="an interpreter with keras 3 and torch (measures keras-torch)")
    parser.add_argument("workloads", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    pythons = {"kerastorch": sys.executable, "torch": sys.executable}
    if args.keras_python:
        pythons["keras-torch"] = args.keras_python
    best = {frontend: {} for frontend in pythons}
    for _ in range(args.rounds):
        for frontend, python in pythons.items():
            for name, ms in run(frontend, args.workloads, python).items():
                best[frontend][name] = min(best[frontend].get(name, ms), ms)
    header = f"{'workload':<12}{'kerastorch ms':>15}{'torch ms':>10}{'ratio':>8}"
    if "keras-torch" in best:
        header += f"{'keras-torch ms':>16}{'ratio':>8}"
    print(header)
    for name in args.workloads:
        kt, pt = best["kerastorch"].get(name), best["torch"].get(name)
        if kt is None or pt is None:
            print(f"{name:<12}{'-':>15}{'-':>10}")
            continue
        line = f"{name:<12}{kt:>15.3f}{pt:>10.3f}{kt / pt:>7.2f}x"
        k3 = best.get("keras-torch", {}).get(name)
        if k3 is not None:
            line += f"{k3:>16.3f}{k3 / pt:>7.2f}x"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
