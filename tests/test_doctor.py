"""`kerastorch doctor`: versions, devices, default placement and import resolution."""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import os
import platform
import sys
import types

import pytest
import torch

import kerastorch
from kerastorch import cli, doctor
from kerastorch.framework import device as _device

ALIASES = {"tensorflow": "kerastorch", "keras": "kerastorch.keras"}


@pytest.fixture
def fresh_default(monkeypatch):
    """The default device is recomputed from the (patched) torch state."""
    monkeypatch.setattr(_device, "_default_cache", [])
    monkeypatch.setattr(_device, "_visible_gpus", None)


@pytest.fixture
def no_gpu(monkeypatch, fresh_default):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.fixture
def two_gpus(monkeypatch, fresh_default):
    props = types.SimpleNamespace(name="NVIDIA H100 80GB HBM3", total_memory=80 * 2**30, major=9, minor=0)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda i: props)
    monkeypatch.setattr(torch.version, "cuda", "12.4")
    monkeypatch.setattr(torch.backends.cudnn, "version", lambda: 90100)


def test_cli_doctor_prints_the_report(capsys, no_gpu):
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert out == doctor.report(cli._ALIASES) + "\n"
    assert f"kerastorch  {kerastorch.__version__} ({os.path.dirname(kerastorch.__file__)})" in out
    assert f"Python      {platform.python_version()} ({sys.executable})" in out
    for name in ("torch", "numpy", "h5py", "tabulate"):
        assert f"{name:<11} {importlib.metadata.version(name)}\n" in out


def test_cpu_only(no_gpu):
    text = doctor.report(ALIASES)
    assert "GPU:" not in text.split("Default")[0]
    assert "Default     /job:localhost/replica:0/task:0/device:CPU:0: CUDA is not used (" in text


def test_gpus_are_listed_and_used_by_default(two_gpus):
    text = doctor.report(ALIASES)
    assert "  GPU:0       NVIDIA H100 80GB HBM3 (80.0 GiB, compute capability 9.0)\n" in text
    assert "  GPU:1       NVIDIA H100 80GB HBM3" in text
    assert "torch build CUDA 12.4, cuDNN 90100" in text
    assert "Default     /job:localhost/replica:0/task:0/device:GPU:0: CUDA is used by default" in text


def test_imports_under_run_resolve_to_kerastorch(no_gpu):
    text = doctor.report(ALIASES)
    assert f"import tensorflow -> kerastorch ({kerastorch.__file__})" in text
    assert f"import keras      -> kerastorch.keras ({kerastorch.keras.__file__})" in text


def test_plain_imports_ignore_the_run_aliases(tmp_path, monkeypatch, no_gpu):
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    cli.install()  # as inside `kerastorch run`
    text = doctor.report(ALIASES).split("outside it (plain python):")[1]
    assert f"import tensorflow -> {tmp_path / 'tensorflow' / '__init__.py'}" in text
    keras_spec = importlib.machinery.PathFinder.find_spec("keras")
    assert f"import keras      -> {keras_spec.origin if keras_spec else 'not installed'}\n" in text + "\n"
