"""Where Keras keeps downloaded datasets, and the error when a file is not there.

kerastorch never downloads: each loader reads the file `keras.utils.get_file` would have
saved, at the same path (`$KERAS_HOME/datasets/<fname>`, else `~/.keras/datasets/<fname>`,
with Keras's fall-back to `/tmp/.keras` when that folder is not writable). Files put
there by TensorFlow's Keras, or copied there by hand, are found. Keras reads `KERAS_HOME`
once at import; here it is read at each call.
"""

from __future__ import annotations

import os
import tempfile

# Where Keras downloads every dataset but CIFAR from.
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def keras_home() -> str:
    """Keras's base folder: `$KERAS_HOME`, else `~/.keras` (`/tmp/.keras` if home is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    home = os.path.expanduser("~")
    return os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")


def cache_dir(subdir: str = "datasets") -> str:
    """The folder `get_file(..., cache_subdir=subdir)` saves into."""
    base = os.path.expanduser(keras_home())
    # Keras creates `base` on import; one that exists but is read-only sends it to /tmp.
    if os.path.isdir(base) and not os.access(base, os.W_OK):
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return os.path.join(base, subdir)


def cached_file(dataset: str, fname, origin: str, subdir: str = "datasets") -> str:
    """The path of a cached dataset file; `FileNotFoundError` (naming path and origin) if absent.

    Args:
        dataset: the loader's module name (`"mnist"`), for the message.
        fname: the file name inside the cache folder (Keras refuses paths here).
        origin: the URL Keras downloads the file from.
        subdir: the cache subfolder (`"datasets"`, or `"datasets/fashion-mnist"`).
    """
    fname = os.fspath(fname)
    if os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the file's "
                         f"parent directory, use the `cache_dir` argument. Received: fname={fname}")
    path = os.path.join(cache_dir(subdir), fname)
    if not os.path.isfile(path):
        raise missing_file_error(dataset, path, origin)
    return path


def missing_file_error(dataset: str, path: str, origin: str, extracted: str | None = None) -> FileNotFoundError:
    """The error for a dataset file that is not in the cache.

    Args:
        dataset: the loader's module name.
        path: where the downloaded file belongs.
        origin: the URL to download it from.
        extracted: for an archive, the folder its extracted contents may live in instead.
    """
    alternative = f" (or its extracted contents in {extracted})" if extracted else ""
    return FileNotFoundError(
        f"keras.datasets.{dataset}: {path} not found, and kerastorch never downloads. Download {origin} "
        f"and save it as {path}{alternative}. The cache folder is $KERAS_HOME/datasets when KERAS_HOME "
        "is set, else ~/.keras/datasets.")
