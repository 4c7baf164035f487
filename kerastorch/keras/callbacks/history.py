"""`keras.callbacks.History`: the per-epoch logs that `fit` returns."""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback


@ser.keras_export("keras.callbacks.History")
class History(Callback):
    """Records the logs of every epoch; `fit` adds one and returns it.

    Attributes:
        history: `{name: [value per epoch]}` (`loss`, metrics, `val_` ones).
        epoch: the indices of the epochs recorded in the last `fit`.
        params: the loop's parameters (`verbose`, `epochs`, `steps`).

    Example:
        >>> history = model.fit(x, y, epochs=10, verbose=0)
        >>> history.history.keys()
        dict_keys(['loss'])
    """

    _accepts_raw_logs = True

    def __init__(self):
        super().__init__()
        self.history = {}

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        # The model points at the history as of the latest epoch (Keras sets it here too).
        self.model.history = self
