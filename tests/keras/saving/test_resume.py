"""Training resumes from files: the optimizer state comes back, so the trajectory is the same."""

from __future__ import annotations

import os

import numpy as np
import pytest

from kerastorch import keras

layers = keras.layers


def _model():
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((5,)), layers.Dense(8, activation="tanh"), layers.BatchNormalization(),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 5)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int32") + (x[:, 2] > 1).astype("int32")


def _fit(model, epochs: int, **kwargs):
    x, y = _data()
    return model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0, **kwargs)


def _assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-6)


@pytest.fixture(scope="module")
def straight():
    """4 epochs without interruption: the trajectory every resumed run must reproduce."""
    model = _model()
    _fit(model, 4)
    return model


def test_keras_file_resume_matches_straight_training(tmp_path, straight):
    first = _model()
    _fit(first, 2)
    first.save(tmp_path / "half.keras")
    resumed = keras.models.load_model(tmp_path / "half.keras")
    _fit(resumed, 2)
    _assert_same_weights(resumed, straight)
    assert resumed.optimizer.iterations.numpy() == straight.optimizer.iterations.numpy() == 20


def test_weights_file_resume_matches_straight_training(tmp_path, straight):
    first = _model()
    _fit(first, 2)
    first.save_weights(tmp_path / "half.weights.h5")
    resumed = _model()
    resumed.optimizer.build(resumed.trainable_variables)  # its slots must exist to take the saved ones
    resumed.load_weights(tmp_path / "half.weights.h5")
    _fit(resumed, 2)
    _assert_same_weights(resumed, straight)


class _Crash(keras.callbacks.Callback):
    """Stops the process (an exception) at the second batch of epoch `epoch`."""

    def __init__(self, epoch: int):
        super().__init__()
        self.crash_epoch, self.epoch = epoch, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if self.epoch == self.crash_epoch and batch == 1:
            raise KeyboardInterrupt("power cut")


def test_backup_and_restore_resumes_an_interrupted_fit(tmp_path, straight):
    backup_dir = str(tmp_path / "backup")
    interrupted = _model()
    with pytest.raises(KeyboardInterrupt):
        _fit(interrupted, 4, callbacks=[keras.callbacks.BackupAndRestore(backup_dir), _Crash(epoch=2)])
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    restarted = _model()  # a new process: fresh model, same script
    history = _fit(restarted, 4, callbacks=[keras.callbacks.BackupAndRestore(backup_dir)])
    assert history.epoch == [2, 3]
    _assert_same_weights(restarted, straight)
    assert not os.path.exists(backup_dir)  # deleted once training ended normally


def test_model_checkpoint_writes_loadable_files(tmp_path):
    x, y = _data()
    model = _model()
    template = str(tmp_path / "ckpt-{epoch:02d}-{loss:.2f}.keras")
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0,
                        callbacks=[keras.callbacks.ModelCheckpoint(template)])
    names = sorted(os.listdir(tmp_path))
    assert names == [f"ckpt-{e + 1:02d}-{loss:.2f}.keras" for e, loss in enumerate(history.history["loss"])]
    last = keras.models.load_model(tmp_path / names[-1])
    np.testing.assert_array_equal(last.predict(x, verbose=0), model.predict(x, verbose=0))
    assert last.optimizer.iterations.numpy() == 15


def test_model_checkpoint_best_weights_only(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "best.weights.h5"
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights())))
    model.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0, validation_split=0.25,
              callbacks=[keras.callbacks.ModelCheckpoint(str(path), save_best_only=True, save_weights_only=True),
                         record])
    best = min(seen, key=lambda item: item[0])[1]
    fresh = _model()
    fresh.optimizer.build(fresh.trainable_variables)
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), best):
        np.testing.assert_array_equal(a, b)
