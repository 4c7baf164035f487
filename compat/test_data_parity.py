"""`tf.data` pipelines against TensorFlow (compat/fixtures/data.json, from `compat/generate_data.py`).

Each case's expression runs with kerastorch; the repr, element spec, cardinality and
element values of a dataset must equal TF's (floats to 1e-6 relative), and an error
case must raise the same error class.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import kerastorch
from compat.generate_data import CASES, run_case
from kerastorch.framework.tensor_spec import TensorSpec
from kerastorch.keras.utils.split_dataset import split_dataset

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "data.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]
SCOPE = {"tf": kerastorch, "np": np, "TensorSpec": TensorSpec, "split_dataset": split_dataset}


def _assert_same(got, want, where="result"):
    if isinstance(want, float) and isinstance(got, (int, float)):
        assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-7), f"{where}: {got} != {want}"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{where}: {got} != {want}"
        for key in want:
            _assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got} != {want}"
        for index, (a, b) in enumerate(zip(got, want)):
            _assert_same(a, b, f"{where}[{index}]")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def test_fixture_matches_cases():
    """A case edited without regenerating the fixture fails here."""
    assert {k: v["expression"] for k, v in EXPECTED.items()} == dict(CASES)


@pytest.mark.parametrize(("case_id", "expression"), CASES, ids=[c[0] for c in CASES])
def test_pipeline_matches_tf(case_id, expression):
    want = EXPECTED[case_id]
    got = run_case(case_id, expression, SCOPE)
    if "error" in want:
        assert got.get("error") == want["error"], f"TF raised {want['error']}: {want['message']}; got {got}"
        return
    assert "error" not in got, got
    _assert_same(got["result"], want["result"])
