"""keras.utils.Progbar and ProgbarLogger beyond the Keras fixture: where output goes, when values are read."""

import contextlib
import io
import json
import sys
import types
from collections.abc import Mapping
from pathlib import Path

import pytest
import torch

import kerastorch as tf
from compat.callback_cases import CASES
from compat.callback_kit import run
from kerastorch.keras import callbacks
from kerastorch.keras.utils import Progbar, progbar

FIXTURE = Path(__file__).parents[3] / "compat" / "fixtures" / "callbacks.json"


class CountingLogs(Mapping):
    """Batch logs that count how often a value is read (a device tensor read is a host sync)."""

    def __init__(self, values: dict):
        self.values = values
        self.reads = 0

    def __getitem__(self, key):
        self.reads += 1
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)


def _epoch(clock, steps: int, dt: float, logs) -> None:
    cbs = callbacks.CallbackList(None, add_progbar=True, verbose=1, epochs=1, steps=steps)
    cbs.on_epoch_begin(0)
    for step in range(steps):
        cbs.on_train_batch_begin(step)
        clock.t += dt
        cbs.on_train_batch_end(step, logs)
    cbs.on_epoch_end(0, {"accuracy": 0.5, "loss": 0.25})  # fit's epoch logs: the batch ones and more


def _final_lines(text: str) -> str:
    """What a terminal shows of redrawn output: each line's part after its last `\\r`."""
    return "\n".join(line.rsplit("\r", 1)[-1].rstrip(" ") for line in text.split("\n"))


@pytest.mark.parametrize("name", ["log_fit_verbose1", "log_evaluate", "log_predict", "pb_unknown_target"],
                         ids=["fit", "evaluate", "predict", "unknown_target"])
def test_not_a_terminal_prints_only_the_final_line_of_each_bar(name, pipe, clock, tmp_path):
    env = types.SimpleNamespace(callbacks=callbacks, Progbar=Progbar, clock=clock, tmp=str(tmp_path),
                                batch_value=lambda v: v)
    keras_out = json.loads(FIXTURE.read_text())["cases"][name]["out"]
    got = run(CASES[name], env, terminal=False)["out"]
    assert "\r" not in got and "\b" not in got
    assert got == _final_lines(keras_out)


def test_not_a_terminal_never_reads_batch_logs(pipe, clock):
    logs = CountingLogs({"accuracy": torch.tensor(0.5), "loss": torch.tensor(0.25)})
    with pipe as out:
        _epoch(clock, steps=50, dt=0.01, logs=logs)
    assert logs.reads == 0
    assert out.getvalue().count("\n") == 1


def test_a_batch_value_missing_from_the_epoch_logs_is_shown_from_the_last_batch(pipe, clock):
    logs = CountingLogs({"accuracy": torch.tensor(0.5), "extra": torch.tensor(2.0), "loss": torch.tensor(0.25)})
    with pipe as out:
        _epoch(clock, steps=5, dt=0.01, logs=logs)
    assert logs.reads == 1
    assert out.getvalue().endswith(" - accuracy: 0.5000 - extra: 2.0000 - loss: 0.2500\n")


def test_terminal_reads_batch_logs_only_when_it_redraws(tty, clock):
    logs = CountingLogs({"accuracy": torch.tensor(0.5), "loss": torch.tensor(0.25)})
    with tty as out:
        _epoch(clock, steps=50, dt=0.01, logs=logs)
    redraws_during_batches = out.getvalue().count("\r") - 1  # the last one is the epoch's final line
    assert 2 <= redraws_during_batches <= 11  # 0.5 s of steps, one redraw per 0.05 s at most
    assert logs.reads == 2 * redraws_during_batches


def test_tensor_values_are_averaged_like_floats(tty, clock):
    shown = []
    with tty as out:
        for make in (float, torch.tensor, tf.constant):
            bar = Progbar(3)  # not finished: the bar shows the average (a final value is shown as given)
            clock.t += 0.1
            bar.update(1, [("loss", make(0.5))])
            clock.t += 0.1
            bar.update(2, [("loss", make(0.25))])
            shown.append(out.getvalue().rsplit("\r", 1)[-1])
    assert shown[0].endswith("- loss: 0.3750")
    assert shown[0] == shown[1] == shown[2]


def test_verbose_0_prints_nothing(tty, clock):
    with tty as out:
        bar = Progbar(3, verbose=0)
        for step in (1, 2, 3):
            clock.t += 1
            bar.update(step, [("loss", 1.0)])
    assert out.getvalue() == ""


@pytest.mark.parametrize("setting", ["ipykernel", "pycharm"], ids=["notebook", "pycharm"])
def test_notebooks_and_pycharm_redraw_in_place(setting, pipe, monkeypatch):
    with pipe:
        assert not progbar.is_dynamic_display()
        if setting == "ipykernel":
            monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
        else:
            monkeypatch.setenv("PYCHARM_HOSTED", "1")
        assert progbar.is_dynamic_display()


def test_a_stream_that_cannot_encode_the_bar_gets_equals_signs(clock):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    stream.isatty = lambda: True
    with contextlib.redirect_stdout(stream):
        bar = Progbar(2, width=4)
        clock.t += 1
        bar.update(2)
    stream.flush()
    assert "====" in raw.getvalue().decode("ascii")
