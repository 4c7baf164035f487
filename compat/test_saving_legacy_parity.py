"""Legacy `.h5` model and weights files written by real TF load in kerastorch, and kerastorch writes TF's layout.

Fixtures from `generate_saving.py` (`<case>.h5`, Keras 3.15's legacy writer) and
`generate_saving_keras2.py` (`keras2_<case>.h5` and `keras2_<case>_weights.h5`, tf_keras
2.21: Keras 2 configs, TF 2.11+ optimizer variable names). For each case the loaded
model predicts TF's reference (atol 1e-5), holds TF's weights and optimizer state, and
(Keras 3 files) one more `train_on_batch` gives the loss and weights TF reached after
loading the case's `.keras` file: kerastorch restores the whole optimizer state from a
legacy file (TF 2.21 restores only its iteration count and learning rate, as its
loader builds the optimizer for the model's own, empty, variable list).

Known difference: TF updates an Embedding from sparse gradients, and RMSprop squares the
gradient of each occurrence of a token before summing them, where kerastorch squares the
summed (dense) gradient; the rows of tokens that occur more than once in the batch are
therefore left out of the text case's comparison after the step.
"""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from compat import saving_cases
from compat.generate_saving import h5_root
from kerastorch import keras
from kerastorch.keras.engine import naming

FIXTURES = Path(__file__).parent / "fixtures" / "saving"
REFERENCE = json.loads((FIXTURES / "reference.json").read_text())["cases"]
REFERENCE_KERAS2 = json.loads((FIXTURES / "reference_keras2.json").read_text())["cases"]
CASES = [name for name, (_, formats) in saving_cases.CASES.items() if "h5" in formats]
ATOL = 1e-5


def _arrays(name: str) -> dict:
    with np.load(FIXTURES / name) as npz:
        return {key: npz[key] for key in npz.files}


@pytest.fixture(scope="module")
def keras3():
    return _arrays("reference.npz")


@pytest.fixture(scope="module")
def keras2():
    return _arrays("reference_keras2.npz")


@pytest.fixture(autouse=True)
def fresh_session():
    naming.reset()  # layer names count from `dense` again, as after TF's `clear_session()`


def _structure(arrays: dict, prefix: str):
    if prefix in arrays:
        return arrays[prefix]
    return {key[len(prefix) + 1:]: value for key, value in arrays.items() if key.startswith(prefix + "/")}


def _series(arrays: dict, prefix: str) -> list:
    count = sum(1 for key in arrays if key.startswith(prefix + ".") and key[len(prefix) + 1:].isdigit())
    return [arrays[f"{prefix}.{i}"] for i in range(count)]


def _assert_predicts(model, arrays: dict, name: str) -> None:
    got = model.predict(_structure(arrays, f"{name}/x_ref"), verbose=0)
    want = _structure(arrays, f"{name}/pred")
    if isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=0, atol=ATOL)
    else:
        np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)


def _batch(data, rows: int):
    return {k: v[:rows] for k, v in data.items()} if isinstance(data, dict) else data[:rows]


@pytest.mark.parametrize("name", CASES)
def test_keras3_h5_from_tf_loads_and_continues_training(name, keras3):
    model = keras.models.load_model(FIXTURES / f"{name}.h5")
    _assert_predicts(model, keras3, name)
    for got, want in zip(model.get_weights(), _series(keras3, f"{name}/w"), strict=True):
        np.testing.assert_array_equal(got, want)
    assert type(model.optimizer).__name__ == REFERENCE[name]["optimizer"]
    for got, want in zip(model.optimizer.variables, _series(keras3, f"{name}/opt"), strict=True):
        np.testing.assert_array_equal(got.numpy(), want)
    _, data = saving_cases.CASES[name][0](keras)
    reference = REFERENCE[name]["continue"]
    rows = reference["batch_rows"]
    logs = model.train_on_batch(_batch(data["x"], rows), _batch(data["y"], rows))
    np.testing.assert_allclose(logs, reference["train_on_batch"], rtol=1e-5, atol=1e-6)
    after = _series(keras3, f"{name}/continue/w")
    for i, (got, want) in enumerate(zip(model.get_weights(), after, strict=True)):
        if name == "text" and i == 0:  # the embedding: rows of repeated tokens differ (see the docstring)
            once = np.bincount(data["x"][:rows].ravel(), minlength=got.shape[0]) <= 1
            got, want = got[once], want[once]
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"weight {i}")


@pytest.mark.parametrize("name", CASES)
def test_keras2_h5_from_tf_keras_loads_with_its_optimizer_state(name, keras2):
    model = keras.models.load_model(FIXTURES / f"keras2_{name}.h5")
    _assert_predicts(model, keras2, name)
    for got, want in zip(model.get_weights(), _series(keras2, f"{name}/w"), strict=True):
        np.testing.assert_array_equal(got, want)
    reference = REFERENCE_KERAS2[name]
    assert type(model.optimizer).__name__ == reference["optimizer"]
    saved = dict(zip(reference["optimizer_names"], _series(keras2, f"{name}/opt")))
    assert int(model.optimizer.iterations.numpy()) == int(saved.pop("iteration:0"))
    state = [v.numpy() for v in model.optimizer.variables[2:]]
    assert len(state) == len(saved)
    for variable_name, value in saved.items():  # every Keras 2 slot is one of the Keras 3 optimizer's
        assert any(s.shape == value.shape and np.array_equal(s, value) for s in state), variable_name
    fresh, data = saving_cases.CASES[name][0](keras)
    logs = model.evaluate(data["x"], data["y"], verbose=0, return_dict=True)
    assert sorted(logs) == sorted(fresh.evaluate(data["x"], data["y"], verbose=0, return_dict=True))


@pytest.mark.parametrize("by_name", [False, True], ids=["by_position", "by_name"])
@pytest.mark.parametrize("name", CASES)
def test_keras2_weights_file_loads_into_a_kerastorch_model(name, by_name, keras2):
    model, _ = saving_cases.CASES[name][0](keras)
    model.load_weights(FIXTURES / f"keras2_{name}_weights.h5", by_name=by_name)
    _assert_predicts(model, keras2, name)


def _comparable(root: dict) -> dict:
    """A legacy file's `h5_root` without what legitimately differs: the backend's name, and the mask
    operation (and the `training=False`) Keras records in a functional config after an
    `Embedding(mask_zero=True)`, which kerastorch leaves to its mask propagation."""
    root = json.loads(json.dumps(root))
    for attrs in [root["root_attrs"]] + [row["attrs"] for row in root["tree"] if "backend" in row.get("attrs", {})]:
        attrs.pop("backend")
    config = root["root_attrs"]["model_config"]["value"]["config"]
    ops = {e["name"] for e in config["layers"] if e["class_name"] == "NotEqual"}
    config["layers"] = [e for e in config["layers"] if e.get("name") not in ops]
    for entry in config["layers"]:
        for node in entry.get("inbound_nodes", []):
            mask = node["kwargs"].get("mask")
            if mask and mask["config"]["keras_history"][0] in ops:
                del node["kwargs"]["mask"]
                node["kwargs"].pop("training", None)
    return root


@pytest.mark.parametrize("name", CASES)
def test_kerastorch_writes_the_legacy_file_tf_writes(name, tmp_path):
    keras.utils.set_random_seed(0)
    model, data = saving_cases.CASES[name][0](keras)
    model.fit(data["x"], data["y"], batch_size=16, epochs=2, shuffle=False, verbose=0)
    with pytest.warns(UserWarning, match=r"This file format is considered legacy"):
        model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        written = h5_root(f)
    assert written["root_attrs"]["backend"] == "torch"
    assert _comparable(written) == _comparable(REFERENCE[name]["legacy_h5"])
