"""`keras.datasets` loaders against Keras 3.15 on the same fake cache files (compat/fixtures/datasets.json).

The fixture comes from `compat/generate_datasets.py`: real Keras read the files that
`compat.dataset_cases.write_cache` writes; here kerastorch reads them from a temporary
`KERAS_HOME` through the same `run_case`. Structure, dtypes, shapes and values must be
identical (numeric arrays by hash); errors must have the same class and message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compat.dataset_cases import CASES, run_case, write_cache
from kerastorch import keras

FIXTURE = Path(__file__).resolve().parents[3] / "compat" / "fixtures" / "datasets.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]


@pytest.fixture(scope="module")
def keras_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("keras_home")
    write_cache(str(home))
    return home


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_loader_matches_keras(case, keras_home, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    assert run_case(case, keras) == EXPECTED[case["id"]]


def test_every_case_has_a_fixture():
    assert sorted(EXPECTED) == sorted(c["id"] for c in CASES)
