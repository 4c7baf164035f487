"""Compares kerastorch with TF 2.21 on the cases of `compat/utils_cases.py` (fixture `compat/fixtures/utils.json`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import kerastorch as tf
from compat.utils_cases import CASES, run_case

FIXTURE = Path(__file__).resolve().parents[3] / "compat" / "fixtures" / "utils.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]
# Errors whose message is kerastorch's own (the class is still TF's).
OWN_MESSAGES = {
    # TF fails converting `num_classes=None` to a tensor; kerastorch names the argument.
    "to_categorical_tensor_needs_classes": "`num_classes` is required when `x` is a tensor",
}


def cases(prefix: str) -> list:
    """The `(id, source)` cases whose id starts with `prefix`."""
    return [case for case in CASES if case[0].startswith(prefix)]


def assert_matches_tf(case_id: str, source: str) -> None:
    want = EXPECTED[case_id]
    assert want["source"] == source, "the case changed: rerun compat/generate_utils.py"
    got = run_case(source, tf)
    if "error" in want:
        assert got.get("error") == want["error"], got
        if case_id in OWN_MESSAGES:
            assert OWN_MESSAGES[case_id] in got["message"]
        else:
            assert got["message"] == want["message"]
        return
    assert "error" not in got, got
    assert (got["kind"], got["dtype"], got["shape"]) == (want["kind"], want["dtype"], want["shape"])
    if want["dtype"].startswith("float"):
        rtol = 1e-12 if want["kind"] == "ndarray" and want["dtype"] == "float64" else 1e-6
        np.testing.assert_allclose(got["values"], want["values"], rtol=rtol, atol=0)
    else:
        assert got["values"] == want["values"]


def test_every_case_has_a_fixture():
    assert sorted(EXPECTED) == sorted(case_id for case_id, _ in CASES)
