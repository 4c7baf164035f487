"""Dataset pickles are read with a restricted unpickler: numpy arrays yes, code execution no."""

from __future__ import annotations

import io
import os
import pickle
import tarfile

import numpy as np
import pytest

from kerastorch.keras import datasets
from kerastorch.keras.datasets._safe_pickle import load_npz, load_pickle


class _Exploit:
    """Unpickling this calls `os.system` (the classic pickle gadget)."""

    def __reduce__(self):
        return os.system, ("exit 3",)


class _Eval:
    def __reduce__(self):
        return eval, ("1 + 1",)


def _object_array(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


@pytest.mark.parametrize("gadget", [_Exploit(), _Eval()], ids=["os_system", "builtins_eval"])
def test_malicious_npz_is_refused(tmp_path, monkeypatch, gadget):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    path = tmp_path / "datasets" / "imdb.npz"
    np.savez(path, x_train=_object_array([1, 2], gadget), y_train=np.array([0, 1]),
             x_test=_object_array([3]), y_test=np.array([1]))
    with pytest.raises(pickle.UnpicklingError, match=r"Refusing to load `(posix|os|nt)\.system|builtins\.eval"):
        datasets.imdb.load_data()


def test_malicious_cifar_batch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    folder = tmp_path / "datasets" / "cifar-100-python-target" / "cifar-100-python"
    folder.mkdir(parents=True)
    batch = pickle.dumps({b"data": np.zeros((1, 3072), np.uint8), b"fine_labels": [_Exploit()]}, protocol=3)
    (folder / "train").write_bytes(batch)
    with pytest.raises(pickle.UnpicklingError, match="corrupted or malicious"):
        datasets.cifar100.load_data()


def test_malicious_pickle_in_archive_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    data = pickle.dumps(_Exploit(), protocol=3)
    with tarfile.open(tmp_path / "datasets" / "cifar-100-python-target_archive", "w") as archive:
        info = tarfile.TarInfo("cifar-100-python/train")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(pickle.UnpicklingError, match="cifar-100-python-target_archive:cifar-100-python/train"):
        datasets.cifar100.load_data()


@pytest.mark.parametrize("protocol", [3, 4], ids=["p3", "p4"])
def test_numpy_arrays_and_containers_load(protocol):
    value = {b"a": [1, (2, 3), "s"], b"b": np.arange(6, dtype=np.int16).reshape(2, 3), b"c": np.float32(1.5)}
    loaded = load_pickle(io.BytesIO(pickle.dumps(value, protocol=protocol)), "test", encoding="bytes")
    assert loaded.keys() == value.keys()
    assert loaded[b"a"] == [1, (2, 3), "s"]
    assert loaded[b"c"] == np.float32(1.5) and type(loaded[b"c"]) is np.float32
    np.testing.assert_array_equal(loaded[b"b"], value[b"b"])
    assert loaded[b"b"].dtype == np.int16


def test_python3_protocol_2_bytes_are_refused():
    # Python 3 writes bytes at protocol 2 through `_codecs.encode`; Keras 3.15 refuses it too
    # (the real CIFAR files come from Python 2, whose protocol 2 stores them directly).
    with pytest.raises(pickle.UnpicklingError, match="`_codecs.encode`"):
        load_pickle(io.BytesIO(pickle.dumps(b"abc", protocol=2)), "test")


def test_npz_plain_and_object_members(tmp_path):
    path = tmp_path / "mixed.npz"
    np.savez(path, numbers=np.arange(4.0), ragged=_object_array([1], [2, 3]))
    arrays = load_npz(str(path))
    np.testing.assert_array_equal(arrays["numbers"], np.arange(4.0))
    assert arrays["ragged"].dtype == object and arrays["ragged"].tolist() == [[1], [2, 3]]
