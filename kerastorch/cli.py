"""The `kerastorch` command: `kerastorch run SCRIPT [ARGS...]`.

`run` executes an unmodified TensorFlow script with `tensorflow` (and `keras`)
imports resolving to kerastorch, with `sys.argv` and `__main__` as if run by python.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.util
import runpy
import sys

# Top-level names that resolve to kerastorch modules during `kerastorch run`.
_ALIASES = {"tensorflow": "kerastorch", "keras": "kerastorch.keras"}


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
            raise ModuleNotFoundError(
                f"kerastorch does not implement {spec.name} yet (looked for {real})",
                name=spec.name) from exc
        self._real_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # The import system stamped the alias spec on the real module; give it back its own.
        module.__spec__ = self._real_specs.pop(module.__spec__.name)


def install() -> None:
    """Makes `import tensorflow` (and `keras`) resolve to kerastorch in this process."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())


def _run(args) -> int:
    install()
    sys.argv = [args.script, *args.args]
    runpy.run_path(args.script, run_name="__main__")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="kerastorch", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TensorFlow script on kerastorch")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    run.set_defaults(handler=_run)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
