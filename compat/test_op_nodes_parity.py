"""Operation nodes written by TF 2.21 / Keras 3.15 (and tf_keras) load and compute as in TF.

Fixture: `fixtures/op_nodes.json` from `generate_op_nodes.py`. The Keras 3 model (one
output per operation) is rebuilt from its config; every output must have TF's dtype and
shape and TF's values (atol 1e-5; TF's are rounded to 6 decimals), and the rebuilt model
must write TF's config back: the same class names, modules, constructor arguments and
nodes (Keras writes `registered_name` as the class name, kerastorch as None: both load
in either). Keras 2's `TFOpLambda` / `SlicingOpLambda` layers replay their recorded
calls. `saving/text.keras` (an Embedding with `mask_zero=True` before an RNN, so Keras
adds a `NotEqual` node whose output is passed as `mask=`) predicts TF's reference.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kerastorch import keras
from kerastorch.keras.engine import tf_op_layer
from kerastorch.keras.models.functional import Functional

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = json.loads((FIXTURES / "op_nodes.json").read_text())
INPUTS = {name: np.array(r["values"], dtype=r["dtype"]) for name, r in FIXTURE["inputs"].items()}
KERAS3 = FIXTURE["keras3"]
KERAS2 = FIXTURE["keras2"]


def _operation(model, name: str):
    """An operation node of a functional model by name (Keras 3 keeps operations out of `layers`)."""
    return next(layer for layer in model._layer_list if layer.name == name)


@pytest.fixture(scope="module")
def rebuilt():
    return Functional.from_config(KERAS3["config"])


def _assert_matches(got, want: dict) -> None:
    got = np.asarray(got)
    assert (got.dtype.name, list(got.shape)) == (want["dtype"], want["shape"])
    np.testing.assert_allclose(got.astype("float64"), np.array(want["values"], dtype="float64"), atol=1e-5, rtol=0)


@pytest.mark.parametrize("name", sorted(KERAS3["outputs"]))
def test_tf_written_operation_nodes_compute_as_in_tf(rebuilt, name):
    _assert_matches(rebuilt(INPUTS)[name].numpy(), KERAS3["outputs"][name])


def _entries(config: dict) -> dict:
    entries = {}
    for entry in json.loads(json.dumps(config))["layers"]:
        entries[entry["name"]] = {key: value for key, value in entry.items() if key != "registered_name"}
    return entries


def test_rebuilt_model_writes_tfs_config_back(rebuilt):
    got, want = _entries(rebuilt.get_config()), _entries(KERAS3["config"])
    assert list(got) == list(want)
    for name, entry in want.items():
        assert got[name] == entry, name


def _keras2_call(node: list) -> tuple:
    """A Keras 2 node (`[layer, node, tensor, kwargs]`, or a list of those) as call arguments."""
    values = {name: INPUTS[key] for name, key in KERAS2["inputs"].items()}
    inputs, kwargs = [], {}
    for name, _, index, item_kwargs in [node] if isinstance(node[0], str) else node:
        inputs.append(index if name == "_CONSTANT_VALUE" else values[name])
        kwargs = item_kwargs
    kwargs = {key: values[value[0]] if isinstance(value, list) and value and isinstance(value[0], str)
              and value[0] in values else value for key, value in kwargs.items()}
    return [inputs[0] if len(inputs) == 1 else inputs], kwargs


@pytest.mark.parametrize("layer", KERAS2["layers"], ids=[entry["entry"]["name"] for entry in KERAS2["layers"]])
def test_keras2_tf_op_layers_replay_their_calls(layer):
    entry = layer["entry"]
    cls = {"TFOpLambda": tf_op_layer.TFOpLambda, "SlicingOpLambda": tf_op_layer.SlicingOpLambda}[entry["class_name"]]
    op = cls.from_config(entry["config"])
    args, kwargs = _keras2_call(entry["inbound_nodes"][0])
    _assert_matches(op(*args, **kwargs).numpy(), layer["output"])


def test_tf_written_text_model_with_a_not_equal_node_predicts_tfs_reference():
    arrays = np.load(FIXTURES / "saving" / "reference.npz")
    model = keras.models.load_model(FIXTURES / "saving" / "text.keras")
    assert type(_operation(model, "not_equal")).__name__ == "NotEqual"
    np.testing.assert_allclose(model.predict(arrays["text/x_ref"], verbose=0), arrays["text/pred"], atol=1e-5)
