"""`keras.callbacks.CSVLogger`: one CSV row of logs per epoch."""

from __future__ import annotations

import collections.abc
import csv
import os

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback


@ser.keras_export("keras.callbacks.CSVLogger")
class CSVLogger(Callback):
    """Writes the epoch index and the logs of every epoch to a CSV file.

    The columns are `epoch` and the log names of the first epoch, sorted (with a
    `val_` column for each when the first epoch has no validation results); a
    missing value is written `NA`, a list or array as `"[a, b]"`.

    Args:
        filename: the CSV file, e.g. `"run/log.csv"`.
        separator: the field separator.
        append: add to an existing file (no second header) instead of overwriting it.

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[tf.keras.callbacks.CSVLogger("training.log")])
    """

    _chief_only = True

    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename) if isinstance(filename, os.PathLike) else filename
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        # Opened as Keras opens it (no newline=""): rows end in "\r\n", csv's excel dialect.
        self.csv_file = open(self.filename, mode)
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend([f"val_{key}" for key in self.keys])
        if not self.writer:
            dialect = type("CustomDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value
