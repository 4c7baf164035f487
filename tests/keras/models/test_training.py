"""compile / fit / evaluate / predict behaviour: errors, printed progress, callbacks stopping,
`trainable` after compile, the metrics list and the logs' rules (TF 2.21 / Keras 3.15 facts;
the numbers of whole training runs are in compat/test_fit_parity.py)."""

import re

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras

X = np.linspace(-1.0, 1.0, 60, dtype="float32").reshape(20, 3)
Y = (X.sum(1, keepdims=True) > 0).astype("float32")


def _model(compiled: bool = True, metrics=("accuracy",)):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="ones"),
                              keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    if compiled:
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy",
                      metrics=list(metrics) if metrics is not None else None)
    return model


# -- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda m: m.fit(X, Y, verbose=0), lambda m: m.evaluate(X, Y, verbose=0), lambda m: m.train_on_batch(X, Y),
    lambda m: m.test_on_batch(X, Y)], ids=["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_training_before_compile(call):
    with pytest.raises(ValueError, match=re.escape("You must call `compile()` before using the model.")):
        call(_model(compiled=False))


def test_predict_needs_no_compile():
    assert _model(compiled=False).predict(X, verbose=0).shape == (20, 1)


def test_compile_without_a_loss_then_fit():
    model = _model(compiled=False)
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match=re.escape("No loss to compute. Provide a `loss` argument in `compile()`.")):
        model.fit(X, Y, verbose=0)


def test_wrong_input_shape():
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3, but received input with "
                                         r"shape \(20, 4\)"):
        _model().fit(np.zeros((20, 4), "float32"), Y, verbose=0)


# -- printed progress -------------------------------------------------------------------------

TIME = r"\d+(\.\d+)?(s|ms|us)"


def test_verbose_2_prints_one_line_per_epoch_with_sorted_logs(capsys):
    _model().fit(X, Y, batch_size=8, epochs=2, verbose=2, validation_data=(X, Y))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0::2] == ["Epoch 1/2", "Epoch 2/2"]
    for line in lines[1::2]:
        assert re.fullmatch(rf"3/3 - \d+s - {TIME}/step - accuracy: \d\.\d{{4}} - loss: \d\.\d{{4}} - "
                            r"val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}", line), line


def test_verbose_2_evaluate_and_predict(capsys):
    model = _model()
    model.evaluate(X, Y, verbose=2)
    model.predict(X, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"1/1 - \d+s - {TIME}/step - accuracy: \d\.\d{{4}} - loss: \d\.\d{{4}}", lines[0])
    assert re.fullmatch(rf"1/1 - \d+s - {TIME}/step", lines[1]) and len(lines) == 2


def test_verbose_1_off_a_terminal_prints_the_final_bar(capsys):
    _model().fit(X, Y, batch_size=8, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("\x1b[1m3/3\x1b[0m \x1b[32m" + "━" * 20)  # one epoch: no "Epoch 1/1" line, as Keras
    assert re.search(rf"{TIME}/step - accuracy: \d\.\d{{4}} - loss: \d\.\d{{4}}\n$", out)


def test_verbose_0_prints_nothing(capsys):
    model = _model()
    model.fit(X, Y, verbose=0)
    model.evaluate(X, Y, verbose=0)
    model.predict(X, verbose=0)
    assert capsys.readouterr().out == ""


# -- callbacks and trainable -----------------------------------------------------------------

def test_stop_training_from_a_callback_ends_the_epoch_and_the_fit():
    class Stop(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    model = _model()
    history = model.fit(X, Y, batch_size=4, epochs=3, verbose=0, callbacks=[Stop()])
    assert history.epoch == [0] and int(model.optimizer.iterations.numpy()) == 2


def test_trainable_set_after_compile_counts_until_the_first_step():
    model = _model()
    model.layers[0].trainable = False
    kernel = model.layers[0].get_weights()[0].copy()
    model.fit(X, Y, verbose=0)
    assert np.array_equal(model.layers[0].get_weights()[0], kernel)
    # Once trained, TF's train function keeps its variables: unfreezing waits for compile().
    model.layers[0].trainable = True
    model.fit(X, Y, verbose=0)
    assert np.array_equal(model.layers[0].get_weights()[0], kernel)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    model.fit(X, Y, verbose=0)
    assert not np.array_equal(model.layers[0].get_weights()[0], kernel)


def test_a_layer_frozen_after_training_stops_training_at_the_next_epoch():
    model = _model()
    model.fit(X, Y, verbose=0)
    model.layers[0].trainable = False
    kernel = model.layers[0].get_weights()[0].copy()
    model.fit(X, Y, verbose=0)
    assert np.array_equal(model.layers[0].get_weights()[0], kernel)


class Unbuilt(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x)


def test_a_model_built_by_its_first_step_trains_from_that_step():
    x = np.linspace(-1, 1, 40, dtype="float32").reshape(20, 2)
    model = Unbuilt()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, x.sum(1, keepdims=True) * 2, batch_size=5, epochs=2, verbose=0, shuffle=False)
    assert np.allclose(history.history["loss"], [1.1714164, 0.3001820], atol=1e-5)  # TF 2.21
    sequential = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones")])
    sequential.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    losses = [sequential.train_on_batch(x, x.sum(1, keepdims=True) * 2) for _ in range(2)]
    assert np.allclose(losses, [1.3990796, 1.0349807], atol=1e-5)  # TF 2.21


# -- the metrics and the logs ------------------------------------------------------------------

def test_metrics_and_their_names():
    assert _model(compiled=False).metrics == []
    assert _model(metrics=None).metrics_names == ["loss"]
    model = _model()
    assert model.metrics_names == ["loss", "compile_metrics"]
    model.fit(X, Y, verbose=0)
    assert [m.name for m in model.metrics[1].metrics] == ["accuracy"]


def _two_outputs(run_eagerly: bool):
    x = keras.Input((1,))
    outs = [keras.layers.Dense(1, kernel_initializer="ones", name=name)(x) for name in ("a", "b")]
    model = keras.Model(x, outs)
    model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
    return model


@pytest.mark.parametrize("run_eagerly, each", [(False, (14 / 3 + 16) / 2), (True, 30 / 4)],
                         ids=["compiled", "eager"])
def test_each_outputs_loss_is_a_mean_over_batches_as_tf_computes_it(run_eagerly, each):
    # Predictions are x = 1, 2, 3 | 4 against 0: batch losses 14/3 and 16. TF's compiled step
    # counts each batch once for `a_loss`, `b_loss` (the static batch size is unknown there),
    # and by its size for `loss` and when run eagerly.
    model = _two_outputs(run_eagerly)
    x = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    zeros = np.zeros_like(x)
    logs = model.evaluate(x, [zeros, zeros], batch_size=3, verbose=0, return_dict=True)
    assert logs == pytest.approx({"a_loss": each, "b_loss": each, "loss": 15.0}, rel=1e-6)
    assert model.metrics_names == ["loss", "a_loss", "b_loss"]


def test_one_sample_weight_weighs_every_output():
    model = _two_outputs(run_eagerly=True)
    x = np.array([[1.0], [2.0]], "float32")
    logs = model.evaluate(x, [x * 0, x * 0], sample_weight=np.array([1.0, 0.0], "float32"), verbose=0,
                          return_dict=True)
    assert logs == pytest.approx({"a_loss": 0.5, "b_loss": 0.5, "loss": 1.0})


def test_weighted_metric_names_and_evaluates_list_order():
    model = _model(compiled=False)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy", "accuracy"],
                  weighted_metrics=["accuracy", "mse"])
    logs = model.evaluate(X, Y, verbose=0, return_dict=True)
    assert list(logs) == ["accuracy", "accuracy_1", "loss", "mse", "weighted_accuracy"]
    # Keras lists the compiled metrics by their own names (`accuracy` three times) and then
    # the names it did not find, sorted: six values for five keys.
    assert model.evaluate(X, Y, verbose=0) == [logs[k] for k in ("loss", "accuracy", "accuracy", "accuracy", "mse",
                                                                 "accuracy_1", "weighted_accuracy")]


class StepLogs(keras.Model):
    """A custom step returning `logs` (what Keras does with them is the test)."""

    def __init__(self, logs):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.logs = logs

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        return {key: tf.constant(value) if not isinstance(value, dict) else value for key, value in self.logs.items()}


def test_step_logs_naming_the_metrics_give_way_to_the_metrics_values():
    model = StepLogs({"loss": 5.0})
    model.compile(optimizer="sgd", loss="mse")
    assert model.fit(X, Y, epochs=1, verbose=0).history == {"loss": [0.0]}  # TF 2.21: the tracker's 0


def test_nested_step_logs_are_flattened_in_sorted_order():
    model = StepLogs({"loss": 1.0, "compile_metrics": {"mae": tf.constant(2.0), "acc": tf.constant(3.0)}})
    model.compile(optimizer="sgd", loss="mse")
    assert list(model.fit(X, Y, epochs=1, verbose=0).history) == ["acc", "mae", "loss"]


def test_compiled_loss_and_compiled_metrics_are_deprecated_shims():
    model = _model(metrics=["mae"])
    model(X[:1])
    y_pred = model(X)
    with pytest.warns(UserWarning, match=re.escape("`model.compiled_loss()` is deprecated.")):
        loss = model.compiled_loss(tf.constant(Y), y_pred)
    assert np.isclose(float(loss), model.evaluate(X, Y, verbose=0)[0])
    model.reset_metrics()
    with pytest.warns(UserWarning, match=re.escape("`model.compiled_metrics()` is deprecated.")):
        model.compiled_metrics.update_state(tf.constant(Y), y_pred)
    # As Keras 3: a `Mean` in `metrics` (the loss tracker) takes `y_pred`.
    results = {m.name: m.result() for m in model.metrics}
    assert np.isclose(float(results["loss"]), float(tf.reduce_mean(y_pred)))
    assert np.isclose(float(results["compile_metrics"]["mae"]), float(tf.reduce_mean(tf.abs(y_pred - Y))))


def test_steps_per_execution_groups_the_batch_callbacks_as_keras():
    """Step numbers recorded from TF 2.21 on the same run (10 batches, 3 per execution)."""
    events = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            events.append(("begin", batch))

        def on_train_batch_end(self, batch, logs=None):
            events.append(("end", batch, round(float(logs["loss"]), 4)))

        def on_test_batch_end(self, batch, logs=None):
            events.append(("test", batch))

        def on_predict_batch_end(self, batch, logs=None):
            events.append(("predict", batch, logs["outputs"].shape))

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.01), "mse", steps_per_execution=3)
    x, y = np.linspace(0, 1, 20, dtype="float32").reshape(10, 2), np.ones((10, 1), "float32")
    model.fit(x, y, batch_size=1, epochs=1, verbose=0, shuffle=False, callbacks=[Record()])
    assert events == [("begin", 0), ("end", 2, 0.5515), ("begin", 3), ("end", 5, 0.2927), ("begin", 6),
                      ("end", 8, 0.3083), ("begin", 9), ("end", 11, 0.3619)]
    events.clear()
    model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[Record()])
    model.predict(x, batch_size=4, verbose=0, callbacks=[Record()])
    assert events == [("test", 2), ("test", 5), ("predict", 2, (10, 1))]
    with pytest.raises(ValueError, match="Received: steps_per_execution=0"):
        model.compile("sgd", "mse", steps_per_execution=0)
