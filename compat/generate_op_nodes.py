"""Operation nodes in functional model configs, as TF 2.21 / Keras 3.15 (and tf_keras 2.21) write them.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_op_nodes.py

Writes `fixtures/op_nodes.json`:

- `keras3`: a weightless functional model built from `keras.ops` calls and operators on
  KerasTensors (one output per operation, named after it): its `get_config()`, the
  inputs (`x`, `y`, `m`: float32; `t`: int32) and each output's dtype, shape and values
  (floats rounded to 6 decimals). `test_op_nodes_parity.py` rebuilds the model from the
  config, compares the outputs and checks that the rebuilt model writes the same config.
- `keras2`: the layers tf_keras (Keras 2) records for TF functions and slicing on its
  KerasTensors (`TFOpLambda`, `SlicingOpLambda`), each reading only the model's inputs:
  the layer's entry of `model.to_json()` (config and Keras 2 `inbound_nodes`) and its
  output for the same inputs.

The file is reproducible byte for byte (fixed inputs, sorted keys).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "compat" / "fixtures" / "op_nodes.json"


def _inputs() -> dict:
    rng = np.random.default_rng(7)
    return {"x": np.round(rng.normal(size=(3, 4)), 3).astype("float32"),
            "y": np.round(rng.normal(size=(3, 4)), 3).astype("float32"),
            "m": np.round(rng.normal(size=(3, 3, 4)), 3).astype("float32"),
            "t": np.array([[1, 4, 0, 0, 2], [3, 0, 5, 0, 0], [0, 2, 2, 7, 1]], dtype="int32")}


def _record(value) -> dict:
    value = np.asarray(value)
    values = np.round(value, 6) if value.dtype.kind == "f" else value
    return {"dtype": value.dtype.name, "shape": list(value.shape), "values": values.tolist()}


def _keras3_outputs(x, y, m, t) -> dict:
    from keras import ops

    return {
        "add": x + 1, "radd": 1.5 + x, "multiply": x * y, "rsubtract": 2.0 - x, "true_divide": x / 2,
        "floor_divide": x // 2, "mod": x % 3, "power": x ** 2, "negative": -x, "absolute": abs(x),
        "greater": x > 0, "greater_equal": x >= y, "less": x < 0, "less_equal": x <= 0, "not_equal": x != 0,
        "equal": ops.equal(t, 0), "get_item": x[:, 0], "get_item_slices": m[:, 1:3, ::2],
        "get_item_ellipsis": m[..., 0], "get_item_newaxis": m[:, None, 0], "get_item_reversed": m[:, ::-1],
        "logical_and": (x > 0) & (y > 0), "logical_or": (x > 0) | (y > 0), "logical_not": ~(x > 0),
        "logical_xor": ops.logical_xor(x > 0, y > 0), "matmul": ops.matmul(m, ops.expand_dims(x, -1)),
        "concatenate": ops.concatenate([x, y], axis=-1), "stack": ops.stack([x, y], axis=1),
        "reshape": ops.reshape(x, (-1, 2, 2)), "transpose": ops.transpose(m, (0, 2, 1)),
        "expand_dims": ops.expand_dims(x, 1), "squeeze": ops.squeeze(ops.expand_dims(x, 1), axis=1),
        "cast": ops.cast(x, "int32"), "sum": ops.sum(x, axis=1, keepdims=True), "sum_int": ops.sum(t, axis=1),
        "mean": ops.mean(x, axis=-1), "mean_int": ops.mean(t, axis=1), "max": ops.max(x, axis=1),
        "min": ops.min(m, axis=(1, 2)), "prod": ops.prod(x, axis=1), "argmax": ops.argmax(x, axis=1),
        "argmin": ops.argmin(m, axis=-1), "std": ops.std(x, axis=1), "var": ops.var(m, axis=1),
        "cumsum": ops.cumsum(x, axis=1), "exp": ops.exp(x), "log": ops.log(ops.abs(x) + 1.0),
        "sqrt": ops.sqrt(ops.abs(x)), "sqrt_int": ops.sqrt(t), "square": ops.square(x), "sin": ops.sin(x),
        "cos": ops.cos(x), "tanh": ops.tanh(x), "floor": ops.floor(x), "ceil": ops.ceil(x), "sign": ops.sign(x),
        "round": ops.round(x * 3.0), "maximum": ops.maximum(x, 0.0), "minimum": ops.minimum(x, y),
        "clip": ops.clip(x, -0.5, 0.5), "where": ops.where(x > 0, x, y), "split": ops.split(x, 2, axis=1)[1],
        "tile": ops.tile(x, (1, 2)), "flip": ops.flip(m, axis=1), "einsum": ops.einsum("bij,bj->bi", m, x),
        "ones_like": ops.ones_like(t), "zeros_like": ops.zeros_like(x, dtype="int32"), "int_divide": t / 2,
        "int_plus_float": t + 1.5, "relu": ops.relu(x), "relu6": ops.relu6(x * 4.0), "sigmoid": ops.sigmoid(x),
        "softplus": ops.softplus(x), "silu": ops.silu(x), "gelu": ops.gelu(x), "elu": ops.elu(x),
        "leaky_relu": ops.leaky_relu(x), "hard_sigmoid": ops.hard_sigmoid(x), "softmax": ops.softmax(x),
        "log_softmax": ops.log_softmax(m, axis=1), "stop_gradient": ops.stop_gradient(x),
    }


def keras3(data: dict) -> dict:
    import keras

    inputs = {"x": keras.Input((4,), name="x"), "y": keras.Input((4,), name="y"),
              "m": keras.Input((3, 4), name="m"), "t": keras.Input((5,), dtype="int32", name="t")}
    model = keras.Model(inputs, _keras3_outputs(**inputs))
    outputs = model.predict(data, verbose=0)
    return {"config": json.loads(json.dumps(model.get_config())),
            "outputs": {name: _record(value) for name, value in outputs.items()}}


def keras2(data: dict) -> dict:
    import tensorflow as tf
    import tf_keras

    a, b, c = (tf_keras.Input((4,), name="a"), tf_keras.Input((4,), name="b"), tf_keras.Input((3, 4), name="c"))
    outputs = [a + 1.0, 2.0 - a, a * b, tf.concat([a, b], axis=-1), tf.reduce_sum(a, axis=1, keepdims=True),
               c[:, 1:3, ::2], a[:, 0], c[..., None, 0], tf.nn.relu(a), tf.cast(a, "int32"), -a,
               tf.reshape(a, (-1, 2, 2)), tf.math.maximum(a, 0.5), tf.stack([a, b], 1)]
    model = tf_keras.Model([a, b, c], outputs)
    values = model.predict([data["x"], data["y"], data["m"]], verbose=0)
    entries = [e for e in json.loads(model.to_json())["config"]["layers"] if e["class_name"] != "InputLayer"]
    by_name = {layer.name: i for i, layer in enumerate(model.layers)}
    return {"inputs": {"a": "x", "b": "y", "c": "m"},
            "layers": [{"entry": entry, "output": _record(values[_output_index(model, by_name, entry["name"])])}
                       for entry in entries]}


def _output_index(model, by_name: dict, name: str) -> int:
    layer = model.layers[by_name[name]]
    return [t._keras_history.layer for t in model.outputs].index(layer)


def main() -> None:
    data = _inputs()
    fixture = {"inputs": {name: _record(value) for name, value in data.items()},
               "keras3": keras3(data), "keras2": keras2(data)}
    OUT.write_text(json.dumps(fixture, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
