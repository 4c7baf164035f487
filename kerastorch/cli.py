"""The `kerastorch` command: `kerastorch run SCRIPT [ARGS...]` and `kerastorch doctor`.

`run` executes an unmodified TensorFlow script with `tensorflow` (and `keras`)
imports resolving to kerastorch, with `sys.argv`, `__main__` and the import path as if
run by python. A failing script exits with status 1 after its traceback (from the
script's own frames on), followed by the TF name kerastorch lacks when that is the cause.
Given launcher options (`--nproc-per-node N`, `--nnodes M`, ...), `run` starts the script
in N processes per machine through torch's launcher (`torch.distributed.run`), each worker
being `python -m kerastorch run SCRIPT`, so the import aliasing holds in every one.
`doctor` prints versions, devices and import resolution (`kerastorch.doctor`).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.util
import os
import re
import runpy
import sys
import traceback
import types

from kerastorch import _missing

# Top-level names that resolve to kerastorch modules during `kerastorch run`.
_ALIASES = {"tensorflow": "kerastorch", "keras": "kerastorch.keras"}
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds `tensorflow[.x.y]` as `kerastorch[.x.y]` (and `keras` as `kerastorch.keras`)."""

    def __init__(self):
        self._real_specs = {}

    def find_spec(self, fullname, path=None, target=None):
        head, _, rest = fullname.partition(".")
        if head not in _ALIASES:
            return None
        real = _ALIASES[head] + ("." + rest if rest else "")
        if importlib.util.find_spec(real.rsplit(".", 1)[0] if "." in real else real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        head, _, rest = spec.name.partition(".")
        real = _ALIASES[head] + ("." + rest if rest else "")
        try:
            module = importlib.import_module(real)
        except ModuleNotFoundError as exc:
            if exc.name != real:  # something the real module imports is missing
                raise
            module = self._namespace_attribute(real)
            if module is None:
                raise ModuleNotFoundError(f"kerastorch does not implement {spec.name} yet "
                                          f"(looked for {real})", name=spec.name) from None
        self._real_specs[spec.name] = module.__spec__
        return module

    @staticmethod
    def _namespace_attribute(real):
        """A namespace that is a module attribute rather than a file (`tf.math` as `import tensorflow.math`)."""
        parent, _, name = real.rpartition(".")
        value = getattr(sys.modules.get(parent), name, None)
        return value if isinstance(value, types.ModuleType) else None

    def exec_module(self, module):
        # The import system stamped the alias spec on the real module; give it back its own.
        module.__spec__ = self._real_specs.pop(module.__spec__.name)


def install() -> None:
    """Makes `import tensorflow` (and `keras`) resolve to kerastorch in this process."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())


# `kerastorch run` options handed to torch's launcher (torchrun's names and meanings).
_LAUNCH_OPTIONS = ("nproc_per_node", "nnodes", "node_rank", "master_addr", "master_port", "rdzv_backend",
                   "rdzv_endpoint", "rdzv_id", "max_restarts")


def _run(args) -> int:
    path = os.path.abspath(args.script)
    if not os.path.isfile(path):
        print(f"kerastorch run: can't open file {args.script!r}: No such file", file=sys.stderr)
        return 2
    if any(getattr(args, name) is not None for name in _LAUNCH_OPTIONS):
        return _launch(args)
    install()
    # As `python SCRIPT`: the script's arguments (runpy sets argv[0] to its path) and its
    # folder first on the import path.
    sys.argv = [args.script, *args.args]
    sys.path[0] = os.path.dirname(path)
    try:
        runpy.run_path(path, run_name="__main__")
    except Exception as exc:  # shown as python shows it, without this module's frames
        traceback.print_exception(type(exc), exc, _script_frames(exc.__traceback__, path))
        hint = _missing_name(exc)
        if hint:
            print(hint, file=sys.stderr)
        return 1
    return 0


def _launch(args) -> int:
    """Runs the script in several processes through torch.distributed.run; 1 if a worker fails."""
    from torch.distributed import run as torchrun
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError

    options = []
    for name in _LAUNCH_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            options += [f"--{name}", str(value)]
    launch = torchrun.parse_args([*options, "--module", "kerastorch", "run", args.script, *args.args])
    try:
        torchrun.run(launch)
    except ChildFailedError:
        return 1
    return 0


def _script_frames(tb, path):
    """The traceback from the first frame of the script on (all of it if none is)."""
    start = tb
    while start is not None and start.tb_frame.f_code.co_filename != path:
        start = start.tb_next
    return tb if start is None else start


def _missing_name(exc) -> str | None:
    """Which TF name kerastorch lacks, when user code asked a kerastorch module for it (and
    the error does not say so already)."""
    if "kerastorch does not implement" in str(exc):
        return None
    if isinstance(exc, ImportError) and (exc.name or "").startswith("kerastorch"):
        imported = re.match(r"cannot import name '(\w+)'", str(exc))
        head, dot, rest = exc.name.partition(".")
        return f"kerastorch does not implement tensorflow{dot}{rest}.{imported.group(1)}" if imported else None
    if not isinstance(exc, AttributeError) or not isinstance(exc.obj, types.ModuleType):
        return None
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if frames and frames[-1] == _missing.__file__:
        frames.pop()  # the namespaces' `__getattr__`: the lookup happened in the frame before
    if frames and frames[-1].startswith(_PACKAGE_DIR):
        return None  # raised inside kerastorch: a bug there, not a missing TF name
    module = exc.obj.__name__
    head, dot, rest = module.partition(".")
    if head != "kerastorch":
        return None
    return f"kerastorch does not implement tensorflow{dot}{rest}.{exc.name}"


def _doctor(args) -> int:
    from kerastorch import doctor

    print(doctor.report(_ALIASES))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="kerastorch", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TensorFlow script on kerastorch")
    launcher = run.add_argument_group("launcher", "start the script in several processes (torchrun's options)")
    launcher.add_argument("--nproc-per-node", "--nproc_per_node", dest="nproc_per_node",
                          help="processes per machine: a number, or gpu / cpu / auto")
    launcher.add_argument("--nnodes", help="machines (or MIN:MAX)")
    launcher.add_argument("--node-rank", "--node_rank", dest="node_rank", type=int, help="this machine's rank")
    launcher.add_argument("--master-addr", "--master_addr", dest="master_addr",
                          help="the address of the machine of rank 0")
    launcher.add_argument("--master-port", "--master_port", dest="master_port", type=int,
                          help="a free port on that machine")
    launcher.add_argument("--rdzv-backend", "--rdzv_backend", dest="rdzv_backend",
                          help="rendezvous backend (c10d for elastic multi-machine runs)")
    launcher.add_argument("--rdzv-endpoint", "--rdzv_endpoint", dest="rdzv_endpoint",
                          help="rendezvous host:port")
    launcher.add_argument("--rdzv-id", "--rdzv_id", dest="rdzv_id", help="the job's id, the same on every machine")
    launcher.add_argument("--max-restarts", "--max_restarts", dest="max_restarts", type=int,
                          help="restarts of the worker group after a failure")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    run.set_defaults(handler=_run)
    doctor = commands.add_parser("doctor", help="show versions, devices and what tensorflow imports resolve to")
    doctor.set_defaults(handler=_doctor)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
