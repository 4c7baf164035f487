"""kerastorch's optimizers and schedules against TF 2.21 / Keras 3.15 (fixtures from generate_optimizers.py).

Every case of `generate_optimizers.CASES` runs under kerastorch with the stored data:
5-step trajectories must match TF's weights after every step and the optimizer's final
state at atol = rtol = 1e-5 (float32 state; integer state exactly), with TF's variable
paths, iteration count, config and warnings; schedules TF's float32 values at 1e-6;
values (configs, names) exactly; errors TF's class and message.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_optimizers import CASES, jsonable, run
from kerastorch import keras
from kerastorch.keras import optimizers

FIXTURES = Path(__file__).parent / "fixtures"
META = json.loads((FIXTURES / "optimizers.json").read_text())["cases"]
with np.load(FIXTURES / "optimizers.npz") as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}
DATA = {key[len("in."):]: value for key, value in ARRAYS.items() if key.startswith("in.")}
TRAJECTORY_TOLERANCE = 1e-5  # the task's bound for 5 float32 steps
SCHEDULE_TOLERANCE = 1e-6  # a float32 formula of a few ops


def _close(name: str, actual, expected, tolerance: float) -> None:
    actual = np.asarray(actual)
    if expected.dtype.kind in "iub":
        np.testing.assert_array_equal(actual, expected, err_msg=name, strict=True)
        return
    assert actual.dtype == expected.dtype, (name, actual.dtype, expected.dtype)
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance, err_msg=name)


@pytest.mark.parametrize("spec", CASES, ids=[c["id"] for c in CASES])
def test_optimizer_parity(spec):
    want = META.get(spec["id"])
    assert want is not None, "no fixture: run .venv-tf/bin/python compat/generate_optimizers.py"
    assert want["src"] == spec["src"], "the case changed: regenerate the fixtures"
    outcome = run(spec, tf, keras, optimizers, DATA)
    cid, kind = spec["id"], spec["kind"]
    if kind == "error":
        assert isinstance(outcome, Exception), f"TF raised {want['type']}; kerastorch returned {outcome!r}"
        assert (type(outcome).__name__, str(outcome)) == (want["type"], want["message"])
        return
    if isinstance(outcome, Exception):
        raise outcome
    if kind == "value":
        assert jsonable(outcome) == want["value"]
        return
    if kind == "schedule":
        _close("values", outcome.pop("values"), ARRAYS[f"{cid}/values"], SCHEDULE_TOLERANCE)
        assert jsonable(outcome) == {k: v for k, v in want.items() if k != "src"}
        return
    for i, weights in enumerate(outcome.pop("weights")):
        _close(f"weights of variable {i}", weights, ARRAYS[f"{cid}/w{i}"], TRAJECTORY_TOLERANCE)
    state = outcome.pop("state")
    assert len(state) == len(want["paths"])
    for j, value in enumerate(state):
        _close(f"optimizer variable {want['paths'][j]}", value, ARRAYS[f"{cid}/s{j}"], TRAJECTORY_TOLERANCE)
    assert jsonable(outcome) == {k: v for k, v in want.items() if k != "src"}


def test_every_fixture_has_a_case():
    assert sorted(META) == sorted(c["id"] for c in CASES)
