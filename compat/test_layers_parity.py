"""kerastorch's layers against TensorFlow 2.21 on every layer case (fixtures from generate_layers.py).

Each case is run under kerastorch with TF's inputs and weights; the outputs, masks,
input and weight gradients must match within the case's tolerance (1e-5 by default),
and the weight names, shapes, trainable flags, parameter count, config keys and
symbolic output shapes exactly.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat import layerkit
from kerastorch import keras

FIXTURES = Path(__file__).parent / "fixtures" / "layers"
FAMILIES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def _load(family: str):
    meta = json.loads((FIXTURES / f"{family}.json").read_text())["cases"]
    with np.load(FIXTURES / f"{family}.npz") as npz:
        arrays = {key: npz[key] for key in npz.files}
    cases = importlib.import_module(f"compat.layer_cases.{family}").CASES
    return [(family, case, meta[case["id"]], arrays) for case in cases if case["id"] in meta]


PARAMS = [p for family in FAMILIES for p in _load(family)]


def _series(arrays: dict, cid: str, key: str, present: list) -> list:
    return [arrays[f"{cid}/{key}{i}"] if has else None for i, has in enumerate(present)]


@pytest.mark.parametrize(("family", "case", "meta", "arrays"), PARAMS,
                         ids=[f"{p[0]}-{p[1]['id']}" for p in PARAMS])
def test_layer_matches_tf(family, case, meta, arrays):
    cid = case["id"]
    inputs = [arrays[f"{cid}/in{i}"] for i in range(len(case["inputs"]))]
    weights = [arrays[f"{cid}/weights{i}"] for i in range(len(meta["weight_shapes"]))]
    got = layerkit.run_case(case, tf, keras, inputs, weights if case["set_weights"] else None)
    rtol, atol = case.get("rtol") or 1e-5, case.get("atol") or 1e-5

    assert got["weight_names"] == meta["weight_names"]
    assert got["weight_shapes"] == meta["weight_shapes"]
    assert got["trainable"] == meta["trainable"]
    assert got["count_params"] == meta["count_params"]
    assert got["config_keys"] == meta["config_keys"]
    assert got.get("symbolic_shapes") == meta["symbolic_shapes"]
    want = [arrays[f"{cid}/outputs{i}"] for i in range(meta["n_outputs"])]
    assert len(got["outputs"]) == len(want)
    for g, w in zip(got["outputs"], want):
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    for g, w in zip(got["masks"], _series(arrays, cid, "masks", meta["masks"])):
        assert (g is None) == (w is None)
        if w is not None:
            np.testing.assert_array_equal(g, w)
    for i, got_after in enumerate(got["weights_after"]):
        key = f"{cid}/weights_after{i}"
        if key in arrays:  # the layer's state after the call (moving statistics, RNN states)
            np.testing.assert_allclose(got_after, arrays[key], rtol=rtol, atol=atol, err_msg=key)
    for key in ("input_grads", "weight_grads"):
        for g, w in zip(got.get(key) or [], _series(arrays, cid, key, meta[key])):
            assert (g is None) == (w is None), key
            if w is not None:
                np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=key)
