"""Parity fixture for `model.summary()`: the text TensorFlow 2.21 (Keras 3.15) prints.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_summary.py

Each case in `CASES` is a function of `tf` (tensorflow here, kerastorch in
`tests/keras/models/test_summary.py`, which imports this module) returning the model
and the `summary()` arguments. The names restart for each case
(`keras.backend.clear_session()`). The text is captured through `print_fn`, with
`COLUMNS=80` (the width Keras and rich see when no standard stream is a terminal)
unless `COLUMNS` below gives the case another console width.
The JSON is written with sorted keys, so regenerating gives the same bytes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "summary.json"


def seed_sequential(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([
        layers.Dense(16, activation="relu", input_shape=(4,)),
        layers.Dense(8, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]), {}


def seed_functional(tf):
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(4,))
    x = layers.Dense(16, activation="relu")(inputs)
    x = layers.Dense(8, activation="relu")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return tf.keras.Model(inputs=inputs, outputs=outputs), {}


def unbuilt_sequential(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([layers.Dense(4), layers.Dense(2)]), {}


def built_by_call(tf):
    layers = tf.keras.layers
    model = tf.keras.Sequential([layers.Dense(4), layers.Dense(2)])
    model(np.ones((5, 3), dtype="float32"))  # built for the batch it saw: (5, 4), (5, 2)
    return model, {}


def add_and_pop(tf):
    layers = tf.keras.layers
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), layers.Dense(4)])
    model.add(layers.Dense(2))
    model.pop()
    model.add(layers.Dense(7))
    return model, {}


def multi_input_concat(tf):
    layers = tf.keras.layers
    title = tf.keras.Input(shape=(10,), name="title")
    body = tf.keras.Input(shape=(20,), name="body")
    merged = layers.Concatenate()([layers.Dense(8, activation="relu")(title),
                                   layers.Dense(8, activation="relu")(body)])
    priority = layers.Dense(1, name="priority")(merged)
    department = layers.Dense(4, activation="softmax", name="department")(merged)
    return tf.keras.Model([title, body], [priority, department]), {}


def shared_layer(tf):
    layers = tf.keras.layers
    a = tf.keras.Input(shape=(6,))
    b = tf.keras.Input(shape=(6,))
    shared = layers.Dense(5, activation="tanh")
    out = layers.Dense(1)(layers.Add()([shared(a), shared(b)]))
    return tf.keras.Model([a, b], out), {}


def _nested(tf):
    layers = tf.keras.layers
    encoder = tf.keras.Sequential([layers.Dense(12, activation="relu"), layers.Dense(6)], name="encoder")
    inputs = tf.keras.Input(shape=(16,))
    outputs = layers.Dense(2, activation="softmax")(encoder(inputs))
    return tf.keras.Model(inputs, outputs, name="classifier")


def nested_model(tf):
    return _nested(tf), {}


def nested_model_expanded(tf):
    return _nested(tf), {"expand_nested": True}


def batch_norm(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ]), {}


def long_names(tf):
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(3,), name="a_rather_long_input_name_for_the_features")
    x = layers.Dense(7, name="hidden_layer_with_a_name_much_longer_than_the_column")(inputs)
    y = layers.Dense(1, name="out")(x)
    return tf.keras.Model(inputs, y, name="model_with_a_long_name"), {}


def text_model(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([
        tf.keras.Input(shape=(50,), dtype="int32"),
        layers.Embedding(10000, 64),
        layers.LSTM(32),
        layers.Dense(1, activation="sigmoid"),
    ], name="sentiment"), {}


def line_length_60(tf):
    model, _ = seed_sequential(tf)
    return model, {"line_length": 60}


def show_trainable(tf):
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(8,)),
        layers.Dense(4, name="frozen"),
        layers.Dropout(0.1),
        layers.Dense(2, name="head"),
    ])
    model.get_layer("frozen").trainable = False
    return model, {"show_trainable": True}


def subclassed_called(tf):
    layers = tf.keras.layers

    class MLP(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    model = MLP()
    model(np.ones((2, 4), dtype="float32"))
    return model, {}


def subclassed_nested(tf):
    layers = tf.keras.layers

    class Tower(tf.keras.Model):
        def __init__(self):
            super().__init__(name="tower")
            self.dense = layers.Dense(2)
            self.norm = layers.BatchNormalization()
            self.head = tf.keras.Sequential([layers.Dense(3)], name="head")

        def call(self, x):
            return self.head(self.norm(self.dense(x)))

    model = Tower()
    model(np.ones((5, 4), dtype="float32"))
    return model, {"expand_nested": True, "show_trainable": True}


def subclassed_unbuilt(tf):
    layers = tf.keras.layers

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8)
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    return Net(), {}


def subclassed_shapes(tf):
    layers = tf.keras.layers

    class Split(layers.Layer):
        def call(self, x):
            return {"left": x[:, :2], "right": x[:, 2:]}

        def compute_output_shape(self, input_shape):
            return {"left": (input_shape[0], 2), "right": (input_shape[0], input_shape[1] - 2)}

    class Opaque(layers.Layer):
        def call(self, x):
            return x * 2.0

        def compute_output_shape(self, input_shape):
            raise NotImplementedError

    class Twin(tf.keras.Model):
        def __init__(self):
            super().__init__(name="twin")
            self.split = Split()
            self.opaque = Opaque()

        def call(self, x):
            return self.opaque(self.split(x)["left"])

    model = Twin()
    model(np.ones((2, 5), dtype="float32"))
    return model, {}


def lstm_states(tf):
    inputs = tf.keras.Input(shape=(5, 3))
    sequence, state_h, _ = tf.keras.layers.LSTM(4, return_state=True)(inputs)
    return tf.keras.Model(inputs, [sequence, state_h]), {}


def dict_io_narrow(tf):
    layers = tf.keras.layers
    a = tf.keras.Input(shape=(3,), name="a")
    b = tf.keras.Input(shape=(3,), name="b")
    outputs = {"total": layers.Add()([a, b]), "proj": layers.Dense(2)(b)}
    return tf.keras.Model({"a": a, "b": b}, outputs), {"line_length": 40}


def custom_positions(tf):
    model, _ = seed_functional(tf)
    return model, {"positions": [0.5, 0.7, 0.8, 1.0]}


def layer_range(tf):
    model, _ = multi_input_concat(tf)
    return model, {"layer_range": ["dense", "concat"]}


def empty_sequential(tf):
    return tf.keras.Sequential(name="empty"), {}


def line_length_120(tf):
    model, _ = multi_input_concat(tf)
    return model, {"line_length": 120}


def long_model_name(tf):
    model, _ = seed_sequential(tf)
    return tf.keras.Sequential(model.layers, name="a" * 100), {}


def frozen_float64(tf):
    layers = tf.keras.layers
    base = tf.keras.Sequential([tf.keras.Input(shape=(6,)), layers.Dense(4)], name="base")
    base.trainable = False
    inputs = tf.keras.Input(shape=(6,))
    outputs = layers.Dense(2, dtype="float64")(base(inputs))
    return tf.keras.Model(inputs, outputs), {"show_trainable": True}


def narrow_console(tf):
    model, _ = long_names(tf)
    return model, {"line_length": 40}


def narrowest(tf):
    model, _ = multi_input_concat(tf)
    return model, {"line_length": 22}  # the Param # cells get no room at all


def wide_characters(tf):
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(3,), name="输入")
    x = layers.Dense(2, name="密集层_全连接_非常长的名字_还有更多的字")(inputs)
    outputs = layers.Dense(2, name="café_naïve_层")(x)
    return tf.keras.Model(inputs, outputs, name="模型" * 50), {}


def wide_terminal(tf):
    return multi_input_concat(tf)


def narrow_terminal(tf):
    return seed_functional(tf)


def unused_input(tf):
    layers = tf.keras.layers
    used = tf.keras.Input(shape=(3,), name="used")
    spare = tf.keras.Input(shape=(2,), name="spare")
    return tf.keras.Model([used, spare], layers.Dense(1)(used)), {}


def feature_extractor(tf):
    model, _ = seed_functional(tf)
    return tf.keras.Model(model.inputs, model.layers[2].output, name="features"), {}


def nested_functional_expanded(tf):
    layers = tf.keras.layers
    inner_in = tf.keras.Input(shape=(4,), name="inner_in")
    inner = tf.keras.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    a = tf.keras.Input(shape=(4,), name="a")
    b = tf.keras.Input(shape=(4,), name="b")
    merged = layers.Concatenate(name="merge")([inner(a), inner(b)])
    return tf.keras.Model([a, b], layers.Dense(1, name="score")(merged)), {"expand_nested": True}


def compiled_fitted(tf):
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(3),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 4), dtype="float32"), np.ones((4, 1), dtype="float32"), verbose=0)
    return model, {}


CASES = {f.__name__: f for f in (
    seed_sequential, seed_functional, unbuilt_sequential, built_by_call, add_and_pop, multi_input_concat,
    shared_layer, nested_model, nested_model_expanded, batch_norm, long_names, text_model, line_length_60,
    show_trainable, subclassed_called, subclassed_nested, subclassed_shapes, subclassed_unbuilt, lstm_states,
    dict_io_narrow, custom_positions, layer_range, empty_sequential, line_length_120, long_model_name,
    frozen_float64, narrow_console, narrowest, wide_characters, wide_terminal, narrow_terminal, unused_input,
    feature_extractor, nested_functional_expanded, compiled_fitted,
)}
# The console width (`COLUMNS`) a case runs with; 80, the width without a terminal, otherwise.
COLUMNS = {"narrow_console": 30, "wide_terminal": 200, "narrow_terminal": 50}


def summary_text(model, kwargs: dict) -> str:
    """What `model.summary(**kwargs)` hands to `print_fn`."""
    printed = []
    model.summary(print_fn=printed.append, **kwargs)
    return "".join(printed)


def main() -> None:
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf

    texts = {}
    for name, build in CASES.items():
        os.environ["COLUMNS"] = str(COLUMNS.get(name, 80))
        tf.keras.backend.clear_session()
        model, kwargs = build(tf)
        texts[name] = summary_text(model, kwargs)
    FIXTURE.write_text(json.dumps(texts, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(ROOT)}: {len(texts)} summaries", file=sys.stderr)


if __name__ == "__main__":
    main()
