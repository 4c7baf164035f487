"""Reading the CIFAR batch files (shared by `cifar10` and `cifar100`).

Keras 3 downloads the CIFAR archive to `datasets/<dirname>_archive` and extracts it into
`datasets/<dirname>/`; Keras 2 kept `datasets/<folder>.tar.gz` extracted into
`datasets/<folder>/`. Either extracted folder is read, else either archive is read in
place (nothing is extracted, so no archive member can be written anywhere).
"""

from __future__ import annotations

import io
import os
import tarfile

import numpy as np

from kerastorch.keras import config
from kerastorch.keras.datasets._cache import cache_dir, missing_file_error
from kerastorch.keras.datasets._safe_pickle import load_pickle


class BatchReader:
    """Reads the pickled batches of one CIFAR dataset from wherever Keras cached them.

    Args:
        dataset: the loader's module name (`"cifar10"`).
        dirname: Keras 3's cache name (`"cifar-10-batches-py-target"`).
        folder: the folder inside the archive (`"cifar-10-batches-py"`).
        origin: the archive's URL.
    """

    def __init__(self, dataset: str, dirname: str, folder: str, origin: str):
        root = cache_dir()
        self._folder = folder
        self._archive = None
        folders = (os.path.join(root, dirname, folder), os.path.join(root, folder))
        archives = (os.path.join(root, f"{dirname}_archive"), os.path.join(root, f"{folder}.tar.gz"))
        self._source = next((d for d in folders if os.path.isdir(d)), None)
        if self._source is None:
            self._source = next((a for a in archives if os.path.isfile(a)), None)
            if self._source is None:
                raise missing_file_error(dataset, archives[0], origin, extracted=folders[0])
            self._archive = tarfile.open(self._source)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._archive is not None:
            self._archive.close()

    def read(self, name: str, label_key: str = "labels") -> tuple:
        """`(data, labels)` of batch `name`: uint8 data `(n, 3, 32, 32)` and the label list."""
        if self._archive is None:
            source = os.path.join(self._source, name)
            if not os.path.isfile(source):
                raise FileNotFoundError(f"CIFAR batch {source} not found (the extracted folder is incomplete).")
            with open(source, "rb") as f:
                batch = load_pickle(f, source, encoding="bytes")
        else:
            source = f"{self._source}:{self._folder}/{name}"
            try:
                member = self._archive.extractfile(f"{self._folder}/{name}")
            except KeyError:
                member = None
            if member is None:
                raise FileNotFoundError(f"CIFAR batch {source} not found in the archive.")
            batch = load_pickle(io.BytesIO(member.read()), source, encoding="bytes")
        batch = {key.decode("utf8"): value for key, value in batch.items()}
        data = batch["data"]
        return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def to_image_layout(x: np.ndarray) -> np.ndarray:
    """`(n, 3, 32, 32)` batches as `keras.config.image_data_format()` wants them."""
    return x.transpose(0, 2, 3, 1) if config.image_data_format() == "channels_last" else x
