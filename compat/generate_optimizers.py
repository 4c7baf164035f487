"""Parity fixtures for the optimizers and learning-rate schedules.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_optimizers.py

This module imports neither TensorFlow nor kerastorch at the top: the test
(`test_optimizers_parity.py`) imports `CASES` and `run` from it and runs the same cases
under kerastorch. A case's `src` is a Python expression evaluated with `O` bound to
`keras.optimizers`, `S` to `keras.optimizers.schedules`, `keras` and `tf`. Each case
starts from `keras.backend.clear_session()` (so names count from `adam`). Kinds:

- `trajectory`: the optimizer trains a Dense(3) kernel (4, 3) and bias (3,) and a
  Conv1D kernel (2, 3, 2) for 5 steps from fixed weights with fixed per-step gradients
  (`apply_gradients`); recorded: the weights after each step (and after
  `finalize_variable_values` with `finalize`), the paths, dtypes and final values of
  `optimizer.variables`, `iterations`, `get_config()` and the warnings. Options:
  `exclude` (names left out of weight decay), `missing` (the bias has no gradient at
  that step), `constraint` (the kernel's).
- `schedule`: the schedule's values at steps 0..15, its `get_config()` and `serialize`.
- `value`: a JSON-able result, compared exactly.
- `error`: the exception class and message.

The files are reproducible byte for byte (sorted JSON keys, sorted zip entries with a
fixed timestamp).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat" / "fixtures"
STEPS = 5
SCHEDULE_STEPS = 16
SHAPES = [(4, 3), (3,), (2, 3, 2)]


def make_data() -> dict:
    """Initial weights `w.i` and the gradient of variable i at step s, `g{s}.i` (stored in the npz)."""
    rng = np.random.default_rng(20260504)
    data = {f"w.{i}": rng.normal(0.0, 1.0, shape).astype("float32") for i, shape in enumerate(SHAPES)}
    for step in range(STEPS):
        for i, shape in enumerate(SHAPES):
            data[f"g{step}.{i}"] = rng.normal(0.0, 1.0, shape).astype("float32")
    return data


def case(cid: str, src: str, kind: str = "trajectory", exclude: list | None = None, missing: int | None = None,
         finalize: bool = False, constraint: str | None = None) -> dict:
    return {"id": cid, "src": src, "kind": kind, "exclude": exclude, "missing": missing, "finalize": finalize,
            "constraint": constraint}


def _trajectory_cases() -> list:
    plain = {
        "sgd": "O.SGD(0.1)",
        "sgd_momentum": "O.SGD(0.1, momentum=0.9)",
        "sgd_nesterov": "O.SGD(0.1, momentum=0.9, nesterov=True)",
        "adam": "O.Adam(0.1)",
        "adam_amsgrad": "O.Adam(0.1, beta_2=0.9, amsgrad=True)",
        "adam_weight_decay": "O.Adam(0.1, weight_decay=0.1)",
        "adamw": "O.AdamW(0.1, weight_decay=0.05)",
        "adamax": "O.Adamax(0.1)",
        "nadam": "O.Nadam(0.1)",
        "lamb": "O.Lamb(0.1)",
        "rmsprop": "O.RMSprop(0.05)",
        "rmsprop_centered": "O.RMSprop(0.05, centered=True)",
        "rmsprop_momentum": "O.RMSprop(0.05, momentum=0.9)",
        "rmsprop_centered_momentum": "O.RMSprop(0.05, rho=0.8, momentum=0.5, centered=True)",
        "adagrad": "O.Adagrad(0.1)",
        "adadelta": "O.Adadelta(1.0)",
        "adafactor": "O.Adafactor(0.1)",
        "adafactor_schedule": "O.Adafactor(S.ExponentialDecay(0.1, 2, 0.5), clip_threshold=0.5)",
        "lion": "O.Lion(0.01)",
        "ftrl": "O.Ftrl(0.1)",
        "ftrl_regularized": "O.Ftrl(0.1, learning_rate_power=-0.7, l1_regularization_strength=0.05, "
                            "l2_regularization_strength=0.1, l2_shrinkage_regularization_strength=0.05, beta=0.1)",
        "clipnorm": "O.SGD(0.1, clipnorm=0.5)",
        "global_clipnorm": "O.Adam(0.1, global_clipnorm=0.5)",
        "clipvalue": "O.SGD(0.1, clipvalue=0.2)",
        "lr_exponential": "O.SGD(S.ExponentialDecay(0.1, 2, 0.5))",
        "lr_cosine_warmup": "O.Adam(S.CosineDecay(0.0, 3, warmup_target=0.1, warmup_steps=2))",
        "lr_piecewise": "O.RMSprop(S.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01]))",
        "ema_overwrite": "O.Adam(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=2)",
        "accumulation": "O.Adam(0.1, gradient_accumulation_steps=2)",
        "accumulation_ema": "O.SGD(0.1, momentum=0.9, gradient_accumulation_steps=3, use_ema=True, "
                            "ema_momentum=0.5)",
        "loss_scale": "O.SGD(0.1, loss_scale_factor=4.0)",
    }
    cases = [case(cid, src) for cid, src in plain.items()]
    cases += [
        case("adam_weight_decay_exclude", "O.Adam(0.1, weight_decay=0.1)", exclude=["bias"]),
        case("adamw_exclude", "O.AdamW(0.1, weight_decay=0.05)", exclude=["ker"]),
        case("ema_finalize", "O.SGD(0.1, momentum=0.5, use_ema=True, ema_momentum=0.9)", finalize=True),
        case("missing_gradient", "O.Adam(0.1)", missing=2),
        case("constraint", "O.SGD(0.5)", constraint="non_neg"),
    ]
    return cases


def _schedule_cases() -> list:
    schedules = {
        "exponential": "S.ExponentialDecay(0.1, 3, 0.5)",
        "exponential_staircase": "S.ExponentialDecay(0.1, 3, 0.5, staircase=True)",
        "piecewise": "S.PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01])",
        "polynomial": "S.PolynomialDecay(0.1, 5, 0.01, power=2.0)",
        "polynomial_cycle": "S.PolynomialDecay(0.1, 4, end_learning_rate=0.02, power=0.5, cycle=True)",
        "inverse_time": "S.InverseTimeDecay(0.1, 2, 0.5)",
        "inverse_time_staircase": "S.InverseTimeDecay(0.1, 2, 0.5, staircase=True)",
        "cosine": "S.CosineDecay(0.1, 6, alpha=0.1)",
        "cosine_warmup": "S.CosineDecay(0.01, 6, alpha=0.2, warmup_target=0.1, warmup_steps=4)",
        "cosine_restarts": "S.CosineDecayRestarts(0.1, 3)",
        "cosine_restarts_flat": "S.CosineDecayRestarts(0.1, 4, t_mul=1.0, m_mul=0.5, alpha=0.1)",
    }
    return [case(f"schedule_{cid}", src, kind="schedule") for cid, src in schedules.items()]


_NAMES = ["adadelta", "adafactor", "adagrad", "adam", "adamw", "adamax", "ftrl", "lion", "nadam", "rmsprop",
          "sgd"]


def _value_cases() -> list:
    cases = [case(f"serialize_{name}", f"O.serialize(O.get('{name}'))", kind="value") for name in _NAMES]
    cases += [case(f"{kind}_{cid}", src, kind=kind) for kind, cid, src in [
        ("value", "get_capitalized", "[O.get(n).name for n in ['Adam', 'RMSprop', 'SGD', 'AdamW', 'ADAMAX']]"),
        ("value", "names_count", "[O.Adam().name, O.Adam().name, O.SGD().name, O.Adam(name='mine').name]"),
        ("value", "get_dict", "O.get({'class_name': 'SGD', 'config': {'learning_rate': 0.5, 'momentum': 0.9}})"
                              ".get_config()"),
        ("value", "deserialize_schedule", "O.deserialize(O.serialize(O.Adam(S.ExponentialDecay(0.1, 10, 0.9))))"
                                          ".get_config()"),
        ("value", "fresh_variables", "[v.path for v in O.Adam().variables] + [v.path for v in O.SGD("
                                     "S.CosineDecay(0.1, 5)).variables]"),
        ("value", "learning_rate_value", "[float(O.Adam(0.5).learning_rate.numpy()), "
                                         "float(O.SGD(S.ExponentialDecay(0.1, 10, 0.9)).learning_rate)]"),
        ("value", "iterations_dtype", "[O.SGD().iterations.numpy().dtype.name, "
                                      "str(O.SGD(gradient_accumulation_steps=2).iterations.dtype)]"),
        ("value", "set_learning_rate", "(lambda o: (setattr(o, 'learning_rate', 0.25), o.get_config()"
                                       "['learning_rate'])[1])(O.SGD(0.1))"),
        ("value", "scale_loss", "[float(O.SGD(loss_scale_factor=4.0).scale_loss(2.0)), O.SGD().scale_loss(2.0)]"),
        ("value", "schedule_serialize", "S.serialize(S.deserialize({'class_name': 'PolynomialDecay', 'config': "
                                        "{'initial_learning_rate': 0.1, 'decay_steps': 5}}))"),
        ("error", "lr_int", "O.Adam(learning_rate=1)"),
        ("error", "lr_string", "O.Adam(learning_rate='fast')"),
        ("error", "sgd_momentum_int", "O.SGD(momentum=1)"),
        ("error", "sgd_momentum_negative", "O.SGD(momentum=-0.5)"),
        ("error", "lion_beta", "O.Lion(beta_1=0.0)"),
        ("error", "adamw_none", "O.AdamW(weight_decay=None)"),
        ("error", "ftrl_power", "O.Ftrl(learning_rate_power=0.5)"),
        ("error", "ftrl_l1", "O.Ftrl(l1_regularization_strength=-1.0)"),
        ("error", "ftrl_shrinkage", "O.Ftrl(l2_shrinkage_regularization_strength=-1.0)"),
        ("error", "ftrl_accumulator", "O.Ftrl(initial_accumulator_value=-0.1)"),
        ("error", "two_clips", "O.Adam(clipnorm=1.0, global_clipnorm=1.0)"),
        ("error", "ema_momentum", "O.Adam(use_ema=True, ema_momentum=1.5)"),
        ("error", "ema_frequency", "O.Adam(use_ema=True, ema_overwrite_frequency=2.5)"),
        ("error", "accumulation_steps", "O.Adam(gradient_accumulation_steps=1)"),
        ("error", "unknown_argument", "O.Adam(foo=1)"),
        ("error", "get_unknown", "O.get('nope')"),
        ("error", "get_number", "O.get(3)"),
        ("error", "get_lamb", "O.get('lamb')"),
        ("error", "apply_unbuilt", "O.SGD().apply([tf.ones((2,))])"),
        ("error", "no_gradients", "O.SGD().apply_gradients([(None, keras.Variable(1.0))])"),
        ("error", "schedule_lr_fixed", "setattr(O.SGD(S.ExponentialDecay(0.1, 2, 0.5)), 'learning_rate', 0.1)"),
        ("error", "exponential_steps", "S.ExponentialDecay(0.1, 0, 0.5)"),
        ("error", "polynomial_steps", "S.PolynomialDecay(0.1, -1)"),
        ("error", "cosine_steps", "S.CosineDecay(0.1, 0)"),
        ("error", "restarts_steps", "S.CosineDecayRestarts(0.1, 0)"),
        ("error", "piecewise_lengths", "S.PiecewiseConstantDecay([1, 2], [0.1, 0.2])"),
    ]]
    return cases


CASES = _trajectory_cases() + _schedule_cases() + _value_cases()
assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"


def _model_variables(keras, data: dict, constraint) -> list:
    dense = keras.layers.Dense(3, kernel_constraint=constraint)
    dense.build((None, 4))
    conv = keras.layers.Conv1D(2, 2, use_bias=False)
    conv.build((None, 5, 3))
    dense.set_weights([data["w.0"], data["w.1"]])
    conv.set_weights([data["w.2"]])
    return dense.trainable_variables + conv.trainable_variables


def run(spec: dict, tf, keras, optimizers, data: dict):
    """The outcome of a case: a dict of results, a value, or the exception it raised."""
    keras.backend.clear_session()
    env = {"O": optimizers, "S": optimizers.schedules, "keras": keras, "tf": tf}
    try:
        if spec["kind"] == "trajectory":
            return _trajectory(spec, tf, keras, eval(spec["src"], env), data)
        if spec["kind"] == "schedule":
            schedule = eval(spec["src"], env)
            values = [schedule(step) for step in range(SCHEDULE_STEPS)]
            return {"values": np.stack([np.asarray(v) for v in values]), "dtype": np.asarray(values[0]).dtype.name,
                    "config": schedule.get_config(), "serialized": optimizers.schedules.serialize(schedule)}
        return eval(spec["src"], env)
    except Exception as exc:  # an error case's outcome; any other case fails on it
        return exc


def _trajectory(spec: dict, tf, keras, optimizer, data: dict) -> dict:
    variables = _model_variables(keras, data, spec["constraint"])
    if spec["exclude"]:
        optimizer.exclude_from_weight_decay(var_names=spec["exclude"])
    history = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for step in range(STEPS):
            grads = [tf.constant(data[f"g{step}.{i}"]) for i in range(len(variables))]
            if spec["missing"] == step:
                grads[1] = None
            optimizer.apply_gradients(zip(grads, variables))
            history.append([v.numpy() for v in variables])
        if spec["finalize"]:
            optimizer.finalize_variable_values(variables)
            history.append([v.numpy() for v in variables])
    state = [np.asarray(v.numpy()) for v in optimizer.variables]
    return {"weights": [np.stack([h[i] for h in history]) for i in range(len(variables))],
            "paths": [v.path for v in optimizer.variables], "state": state,
            "state_dtypes": [s.dtype.name for s in state], "iterations": int(optimizer.iterations.numpy()),
            "config": optimizer.get_config(), "warnings": [str(w.message) for w in caught]}


def jsonable(value):
    """A value as JSON gives it back (tuples become lists)."""
    return json.loads(json.dumps(value))


def _record(spec: dict, outcome, arrays: dict) -> dict:
    cid, kind = spec["id"], spec["kind"]
    if isinstance(outcome, Exception) != (kind == "error"):
        raise AssertionError(f"{cid} ({spec['src']}) gave {type(outcome).__name__}: {outcome}")
    if kind == "error":
        return {"type": type(outcome).__name__, "message": str(outcome)}
    if kind == "value":
        return {"value": jsonable(outcome)}
    if kind == "schedule":
        arrays[f"{cid}/values"] = outcome.pop("values")
        return jsonable(outcome)
    for i, weights in enumerate(outcome.pop("weights")):
        arrays[f"{cid}/w{i}"] = weights
    for j, value in enumerate(outcome.pop("state")):
        arrays[f"{cid}/s{j}"] = value
    return jsonable(outcome)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    sys.path.insert(0, str(ROOT))
    import keras
    import tensorflow as tf

    from compat.generate_ops import write_npz

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    data = make_data()
    arrays = {f"in.{key}": value for key, value in data.items()}
    cases = {}
    for spec in CASES:
        meta = _record(spec, run(spec, tf, keras, keras.optimizers, data), arrays)
        cases[spec["id"]] = {**meta, "src": spec["src"]}
    meta = {"generator": "compat/generate_optimizers.py", "tensorflow": tf.__version__, "keras": keras.__version__,
            "cases": cases}
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "optimizers.json").write_text(json.dumps(meta, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "optimizers.npz", arrays)
    print(f"{len(CASES)} cases, {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
