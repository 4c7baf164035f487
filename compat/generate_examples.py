"""Records what real TensorFlow prints for each script under examples/.

Runs every `examples/**/*.py` (written for TensorFlow: `import tensorflow as tf`) with the
TensorFlow interpreter and stores its stdout in `compat/examples/<same path>.out`, which
`tests/test_examples.py` compares with the output of `kerastorch run`. Needs the
TensorFlow environment (default `.venv-tf/bin/python`, tensorflow-cpu 2.21); CI never
runs this.

Usage (from the repository root):
    .venv-tf/bin/python compat/generate_examples.py            # (re)write every .out file
    .venv-tf/bin/python compat/generate_examples.py --check    # only compare, exit 1 on a change
    .venv-tf/bin/python compat/generate_examples.py examples/seed/tensors_01_create.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OUTPUTS = ROOT / "compat" / "examples"


def example_scripts() -> list[Path]:
    """Every example script, in a stable order."""
    return sorted(EXAMPLES.rglob("*.py"))


def output_path(script: Path) -> Path:
    """Where the TensorFlow output of `script` is stored."""
    return OUTPUTS / script.resolve().relative_to(EXAMPLES).with_suffix(".out")


def run_tf(python: str, script: Path) -> str:
    """The stdout of `script` run under TensorFlow; raises if the script fails."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([python, str(script)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=900)
    if proc.returncode:
        raise RuntimeError(f"TensorFlow failed on {script.relative_to(ROOT)} "
                           f"(exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", type=Path, help="default: every example")
    parser.add_argument("--python", default=str(ROOT / ".venv-tf" / "bin" / "python"),
                        help="the interpreter with TensorFlow installed")
    parser.add_argument("--check", action="store_true",
                        help="compare with the stored outputs instead of writing them")
    args = parser.parse_args(argv)
    scripts = [s.resolve() for s in args.scripts] or example_scripts()
    changed = 0
    for script in scripts:
        out = output_path(script)
        text = run_tf(args.python, script)
        old = out.read_text() if out.exists() else None
        status = "same" if text == old else ("new" if old is None else "changed")
        changed += status != "same"
        if not args.check and status != "same":
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text)
        print(f"{status:8s}{out.relative_to(ROOT)}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
