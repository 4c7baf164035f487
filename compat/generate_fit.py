"""Parity fixtures for training: what `fit` / `evaluate` / `predict` give under Keras 3.15.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_fit.py

A scenario is a function `(env)` that builds a small model, gives it fixed initial
weights (`env.init(model)`: drawn from a seeded rng here, stored in the npz, read back
by the test), trains it deterministically (`shuffle=False`, no dropout) and returns
what it observed: `history.history` (keys in order, every epoch), `history.params`,
`evaluate()` as a list and as a dict, `predict()`, the final weights, the values of
`train_on_batch` & co. `env.keras` and `env.tf` name the implementation: this module
imports neither TensorFlow nor kerastorch at the top, and `test_fit_parity.py` runs
the same scenarios under kerastorch. Arrays go to `fit.npz` (`<scenario>/<key>`), the
rest to `fit.json`; both are reproducible byte for byte.
"""

from __future__ import annotations

import json
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat" / "fixtures"


def make_data() -> dict:
    """The datasets the scenarios train on (stored in the npz; the test uses the stored ones)."""
    rng = np.random.default_rng(20260715)
    x = rng.normal(0.0, 1.0, (48, 6)).astype("float32")
    labels = (x @ rng.normal(0.0, 1.0, (6, 4))).argmax(-1)
    tokens = rng.integers(1, 12, (24, 7))
    for row, length in enumerate(rng.integers(2, 8, 24)):
        tokens[row, length:] = 0  # trailing padding: Embedding(mask_zero=True) masks it
    return {
        "x": x,
        "y_bin": (x[:, :3].sum(-1, keepdims=True) > 0).astype("float32"),
        "y_sparse": labels.astype("int32"),
        "y_onehot": np.eye(4, dtype="float32")[labels],
        "x_reg": rng.normal(0.0, 1.0, (40, 5)).astype("float32"),
        "y_reg": rng.normal(0.0, 1.0, (40, 2)).astype("float32"),
        "sw": rng.uniform(0.0, 2.0, 48).astype("float32"),
        "x_aux": rng.normal(0.0, 1.0, (48, 3)).astype("float32"),
        "tokens": tokens.astype("int32"),
        "y_tokens": rng.integers(0, 2, (24, 7, 1)).astype("float32"),
        "images": rng.normal(0.0, 1.0, (16, 6, 6, 2)).astype("float32"),
        "y_images": rng.integers(0, 3, 16).astype("int32"),
    }


def initial_weights(name: str, shapes: list) -> list:
    """Fixed starting weights for scenario `name` (small normal values, ones for BN scales)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    return [rng.normal(0.0, 0.4, shape).astype("float32") for shape in shapes]


# -- what a scenario records ------------------------------------------------------------

def history(h) -> dict:
    """`history.history` with its key order, `history.epoch` and `history.params`."""
    return {"keys": list(h.history), "values": {k: [float(v) for v in vs] for k, vs in h.history.items()},
            "epoch": list(h.epoch), "params": dict(h.params)}


def evaluation(model, *args, **kwargs) -> dict:
    """`evaluate()` as a list (or scalar) and as a dict (with its key order)."""
    plain = model.evaluate(*args, verbose=0, **kwargs)
    as_dict = model.evaluate(*args, verbose=0, return_dict=True, **kwargs)
    return {"list": _floats(plain), "dict": _floats(as_dict), "dict_keys": list(as_dict)}


def weights(model, prefix: str = "") -> dict:
    return {f"{prefix}w{i}": np.asarray(w) for i, w in enumerate(model.get_weights())}


def outputs(value, key: str = "predict") -> dict:
    """`predict()` output(s): an array, or a list / dict of them."""
    if isinstance(value, dict):
        return {f"{key}.{k}": np.asarray(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return {f"{key}.{i}": np.asarray(v) for i, v in enumerate(value)}
    return {key: np.asarray(value)}


def _floats(value):
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    if isinstance(value, dict):
        return {k: float(v) for k, v in value.items()}
    return float(value)


def trained(model, fit_args: tuple, fit_kwargs: dict, eval_args: tuple, predict_x) -> dict:
    """The common record: fit (silent, in order), evaluate, predict, final weights."""
    h = model.fit(*fit_args, verbose=0, shuffle=False, **fit_kwargs)
    return {"history": history(h), "evaluate": evaluation(model, *eval_args),
            **outputs(model.predict(predict_x, verbose=0)), **weights(model)}


# -- the scenarios -----------------------------------------------------------------------

def _mlp(keras, units: int, activation: str, inputs: int = 6):
    return keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(units, activation=activation)])


def mlp_binary(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 1, "sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return trained(model, (d["x"][:36], d["y_bin"][:36]),
                   {"batch_size": 16, "epochs": 3, "validation_data": (d["x"][36:], d["y_bin"][36:])},
                   (d["x"], d["y_bin"]), d["x"][:5])


def multiclass_sparse(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 4, "softmax"))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return trained(model, (d["x"], d["y_sparse"]), {"batch_size": 16, "epochs": 3},
                   (d["x"], d["y_sparse"]), d["x"][:5])


def multiclass_onehot_topk(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 4, "softmax"))
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="categorical_crossentropy",
                  metrics=["accuracy", "top_k_categorical_accuracy"])
    return trained(model, (d["x"], d["y_onehot"]),
                   {"batch_size": 20, "epochs": 3, "validation_data": (d["x"][:12], d["y_onehot"][:12])},
                   (d["x"], d["y_onehot"]), d["x"][:5])


def regression_sgd_split(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 2, None, inputs=5))
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse", metrics=["mae"])
    return trained(model, (d["x_reg"], d["y_reg"]), {"batch_size": 8, "epochs": 3, "validation_split": 0.25},
                   (d["x_reg"], d["y_reg"]), d["x_reg"][:5])


def sample_weighted(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 1, "sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy", "mse"])
    record = trained(model, (d["x"], d["y_bin"]), {"batch_size": 16, "epochs": 2, "sample_weight": d["sw"]},
                     (d["x"], d["y_bin"]), d["x"][:5])
    record["evaluate_weighted"] = evaluation(model, d["x"], d["y_bin"], sample_weight=d["sw"])
    return record


def class_weighted(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 4, "softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    return trained(model, (d["x"], d["y_sparse"]),
                   {"batch_size": 16, "epochs": 2, "class_weight": {0: 0.5, 1: 2.0, 2: 1.0, 3: 3.0},
                    "validation_split": 0.25},
                   (d["x"], d["y_sparse"]), d["x"][:5])


def functional_multi_io(env) -> dict:
    keras, d = env.keras, env.data
    main = keras.Input((6,), name="main")
    aux = keras.Input((3,), name="aux")
    hidden = keras.layers.Dense(8, activation="tanh", name="hidden")(keras.layers.Concatenate()([main, aux]))
    out1 = keras.layers.Dense(1, activation="sigmoid", name="out1")(hidden)
    out2 = keras.layers.Dense(4, activation="softmax", name="out2")(hidden)
    model = env.init(keras.Model([main, aux], [out1, out2]))
    model.compile(optimizer="adam", loss={"out1": "binary_crossentropy", "out2": "sparse_categorical_crossentropy"},
                  loss_weights={"out1": 1.0, "out2": 0.5},
                  metrics={"out1": ["accuracy"], "out2": ["accuracy", "sparse_top_k_categorical_accuracy"]})
    xs, ys = [d["x"], d["x_aux"]], [d["y_bin"], d["y_sparse"]]
    record = trained(model, (xs, ys),
                     {"batch_size": 16, "epochs": 2, "validation_data": ([d["x"][:8], d["x_aux"][:8]],
                                                                         [d["y_bin"][:8], d["y_sparse"][:8]])},
                     (xs, ys), [d["x"][:4], d["x_aux"][:4]])
    record["metrics_names"] = list(model.metrics_names)
    return record


def functional_dict_io(env) -> dict:
    keras, d = env.keras, env.data
    inputs = {"main": keras.Input((6,), name="main"), "aux": keras.Input((3,), name="aux")}
    hidden = keras.layers.Dense(5, activation="relu", name="hidden")(
        keras.layers.Concatenate()([inputs["main"], inputs["aux"]]))
    outs = {"score": keras.layers.Dense(1, name="score")(hidden),
            "label": keras.layers.Dense(1, activation="sigmoid", name="label")(hidden)}
    model = env.init(keras.Model(inputs, outs))
    model.compile(optimizer="sgd", loss={"score": "mse", "label": "binary_crossentropy"},
                  metrics={"label": ["accuracy"], "score": ["mae"]})
    xs = {"main": d["x"], "aux": d["x_aux"]}
    ys = {"score": d["x"][:, :1], "label": d["y_bin"]}
    return trained(model, (xs, ys), {"batch_size": 16, "epochs": 2}, (xs, ys),
                   {"main": d["x"][:4], "aux": d["x_aux"][:4]})


def kernel_regularized(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(keras.Sequential([
        keras.Input((6,)), keras.layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.l2(0.05)),
        keras.layers.Dense(1, activation="sigmoid", bias_regularizer="l1")]))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return trained(model, (d["x"], d["y_bin"]), {"batch_size": 16, "epochs": 2,
                                                      "validation_data": (d["x"][:8], d["y_bin"][:8])},
                   (d["x"], d["y_bin"]), d["x"][:5])


def activity_regularized(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(keras.Sequential([
        keras.Input((6,)), keras.layers.Dense(8, activation="relu", activity_regularizer=keras.regularizers.l1(0.01)),
        keras.layers.Dense(1, activation="sigmoid")]))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return trained(model, (d["x"], d["y_bin"]), {"batch_size": 20, "epochs": 2}, (d["x"], d["y_bin"]),
                   d["x"][:5])


# The embedding scenarios train with SGD: TF hands an Embedding's gradient over as
# IndexedSlices, and Keras's optimizers square it slice by slice (Adam's, RMSprop's second
# moments sum g_i^2 over a row's repeats, not (sum g_i)^2), which dense gradients cannot match.
def masked_lstm(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(keras.Sequential([
        keras.Input((7,), dtype="int32"), keras.layers.Embedding(12, 4, mask_zero=True),
        keras.layers.LSTM(5, return_sequences=True), keras.layers.Dense(1, activation="sigmoid")]))
    model.compile(optimizer=keras.optimizers.SGD(0.5, momentum=0.9), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return trained(model, (d["tokens"], d["y_tokens"]), {"batch_size": 10, "epochs": 3},
                   (d["tokens"], d["y_tokens"]), d["tokens"][:3])


def lstm_classifier(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(keras.Sequential([
        keras.Input((7,), dtype="int32"), keras.layers.Embedding(12, 4, mask_zero=True), keras.layers.GRU(5),
        keras.layers.Dense(1, activation="sigmoid")]))
    model.compile(optimizer=keras.optimizers.SGD(0.5, nesterov=True, momentum=0.5), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return trained(model, (d["tokens"], d["y_tokens"][:, 0]), {"batch_size": 8, "epochs": 2},
                   (d["tokens"], d["y_tokens"][:, 0]), d["tokens"][:3])


def conv_batchnorm(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(keras.Sequential([
        keras.Input((6, 6, 2)), keras.layers.Conv2D(3, 3, activation="relu"), keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")]))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return trained(model, (d["images"], d["y_images"]), {"batch_size": 6, "epochs": 3},
                   (d["images"], d["y_images"]), d["images"][:4])


def _custom_model(env, style: str):
    keras, tf = env.keras, env.tf

    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(2)
            if style == "own_metrics":
                self.loss_tracker = keras.metrics.Mean(name="loss")
                self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

        def call(self, x, training=False):
            return self.out(self.hidden(x))

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                if style == "own_metrics":
                    loss = keras.losses.mean_squared_error(y, y_pred)
                elif style == "compiled":
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                else:
                    loss = self.compute_loss(y=y, y_pred=y_pred)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            if style == "own_metrics":
                self.loss_tracker.update_state(loss)
                self.mae_metric.update_state(y, y_pred)
                return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}
            if style == "compiled":
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        @property
        def metrics(self):
            if style == "own_metrics":
                return [self.loss_tracker, self.mae_metric]
            return super().metrics

    return Custom()


def _custom_scenario(env, style: str) -> dict:
    keras, d = env.keras, env.data
    model = _custom_model(env, style)
    model(d["x_reg"][:2])
    env.init(model)
    compiled = {} if style == "own_metrics" else {"loss": "mse", "metrics": ["mae"]}
    model.compile(optimizer=keras.optimizers.SGD(0.05), **compiled)
    h = model.fit(d["x_reg"], d["y_reg"], batch_size=16, epochs=2, verbose=0, shuffle=False)
    record = {"history": history(h), **outputs(model.predict(d["x_reg"][:4], verbose=0)), **weights(model),
              "metrics_names": list(model.metrics_names)}
    return {**record, "evaluate": evaluation(model, d["x_reg"], d["y_reg"])} if compiled else record


def custom_step_compute_loss(env) -> dict:
    return _custom_scenario(env, "compute_loss")


def custom_step_compiled(env) -> dict:
    return _custom_scenario(env, "compiled")


def custom_step_own_metrics(env) -> dict:
    return _custom_scenario(env, "own_metrics")


def on_batch(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 4, "softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    first = model.train_on_batch(d["x"][:16], d["y_sparse"][:16])
    second = model.train_on_batch(d["x"][16:32], d["y_sparse"][16:32], return_dict=True)
    weighted = model.train_on_batch(d["x"][32:], d["y_sparse"][32:], sample_weight=d["sw"][32:])
    test = model.test_on_batch(d["x"][:16], d["y_sparse"][:16])
    test_dict = model.test_on_batch(d["x"][:16], d["y_sparse"][:16], return_dict=True)
    return {"train_on_batch": _floats(first), "train_on_batch_dict": _floats(second),
            "train_on_batch_dict_keys": list(second), "train_on_batch_weighted": _floats(weighted),
            "test_on_batch": _floats(test), "test_on_batch_dict": _floats(test_dict),
            **outputs(model.predict_on_batch(d["x"][:5]), "predict_on_batch"), **weights(model)}


def schedule_early_stopping(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 1, "sigmoid"))
    schedule = keras.optimizers.schedules.ExponentialDecay(0.3, decay_steps=2, decay_rate=0.5)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="binary_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, min_delta=0.001, restore_best_weights=True)
    record = trained(model, (d["x"][:32], d["y_bin"][:32]),
                     {"batch_size": 8, "epochs": 10, "callbacks": [stop],
                      "validation_data": (d["x"][32:], d["y_bin"][32:])}, (d["x"], d["y_bin"]), d["x"][:5])
    record["stopped_epoch"] = stop.stopped_epoch
    record["iterations"] = int(model.optimizer.iterations.numpy())
    return record


def lr_scheduler_callback(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 2, None, inputs=5))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
    return trained(model, (d["x_reg"], d["y_reg"]), {"batch_size": 16, "epochs": 3, "initial_epoch": 1,
                                                          "callbacks": [scheduler, plateau]},
                   (d["x_reg"], d["y_reg"]), d["x_reg"][:3])


def steps_and_freq(env) -> dict:
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 1, "sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return trained(model, (d["x"], d["y_bin"]),
                   {"batch_size": 10, "epochs": 4, "validation_data": (d["x"][:10], d["y_bin"][:10]),
                    "validation_freq": 2, "validation_batch_size": 4},
                   (d["x"], d["y_bin"]), d["x"][:3])


def steps_per_epoch(env) -> dict:
    """`steps_per_epoch` on arrays continues the pass across epochs; an epoch reaching the end of
    the data stops early with a warning (so do `validation_steps`)."""
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 4, "softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        record = trained(model, (d["x"][:40], d["y_sparse"][:40]),
                         {"batch_size": 8, "epochs": 4, "steps_per_epoch": 3,
                          "validation_data": (d["x"][40:], d["y_sparse"][40:]), "validation_batch_size": 4,
                          "validation_steps": 1, "validation_freq": [1, 3, 4]}, (d["x"], d["y_sparse"]), d["x"][:3])
    record["warnings"] = [str(w.message)[:40] for w in caught if "ran out of data" in str(w.message)]
    return record


def generator_steps(env) -> dict:
    keras, d = env.keras, env.data

    def batches():
        while True:
            for start in range(0, 48, 12):
                yield d["x"][start:start + 12], d["y_bin"][start:start + 12]

    model = env.init(_mlp(keras, 1, "sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    h = model.fit(batches(), steps_per_epoch=3, epochs=3, verbose=0)
    # A fresh generator for each call: how far TF's generator adapter reads ahead is its own affair.
    return {"history": history(h), "evaluate": _floats(model.evaluate(batches(), steps=2, verbose=0)),
            "evaluate_dict": _floats(model.evaluate(batches(), steps=2, verbose=0, return_dict=True)),
            **weights(model)}


def trainable_after_compile(env) -> dict:
    """A layer's `trainable` set after `compile` counts at the first training step; once the model
    has trained, a change waits for the next `compile` (TF's train function keeps its variables)."""
    keras, d = env.keras, env.data
    model = env.init(_mlp(keras, 1, "sigmoid"))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    model.layers[0].trainable = False
    record = {"history": history(model.fit(d["x"], d["y_bin"], batch_size=16, verbose=0, shuffle=False)),
              **weights(model, "frozen.")}
    model.layers[0].trainable = True
    model.fit(d["x"], d["y_bin"], batch_size=16, verbose=0, shuffle=False)
    record.update(weights(model, "unfrozen."))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    model.fit(d["x"], d["y_bin"], batch_size=16, verbose=0, shuffle=False)
    return {**record, **weights(model, "recompiled.")}


SCENARIOS = {f.__name__: f for f in (
    mlp_binary, multiclass_sparse, multiclass_onehot_topk, regression_sgd_split, sample_weighted, class_weighted,
    functional_multi_io, functional_dict_io, kernel_regularized, activity_regularized, masked_lstm,
    lstm_classifier, conv_batchnorm, custom_step_compute_loss, custom_step_compiled, custom_step_own_metrics,
    on_batch, schedule_early_stopping, lr_scheduler_callback, steps_and_freq, steps_per_epoch, generator_steps,
    trainable_after_compile)}


def split_arrays(name: str, record: dict) -> tuple:
    """(JSON part, {npz key: array}) of a record: arrays become `{"npz": key}` references."""
    meta, arrays = {}, {}
    for key, value in record.items():
        if isinstance(value, np.ndarray):
            arrays[f"{name}/{key}"] = value
            meta[key] = {"npz": f"{name}/{key}", "dtype": str(value.dtype), "shape": list(value.shape)}
        else:
            meta[key] = value
    return meta, arrays


class KerasEnv:
    """The generator's side: real Keras, initial weights drawn here and recorded."""

    def __init__(self, data: dict):
        import keras
        import tensorflow as tf

        self.keras, self.tf, self.data = keras, tf, data
        self.inits = {}
        self.name = None

    def init(self, model):
        values = initial_weights(self.name, [tuple(w.shape) for w in model.get_weights()])
        model.set_weights(values)
        for i, value in enumerate(values):
            self.inits[f"{self.name}/init.{i}"] = value
        return model


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import tensorflow as tf

    from compat.generate_ops import write_npz

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    data = make_data()
    env = KerasEnv(data)
    meta, arrays = {}, {f"data/{k}": v for k, v in data.items()}
    for name, scenario in SCENARIOS.items():
        env.keras.backend.clear_session()
        env.name = name
        meta[name], found = split_arrays(name, scenario(env))
        arrays.update(found)
    arrays.update(env.inits)
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "fit.json").write_text(json.dumps({"scenarios": meta}, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "fit.npz", arrays)
    print(f"{len(SCENARIOS)} scenarios, {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
