"""`compile(jit_compile=True)`: the steps through torch.compile give eager's results (1e-5),
compile once per input shape, fall back to eager with one warning, and follow Keras's
`jit_compile` rules (TF 2.21 facts: "auto" is False on CPU, `run_eagerly` turns it off)."""

import re
import warnings

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.keras.models import compiled_steps

L = keras.layers
RNG = np.random.RandomState(0)
X20 = RNG.normal(size=(100, 20)).astype("float32")
IMAGES = RNG.normal(size=(100, 12, 12, 1)).astype("float32")
TOKENS = RNG.randint(0, 50, (100, 6))
LABELS = RNG.randint(0, 3, 100)


@pytest.fixture(autouse=True)
def cheap_backend(monkeypatch):
    """AOTAutograd without inductor's code generation: the same graphs, functionalization and
    backward partitioning, without a C++ compile per test (one test below uses inductor)."""
    monkeypatch.setattr(compiled_steps, "_BACKEND", "aot_eager")


def _mlp():
    return keras.Sequential([keras.Input((20,)), L.Dense(16, activation="relu", activity_regularizer="l2"),
                             L.Dense(8, activation="relu", kernel_regularizer="l2"), L.Dense(3, activation="softmax")])


def _cnn():
    return keras.Sequential([keras.Input((12, 12, 1)), L.Conv2D(4, 3, activation="relu"), L.BatchNormalization(),
                             L.MaxPooling2D(2), L.Flatten(), L.Dropout(0.3, seed=3), L.GaussianNoise(0.1),
                             L.Dense(3, activation="softmax")])


def _lstm():
    return keras.Sequential([keras.Input((6,), dtype="int64"), L.Embedding(50, 8), L.LSTM(8, return_sequences=True),
                             L.GRU(6, dropout=0.2, recurrent_dropout=0.2, seed=5), L.Dense(3, activation="softmax")])


def _two_outputs():
    inputs = keras.Input((20,))
    hidden = L.Dense(8, activation="tanh")(inputs)
    return keras.Model(inputs, {"a": L.Dense(3, activation="softmax", name="a")(hidden),
                                "b": L.Dense(1, name="b")(hidden)})


class _Subclassed(keras.Model):
    """Python control flow on `training`, `add_loss` in `call`, a seeded Dropout."""

    def __init__(self):
        super().__init__()
        self.hidden = L.Dense(8, activation="relu")
        self.drop = L.Dropout(0.2, seed=4)
        self.out = L.Dense(3, activation="softmax")

    def call(self, x, training=False):
        h = self.hidden(x)
        if training:
            h = self.drop(h, training=training)
        self.add_loss(0.01 * tf.reduce_sum(tf.square(h)))
        return self.out(h)


def _masked_attention():
    inputs = keras.Input((6,), dtype="int64")
    embedded = L.Embedding(50, 8, mask_zero=True)(inputs)
    attended = L.MultiHeadAttention(2, 4, dropout=0.1, seed=2)(embedded, embedded)
    return keras.Model(inputs, L.Dense(3, activation="softmax")(L.LSTM(5)(attended)))


MASKED_TOKENS = np.where(RNG.rand(100, 6) < 0.3, 0, TOKENS)

CASES = {
    "mlp_regularized": (_mlp, X20, LABELS, "sparse_categorical_crossentropy"),
    "cnn_batchnorm_dropout_noise": (_cnn, IMAGES, LABELS, "sparse_categorical_crossentropy"),
    "embedding_lstm_gru_dropout": (_lstm, TOKENS, LABELS, "sparse_categorical_crossentropy"),
    "subclassed_add_loss": (_Subclassed, X20, LABELS, "sparse_categorical_crossentropy"),
    "masked_attention_lstm": (_masked_attention, MASKED_TOKENS, LABELS, "sparse_categorical_crossentropy"),
    "two_outputs": (_two_outputs, X20, {"a": LABELS, "b": X20[:, :1]}, {"a": "sparse_categorical_crossentropy",
                                                                         "b": "mse"}),
}


def _train(case: str, jit_compile, sample_weight=None):
    make, x, y, loss = CASES[case]
    keras.utils.set_random_seed(1)
    model = make()
    metrics = {"a": ["accuracy"], "b": ["mae"]} if isinstance(loss, dict) else ["accuracy"]
    model.compile(keras.optimizers.Adam(0.01), loss, metrics=metrics, jit_compile=jit_compile)
    history = model.fit(x, y, sample_weight=sample_weight, batch_size=32, epochs=3, verbose=0, shuffle=False)
    evaluated = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    predicted = model.predict(x, batch_size=32, verbose=0)
    return model, history.history, evaluated, predicted


def _leaves(out) -> list:
    return [out[key] for key in sorted(out)] if isinstance(out, dict) else [out]


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_steps_give_eager_results(case):
    sample_weight = np.linspace(0.5, 1.5, 100).astype("float32") if case == "mlp_regularized" else None
    eager, eager_history, eager_logs, eager_out = _train(case, False, sample_weight)
    model, history, logs, out = _train(case, True, sample_weight)
    assert model.jit_compile is True
    assert history.keys() == eager_history.keys()
    for key in history:
        np.testing.assert_allclose(history[key], eager_history[key], atol=1e-5, err_msg=key)
    for key in logs:
        np.testing.assert_allclose(logs[key], eager_logs[key], atol=1e-5, err_msg=key)
    for got, want in zip(_leaves(out), _leaves(eager_out)):
        np.testing.assert_allclose(got, want, atol=1e-5)
    for got, want in zip(model.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(got, want, atol=1e-5)


# Importing inductor imports `torch.jit` code that warns of its own deprecation.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_inductor_gives_eager_results(monkeypatch):
    monkeypatch.setattr(compiled_steps, "_BACKEND", "inductor")
    eager, eager_history, _, eager_out = _train("mlp_regularized", False)
    model, history, _, out = _train("mlp_regularized", True)
    np.testing.assert_allclose(history["loss"], eager_history["loss"], atol=1e-5)
    np.testing.assert_allclose(out, eager_out, atol=1e-5)
    for got, want in zip(model.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(got, want, atol=1e-5)


def test_steps_compile_for_new_shapes_not_per_step(monkeypatch):
    graphs = []

    def counting(graph_module, example_inputs):
        graphs.append(graph_module)
        return graph_module.forward

    monkeypatch.setattr(compiled_steps, "_BACKEND", counting)
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True)
    counts = []
    for _ in range(2):  # 100 samples in batches of 32: three full batches and one of 4
        model.fit(X20, LABELS, batch_size=32, epochs=2, verbose=0)
        model.evaluate(X20, LABELS, batch_size=32, verbose=0)
        model.predict(X20, batch_size=32, verbose=0)
        counts.append(len(graphs))
    # The first round compiles train, test and predict, each for any batch size (the last batch is
    # shorter); the second compiles nothing.
    assert counts == [3, 3]


def test_failing_compiler_falls_back_to_eager_with_one_warning(monkeypatch):
    def failing(graph_module, example_inputs):
        raise RuntimeError("no C++ compiler")

    _, eager_history, _, eager_out = _train("mlp_regularized", False)
    monkeypatch.setattr(compiled_steps, "_BACKEND", failing)
    with pytest.warns(UserWarning) as caught:
        _, history, _, out = _train("mlp_regularized", True)
    messages = [str(w.message) for w in caught]
    assert messages == ["`jit_compile=True`: torch.compile could not compile model 'sequential_1', which runs "
                        "eagerly from now on. The error was: RuntimeError: no C++ compiler"]
    np.testing.assert_allclose(history["loss"], eager_history["loss"], atol=1e-6)
    np.testing.assert_allclose(out, eager_out, atol=1e-6)


def test_a_model_error_is_raised_as_in_eager_mode():
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True)
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 20"):
        model.predict(np.ones((4, 5), "float32"), verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # still compiling: no fallback warning
        assert model.predict(X20[:4], verbose=0).shape == (4, 3)


def test_custom_train_step_runs_eagerly_with_one_warning():
    class Custom(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                loss = self.compute_loss(y=y, y_pred=self(x, training=True))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss}

    inputs = keras.Input((20,))
    model = Custom(inputs, L.Dense(3, activation="softmax")(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy", jit_compile=True)
    with pytest.warns(UserWarning, match=re.escape("the model's custom `train_step` runs eagerly")) as caught:
        model.fit(X20, LABELS, batch_size=32, epochs=2, verbose=0)
    assert len(caught) == 1


def test_jit_compile_values_follow_keras():
    model = _mlp()
    assert model.jit_compile is False
    model.compile("sgd", "mse")
    assert model.jit_compile is False  # "auto" is eager on torch (and on a CPU-only TF)
    assert model.get_compile_config()["jit_compile"] is False
    model.compile("sgd", "mse", jit_compile=True)
    assert model.jit_compile is True
    assert model.get_compile_config()["jit_compile"] is True
    model.jit_compile = False
    assert model.jit_compile is False
    with pytest.warns(UserWarning, match=re.escape("If `run_eagerly` is True, then `jit_compile` cannot also be "
                                                   "True. Disabling `jit_compile`.")):
        model.compile("sgd", "mse", jit_compile=True, run_eagerly=True)
    assert model.jit_compile is False


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_precision_compiled_steps_give_eager_results(policy):
    """Autocast compute inside the compiled graph; under mixed_float16 the LossScaleOptimizer too."""

    def train(jit_compile):
        keras.mixed_precision.set_global_policy(policy)
        try:
            keras.utils.set_random_seed(1)
            model = keras.Sequential([keras.Input((20,)), L.Dense(16, activation="relu"), L.Dense(3),
                                      L.Activation("softmax", dtype="float32")])
            model.compile("adam", "sparse_categorical_crossentropy", jit_compile=jit_compile)
            history = model.fit(X20, LABELS, batch_size=32, epochs=2, verbose=0, shuffle=False)
            return history.history["loss"], model.get_weights(), model.predict(X20, verbose=0)
        finally:
            keras.mixed_precision.set_global_policy("float32")

    eager_loss, eager_weights, eager_out = train(False)
    loss, weights, out = train(True)
    np.testing.assert_allclose(loss, eager_loss, atol=1e-5)
    np.testing.assert_allclose(out, eager_out, atol=1e-5)
    for got, want in zip(weights, eager_weights):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, atol=1e-5)


def test_evaluate_and_predict_before_any_training_give_eager_results():
    """The first compiled step may be an evaluation: the layers' activity losses count in its loss."""

    def run(jit_compile):
        keras.utils.set_random_seed(0)
        model = _mlp()
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit_compile)
        return model.evaluate(X20, LABELS, verbose=0), model.predict(X20, verbose=0)

    (eager_logs, eager_out), (logs, out) = run(False), run(True)
    np.testing.assert_allclose(logs, eager_logs, atol=1e-6)
    np.testing.assert_allclose(out, eager_out, atol=1e-6)


def test_layer_losses_after_a_compiled_step_are_those_of_its_call():
    def run(jit_compile):
        keras.utils.set_random_seed(0)
        model = _mlp()
        model.compile("sgd", "sparse_categorical_crossentropy", jit_compile=jit_compile)
        model.fit(X20, LABELS, batch_size=32, epochs=1, verbose=0, shuffle=False)
        return [float(loss) for loss in model.losses], [float(loss) for loss in model.layers[0].losses]

    eager_losses, eager_layer_losses = run(False)
    losses, layer_losses = run(True)
    assert len(losses) == 2 and len(layer_losses) == 1  # the activity and the kernel penalties
    np.testing.assert_allclose(losses, eager_losses, atol=1e-6)
    np.testing.assert_allclose(layer_losses, eager_layer_losses, atol=1e-6)
