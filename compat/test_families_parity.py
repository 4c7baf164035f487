"""kerastorch's Keras families against TF 2.21 / Keras 3.15 (fixtures from generate_families.py).

Every case of `generate_families.CASES` runs under kerastorch with the stored inputs:
tensors must have TF's dtype and shape and its values within the dtype's tolerance
(gradients too), configs / serialized dicts / names must be equal, errors must be of
TF's class with TF's message (unless the case says the message is not comparable), and
initializer draws must have TF's moments and range within the case's tolerance.

Known differences, left out of the cases: Keras 3.15's `activations.deserialize` raises
for the aliases "swish" and "hard_swish" (kerastorch returns silu / hard_silu), and its
OrthogonalRegularizer fails on float64 weights (kerastorch computes the penalty).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_families import CASES, evaluate, jsonable, namespace, summarize
from kerastorch.keras import activations, constraints, initializers, regularizers

FIXTURES = Path(__file__).parent / "fixtures"
META = json.loads((FIXTURES / "families.json").read_text())["cases"]
with np.load(FIXTURES / "families.npz") as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}
INPUTS = {key[len("in."):]: arr for key, arr in ARRAYS.items() if key.startswith("in.")}

# (rtol, atol) per dtype, as for the op parity fixtures (DESIGN.md: float32 single ops).
TOLERANCES = {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}


@pytest.fixture(scope="module")
def env():
    return namespace(tf, (activations, initializers, regularizers, constraints), INPUTS)


def _close(name: str, actual, expected, dtype: str, spec: dict) -> None:
    actual = np.asarray(actual)
    if dtype not in TOLERANCES:
        np.testing.assert_array_equal(actual, expected, err_msg=name, strict=True)
        return
    rtol, atol = TOLERANCES[dtype]
    if spec["atol"] is not None:
        rtol, atol = spec["rtol"] or 0.0, spec["atol"]
    np.testing.assert_allclose(actual.astype(expected.dtype), expected, rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=name)


def _compare_stats(result, want: dict, spec: dict) -> None:
    got = summarize(result.numpy())
    n = math.prod(result.shape)
    assert abs(got["mean"] - want["mean"]) <= 5 * want["std"] / math.sqrt(n), (got, want)
    assert got["std"] == pytest.approx(want["std"], rel=spec["rtol"]), (got, want)
    if spec["stats"] == "bounded":
        spread = want["max"] - want["min"]
        assert abs(got["min"] - want["min"]) <= spec["rtol"] * spread, (got, want)
        assert abs(got["max"] - want["max"]) <= spec["rtol"] * spread, (got, want)


@pytest.mark.parametrize("spec", CASES, ids=[c["id"] for c in CASES])
def test_family_parity(spec, env):
    want = META.get(spec["id"])
    assert want is not None, "no fixture: run .venv-tf/bin/python compat/generate_families.py"
    assert want["src"] == spec["src"], "the case changed: regenerate the fixtures"
    result, gradient = evaluate(spec, tf, env)
    if want["kind"] == "error":
        assert isinstance(result, Exception), f"TF raised {want['type']}; kerastorch returned {result!r}"
        assert type(result).__name__ == want["type"], f"{type(result).__name__}: {result}"
        if "message" in want:
            assert str(result) == want["message"]
        return
    if isinstance(result, Exception):
        raise result
    if want["kind"] == "json":
        assert jsonable(result) == want["value"]
        return
    if want["kind"] == "ndarray":
        _close("out", result, ARRAYS[f"{spec['id']}/out"], want["dtype"], spec)
        return
    assert isinstance(result, tf.Tensor), f"a {type(result).__name__}, TF gave a tensor"
    assert (result.dtype.name, list(result.shape)) == (want["dtype"], want["shape"])
    if "stats" in want:
        _compare_stats(result, want["stats"], spec)
        return
    _close("out", result, ARRAYS[f"{spec['id']}/out"], want["dtype"], spec)
    if spec["grad"]:
        expected = ARRAYS.get(f"{spec['id']}/grad")
        if expected is None:
            assert gradient is None, "TF's gradient is None"
        else:
            assert gradient is not None, "TF has a gradient"
            _close("grad", gradient, expected, want["dtype"], spec)


def test_every_fixture_has_a_case():
    assert sorted(META) == sorted(c["id"] for c in CASES)
