"""kerastorch's losses against TF 2.21 / Keras 3.15 (fixtures from generate_losses.py).

Every case of `generate_losses.CASES` runs under kerastorch with the stored inputs:
tensors must have TF's dtype and shape and its values within the dtype's tolerance
(gradients with respect to the prediction too), configs / serialized dicts / names must
be equal, errors of TF's class with TF's message, and the same warnings must be raised.

`sigmoid_out` / `softmax_out` put the logits on the probabilities by hand here, as
Keras's activations do on TF (`_keras_logits`): the cases check how the losses use them.

Known differences, left out of the cases: Keras 3.15's `deserialize('mse')` (and the
other short aliases) raises a ValueError on TF; kerastorch returns the function.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_families import jsonable
from compat.generate_losses import CASES, namespace, run_case
from kerastorch.framework.tensor import wrap
from kerastorch.keras import losses

FIXTURES = Path(__file__).parent / "fixtures"
META = json.loads((FIXTURES / "losses.json").read_text())["cases"]
with np.load(FIXTURES / "losses.npz") as _npz:
    ARRAYS = {key: _npz[key] for key in _npz.files}
INPUTS = {key[len("in."):]: arr for key, arr in ARRAYS.items() if key.startswith("in.")}

# (rtol, atol) per dtype, as for the other parity fixtures (DESIGN.md: float32 single ops).
TOLERANCES = {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}


def _masked(x, mask):
    # TF's identity (the generator's) makes a new tensor; kerastorch's shares `x`'s torch
    # tensor, where the mask lives, so a view stands in for it.
    out = wrap(x._t.view_as(x._t))
    out._keras_mask = tf.constant(mask)
    return out


def _with_logits(activation):
    def activate(z):
        out = activation(z)
        out._t._keras_logits = z._t
        return out

    return activate


@pytest.fixture(scope="module")
def env():
    helpers = {"masked": _masked, "sigmoid_out": _with_logits(tf.sigmoid), "softmax_out": _with_logits(tf.nn.softmax)}
    return namespace(tf, losses, INPUTS, helpers)


def _close(name: str, actual, expected, dtype: str) -> None:
    rtol, atol = TOLERANCES[dtype]
    np.testing.assert_allclose(np.asarray(actual).astype(expected.dtype), expected, rtol=rtol, atol=atol,
                               equal_nan=True, err_msg=name)


@pytest.mark.parametrize("spec", CASES, ids=[c["id"] for c in CASES])
def test_loss_parity(spec, env):
    want = META.get(spec["id"])
    assert want is not None, "no fixture: run .venv-tf/bin/python -m compat.generate_losses"
    assert want["src"] == spec["src"], "the case changed: regenerate the fixtures"
    result, gradient, notes = run_case(spec, tf, env)
    assert notes == want.get("warnings", [])
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
    assert isinstance(result, tf.Tensor), f"a {type(result).__name__}, TF gave a tensor"
    assert (result.dtype.name, list(result.shape)) == (want["dtype"], want["shape"])
    _close("out", result, ARRAYS[f"{spec['id']}/out"], want["dtype"])
    if spec["grad"]:
        expected = ARRAYS.get(f"{spec['id']}/grad")
        if expected is None:
            assert gradient is None, "TF's gradient is None"
        else:
            assert gradient is not None, "TF has a gradient"
            _close("grad", gradient, expected, str(expected.dtype))


def test_every_fixture_has_a_case():
    assert sorted(META) == sorted(c["id"] for c in CASES)
