"""Writes model files with kerastorch for real TF to load (`check_kerastorch_files.py`).

Run from the repository root with the kerastorch environment, then the check with TF:

    .venv/bin/python compat/write_kerastorch_files.py [DIR]
    .venv-tf/bin/python compat/check_kerastorch_files.py [DIR]

For every case of `saving_cases.py` the model is built and trained by kerastorch the
way `generate_saving.py` does under TF (2 epochs, batch 16, no shuffling), then written
in the case's formats (`<case>.keras`, `<case>.weights.h5`, `<case>.h5`) into `DIR`
(default `compat/fixtures/saving/from_kerastorch/`, not committed), with
`expected.npz` holding each case's `x_ref` and kerastorch's predictions for it.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compat import saving_cases  # noqa: E402
from kerastorch import keras  # noqa: E402

DEFAULT_DIR = ROOT / "compat" / "fixtures" / "saving" / "from_kerastorch"
SUFFIXES = {"keras": ".keras", "weights": ".weights.h5", "h5": ".h5"}


def _flat(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            out[f"{prefix}/{key}"] = np.asarray(item)
    else:
        out[prefix] = np.asarray(value)


def write_all(directory: Path) -> list:
    """Writes every case's files and `expected.npz` into `directory`; returns the file names."""
    directory.mkdir(parents=True, exist_ok=True)
    expected, written = {}, []
    for name, (build, formats) in saving_cases.CASES.items():
        keras.utils.set_random_seed(0)
        model, data = build(keras)
        model.fit(data["x"], data["y"], epochs=2, batch_size=16, shuffle=False, verbose=0)
        _flat(f"{name}/x_ref", data["x_ref"], expected)
        _flat(f"{name}/pred", model.predict(data["x_ref"], verbose=0), expected)
        for fmt in formats:
            path = directory / f"{name}{SUFFIXES[fmt]}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the legacy format's deprecation warning
                if fmt == "weights":
                    model.save_weights(path)
                else:
                    model.save(path)
            written.append(path.name)
    np.savez(directory / "expected.npz", **expected)
    return written


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    names = write_all(directory)
    print(f"{len(names)} files -> {directory}")


if __name__ == "__main__":
    main()
