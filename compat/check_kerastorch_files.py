"""Loads the model files kerastorch wrote into real TF 2.21 / Keras 3.15 and checks them.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/check_kerastorch_files.py [DIR]

`DIR` (default `compat/fixtures/saving/from_kerastorch/`) holds what the kerastorch
tests wrote for the cases of `saving_cases.py`, under the names `generate_saving.py`
uses: `<case>.keras` (loaded with `keras.models.load_model`; the lambda case with
`safe_mode=False`), `<case>.weights.h5` (loaded with `load_weights` into a freshly
built TF model of the case) and `<case>.h5` (legacy HDF5, `load_model`); and
`expected.npz` with `<case>/x_ref` and `<case>/pred` (dict inputs and outputs:
`<case>/x_ref/<input>`, `<case>/pred/<output>`), the predictions kerastorch made. Each
loaded model predicts `x_ref` and must match `pred` within atol 1e-5. The optimizer
state must load without Keras dropping it (its "Skipping variable loading for optimizer"
warning, or the legacy loader's "Error in loading the saved optimizer state" log line
fail the file): a weights file is loaded into a model whose optimizer is built, so a
file without the optimizer variables (or with a different count) fails, as it would
in TF after training. A whole model (`.keras`, `.h5`) must come back compiled with the
case's optimizer class. Keras 3 cannot read all of its own legacy `.h5` files whole
(`legacy_h5_tf_load` in `reference.json`), so a `.h5` that `load_model` refuses is read
with `compile=False`, then with `load_weights` into a fresh model, and the line says so.

One line per file: `OK <file> (how, for a legacy fallback)`, `FAIL <file>: <reason>`,
or `MISSING <file>` for a case format that was not written (not a failure); any other
file in `DIR` fails; then a summary. The exit code is 1 if a file failed or none passed.

Self-test (no kerastorch needed): `--self-test` copies TF's own fixtures of
`fixtures/saving/` into a temporary directory with an `expected.npz` taken from
`reference.npz` (same keys) and checks that directory; every file must be OK.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "compat" / "fixtures" / "saving" / "from_kerastorch"
SUFFIXES = {"keras": ".keras", "weights": ".weights.h5", "h5": ".h5"}
ATOL = 1e-5


def nested(arrays, prefix: str):
    """`arrays[prefix]`, or the dict `{name: arrays[prefix/name]}` of a dict input or output."""
    if prefix in arrays:
        return arrays[prefix]
    found = {key[len(prefix) + 1:]: arrays[key] for key in arrays.files if key.startswith(prefix + "/")}
    if not found:
        raise KeyError(f"expected.npz has no {prefix!r}")
    return found


def compare(pred, expected) -> str | None:
    """Why `pred` differs from `expected` (None when they agree)."""
    if isinstance(expected, dict):
        if not isinstance(pred, dict) or sorted(pred) != sorted(expected):
            got = sorted(pred) if isinstance(pred, dict) else type(pred).__name__
            return f"outputs {got}, expected {sorted(expected)}"
        reasons = [f"{k}: {r}" for k in expected if (r := compare(pred[k], expected[k]))]
        return "; ".join(reasons) or None
    pred = np.asarray(pred)
    if pred.shape != expected.shape:
        return f"shape {pred.shape}, expected {expected.shape}"
    diff = float(np.max(np.abs(pred - expected))) if pred.size else 0.0
    return None if diff <= ATOL else f"max |diff| {diff:.3g} > {ATOL}"


def summary(error: Exception) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"


@contextlib.contextmanager
def optimizer_complaints():
    """Collects what Keras says (a Python warning or an absl log line) when it drops optimizer state."""
    complaints = []

    class Collect(logging.Handler):
        def emit(self, record):
            complaints.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logging.getLogger("absl").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield complaints
    finally:
        logging.getLogger("absl").removeHandler(handler)
        complaints.extend(str(w.message) for w in caught)
        dropped = [c.strip() for c in complaints if "optimizer" in c and ("Skipping" in c or "Error" in c)]
        complaints[:] = dropped


def fresh_model(keras, cases: dict, name: str):
    """A freshly built and compiled TF model of the case, its optimizer built (so it can load state)."""
    keras.backend.clear_session()
    model, _ = cases[name][0](keras)
    model.optimizer.build(model.trainable_variables)
    return model


def load(keras, cases: dict, name: str, fmt: str, path: Path) -> tuple:
    """(model, note): the TF model read from `path`; the note says how a legacy `.h5` was read."""
    if fmt == "weights":
        model = fresh_model(keras, cases, name)
        model.load_weights(path)
        return model, ""
    if fmt == "keras":
        return keras.models.load_model(path, safe_mode=name != "lambda_model"), ""
    # Keras 3 cannot read all its own legacy files whole (`legacy_h5_tf_load` in reference.json):
    # fall back as a TF user would, and say so.
    try:
        return keras.models.load_model(path), ""
    except Exception as error:  # whatever TF raises, the next way is tried
        first = summary(error)
    try:
        return keras.models.load_model(path, compile=False), f"compile=False; load_model: {first}"
    except Exception as error:  # whatever TF raises, the next way is tried
        model = fresh_model(keras, cases, name)
        model.load_weights(path)
        return model, f"load_weights only; load_model: {first}; compile=False: {type(error).__name__}"


def check_file(keras, cases: dict, name: str, fmt: str, path: Path, expected) -> tuple:
    """(why the file fails or None, note on how it was read)."""
    x_ref, want = nested(expected, f"{name}/x_ref"), nested(expected, f"{name}/pred")
    with optimizer_complaints() as complaints:
        model, note = load(keras, cases, name, fmt, path)
    if complaints:
        return f"optimizer state not restored: {complaints[0]}", note
    reason = compare(model.predict(x_ref, verbose=0), want)
    if reason is None and fmt != "weights" and not note:
        wanted = type(fresh_model(keras, cases, name).optimizer).__name__
        got = type(model.optimizer).__name__ if getattr(model, "optimizer", None) is not None else None
        if got != wanted:
            reason = f"optimizer {got}, expected {wanted} (compile config not restored)"
    return reason, note


def check_dir(directory: Path) -> int:
    """Checks every case file of `directory`; prints one line per file and a summary; the exit code."""
    import keras

    sys.path.insert(0, str(ROOT))
    from compat import saving_cases

    saving_cases.subclassed_classes(keras)  # registers compat>ResidualMLP before any load
    expected_path = directory / "expected.npz"
    if not expected_path.exists():
        print(f"FAIL {expected_path}: not found")
        return 1
    expected = np.load(expected_path)
    counts = {"OK": 0, "FAIL": 0, "MISSING": 0}
    known = {expected_path.name}
    for name, (_, formats) in saving_cases.CASES.items():
        for fmt in formats:
            path = directory / f"{name}{SUFFIXES[fmt]}"
            known.add(path.name)
            if not path.exists():
                status, line = "MISSING", f"MISSING {path.name}"
            else:
                try:
                    reason, note = check_file(keras, saving_cases.CASES, name, fmt, path, expected)
                except Exception as error:  # whatever TF raises while loading, the file fails
                    reason, note = summary(error), ""
                status = "FAIL" if reason else "OK"
                line = f"FAIL {path.name}: {reason}" if reason else f"OK {path.name}"
                line += f" ({note})" if note else ""
            counts[status] += 1
            print(line)
    for extra in sorted(p.name for p in directory.iterdir() if p.name not in known):
        counts["FAIL"] += 1
        print(f"FAIL {extra}: not a file of any case")
    print(f"{counts['OK']} OK, {counts['FAIL']} failed, {counts['MISSING']} missing in {directory}")
    return 1 if counts["FAIL"] or not counts["OK"] else 0


def self_test() -> int:
    """Checks TF's own fixtures, laid out as kerastorch would write them."""
    fixtures = ROOT / "compat" / "fixtures" / "saving"
    with tempfile.TemporaryDirectory() as tmp:
        for path in fixtures.iterdir():
            if path.suffix in (".keras", ".h5") and not path.name.startswith("keras2_"):
                shutil.copy(path, tmp)
        reference = np.load(fixtures / "reference.npz")
        keep = [k for k in reference.files if k.split("/")[1] in ("x_ref", "pred")]
        np.savez(Path(tmp) / "expected.npz", **{k: reference[k] for k in keep})
        return check_dir(Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--self-test", action="store_true", help="check TF's own fixtures instead")
    args = parser.parse_args()
    sys.exit(self_test() if args.self_test else check_dir(args.directory))


if __name__ == "__main__":
    main()
