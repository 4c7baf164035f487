"""Where the loaders look for Keras's cached files, and the error when one is absent."""

from __future__ import annotations

import io
import os
import tarfile

import numpy as np
import pytest

from compat.dataset_cases import cifar100_files, write_cache
from kerastorch.keras import datasets
from kerastorch.keras.datasets import _cache

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(("load", "fname", "origin"), [
    (datasets.mnist.load_data, "mnist.npz", ORIGIN + "mnist.npz"),
    (datasets.fashion_mnist.load_data, os.path.join("fashion-mnist", "train-labels-idx1-ubyte.gz"),
     ORIGIN + "train-labels-idx1-ubyte.gz"),
    (datasets.imdb.load_data, "imdb.npz", ORIGIN + "imdb.npz"),
    (datasets.imdb.get_word_index, "imdb_word_index.json", ORIGIN + "imdb_word_index.json"),
    (datasets.reuters.load_data, "reuters.npz", ORIGIN + "reuters.npz"),
    (datasets.reuters.get_word_index, "reuters_word_index.json", ORIGIN + "reuters_word_index.json"),
    (datasets.boston_housing.load_data, "boston_housing.npz", ORIGIN + "boston_housing.npz"),
    (datasets.california_housing.load_data, "california_housing.npz", ORIGIN + "california_housing.npz"),
    (datasets.cifar10.load_data, "cifar-10-batches-py-target_archive",
     "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"),
    (datasets.cifar100.load_data, "cifar-100-python-target_archive",
     "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"),
], ids=["mnist", "fashion_mnist", "imdb", "imdb_word_index", "reuters", "reuters_word_index", "boston_housing",
        "california_housing", "cifar10", "cifar100"])
def test_missing_file_names_path_and_origin(home, load, fname, origin):
    with pytest.raises(FileNotFoundError) as info:
        load()
    message = str(info.value)
    assert f"save it as {home / 'datasets' / fname}" in message
    assert f"Download {origin} " in message
    assert "never downloads" in message


def test_path_argument_is_a_name_in_the_cache(home):
    write_cache(str(home))
    os.rename(home / "datasets" / "mnist.npz", home / "datasets" / "digits.npz")
    (x_train, _), _ = datasets.mnist.load_data(path="digits.npz")
    assert x_train.shape == (5, 28, 28)


def test_default_home_is_dot_keras(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.cache_dir() == str(tmp_path / ".keras" / "datasets")
    assert _cache.cache_dir(os.path.join("datasets", "fashion-mnist")) == str(
        tmp_path / ".keras" / "datasets" / "fashion-mnist")


def test_read_only_home_falls_back_to_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(_cache.os, "access", lambda path, mode: path != str(tmp_path))
    assert _cache.cache_dir() == os.path.join("/tmp", ".keras", "datasets")


def _cifar100_folder(root, folder):
    for name, data in cifar100_files().items():
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _cifar100_archive(path):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in cifar100_files().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("layout", ["keras3_folder", "keras3_archive", "keras2_folder", "keras2_archive"])
def test_cifar_layouts_give_the_same_data(home, layout):
    root = home / "datasets"
    root.mkdir()
    if layout == "keras3_folder":
        _cifar100_folder(root, "cifar-100-python-target")
    elif layout == "keras3_archive":
        _cifar100_archive(root / "cifar-100-python-target_archive")
    elif layout == "keras2_folder":
        _cifar100_folder(root, ".")
    else:
        _cifar100_archive(root / "cifar-100-python.tar.gz")
    (x_train, y_train), (x_test, y_test) = datasets.cifar100.load_data()
    assert (x_train.shape, x_test.shape, y_train.shape) == ((4, 32, 32, 3), (3, 32, 32, 3), (4, 1))
    # `_pixels(21, 4)` of the fake files: value (21*41 + i*13 + k*7 + k//32) % 256 at flat CHW index k
    k = 1 * 1024 + 2 * 32 + 5  # channel 1, row 2, column 5
    assert x_train[3, 2, 5, 1] == (21 * 41 + 3 * 13 + k * 7 + k // 32) % 256
    np.testing.assert_array_equal(y_test[:, 0], [(2 * 31 + i * 17) % 100 for i in range(3)])


def test_cifar_incomplete_folder_names_the_batch(home):
    root = home / "datasets"
    _cifar100_folder(root, "cifar-100-python-target")
    (root / "cifar-100-python-target" / "cifar-100-python" / "test").unlink()
    with pytest.raises(FileNotFoundError, match="cifar-100-python/test not found"):
        datasets.cifar100.load_data()
