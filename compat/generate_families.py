"""Parity fixtures for the Keras families: activations, initializers, regularizers, constraints.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_families.py

A case is a Python expression evaluated with `A`, `I`, `R`, `C` bound to the four
`tf.keras` family modules, `tf`, `np`, the helpers below and the fixed inputs of
`make_inputs`. This module imports neither TensorFlow nor kerastorch at the top: the
test (`test_families_parity.py`) imports `CASES` and `evaluate` from it and runs the
same cases under kerastorch. What is recorded, per kind of result:

- a tensor: dtype, shape, values (in the npz); with `grad=True` also the gradient of
  `sum(out * gw)` with respect to `x` (`gw` a fixed random weight of the output's shape);
- with `stats`: the mean, std, min and max of a (seeded) initializer draw, since
  the numbers themselves are not TF's, only their distribution;
- a Python value (configs, serialized dicts, names): as JSON, compared exactly;
- an error case: the exception class and message (the message compared unless
  `message=False`, e.g. where Keras prints a Python set in hash order).

The files are reproducible byte for byte (sorted JSON keys, sorted zip entries with a
fixed timestamp).
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat" / "fixtures"

# Tie points of the piecewise activations (0, ±0.5, ±1, ±3, 6) and the saturating ranges.
_SPECIAL = [-20.0, -15.0, -6.0, -3.0, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 15.0]


def make_inputs() -> dict:
    """The fixed inputs the cases name (stored in the npz; the test uses the stored ones)."""
    rng = np.random.default_rng(20261124)
    x = np.concatenate([_SPECIAL, rng.normal(0.0, 3.0, 32 - len(_SPECIAL))]).reshape(4, 8)
    w = rng.normal(0.0, 1.0, (5, 4))
    wz = w.copy()
    wz[:, 2] = 0.0  # a zero column: the norm constraints' epsilon decides
    return {
        "x": x.astype("float32"),
        "x64": x.astype("float64"),
        "xi": np.arange(-4, 4, dtype="int32").reshape(2, 4),
        "w": w.astype("float32"),
        "w64": w.astype("float64"),
        "wz": wz.astype("float32"),
        "k": rng.normal(0.0, 0.5, (3, 3, 2, 4)).astype("float32"),
    }


def gram(values) -> np.ndarray:
    """`W^T W` (or `W W^T` for a wide matrix) of a weight flattened to 2D: `gain^2 I` if orthogonal."""
    arr = np.asarray(values)
    mat = arr.reshape(-1, arr.shape[-1])
    return mat.T @ mat if mat.shape[0] >= mat.shape[1] else mat @ mat.T


def case(cid: str, src: str, grad: str | None = None, error: bool = False, stats: str | None = None,
         message: bool = True, rtol: float | None = None, atol: float | None = None,
         why: str | None = None) -> dict:
    """One case: `grad` names the input to differentiate by, `stats` is "bounded" (uniform,
    truncated: the range is compared too) or "normal"; own tolerances need a reason."""
    if (rtol is not None or atol is not None) and not why:
        raise ValueError(f"A case with its own tolerances says why. Received: why={why!r}")
    return {"id": cid, "src": src, "grad": grad, "error": error, "stats": stats, "message": message,
            "rtol": rtol, "atol": atol, "why": why}


def _activation_cases() -> list:
    calls = {
        "relu": "A.relu(x)", "relu_slope": "A.relu(x, negative_slope=0.1)",
        "relu_max6": "A.relu(x, max_value=6.0)", "relu_max2_5": "A.relu(x, max_value=2.5)",
        "relu_threshold": "A.relu(x, threshold=0.5)",
        "relu_all": "A.relu(x, negative_slope=0.1, max_value=4.0, threshold=0.5)",
        "relu_slope_max": "A.relu(x, negative_slope=0.2, max_value=3.0)",
        "leaky_relu": "A.leaky_relu(x)", "leaky_relu_0_3": "A.leaky_relu(x, negative_slope=0.3)",
        "relu6": "A.relu6(x)", "softmax": "A.softmax(x)", "softmax_axis0": "A.softmax(x, axis=0)",
        "softmax_none": "A.softmax(x, axis=None)", "softmax_tuple": "A.softmax(x, axis=(0, 1))",
        "log_softmax": "A.log_softmax(x)", "log_softmax_axis0": "A.log_softmax(x, axis=0)",
        "log_softmax_tuple": "A.log_softmax(x, axis=(0, 1))",
        "elu": "A.elu(x)", "elu_0_5": "A.elu(x, alpha=0.5)", "selu": "A.selu(x)",
        "celu": "A.celu(x)", "celu_2": "A.celu(x, alpha=2.0)",
        "softplus": "A.softplus(x)", "softsign": "A.softsign(x)",
        "squareplus": "A.squareplus(x)", "squareplus_1": "A.squareplus(x, b=1)",
        "soft_shrink": "A.soft_shrink(x)", "soft_shrink_1": "A.soft_shrink(x, threshold=1.0)",
        "sparse_plus": "A.sparse_plus(x)", "silu": "A.silu(x)", "swish": "A.swish(x)",
        "gelu": "A.gelu(x)", "gelu_approximate": "A.gelu(x, approximate=True)",
        "glu": "A.glu(x)", "glu_axis0": "A.glu(x, axis=0)",
        "tanh": "A.tanh(x)", "tanh_shrink": "A.tanh_shrink(x)",
        "threshold": "A.threshold(x, 0.5, -1.0)", "sigmoid": "A.sigmoid(x)",
        "sparse_sigmoid": "A.sparse_sigmoid(x)", "exponential": "A.exponential(x)",
        "hard_sigmoid": "A.hard_sigmoid(x)", "hard_silu": "A.hard_silu(x)", "hard_swish": "A.hard_swish(x)",
        "hard_tanh": "A.hard_tanh(x)", "hard_shrink": "A.hard_shrink(x)",
        "hard_shrink_1": "A.hard_shrink(x, threshold=1.0)", "log_sigmoid": "A.log_sigmoid(x)",
        "mish": "A.mish(x)", "sparsemax": "A.sparsemax(x)", "sparsemax_axis0": "A.sparsemax(x, axis=0)",
        "linear": "A.linear(x)",
    }
    cases = [case(f"act_{name}", src, grad="x") for name, src in calls.items()]
    for name in ("relu", "sigmoid", "softmax", "selu", "softplus", "hard_sigmoid", "hard_silu", "elu"):
        cases.append(case(f"act_{name}_float64", f"A.{name}(x64)", grad="x64"))
    cases.append(case("act_gelu_float64", "A.gelu(x64)", grad="x64", rtol=1e-6, atol=1e-9,
                      why="TF's float64 gelu goes through Eigen's erfc, about float32-accurate (3e-7)"))
    cases += [
        case("act_relu_int32", "A.relu(xi)"), case("act_relu6_int32", "A.relu6(xi)"),
        case("act_exponential_int32", "A.exponential(xi)"),
        case("act_glu_odd", "A.glu(x[:, :7])", error=True),
        case("act_get_none", "A.get(None).__name__"),
        case("act_get_unknown", "A.get('nope')", error=True),
        case("act_get_number", "A.get(5)", error=True),
        case("act_get_dict", "A.get({'module': 'keras.activations', 'class_name': 'function', "
                             "'config': 'relu', 'registered_name': 'relu'}).__name__"),
        case("act_deserialize_unknown", "A.deserialize('nope')"),
    ]
    names = ("celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh leaky_relu "
             "linear log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink softmax softplus "
             "softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh tanh_shrink threshold").split()
    for name in names:
        cases.append(case(f"act_get_{name}", f"A.get({name!r}).__name__"))
        cases.append(case(f"act_serialize_{name}", f"A.serialize(A.get({name!r}))"))
        if name not in ("swish", "hard_swish"):  # Keras 3.15 raises for these two aliases; see the test
            cases.append(case(f"act_deserialize_{name}", f"A.deserialize({name!r}).__name__"))
    return cases


_INITIALIZERS = {
    "zeros": "I.Zeros()", "ones": "I.Ones()", "constant": "I.Constant()", "constant_3": "I.Constant(3.0)",
    "constant_list": "I.Constant([1.0, 2.0])", "identity": "I.Identity()", "identity_2": "I.Identity(gain=2.0)",
    "random_normal": "I.RandomNormal()", "random_normal_args": "I.RandomNormal(mean=1.0, stddev=2.0, seed=3)",
    "random_uniform": "I.RandomUniform()", "random_uniform_args": "I.RandomUniform(-1.0, 3.0, seed=4)",
    "truncated_normal": "I.TruncatedNormal()", "truncated_normal_args": "I.TruncatedNormal(0.5, 2.0, seed=5)",
    "variance_scaling": "I.VarianceScaling()",
    "variance_scaling_args": "I.VarianceScaling(2.0, 'fan_out', 'untruncated_normal', seed=6)",
    "variance_scaling_normal": "I.VarianceScaling(distribution='Normal')",
    "variance_scaling_axes": "I.VarianceScaling(0.5, 'fan_avg', 'uniform', seed=7, input_axes=[0], "
                             "output_axes=[1, 2])",
    "glorot_uniform": "I.GlorotUniform()", "glorot_uniform_seed": "I.GlorotUniform(seed=8)",
    "glorot_normal": "I.GlorotNormal(seed=9)", "he_normal": "I.HeNormal(seed=10)",
    "he_uniform": "I.HeUniform(seed=11)", "lecun_normal": "I.LecunNormal(seed=12)",
    "lecun_uniform": "I.LecunUniform(seed=13)", "orthogonal": "I.Orthogonal()",
    "orthogonal_args": "I.Orthogonal(gain=2.0, seed=14)",
}

# Seeded draws whose distribution is compared: (id, initializer, shape, dtype, kind of range).
_DRAWS = [
    ("glorot_uniform_dense", "I.GlorotUniform(seed=1)", (200, 300), "float32", "bounded"),
    ("glorot_uniform_conv", "I.GlorotUniform(seed=2)", (3, 3, 64, 128), "float32", "bounded"),
    ("glorot_normal_dense", "I.GlorotNormal(seed=3)", (200, 300), "float32", "bounded"),
    ("he_normal_conv", "I.HeNormal(seed=4)", (3, 3, 64, 128), "float32", "bounded"),
    ("he_uniform_dense", "I.HeUniform(seed=5)", (200, 300), "float32", "bounded"),
    ("lecun_normal_dense", "I.LecunNormal(seed=6)", (200, 300), "float32", "bounded"),
    ("lecun_uniform_conv", "I.LecunUniform(seed=7)", (5, 5, 32, 48), "float32", "bounded"),
    ("vs_fan_out_untruncated", "I.VarianceScaling(2.0, 'fan_out', 'untruncated_normal', seed=8)", (300, 200),
     "float32", "normal"),
    ("vs_fan_avg_uniform_vector", "I.VarianceScaling(0.5, 'fan_avg', 'uniform', seed=9)", (40000,), "float32",
     "bounded"),
    ("vs_axes", "I.VarianceScaling(1.0, 'fan_in', 'uniform', seed=10, input_axes=[0, 1], output_axes=[2])",
     (40, 50, 30), "float32", "bounded"),
    ("random_normal", "I.RandomNormal(1.0, 2.0, seed=11)", (200, 300), "float32", "normal"),
    ("random_uniform", "I.RandomUniform(-1.0, 3.0, seed=12)", (200, 300), "float32", "bounded"),
    ("truncated_normal", "I.TruncatedNormal(0.5, 2.0, seed=13)", (200, 300), "float32", "bounded"),
    ("glorot_uniform_float64", "I.GlorotUniform(seed=14)", (200, 300), "float64", "bounded"),
    ("he_normal_float16", "I.HeNormal(seed=15)", (200, 300), "float16", "bounded"),
]


def _initializer_cases() -> list:
    cases = []
    for name, src in _INITIALIZERS.items():
        cases.append(case(f"init_config_{name}", f"{src}.get_config()"))
        cases.append(case(f"init_serialize_{name}", f"I.serialize({src})"))
        cases.append(case(f"init_roundtrip_{name}", f"I.deserialize(I.serialize({src})).get_config()"))
    for cid, src, shape, dtype, kind in _DRAWS:
        cases.append(case(f"init_draw_{cid}", f"{src}({shape}, dtype={dtype!r})", stats=kind, rtol=0.03,
                          why="other random numbers: the std and range of 40000+ draws agree to a few percent"))
    aliases = ("Constant GlorotNormal GlorotUniform HeNormal HeUniform Identity IdentityInitializer LecunNormal "
               "LecunUniform Ones Orthogonal OrthogonalInitializer RandomNormal RandomUniform TruncatedNormal "
               "VarianceScaling Zeros constant glorot_normal glorot_uniform he_normal he_uniform identity "
               "lecun_normal lecun_uniform normal one ones orthogonal random_normal random_uniform "
               "truncated_normal uniform variance_scaling zero zeros").split()
    # Constant's from_config needs a "value": Keras's get("constant") raises KeyError.
    cases += [case(f"init_get_{name}", f"type(I.get({name!r})).__name__", error=name in ("Constant", "constant"))
              for name in aliases]
    cases += [
        case("init_zeros_int32", "I.Zeros()((2, 3), dtype='int32')"),
        case("init_zeros_bool", "I.Zeros()((2, 2), dtype='bool')"),
        case("init_ones_float16", "I.Ones()((2, 3), dtype='float16')"),
        case("init_ones_float64", "I.Ones()([3], dtype='float64')"),
        case("init_constant_default", "I.Constant(3.0)((2, 2))"),
        case("init_constant_int", "I.Constant(3.5)((2, 2), dtype='int32')"),
        case("init_constant_list", "I.Constant([1.0, 2.0])((2, 2))"),
        case("init_identity", "I.Identity()((3, 3))"),
        case("init_identity_wide", "I.Identity(gain=2.0)((2, 4))"),
        case("init_identity_tall", "I.Identity(gain=0.5)((4, 2))"),
        case("init_identity_rank1", "I.Identity()((3,))", error=True),
        case("init_orthogonal_rank1", "I.Orthogonal()((3,))", error=True),
        case("init_orthogonal_gram_tall", "gram(I.Orthogonal(seed=1)((6, 4)))", atol=1e-5,
             why="different draws: each gram matrix is gain^2 I up to float32 rounding"),
        case("init_orthogonal_gram_wide", "gram(I.Orthogonal(gain=2.0, seed=2)((3, 7)))", atol=1e-5,
             why="different draws: each gram matrix is gain^2 I up to float32 rounding"),
        case("init_orthogonal_gram_conv", "gram(I.Orthogonal(gain=0.5, seed=3)((3, 3, 2, 8)))", atol=1e-5,
             why="different draws: each gram matrix is gain^2 I up to float32 rounding"),
        case("init_seeded_twice", "bool(np.all(np.asarray(I.GlorotUniform(seed=1)((3, 3))) == "
                                  "np.asarray(I.GlorotUniform(seed=1)((3, 3)))))"),
        case("init_same_instance_twice", "(lambda g: bool(np.all(np.asarray(g((4, 4))) == "
                                         "np.asarray(g((4, 4))))))(I.GlorotUniform())"),
        case("init_two_unseeded", "bool(np.all(np.asarray(I.GlorotUniform()((4, 4))) == "
                                  "np.asarray(I.GlorotUniform()((4, 4)))))"),
        case("init_shape_scalar", "I.GlorotUniform(seed=1)(()).shape.rank"),
        case("init_vs_scale", "I.VarianceScaling(scale=0)", error=True),
        case("init_vs_mode", "I.VarianceScaling(mode='x')", error=True, message=False),
        case("init_vs_distribution", "I.VarianceScaling(distribution='x')", error=True, message=False),
        case("init_seed_str", "I.RandomNormal(seed='a')", error=True),
        case("init_seed_float", "I.RandomNormal(seed=1.5)", error=True),
        case("init_base_call", "I.Initializer()((2,))", error=True),
        case("init_get_unknown", "I.get('nope')", error=True),
        case("init_get_number", "I.get(5.0)", error=True),
        case("init_get_none", "I.get(None)"),
        case("init_get_array", "I.get(np.full((2, 2), 3.0))((2, 2))"),
        case("init_get_array_shape", "I.get(np.full((2, 2), 3.0))((3, 2))", error=True),
        case("init_deserialize_unknown", "I.deserialize('nope')"),
        case("init_get_dict", "I.get({'class_name': 'HeNormal', 'config': {'seed': 5}}).get_config()"),
        case("init_get_class", "type(I.get(I.Zeros)).__name__"),
        case("init_serialize_base", "I.serialize(I.Initializer())"),
    ]
    return cases


_REGULARIZERS = {
    "l1": "R.L1()", "l1_args": "R.L1(0.3)", "l1_none": "R.L1(None)", "l2": "R.L2()", "l2_args": "R.L2(0.2)",
    "l1l2": "R.L1L2()", "l1l2_args": "R.L1L2(l1=0.1, l2=0.2)", "l1l2_none": "R.L1L2(None, 0.3)",
    "l1l2_l1": "R.L1L2(l1=0.05)", "orthogonal": "R.OrthogonalRegularizer()",
    "orthogonal_columns": "R.OrthogonalRegularizer(factor=0.5, mode='columns')",
}


def _regularizer_cases() -> list:
    cases = []
    for name, src in _REGULARIZERS.items():
        cases.append(case(f"reg_{name}", f"{src}(w)", grad="w"))
        cases.append(case(f"reg_config_{name}", f"{src}.get_config()"))
        cases.append(case(f"reg_serialize_{name}", f"R.serialize({src})"))
        cases.append(case(f"reg_roundtrip_{name}", f"R.deserialize(R.serialize({src})).get_config()"))
    for name in ("l1_args", "l2_args", "l1l2_args"):
        cases.append(case(f"reg_{name}_float64", f"{_REGULARIZERS[name]}(w64)", grad="w64"))
    aliases = "L1 L1L2 L2 OrthogonalRegularizer l1 l1l2 l2 orthogonal_regularizer".split()
    cases += [case(f"reg_get_{name}", f"type(R.get({name!r})).__name__") for name in aliases]
    cases += [
        case("reg_get_l1_l2", "R.get('l1_l2')", error=True),
        case("reg_get_unknown", "R.get('nope')", error=True),
        case("reg_get_none", "R.get(None)"),
        case("reg_get_l2_config", "R.get('l2').get_config()"),
        case("reg_get_l1l2_config", "R.get('l1l2').get_config()"),
        case("reg_negative", "R.L1(-1)", error=True),
        case("reg_string", "R.L2('a')", error=True),
        case("reg_nan", "R.L1L2(l1=float('nan'))", error=True),
        case("reg_orthogonal_mode", "R.OrthogonalRegularizer(mode='x')", error=True),
        case("reg_orthogonal_rank", "R.OrthogonalRegularizer()(k)", error=True),
        case("reg_base_config", "R.Regularizer().get_config()", error=True, message=False),
        case("reg_base_call", "R.Regularizer()(w)"),
        case("reg_zero_weights", "R.L1L2(0.1, 0.2)(w * 0.0)"),
    ]
    return cases


_CONSTRAINTS = {
    "max_norm": ("C.MaxNorm()", "w"), "max_norm_axis1": ("C.MaxNorm(1.5, axis=1)", "w"),
    "max_norm_conv": ("C.MaxNorm(2, axis=[0, 1, 2])", "k"), "max_norm_zero_column": ("C.MaxNorm(1.0)", "wz"),
    "unit_norm": ("C.UnitNorm()", "w"), "unit_norm_conv": ("C.UnitNorm(axis=[0, 1, 2])", "k"),
    "unit_norm_zero_column": ("C.UnitNorm()", "wz"), "non_neg": ("C.NonNeg()", "w"),
    "min_max_norm": ("C.MinMaxNorm()", "w"), "min_max_norm_args": ("C.MinMaxNorm(0.5, 2.0, 0.5, axis=1)", "w"),
    "min_max_norm_conv": ("C.MinMaxNorm(1.0, 1.5, axis=[0, 1, 2])", "k"),
}


def _constraint_cases() -> list:
    cases = []
    for name, (src, arg) in _CONSTRAINTS.items():
        cases.append(case(f"con_{name}", f"{src}({arg})"))
        cases.append(case(f"con_config_{name}", f"{src}.get_config()"))
        cases.append(case(f"con_serialize_{name}", f"C.serialize({src})"))
        cases.append(case(f"con_roundtrip_{name}", f"C.deserialize(C.serialize({src})).get_config()"))
    aliases = "Constraint MaxNorm MinMaxNorm NonNeg UnitNorm constraint max_norm min_max_norm non_neg unit_norm"
    cases += [case(f"con_get_{name}", f"type(C.get({name!r})).__name__") for name in aliases.split()]
    cases += [
        case("con_max_norm_float64", "C.MaxNorm(1.0)(w64)"),
        case("con_non_neg_int", "C.NonNeg()(xi)"),
        case("con_unit_norm_int", "C.UnitNorm(axis=1)(xi)"),
        case("con_base", "C.Constraint()(w)"),
        case("con_base_config", "C.Constraint().get_config()"),
        case("con_serialize_base", "C.serialize(C.Constraint())"),
        case("con_get_unknown", "C.get('nope')", error=True),
        case("con_get_none", "C.get(None)"),
    ]
    return cases


CASES = _activation_cases() + _initializer_cases() + _regularizer_cases() + _constraint_cases()


def namespace(tf, families, inputs: dict) -> dict:
    """What a case's expression sees: `tf`, the family modules `A I R C`, `np`, `gram`, inputs."""
    activations, initializers, regularizers, constraints = families
    env = {"tf": tf, "np": np, "gram": gram, "A": activations, "I": initializers, "R": regularizers,
           "C": constraints}
    env.update({name: tf.constant(arr) for name, arr in inputs.items()})
    return env


def grad_weight(cid: str, shape) -> np.ndarray:
    """The fixed weight of a gradient case's output (crc32 of the id seeds it)."""
    return np.random.default_rng(zlib.crc32(cid.encode())).normal(size=shape).astype("float32")


def evaluate(spec: dict, tf, env: dict):
    """`(result, gradient or None)` of a case, or `(exception, None)` for one that raised."""
    try:
        if not spec["grad"]:
            return eval(spec["src"], dict(env)), None
        x = env[spec["grad"]]
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = eval(spec["src"], dict(env))
            weight = tf.constant(grad_weight(spec["id"], tuple(out.shape)).astype(out.dtype.name))
            target = tf.reduce_sum(out * weight)
        return out, tape.gradient(target, x)
    except Exception as exc:  # an error case's outcome; any other case fails on it
        return exc, None


def jsonable(value):
    """A configs' value as JSON would give it back (tuples become lists)."""
    return json.loads(json.dumps(value))


def summarize(values: np.ndarray) -> dict:
    """The moments and range of a draw."""
    arr = np.asarray(values, dtype="float64")
    return {"mean": float(arr.mean()), "std": float(arr.std()), "min": float(arr.min()), "max": float(arr.max())}


def _record(spec: dict, result, gradient, arrays: dict) -> dict:
    cid = spec["id"]
    if isinstance(result, Exception):
        if not spec["error"]:
            raise AssertionError(f"{cid} ({spec['src']}) raised {type(result).__name__}: {result}")
        meta = {"kind": "error", "type": type(result).__name__}
        if spec["message"]:  # the others print Python sets, whose order changes between runs
            meta["message"] = str(result)
        return meta
    if spec["error"]:
        raise AssertionError(f"{cid} ({spec['src']}) should raise; TF returned {result!r}")
    if hasattr(result, "numpy") and hasattr(result, "dtype"):
        meta = {"kind": "tensor", "dtype": result.dtype.name, "shape": list(result.shape)}
        if spec["stats"]:
            meta["stats"] = summarize(result.numpy())
            return meta
        arrays[f"{cid}/out"] = result.numpy()
        if gradient is not None:
            arrays[f"{cid}/grad"] = gradient.numpy()
        return meta
    if isinstance(result, np.ndarray):
        arrays[f"{cid}/out"] = result
        return {"kind": "ndarray", "dtype": result.dtype.name, "shape": list(result.shape)}
    return {"kind": "json", "value": jsonable(result)}


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    sys.path.insert(0, str(ROOT))
    import tensorflow as tf

    from compat.generate_ops import write_npz

    families = (tf.keras.activations, tf.keras.initializers, tf.keras.regularizers, tf.keras.constraints)
    inputs = make_inputs()
    env = namespace(tf, families, inputs)
    arrays = {f"in.{name}": arr for name, arr in inputs.items()}
    cases, failures = {}, []
    for spec in CASES:
        try:
            meta = _record(spec, *evaluate(spec, tf, env), arrays)
        except AssertionError as exc:  # collected, so that one run lists every broken case
            failures.append(str(exc)[:300])
            continue
        meta["src"] = spec["src"]
        cases[spec["id"]] = meta
    if failures:
        raise RuntimeError("cases that misbehave under TF:\n" + "\n".join(failures))
    meta = {"generator": "compat/generate_families.py", "tensorflow": tf.__version__,
            "keras": tf.keras.__version__, "numpy": np.__version__, "cases": cases}
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "families.json").write_text(json.dumps(meta, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "families.npz", arrays)
    print(f"{len(CASES)} cases, {len(arrays)} arrays -> {FIXTURES}")


if __name__ == "__main__":
    main()
