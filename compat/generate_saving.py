"""Saving fixtures: model files written by TF 2.21 / Keras 3.15 for kerastorch to load.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_saving.py

For every case of `saving_cases.CASES` the model is built (`set_random_seed(0)` after
`clear_session()`, so layer names restart at `dense`), trained 2 epochs (batch 16,
`shuffle=False`) so that the optimizer has state, then written to `fixtures/saving/`
in the case's formats: `<case>.keras` (`model.save`), `<case>.weights.h5`
(`model.save_weights`) and `<case>.h5` (Keras 3's legacy HDF5 writer).

`reference.npz` holds, per case (`<case>/...`): `x_ref` (`x_ref/<input>` for dict
inputs), the trained model's predictions `pred` (`pred/<output>` for dict outputs), its
weights `w.<i>` (`get_weights()` order), the optimizer variables `opt.<i>`, and the
"continue" reference: the `.keras` file loaded back in TF, one `train_on_batch` on the
first 16 rows of the training data, and the weights after it (`continue/w.<i>`); the
cases have no Dropout, so that step is deterministic. `reference.json` holds what is not
an array: optimizer variable paths and names, the `train_on_batch` result, the layout
of `model.weights.h5` inside the `.keras` zip, its `config.json` and `metadata.json`,
the root attributes and tree of the legacy `.h5` file, and whether TF's
`load_model` reads that file back (`legacy_h5_tf_load`: not for every case).

The files are reproducible byte for byte. Keras stamps `metadata.json` with
`date_saved`, the zip entries with the save time, and writes the `id()` of shared
objects (a DTypePolicy used by several layers) as `shared_object_id` in `config.json`;
so the `.keras` zips are rewritten with `DATE_SAVED`, fixed entry dates and the shared
ids renumbered 1, 2, ... (same members, order, compression and JSON text otherwise).
h5py writes no timestamps by default (`track_times=False`): the HDF5 files need nothing.
The lambda case marshals Python 3.11 bytecode whose `co_filename` is
`compat/saving_cases.py` (the module is compiled from that relative path), so the file
does not depend on where the repository is checked out.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat" / "fixtures" / "saving"
DATE_SAVED = "2026-01-01@00:00:00"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
SUFFIXES = {"keras": ".keras", "weights": ".weights.h5", "h5": ".h5"}


def normalize_keras_zip(path: Path) -> None:
    """Rewrites a `.keras` zip with a fixed `date_saved` and fixed entry dates."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for old, data in members:
            if old.filename == "metadata.json":
                data = re.sub(rb'"date_saved": "[^"]*"', f'"date_saved": "{DATE_SAVED}"'.encode(), data)
            if old.filename == "config.json":
                data = renumber_shared_objects(data)
            info = zipfile.ZipInfo(old.filename, date_time=ZIP_DATE)
            info.compress_type = old.compress_type
            info.external_attr = old.external_attr
            info.create_system = old.create_system
            zf.writestr(info, data)


def renumber_shared_objects(config: bytes) -> bytes:
    """Replaces the `shared_object_id`s (Python `id()`s, new in every process) by 1, 2, ...

    Loading only matches equal ids, so numbering them in order of appearance keeps the file valid.
    """
    numbers = {}

    def number(match):
        numbers.setdefault(match.group(1), len(numbers) + 1)
        return b'"shared_object_id": %d' % numbers[match.group(1)]

    return re.sub(rb'"shared_object_id": (\d+)', number, config)


def h5_tree(group) -> list:
    """Datasets below `group` (path, shape, dtype) and groups with attributes, in visiting order.

    Other groups are implied by the paths.
    """
    rows = []

    def visit(name, obj):
        attrs = {k: attr_value(v) for k, v in obj.attrs.items()}
        row = {"path": name, "attrs": attrs} if attrs else {"path": name}
        if hasattr(obj, "shape"):
            rows.append({**row, "shape": list(obj.shape), "dtype": str(obj.dtype)})
        elif attrs:
            rows.append(row)

    group.visititems(visit)
    return rows


def h5_root(h5file) -> dict:
    """Root attributes of a legacy `.h5` (JSON strings parsed) and its tree."""
    attrs = {}
    for key, value in h5file.attrs.items():
        value = attr_value(value)
        if key.endswith("_config"):
            value = json.loads(value)
            value = {"class_name": value.get("class_name"), "keys": list(value), "value": value}
        attrs[key] = value
    return {"root_attrs": attrs, "root_attr_keys": list(h5file.attrs), "tree": h5_tree(h5file)}


def attr_value(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "value": [attr_value(v) for v in value.tolist()]}
    if isinstance(value, np.generic):
        return value.item()
    return value


def flat(prefix: str, value) -> dict:
    """`{prefix: array}` or, for a dict of arrays, `{prefix/<key>: array}`."""
    if isinstance(value, dict):
        return {f"{prefix}/{k}": np.asarray(v) for k, v in value.items()}
    return {prefix: np.asarray(value)}


def head(data, n: int = 16):
    return {k: v[:n] for k, v in data.items()} if isinstance(data, dict) else data[:n]


def floats(value):
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return float(value)


def train(keras, builder) -> tuple:
    """The case's model and data, trained 2 epochs from a fresh session seeded with 0."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    model, data = builder(keras)
    model.fit(data["x"], data["y"], batch_size=16, epochs=2, shuffle=False, verbose=0)
    return model, data


def continue_training(keras, path: Path, data: dict, safe_mode: bool) -> tuple:
    """Loads `path` in TF and takes one step on the first 16 rows: (JSON facts, arrays).

    The step runs twice, each time on a freshly loaded model: once for `train_on_batch`'s
    list and once for its dict (key order included); both start from the file's state.
    """
    batch = head(data["x"]), head(data["y"])
    as_dict = keras.models.load_model(path, safe_mode=safe_mode).train_on_batch(*batch, return_dict=True)
    model = keras.models.load_model(path, safe_mode=safe_mode)
    result = floats(model.train_on_batch(*batch))
    meta = {"train_on_batch": result, "metrics_names": list(model.metrics_names),
            "train_on_batch_dict": [[k, float(v)] for k, v in as_dict.items()], "batch_rows": 16}
    return meta, {f"continue/w.{i}": w for i, w in enumerate(model.get_weights())}


def h5_content(h5) -> list:
    """(path, attrs, bytes of the values) of every object: equal content, whatever the byte layout."""
    rows = []

    def visit(name, obj):
        values = obj[()].tobytes() if hasattr(obj, "shape") else None
        rows.append((name, {k: attr_value(v) for k, v in obj.attrs.items()}, values))

    h5.visititems(visit)
    return rows


def attempt(load) -> str:
    """"ok", or the error TF raises: Keras 3 cannot read all of its own legacy `.h5` files."""
    try:
        load()
    except Exception as error:  # the error is the fact recorded
        return f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
    return "ok"


def record_case(keras, name: str, builder, formats: tuple) -> tuple:
    """Trains one case, writes its files and returns (JSON facts, {npz key: array})."""
    import h5py

    model, data = train(keras, builder)
    paths = {fmt: FIXTURES / f"{name}{SUFFIXES[fmt]}" for fmt in formats}
    arrays = {**flat("x_ref", data["x_ref"]), **flat("pred", model.predict(data["x_ref"], verbose=0))}
    arrays.update({f"w.{i}": w for i, w in enumerate(model.get_weights())})
    optimizer = model.optimizer.variables
    arrays.update({f"opt.{i}": v.numpy() for i, v in enumerate(optimizer)})
    meta = {"formats": list(formats), "optimizer": type(model.optimizer).__name__,
            "optimizer_paths": [v.path for v in optimizer], "optimizer_names": [v.name for v in optimizer],
            "weight_shapes": [list(w.shape) for w in model.get_weights()],
            "pred_keys": [k for k in arrays if k.startswith("pred")]}
    if "keras" in paths:
        model.save(paths["keras"])
        normalize_keras_zip(paths["keras"])
        with zipfile.ZipFile(paths["keras"]) as zf:
            inner = zf.read("model.weights.h5")
            meta["keras_members"] = zf.namelist()
            meta["config"] = json.loads(zf.read("config.json"))
            meta["metadata"] = json.loads(zf.read("metadata.json"))
        with h5py.File(io.BytesIO(inner), "r") as h5:
            meta["weights_h5"] = h5_tree(h5)
        meta["continue"], found = continue_training(keras, paths["keras"], data, name != "lambda_model")
        arrays.update(found)
    if "weights" in paths:
        model.save_weights(paths["weights"])
        if "keras" in paths:
            with h5py.File(io.BytesIO(inner), "r") as member, h5py.File(paths["weights"], "r") as own:
                meta["weights_file_same_content_as_keras_member"] = h5_content(member) == h5_content(own)
            meta["weights_file_same_bytes_as_keras_member"] = paths["weights"].read_bytes() == inner
    if "h5" in paths:
        model.save(paths["h5"])
        with h5py.File(paths["h5"], "r") as h5:
            meta["legacy_h5"] = h5_root(h5)
        meta["legacy_h5_tf_load"] = {
            f"compile={flag}": attempt(lambda flag=flag: keras.models.load_model(paths["h5"], compile=flag))
            for flag in (True, False)}
    return meta, {f"{name}/{k}": v for k, v in arrays.items()}


def load_cases():
    """`compat/saving_cases.py` compiled from its relative path (the cwd is the repository root).

    The lambda case's marshalled bytecode holds its `co_filename`; a relative one keeps the
    `.keras` file independent of where the repository is checked out.
    """
    path = "compat/saving_cases.py"
    module = types.ModuleType("compat.saving_cases")
    module.__file__ = path
    sys.modules[module.__name__] = module
    # importlib would make the path absolute; compiling the source names it as given.
    exec(compile(Path(path).read_text(), path, "exec"), module.__dict__)
    return module


def main() -> None:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import keras
    import tensorflow as tf

    from compat.generate_ops import write_npz

    cases = load_cases().CASES
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    meta, arrays = {}, {}
    for name, (builder, formats) in cases.items():
        meta[name], found = record_case(keras, name, builder, formats)
        arrays.update(found)
    versions = {"tensorflow": tf.__version__, "keras": keras.__version__, "python": sys.version.split()[0]}
    record = {"versions": versions, "date_saved": DATE_SAVED, "cases": meta}
    (FIXTURES / "reference.json").write_text(json.dumps(record, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "reference.npz", arrays)
    print(f"{len(cases)} cases, {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
