"""kerastorch against TensorFlow 2.21 on every op parity case (fixtures from generate_ops.py).

Each case of `cases_ops.py` is run under kerastorch with the inputs stored in the
fixtures and compared with what TF recorded: the same output structure, dtypes and
shapes exactly, strings exactly, values within the tolerance of the dtype (or the
case's own, with its reason), the same gradients (None where TF gives None), and for an
error case the same exception class.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat import harness
from compat.cases_ops import CASES

FIXTURES = Path(__file__).parent / "fixtures"
META = json.loads((FIXTURES / "ops.json").read_text())["cases"]
with np.load(FIXTURES / "ops.npz") as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}

# (rtol, atol) per dtype: DESIGN.md's float32 numbers for single ops, and the same
# few-ulp margin for the other float widths. Integers, bools and strings are exact.
TOLERANCES = {
    "float16": (1e-3, 1e-3),
    "bfloat16": (1e-2, 1e-2),
    "float32": (1e-5, 1e-6),
    "float64": (1e-10, 1e-12),
    "complex64": (1e-5, 1e-6),
    "complex128": (1e-10, 1e-12),
}


def _inputs(case_id: str) -> dict:
    prefix = f"{case_id}/in."
    return {key[len(prefix):]: arr for key, arr in ARRAYS.items() if key.startswith(prefix)}


def _summary(outcome: dict) -> str:
    if "error" in outcome:
        exc = outcome["error"]
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    meta, _ = harness.record(outcome)
    return json.dumps(meta["outputs"], sort_keys=True)[:300]


def _compare(case: dict, key: str, want: dict, got: dict, actual) -> None:
    assert got["kind"] == want["kind"], f"{key}: kind {got['kind']} (TF: {want['kind']})"
    if want["kind"] not in ("tensor", "ndarray"):
        assert got == want, f"{key}: {got} (TF: {want})"
        return
    assert got["dtype"] == want["dtype"], f"{key}: dtype {got['dtype']} (TF: {want['dtype']})"
    assert got["shape"] == want["shape"], f"{key}: shape {got['shape']} (TF: {want['shape']})"
    if "strings" in want:
        assert got.get("strings") == want["strings"], f"{key}: {got.get('strings')} (TF: {want['strings']})"
        return
    expected = ARRAYS[f"{case['id']}/{key}"]
    try:
        if want["dtype"] in TOLERANCES:
            rtol, atol = TOLERANCES[want["dtype"]]
            if case.get("rtol") is not None:
                rtol, atol = case["rtol"], case["atol"]
            np.testing.assert_allclose(np.asarray(actual, expected.dtype), expected, rtol=rtol, atol=atol,
                                       equal_nan=True, strict=True)
        else:
            np.testing.assert_array_equal(actual, expected, strict=True)
    except AssertionError as exc:
        got_text, want_text = (np.array2string(np.asarray(a), separator=", ")[:200] for a in (actual, expected))
        raise AssertionError(f"{key}: {got_text} (TF: {want_text}){exc}") from None


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_op_parity(case):
    fixture = META.get(case["id"])
    assert fixture is not None, "no fixture: run .venv-tf/bin/python compat/generate_ops.py"
    assert fixture["signature"] == harness.signature(case), "stale fixture: regenerate it"
    outcome = harness.run_case(case, tf, _inputs(case["id"]))
    if "error" in fixture:
        want = fixture["error"]
        assert "error" in outcome, f"TF raises {want['class']}; kerastorch gives {_summary(outcome)}"
        got = type(outcome["error"]).__name__
        assert got == want["class"], f"{got}: {outcome['error']} (TF: {want['class']}: {want['message']})"
        return
    meta, arrays = harness.record(outcome)
    got_outputs, want_outputs = meta["outputs"], fixture["outputs"]
    assert sorted(got_outputs) == sorted(want_outputs), f"outputs {_summary(outcome)} (TF: {want_outputs})"
    for key, want in sorted(want_outputs.items()):
        _compare(case, key, want, got_outputs[key], arrays.get(key))
