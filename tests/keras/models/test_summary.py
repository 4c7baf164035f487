"""model.summary(): the text TensorFlow 2.21 prints (compat/fixtures/summary.json), the console
width rules, print_fn, and the argument errors."""

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

import kerastorch as tf
from compat.generate_summary import CASES, COLUMNS, summary_text
from kerastorch import keras
from kerastorch.keras.engine.variables import KerasVariable
from kerastorch.keras.models import summary

FIXTURE_PATH = Path(__file__).resolve().parents[3] / "compat" / "fixtures" / "summary.json"
FIXTURE = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
L = keras.layers


def _compiled_fitted():
    # The state `fit` leaves (compiled, optimizer built) without training: the summary
    # reads only `compiled` and the optimizer's `built` and `variables`.
    model = keras.Sequential([keras.Input(shape=(4,)), L.Dense(3), L.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model, {}


@pytest.fixture
def columns(monkeypatch):
    """Sets the console width `COLUMNS` (what Keras and rich read first)."""
    return lambda width: monkeypatch.setenv("COLUMNS", str(width))


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`:UserWarning")
@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_summary_matches_tensorflow(name, columns):
    """Byte-identical to TF's text (the totals include the optimizer's variables once it is built)."""
    columns(COLUMNS.get(name, 80))
    keras.backend.clear_session()
    model, kwargs = _compiled_fitted() if name == "compiled_fitted" else CASES[name](tf)
    assert summary_text(model, kwargs) == FIXTURE[name]


def test_without_print_fn_the_text_goes_to_stdout(columns, capsys):
    columns(80)
    model, _ = CASES["multi_input_concat"](tf)
    model.summary()
    assert capsys.readouterr().out == FIXTURE["multi_input_concat"]


def test_print_fn_gets_the_whole_text_once(columns):
    columns(80)
    model, _ = CASES["seed_functional"](tf)
    calls = []
    model.summary(print_fn=lambda *args, **kwargs: calls.append((args, kwargs)))
    assert calls == [((FIXTURE["seed_functional"],), {})]


@pytest.mark.parametrize(("size", "text"), [
    (212, "212.00 B"), (900, "900.00 B"), (1023, "1023.00 B"), (1024, "1.00 KB"), (3604.48, "3.52 KB"),
    (2.49 * 1024**2, "2.49 MB"), (1024**6, "1.00 PB"), (1024**7, "1024.00 PB"),
], ids=["212B", "900B", "1023B", "1KB", "3.52KB", "2.49MB", "1PB", "1024PB"])
def test_readable_memory_size(size, text):
    assert summary.readable_memory_size(size) == text


def test_weights_are_sized_by_dtype_and_counted_once():
    kernel = KerasVariable(np.zeros((3, 4), "float16"))
    flags = KerasVariable(np.zeros((16,), "bool"))
    assert summary._size_in_bytes([kernel, flags, kernel]) == 3 * 4 * 2 + 16 / 8


def test_a_dtype_without_a_size_is_refused():
    class Weight:
        shape, dtype = (2,), "string"

    with pytest.raises(ValueError, match="Invalid dtype: string"):
        summary._size_in_bytes([Weight()])


def _terminal(monkeypatch, width):
    """No `COLUMNS`; every standard stream a terminal `width` wide (or none when None)."""
    def size(fd=None):
        if width is None:
            raise OSError("not a terminal")
        return os.terminal_size((width, 24))

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", size)


@pytest.mark.parametrize(("width", "case"), [(None, "multi_input_concat"), (200, "wide_terminal")],
                         ids=["no-terminal", "terminal-200"])
def test_terminal_width_sets_the_default_line_length(monkeypatch, width, case):
    _terminal(monkeypatch, width)
    model, _ = CASES[case](tf)
    assert summary_text(model, {}) == FIXTURE[case]


def test_a_dumb_terminal_counts_as_80_columns(monkeypatch):
    _terminal(monkeypatch, 200)
    monkeypatch.setenv("TERM", "dumb")
    tty = io.StringIO()
    tty.isatty = lambda: True
    monkeypatch.setattr("sys.stdout", tty)
    assert summary._console_width(to_stdout=True) == 80
    assert summary._console_width(to_stdout=False) == 200


@pytest.mark.parametrize(("layer_range", "message"), [
    (["dense"], r"layer_range must be a list or tuple of length 2. Received: "
                r"layer_range = \['dense'\] of length 1"),
    (["dense", 3], r"layer_range should contain string type only. Received: \['dense', 3\]"),
    (["conv", "dense"], "Passed layer_names do not match the layer names in the model"),
], ids=["length", "type", "no-match"])
def test_layer_range_errors(layer_range, message):
    model, _ = CASES["seed_functional"](tf)
    with pytest.raises(ValueError, match=message):
        model.summary(layer_range=layer_range)


def test_layer_range_given_backwards_lists_the_same_layers(columns):
    columns(80)
    model, _ = CASES["multi_input_concat"](tf)
    forward = summary_text(model, {"layer_range": ["dense", "concat"]})
    assert summary_text(model, {"layer_range": ["concat", "dense"]}) == forward == FIXTURE["layer_range"]


def test_too_narrow_a_table_is_refused():
    model, _ = CASES["seed_functional"](tf)
    with pytest.raises(ValueError, match="Insufficient console width to print summary."):
        model.summary(line_length=10)


def test_positions_need_one_entry_per_column():
    model, _ = CASES["multi_input_concat"](tf)
    with pytest.raises(IndexError, match=r"one entry per column \(4 with these options\)"):
        model.summary(positions=[0.3, 0.6, 1.0])
