"""Parity fixture for the callbacks and the progress bar: what Keras 3.15 prints and does.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_callbacks.py

Every scenario of `callback_cases.CASES` runs against `keras.callbacks` and
`keras.utils.Progbar` on a fake model and a fake clock (`callback_kit.py`), in a fresh
scratch directory; the JSON records, per scenario, the text printed (bars and all), the
warnings, the error raised and the recorded events. `test_callbacks_parity.py` runs
the same scenarios under kerastorch. Sorted keys: regenerating gives the same bytes.
"""

from __future__ import annotations

import json
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "callbacks.json"
sys.path.insert(0, str(ROOT))

from compat.callback_cases import CASES  # noqa: E402
from compat.callback_kit import Clock, run  # noqa: E402


def keras_env(tmp: str):
    import keras
    from keras.src.utils import progbar

    clock = Clock()
    progbar.time = clock  # the bar and the logger read the time through this module name
    return types.SimpleNamespace(callbacks=keras.callbacks, Progbar=keras.utils.Progbar, clock=clock, tmp=tmp,
                                 batch_value=lambda v: v)


def main() -> None:
    results = {}
    for name, scenario in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            results[name] = run(scenario, keras_env(tmp))
    FIXTURE.write_text(json.dumps({"cases": results}, sort_keys=True, indent=1) + "\n")
    errors = sum(r["error"] is not None for r in results.values())
    print(f"{len(results)} scenarios ({errors} ending in an error) -> {FIXTURE}")


if __name__ == "__main__":
    main()
