"""`tf.distribute` in one process: the strategies' API (values from TF 2.21 with one CPU) and
training under a strategy alone, which must equal training without one."""

import contextlib

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.distribute import strategy as strategy_module


def test_default_strategy_outside_any_scope():
    default = tf.distribute.get_strategy()
    assert default.num_replicas_in_sync == 1
    assert not tf.distribute.has_strategy()
    assert not tf.distribute.in_cross_replica_context()
    context = tf.distribute.get_replica_context()
    assert (context.num_replicas_in_sync, context.replica_id_in_sync_group, context.strategy) == (1, 0, default)


def test_mirrored_strategy_alone():
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert strategy.cluster_resolver is None
    assert strategy.extended.should_checkpoint and strategy.extended.should_save_summary
    assert strategy.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    with strategy.scope() as entered:
        assert entered is strategy
        assert tf.distribute.has_strategy() and tf.distribute.get_strategy() is strategy
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
        with strategy.scope():  # the same strategy may be entered again
            assert tf.distribute.get_strategy() is strategy
    assert not tf.distribute.has_strategy()


def test_mixing_strategies_is_refused():
    outer, inner = tf.distribute.MirroredStrategy(), tf.distribute.MirroredStrategy()
    with outer.scope(), pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy objects"):
        with inner.scope():
            pass


def test_run_gives_a_replica_context():
    strategy = tf.distribute.MirroredStrategy()

    def step(x):
        context = tf.distribute.get_replica_context()
        assert not tf.distribute.in_cross_replica_context()
        assert context.num_replicas_in_sync == 1
        assert context.replica_id_in_sync_group.dtype == tf.int32
        return context.all_reduce("SUM", x * 2)

    result = strategy.run(step, args=(tf.constant([1.0, 2.0]),))
    np.testing.assert_array_equal(result.numpy(), [2.0, 4.0])
    assert tf.distribute.get_replica_context() is not None  # back outside: the default context


@pytest.mark.parametrize("op, axis, value, expected, dtype", [
    ("SUM", None, [1.0, 2.0], [1.0, 2.0], tf.float32),
    (tf.distribute.ReduceOp.SUM, 0, [1.0, 2.0], 3.0, tf.float32),
    ("MEAN", 0, [1.0, 2.0], 1.5, tf.float32),
    ("MEAN", 0, [1, 2], 1.5, tf.float64),  # TF's mean of integers is a float64 division
], ids=["sum-elementwise", "sum-axis0", "mean-axis0", "mean-int"])
def test_reduce(op, axis, value, expected, dtype):
    result = tf.distribute.MirroredStrategy().reduce(op, tf.constant(value), axis=axis)
    assert result.dtype == dtype
    np.testing.assert_array_equal(result.numpy(), expected)


def test_reduce_op_names():
    assert tf.distribute.ReduceOp("MEAN") is tf.distribute.ReduceOp.MEAN
    with pytest.raises(ValueError, match="'PROD' is not a valid ReduceOp"):
        tf.distribute.MirroredStrategy().reduce("PROD", tf.constant(1.0), axis=None)


def test_gather_and_local_results_alone():
    strategy = tf.distribute.MirroredStrategy()
    np.testing.assert_array_equal(strategy.gather(tf.constant([[1, 2]]), axis=0).numpy(), [[1, 2]])
    value = tf.constant(3)
    assert strategy.experimental_local_results(value) == (value,)


def test_distributed_dataset_alone_is_the_dataset():
    strategy = tf.distribute.MirroredStrategy()
    batches = [b.numpy().tolist() for b in strategy.experimental_distribute_dataset(tf.data.Dataset.range(6).batch(4))]
    assert batches == [[0, 1, 2, 3], [4, 5]]


def test_multi_worker_strategy_alone():
    options = tf.distribute.experimental.CommunicationOptions(
        implementation=tf.distribute.experimental.CommunicationImplementation.RING)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    assert strategy.num_replicas_in_sync == 1
    resolver = strategy.cluster_resolver
    assert (resolver.task_type, resolver.task_id) == (None, None)  # TF without TF_CONFIG


def test_one_device_strategy_places_tensors():
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        assert tf.constant(1.0).device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert tf.distribute.OneDeviceStrategy("/cpu:0").num_replicas_in_sync == 1


def test_missing_names_say_so():
    with pytest.raises(AttributeError, match="kerastorch does not implement tf.distribute.TPUStrategy yet"):
        _ = tf.distribute.TPUStrategy


def _model_and_data():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 3)).astype("float32"), rng.normal(size=(30, 2)).astype("float32")
    weights = [rng.normal(size=s).astype("float32") for s in [(3, 4), (4,), (4, 2), (2,)]]
    return x, y, weights


def _train(strategy):
    x, y, weights = _model_and_data()
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4, activation="relu"),
                                     tf.keras.layers.Dense(2)])
        model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.set_weights(weights)
    tf.keras.utils.set_random_seed(3)  # the same shuffled order
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, validation_split=0.2)
    return (model, history.history, model.evaluate(x, y, verbose=0), model.predict(x, batch_size=7, verbose=0),
            model.train_on_batch(x[:4], y[:4]))


def test_a_strategy_alone_trains_as_no_strategy():
    strategy = tf.distribute.MirroredStrategy()
    model, *results = _train(strategy)
    _, *expected = _train(None)
    assert model.distribute_strategy is strategy
    assert results[0] == expected[0]
    assert results[1] == expected[1]
    np.testing.assert_array_equal(results[2], expected[2])
    assert results[3] == expected[3]


def test_model_without_strategy_uses_the_one_in_scope():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    strategy = tf.distribute.MirroredStrategy()
    assert model.distribute_strategy is strategy_module._default
    with strategy.scope():
        assert model.distribute_strategy is strategy
