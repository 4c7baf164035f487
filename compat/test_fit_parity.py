"""Training under kerastorch against Keras 3.15 (fixtures from generate_fit.py).

Every scenario of `generate_fit.SCENARIOS` runs here on the stored data from the
stored initial weights: the history (keys in Keras's order, every epoch), its params
and epochs, `evaluate` as a list and a dict, `predict`, the `*_on_batch` values and the
final weights must match TF's within rtol/atol 1e-4 (DESIGN.md: whole short training
runs); names, key orders, counts and epochs must be equal.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_fit import SCENARIOS

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "fit.json").read_text())["scenarios"]
RTOL = ATOL = 1e-4


@pytest.fixture(scope="module")
def arrays():
    with np.load(FIXTURES / "fit.npz") as stored:
        return {key: stored[key] for key in stored.files}


class KerastorchEnv:
    """The test's side: kerastorch, with the data and initial weights TF used."""

    def __init__(self, name: str, arrays: dict):
        self.keras, self.tf, self.name = tf.keras, tf, name
        self.data = {key[len("data/"):]: value for key, value in arrays.items() if key.startswith("data/")}
        self._arrays = arrays

    def init(self, model):
        count = len(model.get_weights())
        model.set_weights([self._arrays[f"{self.name}/init.{i}"] for i in range(count)])
        return model


def _mismatches(got, want, arrays: dict, where: str) -> list:
    """Every difference between a record and the fixture, as readable lines."""
    if isinstance(want, dict) and "npz" in want:
        expected, got = arrays[want["npz"]], np.asarray(got)
        if (str(got.dtype), got.shape) != (str(expected.dtype), expected.shape):
            return [f"{where}: {got.dtype}{got.shape} != {expected.dtype}{expected.shape}"]
        if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
            return [f"{where}: max abs diff {np.max(np.abs(got - expected)):.3g}"]
        return []
    if isinstance(want, dict):
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            return [f"{where}: {got} != {want}"]
        return [line for key in want for line in _mismatches(got[key], want[key], arrays, f"{where}.{key}")]
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: {got} != {want}"]
        return [line for i, (g, w) in enumerate(zip(got, want)) for line in _mismatches(g, w, arrays, f"{where}[{i}]")]
    if isinstance(want, float):
        close = isinstance(got, float) and np.isclose(got, want, rtol=RTOL, atol=ATOL)
        return [] if close else [f"{where}: {got!r} != {want!r}"]
    return [] if got == want else [f"{where}: {got!r} != {want!r}"]


def test_fixture_covers_every_scenario():
    assert sorted(EXPECTED) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS), ids=sorted(SCENARIOS))
def test_scenario(name, arrays):
    tf.keras.backend.clear_session()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # `compiled_loss` / `compiled_metrics` are deprecated
        record = SCENARIOS[name](KerastorchEnv(name, arrays))
    assert _mismatches(record, EXPECTED[name], arrays, name) == []
