"""Fixtures of the callback tests: a fake clock for the progress bar, captured stdout."""

import contextlib
import io
import sys

import pytest

from compat.callback_kit import Clock, FakeModel, Recorder, TTYBuffer
from kerastorch.keras.utils import progbar


@pytest.fixture
def clock(monkeypatch):
    """The time the progress bar reads: set `clock.t`."""
    fake = Clock()
    monkeypatch.setattr(progbar, "time", fake)
    return fake


@pytest.fixture
def tty():
    """`with tty as out:` captures stdout as a terminal (bars redrawn in place).

    stdout is redirected in the test body: pytest's own capture replaces it after setup.
    """
    return contextlib.redirect_stdout(TTYBuffer())


@pytest.fixture
def pipe(monkeypatch):
    """`with pipe as out:` captures stdout as a file or a pipe (no notebook, no PyCharm)."""
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    return contextlib.redirect_stdout(io.StringIO())


@pytest.fixture
def rec(tmp_path):
    return Recorder(str(tmp_path))


@pytest.fixture
def model(rec):
    return FakeModel(rec)
