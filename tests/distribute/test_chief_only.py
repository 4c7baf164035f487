"""With several processes, the callbacks that print or write run in the chief (rank 0) alone."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.distribute import cluster


@pytest.fixture
def not_chief(monkeypatch):
    monkeypatch.setattr(cluster, "is_chief", lambda: False)


def _callbacks(tmp_path):
    return [tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "m.weights.h5"), save_weights_only=True),
            tf.keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
            tf.keras.callbacks.EarlyStopping(monitor="loss", patience=3)]


def test_chief_keeps_every_callback(tmp_path):
    kept = tf.keras.callbacks.CallbackList(_callbacks(tmp_path), add_history=True, add_progbar=True).callbacks
    assert [type(cb).__name__ for cb in kept] == ["ModelCheckpoint", "CSVLogger", "EarlyStopping", "History",
                                                  "ProgbarLogger"]


def test_other_processes_drop_printing_and_writing(tmp_path, not_chief):
    kept = tf.keras.callbacks.CallbackList(_callbacks(tmp_path), add_history=True, add_progbar=True).callbacks
    assert [type(cb).__name__ for cb in kept] == ["EarlyStopping", "History"]


def test_tensorboard_writes_in_the_chief_alone():
    assert tf.keras.callbacks.TensorBoard._chief_only  # (tensorboard is not installed here)


def test_fit_on_other_processes_writes_and_prints_nothing(tmp_path, not_chief, capsys):
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    backup = tf.keras.callbacks.BackupAndRestore(str(tmp_path / "backup"), delete_checkpoint=False)
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[*_callbacks(tmp_path), backup])
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().out == ""
    assert len(history.history["loss"]) == 2
