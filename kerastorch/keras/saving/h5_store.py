"""The HDF5 variable store of Keras 3's weight files (`model.weights.h5`, `*.weights.h5`).

Every object that owns variables gets a group `<path>/vars` (the model itself: `vars`)
whose datasets are named `"0"`, `"1"`, … in the object's variable order, with the
object's name in the group's `name` attribute:

    layers/dense/vars/0        (4, 3)   kernel
    layers/dense/vars/1        (3,)     bias
    optimizer/vars/0           ()       iterations

`make(path, name)` gives the group to write one object's variables into, `get(path)` the
group to read them from (an empty one when the file has none). Reading refuses what a
weights file never needs and an attacker could use (links to other files, external or
virtual datasets) and turns h5py's errors into `ValueError`s naming the file.
"""

from __future__ import annotations

import io

import h5py
import numpy as np


class VarGroup:
    """One object's variables in the store: `group["0"] = value`, `group["0"]`, `keys()`, `len()`.

    This is the `store` a layer's `save_own_variables` / `load_own_variables` receives.
    """

    def __init__(self, owner: H5Store, path: str, group, name: str | None = None):
        self._owner = owner
        self.path = path
        self._group = group
        self._name = name

    def __setitem__(self, key: str, value) -> None:
        if self._group is None:  # created on the first write, so unnamed objects leave no empty group
            self._group = self._owner._create(self.path, self._name)
        self._group.create_dataset(key, data=np.asarray(value))

    def __getitem__(self, key: str) -> np.ndarray:
        if self._group is None or key not in self._group:
            raise KeyError(f"No variable '{key}' under '{self.path or '/'}vars' in {self._owner.filename}.")
        dataset = _checked_dataset(self._group, key, self._owner.filename)
        return dataset[()]

    def keys(self) -> list:
        return [] if self._group is None else sorted(self._group.keys(), key=_numeric_key)

    def __len__(self) -> int:
        return 0 if self._group is None else len(self._group)

    def __contains__(self, key: str) -> bool:
        return self._group is not None and key in self._group


class H5Store:
    """A Keras 3 weights file opened for writing (`mode="w"`) or reading (`mode="r"`).

    Args:
        target: a path, or a binary file object (an `io.BytesIO` inside a `.keras` zip).
        mode: "w" or "r".
        filename: how errors name the file (default: `target` when it is a path).
    """

    def __init__(self, target, mode: str, filename: str | None = None):
        if mode not in ("r", "w"):
            raise ValueError(f"`mode` should be either 'r' or 'w'. Received: mode={mode}")
        self.mode = mode
        self.filename = filename or (str(target) if not isinstance(target, io.IOBase) else "<file object>")
        try:
            self._file = h5py.File(target, mode)
        except OSError as error:
            raise ValueError(f"Could not read {self.filename}: it is not an HDF5 weights file ({error}).") from None

    def make(self, path: str, name: str | None = None) -> VarGroup:
        """The group the object at `path` writes its variables into."""
        group = self._create(path, name) if name is not None else None
        return VarGroup(self, path, group, name)

    def _create(self, path: str, name: str | None):
        group = self._file.create_group(f"{path}/vars" if path else "vars")
        if name is not None:
            group.attrs["name"] = name
        return group

    def get(self, path: str) -> VarGroup:
        """The variables the file holds for the object at `path` (empty when it has none)."""
        key = f"{path}/vars" if path else "vars"
        group = _checked_group(self._file, key, self.filename)
        if group is None and path and "_layer_checkpoint_dependencies" in self._file:
            # Keras 2.13's `.keras` files named the model's layer list differently.
            legacy = key.replace("layers", "_layer_checkpoint_dependencies", 1)
            group = _checked_group(self._file, legacy, self.filename)
        return VarGroup(self, path, group)

    def has_path(self, path: str) -> bool:
        return path in self._file

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> H5Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _numeric_key(key: str):
    return (0, int(key)) if key.isdigit() else (1, key)


def _checked_group(root, key: str, filename: str):
    """The group at `key`, or None; refuses links and non-groups."""
    node = root
    for part in key.split("/"):
        if part not in node:
            return None
        kind = node.get(part, getclass=True, getlink=True)
        if kind in (h5py.ExternalLink, h5py.SoftLink):
            raise ValueError(f"Not allowed: {filename} holds a link at '{key}' ({kind.__name__}).")
        node = node[part]
        if not isinstance(node, h5py.Group):
            raise ValueError(f"Invalid weights file {filename}: '{key}' should be a group, it is a "
                             f"{type(node).__name__}.")
    return node


def _checked_dataset(group, key: str, filename: str):
    kind = group.get(key, getclass=True, getlink=True)
    if kind in (h5py.ExternalLink, h5py.SoftLink):
        raise ValueError(f"Not allowed: {filename} holds a link at '{group.name}/{key}' ({kind.__name__}).")
    dataset = group[key]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Invalid weights file {filename}: '{group.name}/{key}' should be a dataset.")
    if dataset.external or dataset.is_virtual:
        raise ValueError(f"Not allowed: {filename} holds an external or virtual dataset at '{dataset.name}'.")
    return dataset
