"""Records where Keras 3 puts each layer's variables in a weights file, for every layer case.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_saving_layout.py

For each case of `compat/layer_cases/*` the layer is built by one call on the case's
inputs (`layerkit.built_layer`) and saved the way `model.save_weights` saves any object
(Keras's own `saving_lib._save_state` into an in-memory `.weights.h5`). The fixture
`fixtures/saving_layout.json` lists, per case, every `vars` group of that file: its path
(`cell/vars`, `forward_layer/cell/vars`, `_query_dense/vars`, ...) and the key, shape
and dtype of each dataset in it. `test_saving_layout_parity.py` saves the same layers with
kerastorch and compares. Layer names (the groups' `name` attribute) depend on global
counters and are not recorded. The output is reproducible byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import h5py  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras.src.saving import saving_lib  # noqa: E402
from tensorflow import keras  # noqa: E402

from compat import layer_cases, layerkit  # noqa: E402

OUT = ROOT / "compat" / "fixtures" / "saving_layout.json"


def layout_of_file(h5file) -> list:
    """`[[group path, [[key, shape, dtype], ...]], ...]` for every `vars` group, sorted by path."""
    groups = []

    def visit(name, node):
        if isinstance(node, h5py.Group) and name.split("/")[-1] == "vars":
            keys = sorted(node.keys(), key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))
            groups.append([name, [[k, list(node[k].shape), str(node[k].dtype)] for k in keys]])

    h5file.visititems(visit)
    return sorted(groups)


def keras_layout(layer) -> list:
    buffer = io.BytesIO()
    store = saving_lib.H5IOStore(buffer, mode="w")
    saving_lib._save_state(layer, weights_store=store, assets_store=None, inner_path="", visited_saveables=set())
    store.close()
    with h5py.File(io.BytesIO(buffer.getvalue()), "r") as f:
        return layout_of_file(f)


def main() -> None:
    tf.config.threading.set_intra_op_parallelism_threads(1)
    layouts, failures = {}, []
    for case in layer_cases.all_cases():
        try:
            keras.utils.set_random_seed(0)
            layer = layerkit.built_layer(case, tf, keras, layerkit.make_inputs(case))
            layouts[case["id"]] = {"layer": case["layer"], "groups": keras_layout(layer)}
        except Exception as exc:  # collected, so that one run lists every broken case
            failures.append(f"{case['id']}: {type(exc).__name__}: {str(exc)[:200]}")
    if failures:
        raise SystemExit("cases failing under TF:\n  " + "\n  ".join(failures))
    OUT.write_text(json.dumps({"tf": tf.__version__, "cases": layouts}, sort_keys=True, indent=1) + "\n")
    print(f"{len(layouts)} layer layouts -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
