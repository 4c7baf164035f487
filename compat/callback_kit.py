"""What the callback parity scenarios run on, under Keras (generator) or kerastorch (test).

A scenario (in `callback_cases.py`) is a function `(env, rec)` driving callbacks by
hand, as `fit` / `evaluate` / `predict` would, on a `FakeModel`: nothing in it is
trained, so the recorded output depends only on the callbacks. `env` names the
implementation (`env.callbacks`, `env.Progbar`), the fake clock both progress bars
read (`env.clock`: time is whatever the scenario sets, so the times, ETAs and refresh
throttling printed are deterministic), a scratch directory (`env.tmp`, printed as
`<tmp>`) and `env.batch_value`, which kerastorch's test uses to hand batch logs over
as 0-d torch tensors. `rec` collects what happened: the text printed to stdout (a
stream that says it is a terminal, as Keras assumes on POSIX), warnings, the error
that ended the scenario, and events the scenario records.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings

import numpy as np


class Clock:
    """A stand-in for the `time` module: `time()` is `t`, which scenarios advance."""

    def __init__(self):
        self.t = 1000.0

    def time(self) -> float:
        return self.t


class TTYBuffer(io.StringIO):
    """Captured stdout that claims to be a terminal (the progress bar redraws in place)."""

    def isatty(self) -> bool:
        return True


class FakeOptimizer:
    """An optimizer with a float32 learning rate, as a Keras optimizer's variable holds it."""

    def __init__(self, learning_rate: float = 0.01, name: str = "sgd"):
        self._lr = np.float32(learning_rate)
        self.name = name
        self.iterations = 0
        self.built = True

    @property
    def learning_rate(self):
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value):
        self._lr = np.float32(value)


class FakeModel:
    """The model attributes callbacks use; saving and loading are recorded (and touch files)."""

    def __init__(self, rec, learning_rate: float = 0.01, built: bool = True):
        self.rec = rec
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.built = built
        self.trainable_variables = []
        self.layers = []
        self.weights = [np.zeros(2, dtype="float32")]

    def __repr__(self) -> str:
        return "<FakeModel>"

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.asarray(w) for w in weights]
        self.rec.event("set_weights", [w.tolist() for w in self.weights])

    def save(self, filepath, overwrite=True):
        self._write("save", filepath, overwrite)

    def save_weights(self, filepath, overwrite=True):
        self._write("save_weights", filepath, overwrite)

    def load_weights(self, filepath):
        self.rec.event("load_weights", self.rec.mask(filepath))

    def _write(self, what: str, filepath, overwrite: bool) -> None:
        self.rec.event(what, self.rec.mask(filepath), overwrite)
        with open(filepath, "wb") as f:
            f.write(b"weights")


class Recorder:
    """Collects a scenario's events; `mask` hides the scratch directory's path."""

    def __init__(self, tmp: str):
        self.tmp = tmp
        self.events = []

    def event(self, *items) -> None:
        self.events.append(list(items))

    def mask(self, text) -> str:
        return str(text).replace(self.tmp, "<tmp>")


def run(scenario, env, terminal: bool = True) -> dict:
    """Runs one scenario and returns what it printed, warned, raised and recorded.

    `terminal=False` captures stdout as a file would (kerastorch's bars then write only
    their final line; Keras's always redraw).
    """
    rec = Recorder(env.tmp)
    out = TTYBuffer() if terminal else io.StringIO()
    result = {"error": None}
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            scenario(env, rec)
        except Exception as error:  # noqa: BLE001 -- the error is what the scenario checks
            result["error"] = [type(error).__name__, rec.mask(error)]
    result["out"] = rec.mask(out.getvalue())
    result["warnings"] = [[w.category.__name__, rec.mask(w.message)] for w in caught
                          if not _foreign(w)]
    result["events"] = _jsonable(rec.events)
    return result


def _foreign(warning) -> bool:
    """Warnings from the libraries underneath (numpy, TF), not from the callbacks."""
    return issubclass(warning.category, DeprecationWarning) and "callbacks" not in str(warning.filename)


def _jsonable(value):
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def read_text(path: str) -> str:
    """A file's content, newlines kept as written (CSVLogger writes \\r\\n)."""
    with open(path, newline="") as f:
        return f.read()


def listing(directory: str) -> list:
    """The files under `directory`, relative and sorted."""
    found = []
    for root, _, files in os.walk(directory):
        found += [os.path.relpath(os.path.join(root, name), directory) for name in files]
    return sorted(found)
