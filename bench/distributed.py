"""`fit` throughput on 2 CPU processes (gloo, DistributedDataParallel) against 1 process.

Trains an MLP (784-512-512-10, Adam) under `tf.distribute.MirroredStrategy` on synthetic
MNIST-sized data, three ways, each in fresh processes:

- 1 process, 1 torch thread (one core's worth);
- 1 process, `--threads` torch threads (the whole machine, the usual single-process run);
- 2 processes launched by `kerastorch run --nproc-per-node 2` (torch's launcher, gloo),
  1 thread each, every global batch split in two;

and, as the reference, the hand-written PyTorch DDP loop on the same model and batches in 2
processes (`torch.distributed.run`, gloo, `torch.optim.Adam`, no metrics).

Each run trains one warm-up epoch, then times `--epochs` epochs; the table shows samples per
second (the best of `--rounds`) and the ratios of the 2-process kerastorch run to the others.

Usage: python bench/distributed.py [--rounds K] [--epochs E] [--samples N] [--batch-sizes B ...]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

FIGURE = re.compile(r"^samples_per_s=([\d.]+)$", re.MULTILINE)


def worker(samples: int, batch_size: int, epochs: int) -> None:
    """One process's part: fit under the strategy and (on the chief) print the throughput."""
    import numpy as np

    import kerastorch as tf

    strategy = tf.distribute.MirroredStrategy()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(samples, 784)).astype("float32")
    y = rng.integers(0, 10, size=samples)
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((784,)), tf.keras.layers.Dense(512, activation="relu"),
                                     tf.keras.layers.Dense(512, activation="relu"),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
    seconds = time.perf_counter() - start
    if strategy.extended.should_checkpoint:
        print(f"samples_per_s={samples * epochs / seconds:.1f}")


def torch_worker(samples: int, batch_size: int, epochs: int) -> None:
    """The hand-written DDP loop: each process steps on its half of every global batch."""
    import torch
    import torch.distributed as dist

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                                torch.nn.ReLU(), torch.nn.Linear(512, 10))
    model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.Adam(model.parameters(), 1e-3, foreach=True)
    x, y = torch.randn(samples, 784), torch.randint(0, 10, (samples,))
    share = batch_size // world

    def epoch() -> None:
        for start in range(rank * share, samples, batch_size):
            loss = torch.nn.functional.cross_entropy(model(x[start:start + share]), y[start:start + share])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()

    epoch()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(f"samples_per_s={samples * epochs / seconds:.1f}")
    dist.destroy_process_group()


def measure(processes: int, threads: int, args, batch_size: int, frontend: str = "kerastorch") -> float:
    """Samples per second of one run in fresh processes."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    launcher = ["--nproc-per-node", str(processes)] if processes > 1 else []
    runner = ["kerastorch", "run"] if frontend == "kerastorch" else ["torch.distributed.run"]
    command = [sys.executable, "-m", *runner, *launcher, os.path.abspath(__file__), f"--{frontend}-worker",
               "--samples", str(args.samples), "--epochs", str(args.epochs), "--batch-sizes", str(batch_size)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return float(FIGURE.search(out).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs per configuration (the best counts)")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per run")
    parser.add_argument("--samples", type=int, default=16384, help="training samples")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 256, 1024], help="global batch sizes")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads of the multi-thread run")
    parser.add_argument("--kerastorch-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.kerastorch_worker or args.torch_worker:
        (worker if args.kerastorch_worker else torch_worker)(args.samples, args.batch_sizes[0], args.epochs)
        return 0
    configurations = {"kt 1p x 1t": (1, 1, "kerastorch"), f"kt 1p x {args.threads}t": (1, args.threads, "kerastorch"),
                      "kt 2p x 1t": (2, 1, "kerastorch"), "torch DDP 2p x 1t": (2, 1, "torch")}
    print(f"{'batch':<7}" + "".join(f"{name:>19}" for name in configurations)
          + f"{'kt 2p / 1x1':>13}{f'kt 2p / 1x{args.threads}':>13}{'kt / torch':>12}")
    for batch_size in args.batch_sizes:
        best = dict.fromkeys(configurations, 0.0)
        for _ in range(args.rounds):
            for name, (processes, threads, frontend) in configurations.items():
                best[name] = max(best[name], measure(processes, threads, args, batch_size, frontend))
        one, many, two, torch_two = best.values()
        print(f"{batch_size:<7}" + "".join(f"{value:>13.0f} smp/s" for value in best.values())
              + f"{two / one:>12.2f}x{two / many:>12.2f}x{two / torch_two:>11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
