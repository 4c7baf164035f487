"""CallbackList: which callbacks a hook reaches, and when log values become Python floats."""

import numpy as np
import pytest
import torch

from kerastorch.keras import callbacks


class Recording(callbacks.Callback):
    """Records the batch logs it gets (so it needs Python floats)."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(logs)


class RawRecording(Recording):
    """A recorder posing as a built-in callback that takes device tensors."""

    _accepts_raw_logs = True

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(logs)

    on_train_batch_end.__module__ = "kerastorch.keras.callbacks.recording"


class LegacyBatchEnd(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_batch_end(self, batch, logs=None):
        self.batches.append(batch)


def _batch_logs():
    return {"loss": torch.tensor(0.25), "accuracy": torch.tensor(0.5), "outputs": {"o1": torch.tensor(1.0)}}


def test_raw_logs_reach_callbacks_that_accept_them_unconverted_sorted_and_flat():
    raw = RawRecording()
    cbs = callbacks.CallbackList([raw])
    logs = _batch_logs()
    cbs.on_train_batch_end(0, logs)
    got = raw.seen[0]
    assert list(got) == ["accuracy", "loss", "o1"]
    assert got["loss"] is logs["loss"] and got["o1"] is logs["outputs"]["o1"]


def test_a_callback_needing_python_numbers_gets_floats_and_so_does_everyone_in_that_hook():
    raw, plain = RawRecording(), Recording()
    cbs = callbacks.CallbackList([raw, plain])
    cbs.on_train_batch_end(0, _batch_logs())
    assert plain.seen[0] == {"accuracy": 0.5, "loss": 0.25, "o1": 1.0}
    assert raw.seen[0] is plain.seen[0]
    assert all(type(v) is float for v in plain.seen[0].values())


def test_a_user_subclass_of_a_built_in_callback_gets_python_numbers():
    class MyProgbar(callbacks.ProgbarLogger):
        def on_train_batch_end(self, batch, logs=None):
            self.logs = logs

    class MyNaN(callbacks.TerminateOnNaN):
        def on_batch_end(self, batch, logs=None):
            self.logs = logs

    mine = [MyProgbar(), MyNaN()]
    for callback in mine:
        callbacks.CallbackList([callback]).on_train_batch_end(0, {"loss": torch.tensor(0.5)})
    assert [callback.logs for callback in mine] == [{"loss": 0.5}] * 2
    assert all(type(callback.logs["loss"]) is float for callback in mine)


def test_batch_hooks_reach_only_the_callbacks_overriding_them(monkeypatch):
    def never(self, batch, logs=None):
        pytest.fail("a hook nobody overrides is not called")

    for hook in ("on_batch_begin", "on_test_batch_begin"):
        monkeypatch.setattr(callbacks.Callback, hook, never)
    legacy = LegacyBatchEnd()
    cbs = callbacks.CallbackList([legacy, callbacks.Callback()], add_history=True)
    cbs.on_train_batch_begin(0)
    cbs.on_test_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
    cbs.on_batch_end(1, {})
    assert legacy.batches == [0, 1]


def test_a_callback_added_to_the_list_later_is_called():
    first, later = Recording(), Recording()
    cbs = callbacks.CallbackList([first])
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.callbacks.append(later)
    cbs.on_train_batch_end(1, {"loss": 2.0})
    assert [len(first.seen), len(later.seen)] == [2, 1]


def test_epoch_logs_are_python_floats_flattened_and_sorted():
    got = []
    cbs = callbacks.CallbackList([callbacks.LambdaCallback(on_epoch_end=lambda e, logs: got.append(logs))])
    cbs.on_epoch_end(0, {"val_loss": torch.tensor(0.5, dtype=torch.float64), "loss": np.float32(0.25),
                         "extra": {"count": torch.tensor(3)}, "vector": torch.tensor([1.0, 2.0])})
    logs = got[0]
    assert list(logs) == ["count", "loss", "val_loss", "vector"]
    assert logs["count"] == 3.0 and type(logs["count"]) is float
    assert logs["val_loss"] == 0.5 and logs["loss"] == 0.25
    np.testing.assert_array_equal(logs["vector"], [1.0, 2.0])


def test_epoch_logs_are_the_same_dict_for_every_callback():
    scheduler_like = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: logs.update(learning_rate=0.1))
    cbs = callbacks.CallbackList([scheduler_like], add_history=True, model=type("M", (), {})())
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"loss": 1.0})
    assert cbs._history.history == {"loss": [1.0], "learning_rate": [0.1]}


def test_defaults_are_added_once_and_get_the_model_and_params():
    history, bar = callbacks.History(), callbacks.ProgbarLogger()
    model = type("M", (), {})()
    cbs = callbacks.CallbackList([history, bar], add_history=True, add_progbar=True, model=model, verbose=2,
                                 epochs=3, steps=10)
    assert cbs.callbacks == [history, bar]
    assert model.history is history and history.model is model
    assert history.params == {"verbose": 2, "epochs": 3, "steps": 10}
    assert (bar.verbose, bar.epochs, bar.target) == (2, 3, 10)
    added = callbacks.CallbackList(None, add_history=True, add_progbar=True, verbose="auto", epochs=1, steps=1)
    assert [type(cb).__name__ for cb in added.callbacks] == ["History", "ProgbarLogger"]
    assert added.callbacks[1].verbose == 1
