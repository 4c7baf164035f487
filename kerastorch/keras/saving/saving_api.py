"""`keras.saving.save_model` / `load_model` / `save_weights` / `load_weights`: the file
format follows the extension, as in Keras 3.

- `.keras`: the native archive (`saving_lib`), architecture + weights + compile state;
- `.weights.h5`: weights only (`saving_lib`);
- `.h5` / `.hdf5`: the legacy HDF5 format of Keras 2 and tf.keras (`legacy_h5`), read and
  written with Keras's deprecation warning. Keras 3 refuses `save_weights("w.h5")`;
  kerastorch writes the legacy weights file, as Keras 2 did, since old scripts use it.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile

from kerastorch.keras import _serialization as ser
from kerastorch.keras.saving import saving_lib

_LEGACY = (".h5", ".hdf5")
_H5_WARNING = ("You are saving your model as an HDF5 file via `model.save()` or `keras.saving.save_model(model)`. "
               "This file format is considered legacy. We recommend using instead the native Keras format, e.g. "
               "`model.save('my_model.keras')` or `keras.saving.save_model(model, 'my_model.keras')`. ")


@ser.keras_export("keras.saving.save_model", "keras.models.save_model")
def save_model(model, filepath, overwrite: bool = True, zipped: bool | None = None, **kwargs) -> None:
    """Saves a model as a `.keras` archive (or a legacy `.h5` file).

    Args:
        model: the model.
        filepath: a path ending in `.keras` or `.h5`, or a binary file object (`.keras` format).
        overwrite: False asks before replacing an existing file.
        zipped: must be True or None (kerastorch writes only the zipped `.keras` format).
        include_optimizer: for `.h5` files, whether to store the optimizer's state.

    Example:
        >>> model.save("model.keras")
        >>> restored = tf.keras.models.load_model("model.keras")
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    path = None if isinstance(filepath, io.IOBase) else os.fspath(filepath)
    if save_format and (path is None or not path.endswith((".keras", *_LEGACY))):
        raise ValueError("The `save_format` argument is deprecated in Keras 3. Please remove this argument and "
                         f"pass a file path with either `.keras` or `.h5` extension.Received: "
                         f"save_format={save_format}")
    if zipped is False:
        raise ValueError("kerastorch saves only the zipped `.keras` format. Received: zipped=False")
    if path is not None and path.endswith(_LEGACY):
        warnings.warn(_H5_WARNING, stacklevel=2)
    if path is not None and not _may_write(path, overwrite):
        return
    if path is None or path.endswith(".keras"):
        saving_lib.save_model(model, filepath)
    elif path.endswith(_LEGACY):
        from kerastorch.keras.saving import legacy_h5

        legacy_h5.save_model_to_h5(model, path, include_optimizer=include_optimizer)
    else:
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` extension for the "
                         "native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if "
                         f"you want to export a SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={path}.")


@ser.keras_export("keras.saving.load_model", "keras.models.load_model")
def load_model(filepath, custom_objects: dict | None = None, compile: bool = True,  # noqa: A002 -- Keras's keyword
               safe_mode: bool = True):
    """Loads a model saved with `model.save` (by kerastorch or by TensorFlow/Keras).

    Args:
        filepath: a `.keras` or legacy `.h5` path, or an open binary file of either.
        custom_objects: `{name: class or function}` for user objects that are not registered.
        compile: whether to compile the model as it was saved (optimizer state included).
        safe_mode: refuse to rebuild Python lambdas stored in the file (they are code).
    """
    if isinstance(filepath, io.IOBase):
        if _is_zip(filepath):
            return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
        return _legacy_load(filepath, custom_objects, compile, safe_mode)
    path = os.fspath(filepath)
    if path.endswith(".keras"):
        return saving_lib.load_model(path, custom_objects, compile, safe_mode)
    if path.endswith(_LEGACY):
        return _legacy_load(path, custom_objects, compile, safe_mode)
    if os.path.isfile(path) and zipfile.is_zipfile(path):
        return saving_lib.load_model(path, custom_objects, compile, safe_mode)
    raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports V3 `.keras` files, legacy "
                     "H5 format files (`.h5` extension). Note that the legacy SavedModel format is not supported "
                     "by `load_model()` in Keras 3.")


def _legacy_load(filepath, custom_objects, compile_model: bool, safe_mode: bool):
    from kerastorch.keras.saving import legacy_h5

    return legacy_h5.load_model_from_h5(filepath, custom_objects=custom_objects, compile=compile_model,
                                        safe_mode=safe_mode)


@ser.keras_export("keras.saving.save_weights")
def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Saves every variable of `model` (optimizer included) to a `.weights.h5` file."""
    path = os.fspath(filepath)
    legacy = path.endswith(_LEGACY) and not path.endswith(".weights.h5")
    if not legacy and not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    if not _may_write(path, overwrite):
        return
    if legacy:
        from kerastorch.keras.saving import legacy_h5

        legacy_h5.save_weights_to_h5(model, path)
    else:
        saving_lib.save_weights_only(model, path)


@ser.keras_export("keras.saving.load_weights")
def load_weights(model, filepath, skip_mismatch: bool = False, **kwargs) -> None:
    """Loads the weights of a `.weights.h5`, `.keras` or legacy `.h5` file into `model`.

    Args:
        skip_mismatch: skip (with a warning) the layers whose weights do not fit.
        by_name: legacy `.h5` only: match layers by name instead of by order.
    """
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    path = os.fspath(filepath)
    if path.endswith((".keras", ".weights.h5")):
        if by_name is not None:
            raise ValueError(f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {path}")
        saving_lib.load_weights_only(model, path, skip_mismatch=skip_mismatch)
    elif path.endswith(_LEGACY):
        from kerastorch.keras.saving import legacy_h5

        legacy_h5.load_weights_from_h5(model, path, skip_mismatch=skip_mismatch, by_name=bool(by_name))
    else:
        raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports V3 `.keras` and "
                         "`.weights.h5` files, or legacy V1/V2 `.h5` files.")


def _may_write(path: str, overwrite: bool) -> bool:
    """True to go on writing `path` (it is new, or `overwrite`, or the user said so)."""
    if overwrite or not os.path.exists(path):
        return True
    answer = input(f"[WARNING] {path} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def _is_zip(fileobj) -> bool:
    position = fileobj.tell()
    try:
        return zipfile.is_zipfile(fileobj)
    finally:
        fileobj.seek(position)
