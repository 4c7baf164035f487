"""`fit` with `jit_compile=True` against eager `fit`, per step, on the shared workloads.

Each workload's model is the one of `shared/bench/workloads.py` (built and compiled by
its `keras_model`), then `model.jit_compile` is set (Keras's own switch) for the compiled
run. As `workloads.py` does, one warm-up epoch runs first (for `jit_compile` it holds the
compilation, reported apart) and the following epochs are timed. Each (workload, mode)
runs in its own process, alternating, and the best of `--rounds` counts.

Usage: python bench/jit.py [--rounds K] [WORKLOAD ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

WORKLOADS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "workloads.py"
DEFAULT = ["mlp_tiny", "mlp_mnist", "cnn", "lstm"]


def _workloads_module():
    """`workloads.py` imported for the kerastorch frontend (it reads the frontend from argv)."""
    saved, sys.argv = sys.argv, [str(WORKLOADS), "kerastorch"]
    try:
        spec = importlib.util.spec_from_file_location("workloads", WORKLOADS)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.argv = saved
    return module


def measure(kind: str, jit: bool) -> tuple:
    """(ms per step, seconds of the warm-up epoch, final loss) of one workload in this process."""
    workloads = _workloads_module()
    x, y, batch_size, epochs = workloads.data(kind)
    model = workloads.keras_model(kind)
    model.jit_compile = jit
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    warm_up = time.perf_counter() - start
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
    steps = epochs * ((len(x) + batch_size - 1) // batch_size)
    return (time.perf_counter() - start) / steps * 1e3, warm_up, history.history["loss"][-1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs per workload and mode (the best counts)")
    parser.add_argument("--one", nargs=2, metavar=("WORKLOAD", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("workloads", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    if args.one:
        ms, warm_up, loss = measure(args.one[0], args.one[1] == "jit")
        print(f"{ms} {warm_up} {loss}")
        return 0
    best = {}
    for _ in range(args.rounds):
        for kind in args.workloads:
            for mode in ("eager", "jit"):
                out = subprocess.run([sys.executable, __file__, "--one", kind, mode], capture_output=True,
                                     text=True, check=True).stdout.split()
                ms, warm_up, loss = (float(v) for v in out[-3:])
                previous = best.get((kind, mode))
                if previous is None or ms < previous[0]:
                    best[kind, mode] = (ms, warm_up, loss)
    print(f"{'workload':<12}{'eager ms':>10}{'jit ms':>10}{'jit/eager':>11}{'compile s':>11}"
          f"{'eager loss':>12}{'jit loss':>10}")
    for kind in args.workloads:
        eager, jit = best[kind, "eager"], best[kind, "jit"]
        print(f"{kind:<12}{eager[0]:>10.3f}{jit[0]:>10.3f}{jit[0] / eager[0]:>10.2f}x{jit[1] - eager[1]:>11.1f}"
              f"{eager[2]:>12.4f}{jit[2]:>10.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
