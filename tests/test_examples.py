"""Every script under examples/ prints under `kerastorch run` what TensorFlow printed.

The TensorFlow outputs are stored in compat/examples/ by compat/generate_examples.py
(run under real TensorFlow 2.21). Lines are compared in order with the rule of
shared/tools/tfdiff: text exactly (spaces aside), numbers within abs 2e-3 + rel 1e-3.
The scripts run in subprocesses, a few at a time, started when the first test asks.
"""

import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OUTPUTS = ROOT / "compat" / "examples"
SCRIPTS = sorted(EXAMPLES.rglob("*.py"))
NUM = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:e[-+]?\d+)?|-?nan|-?inf", re.I)


def _name(script: Path) -> str:
    return script.relative_to(EXAMPLES).with_suffix("").as_posix()


def same_line(got: str, want: str) -> bool:
    """tfdiff's rule: equal text around the numbers, numbers within abs 2e-3 + rel 1e-3."""
    if NUM.sub("#", got).replace(" ", "") != NUM.sub("#", want).replace(" ", ""):
        return False
    for x, y in zip(NUM.findall(got), NUM.findall(want)):
        fx, fy = float(x), float(y)
        if not ((math.isnan(fx) and math.isnan(fy)) or fx == fy or abs(fx - fy) <= 2e-3 + 1e-3 * abs(fy)):
            return False
    return True


def _kerastorch_run(script: Path) -> subprocess.CompletedProcess:
    # Scripts run two at a time: one torch thread each keeps them from stalling each other.
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "kerastorch", "run", str(script)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env=env)


@pytest.fixture(scope="module")
def runs(request):
    """The `kerastorch run` of each selected example, by script, all started at once."""
    selected = {item.callspec.params["script"] for item in request.session.items
                if hasattr(item, "callspec") and "script" in item.callspec.params}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield {script: pool.submit(_kerastorch_run, script) for script in sorted(selected)}


@pytest.mark.parametrize("script", SCRIPTS, ids=[_name(s) for s in SCRIPTS])
def test_example_prints_what_tensorflow_printed(script, runs):
    expected = OUTPUTS / script.relative_to(EXAMPLES).with_suffix(".out")
    assert expected.exists(), f"no TF output for {_name(script)}: run compat/generate_examples.py under TF"
    proc = runs[script].result()
    assert proc.returncode == 0, proc.stderr[-3000:]
    want = expected.read_text().splitlines()
    got = proc.stdout.splitlines()
    bad = [f"line {i + 1}:\n  tf: {w}\n  kt: {g}" for i, (g, w) in enumerate(zip(got, want))
           if not same_line(g, w)]
    assert not bad, "\n".join(bad)
    assert len(got) == len(want), f"{len(got)} lines printed, TensorFlow printed {len(want)}"


def test_every_stored_output_has_its_example():
    stored = {p.relative_to(OUTPUTS).with_suffix("").as_posix() for p in OUTPUTS.rglob("*.out")}
    assert stored == {_name(s) for s in SCRIPTS}


@pytest.mark.parametrize(("got", "want", "match"), [
    ("tf.Tensor([5 7 9], shape=(3,), dtype=int32)", "tf.Tensor([5 7 9], shape=(3,), dtype=int32)", True),
    ("tf.Tensor([ 6 15], shape=(2,))", "tf.Tensor([6 15], shape=(2,))", True),
    ("[[2. 4.]]", "[[2.001 4.]]", True),
    ("1000.0", "1000.9", True),
    ("1.0", "1.01", False),
    ("nan", "nan", True),
    ("dtype=int32", "dtype=int64", False),
    ("<dtype: 'float32'>", "<dtype: 'float64'>", False),
], ids=["equal", "spaces", "abs-tolerance", "rel-tolerance", "outside-tolerance", "nan", "text", "dtype-text"])
def test_line_comparison_rule(got, want, match):
    assert same_line(got, want) is match
