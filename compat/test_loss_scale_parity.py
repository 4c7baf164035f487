"""Mixed precision under kerastorch against Keras 3.15 (fixture from generate_loss_scale.py).

Every case of `generate_loss_scale.CASES` runs here on the stored data. Trajectories: the
loss scale, step counter, iterations and `apply_gradients`'s value after every step
exactly (the skipped steps are TF's), the weights and optimizer variables at 1e-5.
Training runs: the optimizer class, the scale / counter / iterations after every batch
exactly (float16 overflow skips the same steps), the output and weight dtypes, and the
weights file layout; the loss history and final weights at rtol 1e-4 (float32), 2e-3
(float16 compute) or 2e-2 (bfloat16 compute: 8 mantissa bits). Values and errors exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_loss_scale import CASES, jsonable, run
from kerastorch import keras
from kerastorch.keras import mixed_precision

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "loss_scale.json").read_text())
EXPECTED = FIXTURE["cases"]
DATA = {key: np.asarray(value, dtype="float32") for key, value in FIXTURE["data"].items()}
TRAJECTORY_TOLERANCE = 1e-5
FIT_TOLERANCE = {"'float32'": 1e-4, "'mixed_float16'": 2e-3, "'mixed_bfloat16'": 2e-2}


def _close(name: str, actual, expected, tolerance: float) -> None:
    np.testing.assert_allclose(np.asarray(actual, dtype="float64"), np.asarray(expected, dtype="float64"),
                               rtol=tolerance, atol=tolerance, err_msg=name)


@pytest.mark.parametrize("spec", CASES, ids=[c["id"] for c in CASES])
def test_loss_scale_parity(spec):
    assert spec["id"] in EXPECTED, "no fixture: run .venv-tf/bin/python compat/generate_loss_scale.py"
    want = jsonable(EXPECTED[spec["id"]])  # a copy: the checks take it apart
    assert want.pop("spec") == jsonable(spec), "the case changed: regenerate the fixture"
    outcome = run(spec, tf, keras, mixed_precision, DATA)
    kind = spec["kind"]
    if kind == "error":
        assert isinstance(outcome, Exception), f"TF raised {want['type']}; kerastorch returned {outcome!r}"
        assert (type(outcome).__name__, str(outcome)) == (want["type"], want["message"])
        return
    if isinstance(outcome, Exception):
        raise outcome
    if kind == "value":
        assert jsonable(outcome) == want["value"]
        return
    if kind == "trajectory":
        _check_trajectory(jsonable(outcome), want)
        return
    _check_fit(jsonable(outcome), want, FIT_TOLERANCE[spec["src"]])


def _check_trajectory(got: dict, want: dict) -> None:
    for step, (g, w) in enumerate(zip(got.pop("steps"), want.pop("steps"), strict=True)):
        for i, (a, b) in enumerate(zip(g.pop("weights"), w.pop("weights"), strict=True)):
            _close(f"step {step} variable {i}", a, b, TRAJECTORY_TOLERANCE)
        assert g == w, f"step {step}"
    for j, (a, b) in enumerate(zip(got.pop("variables"), want.pop("variables"), strict=True)):
        _close(f"optimizer variable {j}", a, b, TRAJECTORY_TOLERANCE)
    assert got == want


def _check_fit(got: dict, want: dict, tolerance: float) -> None:
    _close("loss", got.pop("loss"), want.pop("loss"), tolerance)
    for i, (a, b) in enumerate(zip(got.pop("weights"), want.pop("weights"), strict=True)):
        _close(f"weight {i}", a, b, tolerance)
    assert got == want


def test_every_fixture_has_a_case():
    assert sorted(EXPECTED) == sorted(c["id"] for c in CASES)
