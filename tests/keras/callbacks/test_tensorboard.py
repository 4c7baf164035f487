"""TensorBoard: what it writes where (through a recording SummaryWriter), and its missing-package error."""

import os
import sys

import numpy as np
import pytest
import torch

from kerastorch.keras import callbacks
from kerastorch.keras.callbacks import tensorboard


class FakeWriter:
    """Records what a torch SummaryWriter would write, per log directory."""

    written = []

    def __init__(self, log_dir):
        os.makedirs(log_dir, exist_ok=True)  # as SummaryWriter does
        self.log_dir = log_dir
        self.closed = False

    def add_scalar(self, tag, value, global_step=None):
        self.written.append((self.log_dir, "scalar", tag, float(value), global_step))

    def add_histogram(self, tag, values, global_step=None):
        self.written.append((self.log_dir, "histogram", tag, np.shape(values), global_step))

    def add_images(self, tag, images, global_step=None, dataformats="NCHW"):
        self.written.append((self.log_dir, "images", tag, np.shape(images), dataformats))

    def flush(self):
        pass

    def close(self):
        self.closed = True


@pytest.fixture
def writer(monkeypatch):
    FakeWriter.written = []
    monkeypatch.setattr(tensorboard, "_summary_writer_class", lambda: FakeWriter)
    return FakeWriter


def _written(tmp_path, kind):
    return [(w[0].replace(str(tmp_path), "<log>"),) + w[2:] for w in FakeWriter.written if w[1] == kind]


def test_epoch_metrics_go_to_train_and_validation(writer, model, tmp_path):
    callback = callbacks.TensorBoard(log_dir=tmp_path)
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_train_begin()
    for epoch in range(2):
        cbs.on_epoch_begin(epoch)
        cbs.on_train_batch_begin(0)
        cbs.on_train_batch_end(0, {"loss": torch.tensor(0.5)})
        cbs.on_epoch_end(epoch, {"loss": 0.5 - epoch / 4, "val_loss": 0.75})
    cbs.on_train_end()
    assert _written(tmp_path, "scalar") == [
        ("<log>/train", "epoch_loss", 0.5, 0), ("<log>/train", "epoch_learning_rate", np.float32(0.01), 0),
        ("<log>/validation", "epoch_loss", 0.75, 0),
        ("<log>/train", "epoch_loss", 0.25, 1), ("<log>/train", "epoch_learning_rate", np.float32(0.01), 1),
        ("<log>/validation", "epoch_loss", 0.75, 1)]
    assert all(w.closed for w in callback._writers.values()) and callback._writers == {}


def test_batch_metrics_every_update_freq_batches_and_evaluation_vs_iterations(writer, model, tmp_path):
    callback = callbacks.TensorBoard(log_dir=tmp_path, update_freq=2, write_steps_per_second=True)
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    for batch in range(5):
        cbs.on_train_batch_begin(batch)
        cbs.on_train_batch_end(batch, {"loss": torch.tensor(batch / 4)})
    model.optimizer.iterations = 5
    cbs.on_test_begin()
    cbs.on_test_end({"loss": 0.25})
    batch_scalars = [w for w in _written(tmp_path, "scalar") if w[1] != "batch_steps_per_second"]
    assert batch_scalars == [("<log>/train", "batch_loss", 0.25, 2), ("<log>/train", "batch_loss", 0.75, 4),
                             ("<log>/validation", "evaluation_loss_vs_iterations", 0.25, 5)]
    assert [w[3] for w in _written(tmp_path, "scalar") if w[1] == "batch_steps_per_second"] == [2, 4]


def test_fit_logs_reach_the_batch_scalars(writer, tmp_path):
    """fit hands the callback its lazy mapping of device scalars, not a dict."""
    from kerastorch import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    x, y = np.ones((8, 2), "float32"), np.zeros((8, 1), "float32")
    model.fit(x, y, batch_size=2, verbose=0, shuffle=False,
              callbacks=[callbacks.TensorBoard(log_dir=tmp_path, update_freq=2, write_graph=False)])
    assert [w[1:] for w in _written(tmp_path, "scalar") if w[1].startswith("batch_")] == [
        ("batch_loss", 4.0, 2), ("batch_loss", 4.0, 4)]


def test_weight_histograms_and_images(writer, model, tmp_path):
    from kerastorch import keras

    dense = keras.layers.Dense(3)
    dense.build((None, 4))
    conv = keras.layers.Conv2D(2, 3)
    conv.build((None, 8, 8, 1))
    model.layers = [dense, conv]
    callback = callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=2, write_images=True)
    cbs = callbacks.CallbackList([callback], model=model)
    for epoch in range(3):
        cbs.on_epoch_end(epoch, {"loss": 1.0})
    histograms = _written(tmp_path, "histogram")
    names = ["dense/kernel/histogram", "dense/bias/histogram", "conv2d/kernel/histogram", "conv2d/bias/histogram"]
    assert [(h[1], h[3]) for h in histograms] == [(n, epoch) for epoch in (0, 2) for n in names]
    assert [i[1:3] for i in _written(tmp_path, "images")][:4] == [
        ("dense/kernel/image", (1, 3, 4, 1)), ("dense/bias/image", (1, 3, 1, 1)),
        ("conv2d/kernel/image", (2, 3, 3, 1)), ("conv2d/bias/image", (1, 2, 1, 1))]


def test_embeddings_projector_config_and_checkpoints(writer, model, tmp_path, rec):
    from kerastorch import keras

    model.layers = [keras.layers.Embedding(10, 4, name="words"), keras.layers.Dense(2)]
    callback = callbacks.TensorBoard(log_dir=tmp_path, embeddings_freq=1, embeddings_metadata={"words": "m.tsv"})
    cbs = callbacks.CallbackList([callback], model=model)
    cbs.on_epoch_end(0, {})
    assert (tmp_path / "projector_config.pbtxt").read_text() == (
        'embeddings {\n  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"\n'
        '  metadata_path: "m.tsv"\n}\n')
    assert rec.events == [["save_weights", "<tmp>/train/keras_embedding.ckpt-0.weights.h5", True]]


def test_unknown_embedding_names_are_refused(writer, model, tmp_path):
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        callbacks.CallbackList([callbacks.TensorBoard(log_dir=tmp_path, embeddings_freq=1,
                                                      embeddings_metadata={"nope": "m.tsv"})], model=model)


def test_profiling_is_refused(writer):
    with pytest.raises(ValueError, match=r"Profiling is not yet available with the torch backend.*"
                                         r"Received: profile_batch=\(2, 4\) \(must be 0\)"):
        callbacks.TensorBoard(profile_batch=(2, 4))


def test_without_the_tensorboard_package_the_error_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(ImportError, match=r"requires the `tensorboard` package.*pip install tensorboard"):
        callbacks.TensorBoard()
