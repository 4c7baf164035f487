"""`keras.callbacks.ProgbarLogger`: the progress output of `fit`, `evaluate` and `predict`.

With `verbose=1` a bar per epoch (redrawn at most every 0.05 s, Keras's `Progbar`
interval), with `verbose=2` one line per epoch, preceded by `Epoch i/n` when there is
more than one epoch. Batch logs may hold device tensors: the bar keeps the mapping and
reads it only when it draws a line.
"""

from __future__ import annotations

from kerastorch.keras import _serialization as ser
from kerastorch.keras.callbacks.callback import Callback
from kerastorch.keras.utils.progbar import Progbar, print_msg


@ser.keras_export("keras.callbacks.ProgbarLogger")
class ProgbarLogger(Callback):
    """Prints the progress and the metrics to stdout; `fit` adds one unless `verbose=0`.

    Its verbosity, epoch count and steps per epoch come from the loop's parameters
    (`verbose="auto"` means 1). Inside `fit`, validation is silent.
    """

    _accepts_raw_logs = True
    _chief_only = True

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        verbose = params["verbose"]
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params["epochs"]
        self.target = params["steps"]

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)  # the outputs are not metrics

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                               stateless_metrics=set())

    def _update_progbar(self, batch: int, logs) -> None:
        if self.progbar is None:
            self._reset_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, logs or {}, finalize=False)

    def _finalize_progbar(self, logs) -> None:
        if self.progbar is None:
            self._reset_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
