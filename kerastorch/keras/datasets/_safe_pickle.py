"""Reading the pickles inside Keras's dataset files without running arbitrary code.

The CIFAR batches are Python pickles, and the IMDB / Reuters `.npz` files hold ragged
sequences as numpy object arrays (a pickle inside the `.npy` member). A pickle can name
any importable callable (`os.system`) and have it called while loading, so these are
read with an unpickler that resolves only the globals numpy needs to rebuild arrays and
scalars; containers (lists, dicts, tuples) and strings need no global at all. Anything
else is refused with `pickle.UnpicklingError`.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

# numpy >= 2 pickles name `numpy._core`, older numpy (and the 2009 CIFAR files) `numpy.core`.
_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
})
_NPY_VERSIONS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
    # 3.0 differs from 2.0 only in the header's text encoding (utf-8), not its layout.
    (3, 0): np.lib.format.read_array_header_2_0,
}


class _DatasetUnpickler(pickle.Unpickler):
    """Resolves only numpy's array-rebuilding globals; refuses every other one."""

    def __init__(self, stream, source: str, encoding: str):
        super().__init__(stream, encoding=encoding)
        self._source = source

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(
                f"Refusing to load `{module}.{name}` from {self._source}: a Keras dataset file only "
                "holds numpy arrays, lists, dicts and strings, so this file is corrupted or malicious.")
        return super().find_class(module, name)


def load_pickle(stream, source: str, encoding: str = "ASCII"):
    """Unpickles one object from `stream`, allowing only numpy array reconstruction.

    Args:
        stream: a binary file object positioned at the pickle.
        source: the file's name, for error messages.
        encoding: how Python 2 `str` objects are decoded (`"bytes"` keeps them as bytes).
    """
    return _DatasetUnpickler(stream, source, encoding).load()


def load_npz(path: str) -> dict:
    """Every array of an `.npz` file, object arrays unpickled safely (`np.load` would need
    `allow_pickle=True`, which runs any pickle).

    Args:
        path: the `.npz` file.

    Returns:
        A dict from member name (without `.npy`) to numpy array.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[:-4]] = _read_npy(io.BytesIO(archive.read(member)), f"{path}:{member}")
    return arrays


def _read_npy(stream, source: str) -> np.ndarray:
    version = np.lib.format.read_magic(stream)
    if version not in _NPY_VERSIONS:
        raise ValueError(f"{source}: unsupported .npy format version {version}")
    shape, _, dtype = _NPY_VERSIONS[version](stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    array = load_pickle(stream, source)
    if not isinstance(array, np.ndarray) or array.shape != shape:
        raise pickle.UnpicklingError(f"{source}: the pickled array does not match its header "
                                     f"(shape {shape}).")
    return array
