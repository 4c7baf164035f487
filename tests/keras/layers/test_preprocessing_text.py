"""StringLookup, Hashing and TextVectorization on strings against TensorFlow (compat/fixtures/preprocessing_text.json).

The fixture comes from `compat/generate_preprocessing.py` run under TF 2.21; each case is
run here with kerastorch through the same `run_text_case`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_preprocessing import run_text_case
from compat.layer_cases.preprocessing import TEXT_CASES
from kerastorch import keras

FIXTURE = Path(__file__).resolve().parents[3] / "compat" / "fixtures" / "preprocessing_text.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c["id"] for c in TEXT_CASES])
def test_string_layer_matches_tf(case):
    want = EXPECTED[case["id"]]
    got = run_text_case(case, tf, keras)
    if "error" in want:
        assert got.get("error") == want["error"]
        return
    assert "error" not in got, got
    for key in ("dtype", "shape"):
        assert got["output"][key] == want["output"][key]
    if want["output"]["dtype"] == "float32":
        np.testing.assert_allclose(got["output"]["values"], want["output"]["values"], rtol=1e-6, atol=1e-6)
    else:
        assert got["output"]["values"] == want["output"]["values"]
    assert got.get("vocabulary") == want.get("vocabulary")
    assert got.get("vocabulary_size") == want.get("vocabulary_size")
    assert got["config"].keys() == want["config"].keys()
    for key, value in want["config"].items():
        if key == "idf_weights" and value is not None:
            np.testing.assert_allclose(got["config"][key], value, rtol=1e-6)
        else:
            assert got["config"][key] == value, key
    assert got.get("symbolic") == want.get("symbolic")
