"""Writes `compat/fixtures/utils.json`: TF 2.21's `keras.utils.to_categorical`, `normalize` and
`pad_sequences` on every case of `utils_cases.CASES`. Run from the repository root (never in CI):

    .venv-tf/bin/python compat/generate_utils.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "utils.json"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import tensorflow as tf

    from compat.utils_cases import CASES, run_case

    cases = {case_id: {"source": source, **run_case(source, tf)} for case_id, source in CASES}
    FIXTURE.write_text(json.dumps({"tensorflow": tf.__version__, "cases": cases}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
