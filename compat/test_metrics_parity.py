"""kerastorch's `keras.metrics` against TF 2.21 / Keras 3.15 (fixtures from generate_metrics.py).

Every case of `generate_metrics.CASES` runs under kerastorch with the stored inputs:
results after each batch, after `reset_state()` and after one more batch must have TF's
dtype and shape and its values (float32: rtol 1e-5, atol 1e-6; float16 1e-3); configs, serialized
dicts, variable paths, names, warnings and compile resolutions must be equal; errors must
be of TF's class with TF's message. Each metric case runs a second time through the fit
loop's entry points (`raw_update` / `raw_result` on torch tensors), to the same values.

Known differences, left out of the cases: `keras.metrics.deserialize` of a function's
config (Keras raises a TypeError naming the class it wrongly looked up; kerastorch a
TypeError of its own), a confusion count's result with several thresholds (Keras returns
the variable itself, which later updates change; kerastorch returns a tensor), AUC's
`label_weights` round trip (Keras 3.15 cannot rebuild its own serialized tensor), AUC's
`curve` / `summation_method` attributes (strings here, Keras's enums; the configs agree),
and the IoU metrics' float-weight warning, which kerastorch also gives for Python lists.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from compat.generate_metrics import CASES, namespace, run_case, tensor_record
from kerastorch.keras import metrics
from kerastorch.keras.engine import naming
from kerastorch.keras.metrics.compile_utils import resolve_compile_metric

FIXTURES = Path(__file__).parent / "fixtures"
META = json.loads((FIXTURES / "metrics.json").read_text())["cases"]
with np.load(FIXTURES / "metrics.npz") as _npz:
    INPUTS = {key[len("in."):]: _npz[key] for key in _npz.files}

TOLERANCES = {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}
METRIC_CASES = [c for c in CASES if c["kind"] == "metric"]


def _resolve(identifier, y_true, y_pred):
    return resolve_compile_metric(identifier, np.shape(y_true), np.shape(y_pred))


@pytest.fixture(scope="module")
def env():
    return namespace(metrics, INPUTS, _resolve, naming.reset)


def _close(got: dict, want: dict, spec: dict, what: str) -> None:
    assert (got["dtype"], got["shape"]) == (want["dtype"], want["shape"]), what
    actual, expected = np.asarray(got["values"], dtype=float), np.asarray(want["values"], dtype=float)
    if want["dtype"] not in TOLERANCES:
        np.testing.assert_array_equal(actual, expected, err_msg=what)
        return
    rtol, atol = TOLERANCES[want["dtype"]]
    if spec["atol"] is not None:
        rtol, atol = spec["rtol"] or 0.0, spec["atol"]
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def _fixture(spec: dict) -> dict:
    want = META.get(spec["id"])
    assert want is not None, "no fixture: run .venv-tf/bin/python compat/generate_metrics.py"
    assert (want["src"], want["batches"]) == (spec["src"], spec["batches"]), "the case changed: regenerate"
    return want


@pytest.mark.parametrize("spec", CASES, ids=[c["id"] for c in CASES])
def test_metric_parity(spec, env):
    want = _fixture(spec)
    got = run_case(spec, env)
    assert got["kind"] == want["kind"], got
    if want["kind"] == "error":
        assert got == {k: want[k] for k in ("kind", "type", "message") if k in want}
    elif want["kind"] == "tensor":
        _close(got, want, spec, "value")
    elif want["kind"] == "metric":
        for i, (step, expected) in enumerate(zip(got["steps"], want["steps"], strict=True)):
            _close(step, expected, spec, f"after batch {i}")
        _close(got["reset"], want["reset"], spec, "after reset_state()")
        _close(got["again"], want["again"], spec, "after one more batch")
        for key in ("config", "name", "variables", "warnings"):
            assert got[key] == want[key], key
    else:
        assert {k: v for k, v in got.items() if k != "kind"} == {k: want[k] for k in got if k != "kind"}


def _raw_batch(metric, batch: str, env: dict):
    """An `update_state` argument list as torch tensors: `(args, sample_weight)`."""
    args, kwargs = eval(f"capture({batch})", {**env, "capture": lambda *a, **k: (a, k)})
    bound = inspect.signature(type(metric).update_state).bind(metric, *args, **kwargs).arguments
    weight = bound.pop("sample_weight", None)
    raw = [torch.as_tensor(np.asarray(value)) for name, value in bound.items() if name != "self"]
    return raw, None if weight is None else torch.as_tensor(np.asarray(weight))


@pytest.mark.parametrize("spec", METRIC_CASES, ids=[c["id"] for c in METRIC_CASES])
def test_raw_entry_points(spec, env):
    want = _fixture(spec)
    naming.reset()
    metric = eval(spec["src"], env)
    for i, batch in enumerate(spec["batches"]):
        args, weight = _raw_batch(metric, batch, env)
        metric.raw_update(*args, sample_weight=weight)
        result = metric.raw_result()
        assert isinstance(result, torch.Tensor)
        _close(tensor_record(result.numpy()), want["steps"][i], spec, f"after batch {i}")


def test_every_fixture_has_a_case():
    assert sorted(META) == sorted(c["id"] for c in CASES)
