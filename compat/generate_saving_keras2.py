"""Saving fixtures written by genuine Keras 2 (`tf_keras` 2.21): the legacy `.h5` formats.

Run from the repository root with the TensorFlow environment (never in CI); it writes
into `fixtures/saving/` beside `generate_saving.py`'s files:

    .venv-tf/bin/pip install --no-deps tf_keras==2.21.0   # once; pure Python
    .venv-tf/bin/python compat/generate_saving_keras2.py

`--no-deps` because tf_keras requires the `tensorflow` distribution while the environment
has `tensorflow-cpu` (the same 2.21.0 code under another name). Keras 3's `.h5` writer
differs from Keras 2's, and files in the wild come from Keras 2, so the mlp, cnn_bn, text
and multi_io models of `saving_cases.py` (built by the same builders with `tf_keras`
passed as `keras`) are trained 2 epochs like in `generate_saving.py` and written as
`keras2_<case>.h5` (whole model, `save_format="h5"`) and `keras2_<case>_weights.h5`
(`save_weights`). `reference_keras2.npz` holds per case `x_ref`, the predictions `pred`
(`pred/<output>` for dict outputs), the weights `w.<i>` and the optimizer variables
`opt.<i>`; `reference_keras2.json` the optimizer variable names, the root attributes and
tree of the model file, the root attributes of the weights file and whether its content
equals the model file's `model_weights` group, and what TF's own Keras 3 makes of the two
files (`keras3_reads`: "ok" or the error; `load_model` fails for most cases). h5py writes
no timestamps by default: the files are reproducible byte for byte as written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ("mlp", "cnn_bn", "text", "multi_io")


def keras3_reads(builder, model_path: Path, weights_path: Path) -> dict:
    """What TF's own Keras 3 makes of the Keras 2 files: "ok" or its error, per way of reading."""
    import keras

    from compat.generate_saving import attempt

    def into_fresh_model(path):
        keras.backend.clear_session()
        builder(keras)[0].load_weights(path)

    return {"load_model": attempt(lambda: keras.models.load_model(model_path)),
            "load_model(compile=False)": attempt(lambda: keras.models.load_model(model_path, compile=False)),
            "load_weights(model file)": attempt(lambda: into_fresh_model(model_path)),
            "load_weights(weights file)": attempt(lambda: into_fresh_model(weights_path))}


def record_case(keras, name: str, builder, fixtures: Path) -> tuple:
    """Trains one case with Keras 2, writes its two files, returns (JSON facts, {npz key: array})."""
    import h5py

    from compat.generate_saving import attr_value, flat, h5_content, h5_root, train

    model, data = train(keras, builder)
    model_path = fixtures / f"keras2_{name}.h5"
    weights_path = fixtures / f"keras2_{name}_weights.h5"
    model.save(model_path, save_format="h5")
    model.save_weights(weights_path)
    optimizer = model.optimizer.variables
    arrays = {**flat("x_ref", data["x_ref"]), **flat("pred", model.predict(data["x_ref"], verbose=0))}
    arrays.update({f"w.{i}": w for i, w in enumerate(model.get_weights())})
    arrays.update({f"opt.{i}": v.numpy() for i, v in enumerate(optimizer)})
    meta = {"optimizer": type(model.optimizer).__name__, "optimizer_names": [v.name for v in optimizer],
            "weight_names": [w.name for w in model.weights],
            "pred_keys": [k for k in arrays if k.startswith("pred")]}
    with h5py.File(model_path, "r") as h5, h5py.File(weights_path, "r") as weights:
        meta["model_h5"] = h5_root(h5)
        meta["weights_h5_root_attrs"] = {k: attr_value(v) for k, v in weights.attrs.items()}
        same = h5_content(weights) == h5_content(h5["model_weights"])
        meta["weights_h5_same_content_as_model_weights"] = same
    meta["keras3_reads"] = keras3_reads(builder, model_path, weights_path)
    return meta, {f"{name}/{k}": v for k, v in arrays.items()}


def main() -> None:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import tensorflow as tf
    import tf_keras

    from compat.generate_ops import write_npz
    from compat.generate_saving import FIXTURES, load_cases

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    cases = load_cases().CASES
    FIXTURES.mkdir(parents=True, exist_ok=True)
    meta, arrays = {}, {}
    for name in CASES:
        meta[name], found = record_case(tf_keras, name, cases[name][0], FIXTURES)
        arrays.update(found)
    versions = {"tensorflow": tf.__version__, "tf_keras": tf_keras.__version__,
                "python": sys.version.split()[0]}
    (FIXTURES / "reference_keras2.json").write_text(
        json.dumps({"versions": versions, "cases": meta}, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "reference_keras2.npz", arrays)
    print(f"{len(CASES)} Keras 2 cases, {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
