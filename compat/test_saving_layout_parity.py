"""Every layer case saves its variables where Keras 3 does (fixtures from generate_saving_layout.py).

The layer is built by one call on the case's inputs and written by kerastorch's weight
file writer; the groups holding variables (`vars`, `cell/vars`, `query_dense/vars`, ...)
and the key, shape and dtype of each variable in them must equal what TF 2.21 wrote for
the same layer, so weight files move between the two unchanged. Empty groups hold no
state (a reader finds no variables either way): Keras writes one for every sublayer,
kerastorch's for those it has, which must be among Keras's; Keras's MultiHeadAttention
keeps Softmax and Dropout sublayers that kerastorch computes inline.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import h5py
import pytest

import kerastorch as tf
from compat import layer_cases, layerkit
from kerastorch import keras
from kerastorch.keras.saving import object_tree
from kerastorch.keras.saving.h5_store import H5Store

FIXTURE = Path(__file__).parent / "fixtures" / "saving_layout.json"
LAYOUTS = json.loads(FIXTURE.read_text())["cases"]
CASES = [case for case in layer_cases.all_cases() if case["id"] in LAYOUTS]


def kerastorch_layout(layer) -> list:
    buffer = io.BytesIO()
    with H5Store(buffer, "w") as store:
        object_tree.save_state(layer, store)
    groups = []

    def visit(name, node):
        if isinstance(node, h5py.Group) and name.split("/")[-1] == "vars":
            keys = sorted(node.keys(), key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))
            groups.append([name, [[k, list(node[k].shape), str(node[k].dtype)] for k in keys]])

    with h5py.File(io.BytesIO(buffer.getvalue()), "r") as f:
        f.visititems(visit)
    return sorted(groups)


def test_every_layer_case_has_a_layout():
    assert len(CASES) == len(LAYOUTS) > 450


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_layer_saves_where_keras_does(case):
    expected = LAYOUTS[case["id"]]
    assert expected["layer"] == case["layer"], "the case changed: regenerate the fixture"
    layer = layerkit.built_layer(case, tf, keras, layerkit.make_inputs(case))
    got = kerastorch_layout(layer)
    assert [g for g in got if g[1]] == [g for g in expected["groups"] if g[1]]
    assert {g[0] for g in got if not g[1]} <= {g[0] for g in expected["groups"] if not g[1]}
