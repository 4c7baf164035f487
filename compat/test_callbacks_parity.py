"""kerastorch's callbacks and progress bar against Keras 3.15 (fixture from generate_callbacks.py).

Every scenario of `callback_cases.CASES` runs under kerastorch on the same fake model
and fake clock: the printed text (progress bars byte for byte, colour codes, `\\b` and
`\\r` included), the warnings, the error and the recorded events must equal Keras's.
The scenarios in `TENSOR_LOGS` run a second time with their batch logs handed over as
0-d torch tensors, as kerastorch's `fit` hands them over: the output must not change.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
import torch

from compat.callback_cases import CASES, TENSOR_LOGS
from compat.callback_kit import Clock, run
from kerastorch.keras import callbacks
from kerastorch.keras.utils import Progbar, progbar

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "callbacks.json").read_text())["cases"]


def _env(tmp_path, monkeypatch, as_tensor: bool):
    clock = Clock()
    monkeypatch.setattr(progbar, "time", clock)
    batch_value = (lambda v: torch.tensor(v, dtype=torch.float32)) if as_tensor else (lambda v: v)
    return types.SimpleNamespace(callbacks=callbacks, Progbar=Progbar, clock=clock, tmp=str(tmp_path),
                                 batch_value=batch_value)


def test_fixture_covers_every_scenario():
    assert sorted(FIXTURE) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_scenario(name, tmp_path, monkeypatch):
    got = run(CASES[name], _env(tmp_path, monkeypatch, as_tensor=False))
    assert got == FIXTURE[name]


@pytest.mark.parametrize("name", TENSOR_LOGS, ids=TENSOR_LOGS)
def test_scenario_with_tensor_logs(name, tmp_path, monkeypatch):
    got = run(CASES[name], _env(tmp_path, monkeypatch, as_tensor=True))
    assert got == FIXTURE[name]
