"""Writes `compat/fixtures/datasets.json`: what Keras 3.15's dataset loaders return on fake files.

Every case of `dataset_cases.CASES` runs with TF 2.21's `keras.datasets` on the fake cache
files of `dataset_cases.write_cache`, put in a temporary `KERAS_HOME`. Keras checks each
cached file against the real file's hash and downloads it again on a mismatch, so the
hash check is made to pass and downloading to fail. Run from the repository root (never
in CI):

    .venv-tf/bin/python compat/generate_datasets.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "datasets.json"
# Keras hard-codes 10,000 images per CIFAR-10 training batch.
CIFAR10_PER_BATCH = 10000


def _refuse_download(url, *args, **kwargs):
    raise RuntimeError(f"the generator must not download ({url}): a fake cache file is missing")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from compat.dataset_cases import CASES, run_case, write_cache

    with tempfile.TemporaryDirectory() as home:
        os.environ["KERAS_HOME"] = home  # read once, when keras is imported
        write_cache(home, per_batch=CIFAR10_PER_BATCH)
        import keras
        import tensorflow as tf
        from keras.src.utils import file_utils

        file_utils.validate_file = lambda *args, **kwargs: True
        file_utils.urlretrieve = _refuse_download
        cases = {case["id"]: run_case(case, tf.keras, per_batch=CIFAR10_PER_BATCH) for case in CASES}
    for case_id, record in cases.items():
        if "RuntimeError" == record.get("error"):
            raise SystemExit(f"{case_id}: {record['message']}")
    FIXTURE.write_text(json.dumps({"tensorflow": tf.__version__, "keras": keras.__version__, "cases": cases},
                                  indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
