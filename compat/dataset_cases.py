"""`keras.datasets` cases: tiny fake cache files in Keras's exact formats, and the loader calls.

Shared by `generate_datasets.py` (real Keras reads the files, under TF 2.21) and
`tests/keras/datasets/test_loaders.py` (kerastorch reads the same files); this module
imports neither library. `write_cache(home, per_batch)` writes every file under
`home/datasets/` as `keras.utils.get_file` would have saved it. CIFAR-10 hard-codes
10,000 images per training batch in Keras, so the generator writes full-size batches
and records only the first two images of each; the test writes two per batch.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np

SAMPLED = 2  # CIFAR-10 images recorded per training batch


def _ragged(rng, count: int, top: int) -> np.ndarray:
    """An object array of `count` lists of word ranks in `[1, top]`, of varied lengths."""
    out = np.empty(count, dtype=object)
    out[:] = [[int(w) for w in rng.randint(1, top + 1, size=rng.randint(1, 9))] for _ in range(count)]
    return out


def _pixels(batch: int, count: int) -> np.ndarray:
    """`(count, 3072)` uint8 CIFAR rows whose values depend on batch, image and position."""
    image = np.arange(count)[:, None]
    k = np.arange(3072)[None, :]
    return ((batch * 41 + image * 13 + k * 7 + k // 32) % 256).astype(np.uint8)


def _pickle_bytes(obj) -> bytes:
    # Protocol 3 stores bytes natively; protocol 2 from Python 3 needs `_codecs.encode`,
    # which neither Keras nor kerastorch lets a dataset pickle use.
    return pickle.dumps(obj, protocol=3)


def _tar(path: str, files: dict) -> None:
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _idx(magic: int, dims: tuple, payload: np.ndarray) -> bytes:
    header = np.array([magic, *dims], dtype=">u4").tobytes()
    return gzip.compress(header + payload.astype(np.uint8).tobytes(), mtime=0)


def cifar10_files(per_batch: int) -> dict:
    """The CIFAR-10 archive members (`cifar-10-batches-py/...`) as bytes."""
    files = {}
    for b in range(1, 6):
        files[f"cifar-10-batches-py/data_batch_{b}"] = _pickle_bytes({
            b"batch_label": f"training batch {b} of 5".encode(),
            b"labels": [(b * 3 + i) % 10 for i in range(per_batch)],
            b"data": _pixels(b, per_batch),
            b"filenames": [f"img_{b}_{i}.png".encode() for i in range(per_batch)],
        })
    files["cifar-10-batches-py/test_batch"] = _pickle_bytes({
        b"batch_label": b"testing batch 1 of 1", b"labels": [7, 0, 4], b"data": _pixels(9, 3),
        b"filenames": [b"t0.png", b"t1.png", b"t2.png"]})
    return files


def cifar100_files() -> dict:
    """The CIFAR-100 archive members (`cifar-100-python/train` and `test`) as bytes."""
    files = {}
    for name, batch, count in (("train", 1, 4), ("test", 2, 3)):
        files[f"cifar-100-python/{name}"] = _pickle_bytes({
            b"filenames": [f"{name}_{i}.png".encode() for i in range(count)],
            b"batch_label": f"{name} batch".encode(),
            b"fine_labels": [(batch * 31 + i * 17) % 100 for i in range(count)],
            b"coarse_labels": [(batch * 7 + i * 3) % 20 for i in range(count)],
            b"data": _pixels(batch + 20, count),
        })
    return files


def write_cache(home: str, per_batch: int = SAMPLED) -> None:
    """Writes every dataset file under `home/datasets/`, named and laid out as Keras 3 caches it."""
    root = os.path.join(home, "datasets")
    os.makedirs(os.path.join(root, "fashion-mnist"), exist_ok=True)
    rng = np.random.RandomState(0)
    np.savez(os.path.join(root, "mnist.npz"), x_train=(np.arange(5 * 784) * 7 % 256).astype(np.uint8).reshape(5, 28, 28),
             y_train=np.array([5, 0, 4, 1, 9], np.uint8),
             x_test=(np.arange(3 * 784) % 251).astype(np.uint8).reshape(3, 28, 28),
             y_test=np.array([7, 2, 1], np.uint8))
    fashion = {"train-labels-idx1-ubyte.gz": _idx(2049, (4,), np.array([9, 0, 0, 3])),
               "train-images-idx3-ubyte.gz": _idx(2051, (4, 28, 28), np.arange(4 * 784) % 253),
               "t10k-labels-idx1-ubyte.gz": _idx(2049, (2,), np.array([9, 2])),
               "t10k-images-idx3-ubyte.gz": _idx(2051, (2, 28, 28), np.arange(2 * 784) % 7)}
    for name, data in fashion.items():
        with open(os.path.join(root, "fashion-mnist", name), "wb") as f:
            f.write(data)
    _tar(os.path.join(root, "cifar-10-batches-py-target_archive"), cifar10_files(per_batch))
    _tar(os.path.join(root, "cifar-100-python-target_archive"), cifar100_files())
    np.savez(os.path.join(root, "imdb.npz"), x_train=_ragged(rng, 6, 15), y_train=np.array([1, 0, 0, 1, 1, 0]),
             x_test=_ragged(rng, 5, 15), y_test=np.array([0, 1, 1, 0, 1]))
    equal = np.empty(3, dtype=object)
    equal[:] = [[4, 5, 6], [7, 8, 9], [1, 2, 3]]
    np.savez(os.path.join(root, "imdb_equal.npz"), x_train=equal, y_train=np.array([1, 0, 1]),
             x_test=equal[:2], y_test=np.array([0, 0]))
    np.savez(os.path.join(root, "reuters.npz"), x=_ragged(rng, 12, 20), y=rng.randint(0, 46, size=12))
    for name in ("imdb_word_index.json", "reuters_word_index.json"):
        with open(os.path.join(root, name), "w") as f:
            json.dump({"the": 1, "and": 2, "a": 3, "of": 4}, f)
    np.savez(os.path.join(root, "boston_housing.npz"), x=rng.uniform(0, 100, size=(20, 13)),
             y=rng.uniform(5, 50, size=20))
    np.savez(os.path.join(root, "california_housing.npz"), x=rng.uniform(0, 10, size=(650, 8)).astype(np.float32),
             y=rng.uniform(1e4, 5e5, size=650).astype(np.float32))


def _case(case_id: str, module: str, function: str = "load_data", layout: str = "channels_last", **kwargs):
    return {"id": case_id, "module": module, "function": function, "layout": layout, "kwargs": kwargs}


CASES = [
    _case("mnist", "mnist"),
    _case("fashion_mnist", "fashion_mnist"),
    _case("cifar10", "cifar10"),
    _case("cifar100_fine", "cifar100"),
    _case("cifar100_coarse", "cifar100", label_mode="coarse"),
    _case("cifar100_channels_first", "cifar100", layout="channels_first"),
    _case("cifar100_bad_label_mode", "cifar100", label_mode="medium"),
    _case("imdb", "imdb"),
    _case("imdb_num_words", "imdb", num_words=10),
    _case("imdb_skip_top", "imdb", num_words=12, skip_top=6),
    _case("imdb_maxlen", "imdb", maxlen=7),
    _case("imdb_maxlen_too_small", "imdb", maxlen=2),
    _case("imdb_no_oov", "imdb", num_words=10, oov_char=None),
    _case("imdb_no_start", "imdb", start_char=None),
    _case("imdb_raw_ranks", "imdb", start_char=None, index_from=0, seed=7),
    _case("imdb_equal_lengths", "imdb", path="imdb_equal.npz"),
    _case("imdb_path_with_folder", "imdb", path=os.path.join("sub", "imdb.npz")),
    _case("imdb_word_index", "imdb", "get_word_index"),
    _case("reuters", "reuters"),
    _case("reuters_split", "reuters", test_split=0.5, seed=0),
    _case("reuters_vocabulary", "reuters", num_words=8, skip_top=1, oov_char=None),
    _case("reuters_maxlen", "reuters", maxlen=6),
    _case("reuters_raw_ranks", "reuters", start_char=None, index_from=0),
    _case("reuters_word_index", "reuters", "get_word_index"),
    _case("reuters_label_names", "reuters", "get_label_names"),
    _case("boston_housing", "boston_housing"),
    _case("boston_housing_split", "boston_housing", test_split=0.5, seed=1),
    _case("boston_housing_no_test", "boston_housing", test_split=0),
    _case("boston_housing_bad_split", "boston_housing", test_split=1),
    _case("california_housing", "california_housing"),
    _case("california_housing_small", "california_housing", version="small", test_split=0.3, seed=5),
    _case("california_housing_bad_version", "california_housing", version="medium"),
]


def _leaf_types(value, found: set) -> set:
    if isinstance(value, (list, np.ndarray)):
        for item in value:
            _leaf_types(item, found)
    else:
        found.add(type(value).__name__)
    return found


def describe(value):
    """A JSON-able record of a loader's result: structure, dtypes, shapes, values (as hashes
    for numeric arrays, lists for object arrays), or the error."""
    if isinstance(value, tuple):
        return {"tuple": [describe(v) for v in value]}
    if isinstance(value, np.ndarray):
        record = {"dtype": str(value.dtype), "shape": list(value.shape)}
        if value.dtype == object:
            return {**record, "values": value.tolist(), "leaf_types": sorted(_leaf_types(value, set()))}
        return {**record, "sha256": hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest(),
                "head": value.reshape(-1)[:4].tolist()}
    return {"type": type(value).__name__, "value": value}


def run_case(case: dict, keras, per_batch: int = SAMPLED) -> dict:
    """Runs one case with `keras` (TF's or kerastorch's) on the files `write_cache` wrote."""
    loader = getattr(getattr(keras.datasets, case["module"]), case["function"])
    previous = keras.config.image_data_format()
    keras.config.set_image_data_format(case["layout"])
    try:
        result = loader(**case["kwargs"])
    except Exception as exc:  # the error is part of the record
        return {"error": type(exc).__name__, "message": str(exc)}
    finally:
        keras.config.set_image_data_format(previous)
    if case["module"] == "cifar10":
        (x_train, y_train), test = result
        rows = [b * per_batch + i for b in range(5) for i in range(SAMPLED)]
        result = (x_train[rows], y_train[rows]), test
    return {"result": describe(result)}
