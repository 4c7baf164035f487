"""`keras.callbacks.TerminateOnNaN`: stop training at the first NaN or infinite loss."""

from __future__ import annotations

import numpy as np

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback
from kerastorch.keras.utils.progbar import print_msg, to_host


@ser.keras_export("keras.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite.

    It reads the loss after every batch, so training waits for the device at each
    step while it is in use.

    Args:
        raise_error: raise a `RuntimeError` at once (other callbacks' `on_train_end`
            do not run) instead of setting `model.stop_training`.

    Example:
        >>> model.fit(x, y, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
    """

    _accepts_raw_logs = True  # it reads the one value it needs

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = to_host(loss)
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
