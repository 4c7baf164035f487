"""`keras.callbacks.LambdaCallback`: a callback made of plain functions."""

from __future__ import annotations

from collections.abc import Callable

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback


@ser.keras_export("keras.callbacks.LambdaCallback")
class LambdaCallback(Callback):
    """Calls the given functions at the matching stages.

    Each function takes the arguments of the hook it replaces: `(epoch, logs)`,
    `(batch, logs)` or `(logs)`.

    Args:
        on_epoch_begin, on_epoch_end: called at the start / end of every epoch.
        on_train_begin, on_train_end: called at the start / end of training.
        on_train_batch_begin, on_train_batch_end: called around every training batch.
        **kwargs: any other hook of `Callback` by name, e.g. `on_test_end=fn`.

    Example:
        >>> print_batch = tf.keras.callbacks.LambdaCallback(
        ...     on_train_batch_begin=lambda batch, logs: print(batch))
    """

    def __init__(self, on_epoch_begin: Callable | None = None, on_epoch_end: Callable | None = None,
                 on_train_begin: Callable | None = None, on_train_end: Callable | None = None,
                 on_train_batch_begin: Callable | None = None, on_train_batch_end: Callable | None = None,
                 **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin, "on_train_batch_end": on_train_batch_end}
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
