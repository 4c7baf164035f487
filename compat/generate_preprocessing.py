"""Writes the string preprocessing fixture: StringLookup, Hashing and TextVectorization under real TF.

String inputs and outputs cannot go through the `.npz` layer fixtures, so each case of
`TEXT_CASES` (in `compat/layer_cases/preprocessing.py`) is recorded as JSON: the output
(dtype, shape, values with strings as text), the vocabulary, the config and the symbolic
output shape and dtype, or the error class. Run from the repository root (never in CI):

    .venv-tf/bin/python compat/generate_preprocessing.py

`run_text_case` is shared with the test (`tests/keras/layers/test_preprocessing_text.py`),
which runs the same cases with kerastorch; this module imports neither library itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "preprocessing_text.json"


def _plain(value):
    """A JSON-able copy: arrays to lists, bytes and numpy strings to text, numpy scalars to Python."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _record(tensor) -> dict:
    arr = np.asarray(tensor)
    dtype = "string" if arr.dtype.kind in "OSU" else str(arr.dtype)
    return {"dtype": dtype, "shape": list(arr.shape), "values": _plain(arr)}


def run_text_case(case: dict, tf, keras) -> dict:
    """Runs one string-layer case with the given `tf`/`keras` and records what the parity test compares."""
    scope = {"layers": keras.layers, "keras": keras, "tf": tf, "np": np}
    layer = eval(case["layer"], scope)  # noqa: S307 -- case expressions are ours
    if case["adapt"] is not None:
        layer.adapt(eval(case["adapt"], scope))  # noqa: S307
    value = case["inputs"] if case["dtype"] is None else np.array(case["inputs"], dtype=case["dtype"])
    inputs = tf.constant(value)
    try:
        output = layer(inputs)
    except Exception as exc:  # recorded: the test expects the same error class
        return {"error": type(exc).__name__}
    config = {k: v for k, v in layer.get_config().items() if k != "name"}
    result = {"output": _record(output), "config": _plain(config)}
    if hasattr(layer, "get_vocabulary"):
        result["vocabulary"] = _plain(layer.get_vocabulary())
        result["vocabulary_size"] = int(layer.vocabulary_size())
    if inputs.shape.rank:
        symbolic = layer(keras.Input(batch_shape=(None, *inputs.shape[1:]), dtype=inputs.dtype.name))
        result["symbolic"] = {"shape": list(symbolic.shape), "dtype": str(symbolic.dtype)}
    return result


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    sys.path.insert(0, str(ROOT))
    import tensorflow as tf
    from tensorflow import keras

    from compat.layer_cases.preprocessing import TEXT_CASES

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    cases = {}
    for case in TEXT_CASES:
        keras.backend.clear_session()
        cases[case["id"]] = run_text_case(case, tf, keras)
    FIXTURE.write_text(json.dumps({"tf": tf.__version__, "cases": cases}, sort_keys=True, indent=1,
                                  ensure_ascii=True) + "\n")
    print(f"{len(cases)} string cases -> {FIXTURE}")


if __name__ == "__main__":
    main()
