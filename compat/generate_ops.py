"""Writes the op parity fixtures by running every case of `cases_ops.py` under real TensorFlow.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_ops.py

It writes `compat/fixtures/ops.json` (per case: the signature it was generated from,
and each output's kind, dtype and shape, or the exception class and message) and
`compat/fixtures/ops.npz` (the generated inputs and the output values). Both files are
byte-for-byte reproducible: sorted JSON keys, sorted zip entries with a fixed timestamp.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat import harness  # noqa: E402
from compat.cases_ops import CASES  # noqa: E402

FIXTURES = ROOT / "compat" / "fixtures"


def generate() -> tuple:
    """`(meta, arrays)` of all cases; fails on a case that misbehaves under TF."""
    cases, arrays, failures = {}, {}, []
    for case in CASES:
        cid = case["id"]
        inputs = harness.make_arrays(case)
        try:
            outcome = harness.run_case(case, tf, inputs)
            if case["error"] and "error" not in outcome:
                raise AssertionError(f"expected an exception, TF returned {outcome['out']!r}")
            meta, values = harness.record(outcome)
        except Exception as exc:  # collected, so that one run lists every broken case
            failures.append(f"{cid} ({case['src']}): {type(exc).__name__}: {str(exc)[:300]}")
            continue
        meta["signature"] = harness.signature(case)
        cases[cid] = meta
        arrays.update({f"{cid}/in.{name}": arr for name, arr in inputs.items()})
        arrays.update({f"{cid}/{key}": arr for key, arr in values.items()})
    if failures:
        raise RuntimeError("cases that misbehave under TF:\n" + "\n".join(failures))
    meta = {
        "generator": "compat/generate_ops.py",
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    return meta, arrays


def write_npz(path: Path, arrays: dict) -> None:
    """An `.npz` that `np.load` reads, written reproducibly (sorted, fixed timestamps)."""
    with zipfile.ZipFile(path, "w") as zf:
        for key in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[key], order="C"), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def main() -> None:
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    meta, arrays = generate()
    FIXTURES.mkdir(exist_ok=True)
    text = json.dumps(meta, sort_keys=True, indent=1) + "\n"
    (FIXTURES / "ops.json").write_text(text)
    write_npz(FIXTURES / "ops.npz", arrays)
    errors = sum("error" in m for m in meta["cases"].values())
    print(f"{len(CASES)} cases ({errors} error cases), {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
