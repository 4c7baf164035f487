"""Parity fixture for mixed precision: `LossScaleOptimizer` and training under mixed policies.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_loss_scale.py

This module imports neither TensorFlow nor kerastorch at the top: the test
(`test_loss_scale_parity.py`) imports `CASES` and `run` from it and runs the same cases
under kerastorch with the stored data. Kinds:

- `trajectory`: `src` makes a LossScaleOptimizer that trains a (2, 2) kernel and a (2,)
  bias from fixed weights for `STEPS` steps of fixed gradients, some of them made
  non-finite (`inject`: step -> (variable, value)) or missing (`missing`: step ->
  variable). Recorded after each step: the weights, `dynamic_scale`, `step_counter`,
  `iterations` and what `apply_gradients` returned; then the optimizer's variables,
  config and warnings.
- `fit`: a Dense model trains under a global policy (`src`) from fixed weights with
  `compile(optimizer)`; recorded: the optimizer's class, the loss history, the scale,
  counter and iterations after each batch, the final weights, the output dtypes and the
  layout of `save_weights` (key, shape, dtype of every H5 dataset).
- `value`: a JSON-able result; `error`: the exception class and message.

The JSON is reproducible byte for byte (sorted keys; float32 values as Python floats).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "compat" / "fixtures" / "loss_scale.json"
STEPS = 9
INF, NAN = float("inf"), float("nan")


def make_data() -> dict:
    """Initial weights, per-step gradients and the fit data (float32), from a fixed seed."""
    rng = np.random.default_rng(20260507)
    data = {"w.0": rng.normal(size=(2, 2)), "w.1": rng.normal(size=(2,))}
    for step in range(STEPS):
        data[f"g{step}.0"] = rng.normal(size=(2, 2)) * 8
        data[f"g{step}.1"] = rng.normal(size=(2,)) * 8
    data["x"] = rng.normal(size=(32, 4)) * 3
    data["y"] = data["x"] @ rng.normal(size=(4, 2)) * 4
    data["fit.0"] = rng.normal(size=(4, 16))
    data["fit.1"] = np.zeros(16)
    data["fit.2"] = rng.normal(size=(16, 2))
    data["fit.3"] = np.zeros(2)
    return {key: value.astype("float32") for key, value in data.items()}


def case(cid: str, src: str, kind: str = "trajectory", inject: dict | None = None, missing: dict | None = None,
         optimizer: str = "") -> dict:
    return {"id": cid, "src": src, "kind": kind, "inject": inject or {}, "missing": missing or {},
            "optimizer": optimizer}


CASES = [
    case("sgd_growth_2", "O.LossScaleOptimizer(O.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=2)",
         inject={1: (0, INF), 3: (1, NAN), 4: (0, -INF)}),
    case("adam_growth_1", "O.LossScaleOptimizer(O.Adam(0.05), initial_scale=2.0, dynamic_growth_steps=1)",
         inject={5: (1, INF)}),
    case("sgd_momentum_default", "O.LossScaleOptimizer(O.SGD(0.01, momentum=0.9))",
         inject={0: (0, NAN), 1: (0, NAN)}),
    case("rmsprop_odd_scale", "O.LossScaleOptimizer(O.RMSprop(0.01), initial_scale=1000.0, "
                              "dynamic_growth_steps=3)", inject={2: (0, INF)}),
    case("missing_gradient", "O.LossScaleOptimizer(O.SGD(0.1), initial_scale=4.0, dynamic_growth_steps=2)",
         missing={2: 1}, inject={4: (0, INF)}),
    case("fit_mixed_float16", "'mixed_float16'", kind="fit", optimizer="O.SGD(0.001)"),
    case("fit_mixed_float16_adam", "'mixed_float16'", kind="fit", optimizer="O.Adam(0.01)"),
    case("fit_mixed_float16_no_auto", "'mixed_float16'", kind="fit", optimizer="'no_auto'"),
    case("fit_explicit_wrapper", "'mixed_float16'", kind="fit",
         optimizer="O.LossScaleOptimizer(O.SGD(0.001), initial_scale=256.0, dynamic_growth_steps=4)"),
    case("fit_mixed_bfloat16", "'mixed_bfloat16'", kind="fit", optimizer="O.SGD(0.001)"),
    case("fit_float32", "'float32'", kind="fit", optimizer="O.SGD(0.001)"),
    case("scale_loss", "(lambda o, v: [o.scale_loss(2.0).numpy().item(), (o.build([v]), 0)[1], "
                       "o.scale_loss(tf.constant(2.0, 'float16')).dtype.name, "
                       "float(o.scale_loss(tf.constant(3.0)))])(O.LossScaleOptimizer(O.SGD(), initial_scale=4.0), "
                       "keras.Variable(np.ones(2, 'float32')))", kind="value"),
    case("scale_loss_unbuilt_dtype", "O.LossScaleOptimizer(O.SGD()).scale_loss(tf.constant(2.0, 'float16'))"
                                     ".dtype.name", kind="value"),
    case("config", "O.LossScaleOptimizer(O.Adam(0.5), initial_scale=16.0, dynamic_growth_steps=5).get_config()",
         kind="value"),
    case("serialize", "O.serialize(O.LossScaleOptimizer(O.SGD(0.25, momentum=0.5)))", kind="value"),
    case("deserialize", "(lambda o: [type(o).__name__, type(o.inner_optimizer).__name__, o.initial_scale, "
                        "o.dynamic_growth_steps, o.name])(O.deserialize(O.serialize(O.LossScaleOptimizer("
                        "O.RMSprop(), initial_scale=64.0, dynamic_growth_steps=7, name='lso'))))", kind="value"),
    case("from_config", "(lambda o: [o.get_config(), o.inner_optimizer.loss_scale_factor])("
                        "O.LossScaleOptimizer.from_config(O.LossScaleOptimizer(O.SGD(loss_scale_factor=8.0))"
                        ".get_config()))", kind="value"),
    case("delegation", "(lambda i, o: [o.iterations is i.iterations, o.learning_rate is i.learning_rate, "
                       "(setattr(o, 'learning_rate', 0.5), float(i.learning_rate.numpy()))[1], "
                       "i.loss_scale_factor, [v.path for v in o.variables]])(*(lambda i: (i, "
                       "O.LossScaleOptimizer(i)))(O.SGD(0.1, loss_scale_factor=2.0)))", kind="value"),
    case("old_config_defaults", "O.LossScaleOptimizer(O.SGD(), clipnorm=None, use_ema=False, ema_momentum=0.99)"
                                ".get_config()['initial_scale']", kind="value"),
    case("names", "[O.LossScaleOptimizer(O.SGD()).name, O.LossScaleOptimizer(O.SGD()).name, "
                  "mixed_precision.LossScaleOptimizer is O.LossScaleOptimizer]", kind="value"),
    case("dynamic_false", "O.LossScaleOptimizer(O.SGD(), dynamic=False)", kind="error"),
    case("clipnorm", "O.LossScaleOptimizer(O.SGD(), clipnorm=1.0)", kind="error"),
    case("unknown", "O.LossScaleOptimizer(O.SGD(), foo=1, bar=2)", kind="error"),
]
assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"


def run(spec: dict, tf, keras, mixed_precision, data: dict):
    """The outcome of a case: a dict of results, a value, or the exception it raised."""
    keras.backend.clear_session()
    env = {"O": keras.optimizers, "keras": keras, "tf": tf, "np": np, "mixed_precision": mixed_precision}
    try:
        if spec["kind"] == "trajectory":
            return _trajectory(spec, tf, keras, eval(spec["src"], env), data)
        if spec["kind"] == "fit":
            return _fit(spec, keras, mixed_precision, env, data)
        return eval(spec["src"], env)
    except Exception as exc:  # an error case's outcome; any other case fails on it
        return exc


def _floats(value) -> list:
    return np.asarray(value, dtype="float64").tolist()


def _trajectory(spec: dict, tf, keras, optimizer, data: dict) -> dict:
    variables = [keras.Variable(data["w.0"], name="kernel"), keras.Variable(data["w.1"], name="bias")]
    steps = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for step in range(STEPS):
            grads = [data[f"g{step}.0"].copy(), data[f"g{step}.1"].copy()]
            if step in spec["inject"]:
                index, value = spec["inject"][step]
                grads[index].flat[0] = value
            grads = [tf.constant(g) for g in grads]
            if step in spec["missing"]:
                grads[spec["missing"][step]] = None
            returned = optimizer.apply_gradients(zip(grads, variables))
            steps.append({"weights": [_floats(v.numpy()) for v in variables],
                          "scale": float(optimizer.dynamic_scale.numpy()),
                          "counter": int(optimizer.step_counter.numpy()),
                          "iterations": int(optimizer.iterations.numpy()),
                          "returned": int(np.asarray(returned.numpy()))})
    return {"steps": steps, "variables": [_floats(v.numpy()) for v in optimizer.variables],
            "variable_dtypes": [np.asarray(v.numpy()).dtype.name for v in optimizer.variables],
            "own_paths": [v.path for v in optimizer.variables[:4]], "config": optimizer.get_config(),
            "warnings": [str(w.message) for w in caught]}


def _fit(spec: dict, keras, mixed_precision, env: dict, data: dict) -> dict:
    mixed_precision.set_global_policy(eval(spec["src"], env))
    try:
        layers = keras.layers
        model = keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(2)])
        model.set_weights([data[f"fit.{i}"] for i in range(4)])
        if spec["optimizer"] == "'no_auto'":
            model.compile(keras.optimizers.SGD(0.001), "mse", auto_scale_loss=False)
        else:
            model.compile(eval(spec["optimizer"], env), "mse")
        optimizer = model.optimizer
        states = []

        def record(batch, logs):
            if hasattr(optimizer, "dynamic_scale"):
                states.append([float(optimizer.dynamic_scale.numpy()), int(optimizer.step_counter.numpy()),
                               int(optimizer.iterations.numpy())])

        history = model.fit(data["x"], data["y"], epochs=3, batch_size=8, verbose=0, shuffle=False,
                            callbacks=[keras.callbacks.LambdaCallback(on_train_batch_end=record)])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.weights.h5")
            model.save_weights(path)
            layout = _h5_layout(path)
        return {"optimizer": type(optimizer).__name__, "loss": _floats(history.history["loss"]), "states": states,
                "weights": [_floats(w) for w in model.get_weights()],
                "weight_dtypes": [w.dtype.name for w in model.get_weights()],
                "output_dtype": _dtype_name(model(data["x"][:2]).dtype),
                "compute_dtypes": [layer.compute_dtype for layer in model.layers], "layout": layout}
    finally:
        mixed_precision.set_global_policy("float32")


def _dtype_name(dtype) -> str:
    return getattr(dtype, "name", str(dtype))


def _h5_layout(path: str) -> list:
    import h5py

    found = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.append([name, list(obj.shape), obj.dtype.name])
                     if isinstance(obj, h5py.Dataset) else None)
    return sorted(found)


def jsonable(value):
    """A value as JSON gives it back (tuples become lists; inf and nan as JSON's Infinity / NaN)."""
    return json.loads(json.dumps(value))


def _record(spec: dict, outcome) -> dict:
    if isinstance(outcome, Exception) != (spec["kind"] == "error"):
        raise AssertionError(f"{spec['id']} ({spec['src']}) gave {type(outcome).__name__}: {outcome}")
    if spec["kind"] == "error":
        return {"type": type(outcome).__name__, "message": str(outcome)}
    if spec["kind"] == "value":
        return {"value": jsonable(outcome)}
    return jsonable(outcome)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    sys.path.insert(0, str(ROOT))
    import keras
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    data = make_data()
    cases = {spec["id"]: {**_record(spec, run(spec, tf, keras, keras.mixed_precision, data)),
                          "spec": jsonable(spec)} for spec in CASES}
    meta = {"generator": "compat/generate_loss_scale.py", "tensorflow": tf.__version__, "keras": keras.__version__,
            "data": {key: _floats(value) for key, value in data.items()}, "cases": cases}
    FIXTURE.write_text(json.dumps(meta, sort_keys=True, indent=None) + "\n")
    print(f"{len(CASES)} cases -> {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
