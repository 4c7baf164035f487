"""Each process's share of a global batch (`numpy.array_split`'s parts, as TF splits a batch)."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.distribute import sharding, training


@pytest.mark.parametrize("size, world", [(8, 2), (5, 2), (1, 2), (8, 3), (7, 4)], ids=str)
def test_bounds_are_array_split(size, world):
    parts = [sharding.bounds(size, (rank, world)) for rank in range(world)]
    expected = np.array_split(np.arange(size), world)
    assert [list(range(start, stop)) for start, stop in parts] == [list(p) for p in expected]


def test_shard_structure_cuts_every_leaf_alike():
    batch = ({"a": torch.arange(5), "b": torch.arange(10).reshape(5, 2)}, torch.arange(5) * 10, None)
    x, y, sw = sharding.shard_structure(batch, (1, 2))
    assert x["a"].tolist() == [3, 4] and x["b"].tolist() == [[6, 7], [8, 9]]
    assert y.tolist() == [30, 40] and sw is None


def test_no_shard_outside_a_multi_process_strategy():
    assert sharding.current_shard() is None
    with tf.distribute.MirroredStrategy().scope():
        assert sharding.current_shard() is None  # one process: nothing to split
        assert not training.spans_processes()


def test_a_custom_train_step_on_two_processes_scales_keras_mean_losses(monkeypatch):
    """Keras's `scale_loss_for_distribution` (TF's rule, see replica_step.py); the 2-process run
    of `test_multiprocess.py` checks the whole step against TF's MirroredStrategy."""
    from kerastorch import keras

    y_true, y_pred = np.array([[1.0], [3.0]], "float32"), np.array([[0.0], [0.0]], "float32")
    mse = keras.losses.MeanSquaredError()
    assert float(mse(y_true, y_pred)) == 5.0
    monkeypatch.setattr(sharding, "current_shard", lambda: (0, 2))
    with training.custom_train_step():
        assert float(mse(y_true, y_pred)) == 2.5
        assert float(keras.losses.MeanSquaredError(reduction="sum")(y_true, y_pred)) == 10.0
    assert float(mse(y_true, y_pred)) == 5.0


def test_a_custom_step_on_two_processes_records_per_output_losses_unscaled(monkeypatch):
    """The total differentiated is scaled; each output's loss tracker gets the value times the
    replicas (Keras's `unscale_loss_for_distribution`)."""
    from kerastorch import keras

    inputs = keras.Input((2,))
    outputs = {name: keras.layers.Dense(1, kernel_initializer="ones", name=name)(inputs) for name in "ab"}
    model = keras.Model(inputs, outputs)
    model.compile("sgd", {"a": "mse", "b": "mse"})
    x, y = np.ones((1, 2), "float32"), {"a": np.zeros((1, 1), "float32"), "b": np.ones((1, 1), "float32")}
    monkeypatch.setattr(sharding, "current_shard", lambda: (0, 2))
    with training.custom_train_step():
        total = model.compute_loss(y=y, y_pred=model(x))  # mse 4 (a) and 1 (b), each halved
    assert float(total) == 2.5
    assert {m.name: float(m.result()) for m in model.metrics if m.name.endswith("_loss")} == {"a_loss": 4.0,
                                                                                             "b_loss": 1.0}
