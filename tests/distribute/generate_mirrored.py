"""Parity fixture: TF's MirroredStrategy with 2 replicas, against which 2 kerastorch processes train.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python tests/distribute/generate_mirrored.py

TF splits its CPU into two logical devices and mirrors each model on both. Every case
trains a Dense model from fixed weights with `shuffle=False`, then evaluates it (two
cases through a custom `train_step`: one on `compute_loss`, one on a hand-made mean); the
batch sizes leave uneven last batches (TF gives the first replicas one sample more, and
each replica's loss is its own mean: the gradient is the mean of the replicas' gradients,
not the gradient of the global batch's mean). Recorded: the final weights, the history
and the evaluation. `ddp_worker.py` runs the same cases (`run_case`) under
`kerastorch run --nproc-per-node 2`. Data and weights are stored (float32 values as
Python floats); the JSON is reproducible byte for byte.

This module imports neither TensorFlow nor kerastorch at the top.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent / "mirrored_two_replicas.json"

# id, samples, features, units, activation, loss, optimizer, metrics, batch sizes (fit, evaluate), epochs,
# sample weights, and the model's own train_step (None: the built-in one)
CASES = [
    {"id": "softmax-sgd", "samples": 15, "features": 4, "units": 3, "activation": "softmax",
     "loss": "sparse_categorical_crossentropy", "optimizer": ["SGD", 0.5], "metrics": ["accuracy"],
     "batch_size": 4, "eval_batch_size": 6, "epochs": 1, "weighted": False},
    {"id": "linear-adam-weighted", "samples": 13, "features": 3, "units": 2, "activation": None,
     "loss": "mse", "optimizer": ["Adam", 0.05], "metrics": ["mae"],
     "batch_size": 6, "eval_batch_size": 4, "epochs": 2, "weighted": True},
    {"id": "custom-step-compute-loss", "samples": 16, "features": 4, "units": 2, "activation": None,
     "loss": "mse", "optimizer": ["SGD", 0.1], "metrics": ["mae"], "batch_size": 8, "eval_batch_size": 8,
     "epochs": 2, "weighted": False, "train_step": "compute_loss"},
    {"id": "custom-step-own-mean", "samples": 12, "features": 3, "units": 2, "activation": "tanh",
     "loss": "mse", "optimizer": ["SGD", 0.1], "metrics": None, "batch_size": 6, "eval_batch_size": 6,
     "epochs": 2, "weighted": False, "train_step": "own_mean"},
]


def model_class(tf, kind):
    """A `keras.Model` subclass whose `train_step` (TF style) differentiates `self.compute_loss`
    (`"compute_loss"`) or its own mean squared error (`"own_mean"`), or Model itself (None)."""
    keras = tf.keras
    if kind is None:
        return keras.Model

    class CustomStep(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                if kind == "compute_loss":
                    loss = self.compute_loss(y=y, y_pred=y_pred)
                else:
                    loss = tf.reduce_mean(tf.square(y - y_pred))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    return CustomStep


def make_data(case: dict, seed: int) -> dict:
    """Inputs, targets, sample weights and initial weights (float32 lists)."""
    rng = np.random.default_rng(seed)
    n, f, u = case["samples"], case["features"], case["units"]
    data = {"x": rng.normal(size=(n, f)), "kernel": rng.normal(scale=0.5, size=(f, u)), "bias": rng.normal(size=u)}
    if case["loss"] == "mse":
        data["y"] = rng.normal(size=(n, u))
    else:
        data["y"] = rng.integers(0, u, size=n)
    data["sample_weight"] = rng.uniform(0.5, 2.0, size=n)
    return {key: value.astype("int64" if key == "y" and case["loss"] != "mse" else "float32").tolist()
            for key, value in data.items()}


def run_case(tf, case: dict, data: dict, strategy) -> dict:
    """Trains and evaluates the case's model under `strategy`; the figures to compare."""
    keras = tf.keras
    x, y = np.array(data["x"], "float32"), np.array(data["y"])
    sample_weight = np.array(data["sample_weight"], "float32") if case["weighted"] else None
    with strategy.scope():
        inputs = keras.Input((case["features"],))
        outputs = keras.layers.Dense(case["units"], activation=case["activation"])(inputs)
        model = model_class(tf, case.get("train_step"))(inputs, outputs)
        name, rate = case["optimizer"]
        model.compile(optimizer=getattr(keras.optimizers, name)(rate), loss=case["loss"], metrics=case["metrics"])
    model.set_weights([np.array(data["kernel"], "float32"), np.array(data["bias"], "float32")])
    history = model.fit(x, y, sample_weight=sample_weight, batch_size=case["batch_size"], epochs=case["epochs"],
                        shuffle=False, verbose=0)
    evaluation = model.evaluate(x, y, sample_weight=sample_weight, batch_size=case["eval_batch_size"], verbose=0,
                                return_dict=True)
    return {"weights": [float(v) for w in model.get_weights() for v in np.asarray(w).reshape(-1)],
            "history": {key: [float(v) for v in values] for key, values in sorted(history.history.items())},
            "evaluate": {key: float(value) for key, value in sorted(evaluation.items())}}


def main() -> None:
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    fixture = {}
    for seed, case in enumerate(CASES):
        data = make_data(case, seed)
        fixture[case["id"]] = {"data": data, "expected": run_case(tf, case, data, strategy)}
    FIXTURE.write_text(json.dumps(fixture, sort_keys=True, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
