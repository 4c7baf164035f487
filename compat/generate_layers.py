"""Writes the layer parity fixtures by running each family's cases under real TensorFlow.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_layers.py [family ...]

Each family's cases live in `compat/layer_cases/<family>.py` (`CASES`); the fixtures go
to `compat/fixtures/layers/<family>.json` (per case: weight names, shapes, trainable
flags, parameter count, config keys, symbolic output shapes, which outputs have masks
and gradients) and `<family>.npz` (inputs, weights, outputs, masks, gradients). Both are
byte-for-byte reproducible.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

from compat import layerkit  # noqa: E402
from compat.generate_ops import write_npz  # noqa: E402

OUT = ROOT / "compat" / "fixtures" / "layers"
CASES_DIR = ROOT / "compat" / "layer_cases"


def generate(family: str) -> tuple:
    cases = importlib.import_module(f"compat.layer_cases.{family}").CASES
    meta, arrays, failures = {}, {}, []
    for case in cases:
        cid = case["id"]
        try:
            inputs = layerkit.make_inputs(case)
            weights = None
            if case["set_weights"]:
                probe = layerkit.run_case({**case, "grad": False, "symbolic": False}, tf, keras, inputs)
                weights = layerkit.seeded_weights(case, [w.shape for w in probe["weights"]],
                                                  probe["weight_names"])
            keras.utils.set_random_seed(0)
            result = layerkit.run_case(case, tf, keras, inputs, weights)
        except Exception as exc:  # collected, so that one run lists every broken case
            failures.append(f"{cid} ({case['layer']}): {type(exc).__name__}: {str(exc)[:300]}")
            continue
        for i, a in enumerate(inputs):
            arrays[f"{cid}/in{i}"] = a
        if all(np.array_equal(a, b) for a, b in zip(result["weights"], result["weights_after"])):
            del result["weights_after"]  # only layers whose call changes their state store it
        for key in ("outputs", "weights", "weights_after", "masks", "input_grads", "weight_grads"):
            for i, a in enumerate(result.get(key) or []):
                if a is not None:
                    arrays[f"{cid}/{key}{i}"] = a
        meta[cid] = {
            "layer": case["layer"],
            "n_outputs": len(result["outputs"]),
            "masks": [m is not None for m in result["masks"]],
            "input_grads": [g is not None for g in result.get("input_grads") or []],
            "weight_grads": [g is not None for g in result.get("weight_grads") or []],
            **{k: result[k] for k in ("weight_names", "weight_shapes", "trainable", "count_params",
                                      "config_keys")},
            "symbolic_shapes": result.get("symbolic_shapes"),
        }
    if failures:
        raise SystemExit("cases failing under TF:\n  " + "\n  ".join(failures))
    return meta, arrays


def main() -> None:
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    families = sys.argv[1:] or sorted(p.stem for p in CASES_DIR.glob("[a-z]*.py"))
    OUT.mkdir(parents=True, exist_ok=True)
    for family in families:
        meta, arrays = generate(family)
        (OUT / f"{family}.json").write_text(json.dumps({"tf": tf.__version__, "cases": meta},
                                                       sort_keys=True, indent=1) + "\n")
        write_npz(OUT / f"{family}.npz", arrays)
        print(f"{family}: {len(meta)} cases, {len(arrays)} arrays")


if __name__ == "__main__":
    main()
