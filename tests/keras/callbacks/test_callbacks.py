"""The callbacks beyond the Keras fixture: metric directions, several optimizers, tensors, names."""

import types

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import _serialization as ser
from kerastorch.keras import callbacks

PUBLIC = {"BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
          "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau",
          "TensorBoard", "TerminateOnNaN"}


def test_public_names_are_keras_names():
    assert set(callbacks.__all__) == PUBLIC
    for name in PUBLIC:
        assert ser._BY_NAME[f"keras.callbacks.{name}"] is getattr(callbacks, name)
    assert ser._BY_NAME["keras.utils.Progbar"] is tf.keras.utils.Progbar


class Metric:
    def __init__(self, name, direction):
        self.name = name
        self._direction = direction


class Container:
    """A compiled-metrics container, as Keras's CompileMetrics (`.metrics` lists the metrics)."""

    def __init__(self, *metrics):
        self.name = "compile_metrics"
        self.metrics = list(metrics)


@pytest.mark.parametrize(("monitor", "metrics", "series", "stop_epoch"), [
    ("val_auc", [Metric("loss", "down"), Metric("auc", "up")], [0.5, 0.75, 0.625], 2),
    ("auc", [Container(Metric("auc", "up"))], [0.5, 0.75, 0.625], 2),
    ("val_mae", [Container(Metric("mae", "down"))], [0.5, 0.25, 0.375], 2),
    ("val_mae", [Container(Metric("mae", "down"))], [0.5, 0.75, 0.875], 1),
], ids=["flat_up", "container_up", "container_down", "container_down_worse"])
def test_auto_mode_follows_the_compiled_metric_direction(model, monitor, metrics, series, stop_epoch):
    model.metrics = metrics
    callback = callbacks.EarlyStopping(monitor=monitor, patience=1)
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_train_begin()
    for epoch, value in enumerate(series):
        cbs.on_epoch_end(epoch, {monitor: value})
        if model.stop_training:
            break
    assert callback.stopped_epoch == stop_epoch


class Named:
    def __init__(self, name, learning_rate):
        self.name = name
        self.learning_rate = learning_rate


def _multi(model, names=("adam", "sgd")):
    model.optimizer = types.SimpleNamespace(optimizers=[Named(n, np.float32(0.5)) for n in names])
    return model


def test_reduce_lr_on_plateau_reduces_every_inner_optimizer(model, capsys):
    _multi(model)
    callback = callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5, verbose=1)
    seen = []
    after = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(dict(logs)))
    cbs = callbacks.CallbackList([callback, after], model=model)
    cbs.on_train_begin()
    for epoch in range(2):
        cbs.on_epoch_end(epoch, {"loss": 1.0})
    assert seen[0] == {"loss": 1.0, "learning_rate_adam": 0.5, "learning_rate_sgd": 0.5}
    assert [o.learning_rate for o in model.optimizer.optimizers] == [0.25, 0.25]
    assert capsys.readouterr().out == ("\nEpoch 2: ReduceLROnPlateau reducing adam learning rate to 0.25.\n"
                                       "\nEpoch 2: ReduceLROnPlateau reducing sgd learning rate to 0.25.\n")


def test_learning_rate_scheduler_sets_every_inner_optimizer(model, capsys):
    _multi(model)
    callback = callbacks.LearningRateScheduler(lambda epoch, lr: lr / 4, verbose=1)
    callbacks.CallbackList([callback], model=model).on_epoch_begin(0)
    assert [o.learning_rate for o in model.optimizer.optimizers] == [0.125, 0.125]
    assert "setting sgd learning rate to 0.125." in capsys.readouterr().out


@pytest.mark.parametrize("make", [lambda v: tf.Variable(v), lambda v: torch.tensor(v), tf.constant],
                         ids=["variable", "torch", "tensor"])
def test_learning_rates_held_as_tensors_are_read(model, make):
    model.optimizer = types.SimpleNamespace(learning_rate=make(0.5))
    callback = callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5)
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_epoch_end(1, {"loss": 1.0})
    assert model.optimizer.learning_rate == 0.25


def test_terminate_on_nan_reads_a_device_loss_itself(model):
    callback = callbacks.TerminateOnNaN()
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_train_batch_end(0, {"loss": torch.tensor(float("nan"))})
    assert model.stop_training


def test_model_checkpoint_reads_batch_logs_only_when_it_saves(model, tmp_path):
    class Logs(dict):
        reads = 0

        def items(self):
            type(self).reads += 1
            return super().items()

    callback = callbacks.ModelCheckpoint(str(tmp_path / "{batch}-{loss:.2f}.keras"), save_freq=3)
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_epoch_begin(0)
    for batch in range(6):
        cbs.on_train_batch_end(batch, Logs(loss=torch.tensor(0.25)))
    assert Logs.reads == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3-0.25.keras", "6-0.25.keras"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    (0.30000001, 0.3, False), (0.3000001, 0.3, True), (np.float64(0.30000001), 0.3, False),
    (np.float64(0.300000012), 0.3, True), (np.float32(0.30000001), 0.3, False),
    (torch.tensor(0.5, dtype=torch.float64), 0.25, True),
], ids=["python_floats_as_float32", "python_floats_apart", "float64_against_float32_of_a_float",
        "float64_above_float32", "float32", "tensor"])
def test_improvements_are_compared_as_keras_compares(a, b, expected):
    # Expectations from keras.ops.greater under TF 2.21 (each Python number a float32 tensor).
    from kerastorch.keras.callbacks.monitor import greater

    assert greater(a, b) is expected
