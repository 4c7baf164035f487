"""The models of the saving parity fixtures, written once for TensorFlow and kerastorch.

Each case is a function `(keras) -> (model, data)`: it builds and compiles a small
model with the given `keras` module (TF's or kerastorch's) and returns it with its
seeded data (`x`, `y` to train on, `x_ref` to predict). Under TF the generator
(`generate_saving.py`) trains the model, writes it in every format and records the
reference predictions; under kerastorch the tests load those files and compare, and
write their own files for the TF-side check (`check_kerastorch_files.py`).

Nothing here imports TensorFlow or kerastorch.
"""

from __future__ import annotations

import zlib

import numpy as np


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(name.encode()))


def mlp(keras):
    """Dense classifier with a weightless layer between; Adam, sparse categorical cross-entropy, accuracy.

    No Dropout: the fixtures continue training after loading, which must be deterministic.
    """
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((8,)),
        layers.Dense(16, activation="relu"),
        layers.ActivityRegularization(l2=0.01),
        layers.Dense(3, activation="softmax"),
    ], name="mlp")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = _rng("mlp")
    x = rng.normal(0.0, 1.0, (64, 8)).astype("float32")
    y = (x[:, :3] @ rng.normal(0.0, 1.0, (3, 3))).argmax(-1).astype("int32")
    return model, {"x": x, "y": y, "x_ref": rng.normal(0.0, 1.0, (5, 8)).astype("float32")}


def cnn_bn(keras):
    """Conv2D + BatchNormalization (moving statistics are non-trainable weights); SGD with momentum."""
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(4, 3, padding="same"),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(2),
    ], name="cnn_bn")
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    rng = _rng("cnn_bn")
    x = rng.normal(0.0, 1.0, (32, 8, 8, 1)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0).astype("int32")
    return model, {"x": x, "y": y, "x_ref": rng.normal(0.0, 1.0, (4, 8, 8, 1)).astype("float32")}


def text(keras):
    """Embedding(mask_zero) + Bidirectional LSTM + GRU binary classifier; RMSprop."""
    layers = keras.layers
    tokens = keras.Input((10,), dtype="int32", name="tokens")
    x = layers.Embedding(50, 8, mask_zero=True)(tokens)
    x = layers.Bidirectional(layers.LSTM(6, return_sequences=True))(x)
    x = layers.GRU(4)(x)
    out = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(tokens, out, name="text")
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    rng = _rng("text")

    def sequences(n):
        seq = rng.integers(1, 50, (n, 10))
        for row, length in enumerate(rng.integers(3, 11, n)):
            seq[row, length:] = 0
        return seq.astype("int32")

    x = sequences(48)
    y = (x[:, 0] > 25).astype("float32")[:, None]
    return model, {"x": x, "y": y, "x_ref": sequences(6)}


def multi_io(keras):
    """Two inputs, a shared Dense, two named outputs with per-output losses, weights and metrics."""
    layers = keras.layers
    a = keras.Input((6,), name="a")
    b = keras.Input((6,), name="b")
    shared = layers.Dense(5, activation="tanh", name="shared")
    merged = layers.Concatenate()([shared(a), shared(b)])
    hidden = layers.Dense(8, activation="relu")(merged)
    cls = layers.Dense(3, activation="softmax", name="cls")(hidden)
    reg = layers.Dense(1, name="reg")(hidden)
    model = keras.Model({"a": a, "b": b}, {"cls": cls, "reg": reg}, name="multi_io")
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]})
    rng = _rng("multi_io")

    def inputs(n):
        return {"a": rng.normal(0.0, 1.0, (n, 6)).astype("float32"),
                "b": rng.normal(0.0, 1.0, (n, 6)).astype("float32")}

    x = inputs(40)
    y = {"cls": (x["a"][:, :3] - x["b"][:, :3]).argmax(-1).astype("int32"),
         "reg": (x["a"].sum(-1, keepdims=True) * 0.3).astype("float32")}
    return model, {"x": x, "y": y, "x_ref": inputs(4)}


def subclassed_classes(keras):
    """A registered subclassed model with `get_config` (Keras's recipe for saving one)."""
    layers = keras.layers

    @keras.saving.register_keras_serializable(package="compat")
    class ResidualMLP(keras.Model):
        def __init__(self, units=6, classes=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.classes = classes
            self.inner = layers.Dense(units, activation="relu")
            self.skip = layers.Dense(units)
            self.head = layers.Dense(classes)

        def call(self, inputs):
            return self.head(self.inner(inputs) + self.skip(inputs))

        def get_config(self):
            config = super().get_config()
            config.update(units=self.units, classes=self.classes)
            return config

    return ResidualMLP


def subclassed(keras):
    """The registered `compat>ResidualMLP`; Adam, logits cross-entropy."""
    model = subclassed_classes(keras)(units=6, classes=2, name="residual_mlp")
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = _rng("subclassed")
    x = rng.normal(0.0, 1.0, (32, 4)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int32")
    model(x[:1])  # builds it: a subclassed model has no weights before its first call
    return model, {"x": x, "y": y, "x_ref": rng.normal(0.0, 1.0, (3, 4)).astype("float32")}


def lambda_model(keras):
    """A Lambda layer holding a Python lambda: loading needs `safe_mode=False`."""
    layers = keras.layers
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Lambda(lambda t: t * 2.0 + 1.0)],
                             name="lambda_model")
    model.compile(optimizer="sgd", loss="mse")
    rng = _rng("lambda_model")
    x = rng.normal(0.0, 1.0, (8, 3)).astype("float32")
    return model, {"x": x, "y": rng.normal(0.0, 1.0, (8, 2)).astype("float32"),
                   "x_ref": rng.normal(0.0, 1.0, (2, 3)).astype("float32")}


def compile_objects(keras):
    """Compile arguments given as objects: a learning-rate schedule, a loss with options, metric objects."""
    layers = keras.layers
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"),
                              layers.Dense(1, activation="sigmoid")], name="compile_objects")
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9)
    model.compile(optimizer=keras.optimizers.SGD(schedule, momentum=0.5),
                  loss=keras.losses.BinaryCrossentropy(label_smoothing=0.1),
                  metrics=[keras.metrics.AUC(name="auc"), "accuracy", keras.metrics.Precision()])
    rng = _rng("compile_objects")
    x = rng.normal(0.0, 1.0, (32, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")[:, None]
    return model, {"x": x, "y": y, "x_ref": rng.normal(0.0, 1.0, (4, 4)).astype("float32")}


# name -> (builder, formats written by the generator)
CASES = {
    "mlp": (mlp, ("keras", "weights", "h5")),
    "cnn_bn": (cnn_bn, ("keras", "weights", "h5")),
    "text": (text, ("keras", "weights", "h5")),
    "multi_io": (multi_io, ("keras", "weights", "h5")),
    "subclassed": (subclassed, ("keras", "weights")),
    "lambda_model": (lambda_model, ("keras",)),
    "compile_objects": (compile_objects, ("keras", "weights")),
}
