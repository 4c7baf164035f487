"""Parity fixtures for `tf.keras.losses`: values, gradients, warnings, configs, errors.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python -m compat.generate_losses

A case is a Python expression evaluated with `L` bound to `tf.keras.losses`, `tf`, `np`,
the fixed inputs of `make_inputs` (as float32 / int32 constants, `*64` as float64) and
three helpers that exist on both sides: `masked(x, m)` (x with `_keras_mask` m),
`sigmoid_out(z)` / `softmax_out(z)` (probabilities that carry their logits, as Keras's
activations leave them). This module imports neither TensorFlow nor kerastorch at the
top: `test_losses_parity.py` imports `CASES` and runs them under kerastorch. Recorded
per case (see `generate_families.py` for the conventions): a tensor's dtype, shape and
values, with `grad` also the gradient of `sum(out * gw)` with respect to the named
input; a Python value as JSON; an error's class and message; and the warnings raised.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import numpy as np

from compat.generate_families import case, evaluate, jsonable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "compat" / "fixtures"
_EPS32 = float(np.float32(1e-7))
_ONE_MINUS_EPS32 = float(np.float32(1.0 - 1e-7))


# name: (class, function, y_true, y_pred, sample weight): the forms every loss is checked in.
_LOSSES = {
    "mse": ("MeanSquaredError", "mse", "yr", "pr", "sw"),
    "mae": ("MeanAbsoluteError", "mae", "yr", "pr", "sw"),
    "mape": ("MeanAbsolutePercentageError", "mape", "yr", "pr", "sw"),
    "msle": ("MeanSquaredLogarithmicError", "msle", "yr", "pr", "sw"),
    "cosine": ("CosineSimilarity", "cosine_similarity", "yr", "pr", "sw"),
    "huber": ("Huber", "huber", "yr", "pr", "sw"),
    "log_cosh": ("LogCosh", "logcosh", "yr", "pr", "sw"),
    "kld": ("KLDivergence", "kld", "ysoft", "pc", "sw"),
    "poisson": ("Poisson", "poisson", "yb", "pb", "sw"),
    "bce": ("BinaryCrossentropy", "binary_crossentropy", "yb", "pb", "sw"),
    "bfce": ("BinaryFocalCrossentropy", "binary_focal_crossentropy", "yb", "pb", "sw"),
    "cce": ("CategoricalCrossentropy", "categorical_crossentropy", "yc", "pc", "sw"),
    "cfce": ("CategoricalFocalCrossentropy", "categorical_focal_crossentropy", "yc", "pc", "sw"),
    "scce": ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", "ys", "pc", "sw"),
    "hinge": ("Hinge", "hinge", "yh", "ph", "sw"),
    "squared_hinge": ("SquaredHinge", "squared_hinge", "yh", "ph", "sw"),
    "categorical_hinge": ("CategoricalHinge", "categorical_hinge", "yc", "zc", "sw"),
    "dice": ("Dice", "dice", "yseg", "pseg", "sw2b"),
    "tversky": ("Tversky", "tversky", "yseg", "pseg", "sw2b"),
    "circle": ("Circle", "circle", "ycirc", "ecirc", "sw6"),
    "ctc": ("CTC", "ctc", "yctc", "zctc", "sw2b"),
}

# Classes with options: (id, constructor); configs, serialization and round trips are compared.
_CONFIGURED = [
    ("bce_args", "L.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, axis=0, reduction='sum', name='b')"),
    ("bfce_args", "L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.5, from_logits=True, "
                  "label_smoothing=0.1)"),
    ("cce_args", "L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=0, reduction=None)"),
    ("cfce_args", "L.CategoricalFocalCrossentropy(alpha=0.5, gamma=3.0, from_logits=True, label_smoothing=0.3)"),
    ("scce_args", "L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction='mean', axis=-1)"),
    ("huber_args", "L.Huber(delta=0.5, reduction='none', name='h')"),
    ("cosine_args", "L.CosineSimilarity(axis=0)"),
    ("dice_args", "L.Dice(axis=[1, 2, 3], reduction='sum')"),
    ("tversky_args", "L.Tversky(alpha=0.3, beta=0.7, axis=[1, 2])"),
    ("circle_args", "L.Circle(gamma=32.0, margin=0.25, remove_diagonal=False)"),
    ("cgce", "L.CategoricalGeneralizedCrossEntropy()"), ("cgce_args", "L.CategoricalGeneralizedCrossEntropy(q=0.3)"),
    ("mse_float64", "L.MeanSquaredError(dtype='float64')"), ("mse_mean_sw", "L.MeanSquaredError('mean_with_sample_weight')"),
]

_REDUCTIONS = {"sum_over_batch_size": "'sum_over_batch_size'", "sum": "'sum'", "mean": "'mean'",
               "mean_with_sample_weight": "'mean_with_sample_weight'", "none": "'none'", "None": "None"}

_OPTIONS = {
    "bce_logits": "L.BinaryCrossentropy(from_logits=True)(yb, zb)",
    "bce_smoothing": "L.BinaryCrossentropy(label_smoothing=0.2)(yb, pb)",
    "bce_logits_smoothing": "L.BinaryCrossentropy(from_logits=True, label_smoothing=0.3)(yb, zb, sample_weight=sw)",
    "bce_axis0": "L.BinaryCrossentropy(axis=0, reduction=None)(yb, pb)",
    "bce_fn_logits": "L.binary_crossentropy(yb, zb, from_logits=True)",
    "bce_fn_logits64": "L.binary_crossentropy(yb64, zb64, True, 0.1)",
    "bce_rank1_true": "L.BinaryCrossentropy()(yb[:, 0], pb[:, :1])",
    "bce_rank1_pred": "L.BinaryCrossentropy()(yb[:, :1], pb[:, 0])",
    "bce_sigmoid_out": "L.BinaryCrossentropy()(yb, sigmoid_out(zb))",
    "bce_fn_sigmoid_out": "L.binary_crossentropy(yb, sigmoid_out(zb))",
    "bce_sigmoid_out_from_logits": "L.binary_crossentropy(yb, sigmoid_out(zb), from_logits=True)",
    "bce_softmax_out": "L.binary_crossentropy(yc, softmax_out(zc))",
    "bce_float16": "L.BinaryCrossentropy(dtype='float16')(yb, pb)",
    "bce_dtype64": "L.BinaryCrossentropy(dtype='float64')(yb, pb)",
    "bfce_logits": "L.BinaryFocalCrossentropy(from_logits=True)(yb, zb)",
    "bfce_balanced": "L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.5)(yb, pb)",
    "bfce_smoothing": "L.binary_focal_crossentropy(yb, zb, gamma=3.0, from_logits=True, label_smoothing=0.2)",
    "bfce_sigmoid_out": "L.binary_focal_crossentropy(yb, sigmoid_out(zb))",
    "cce_logits": "L.CategoricalCrossentropy(from_logits=True)(yc, zc)",
    "cce_smoothing": "L.CategoricalCrossentropy(label_smoothing=0.1)(yc, pc)",
    "cce_logits_smoothing": "L.categorical_crossentropy(yc, zc, from_logits=True, label_smoothing=0.3)",
    "cce_soft_labels": "L.categorical_crossentropy(ysoft, pc)",
    "cce_soft_labels_logits": "L.categorical_crossentropy(ysoft, zc, from_logits=True)",
    "cce_axis0": "L.categorical_crossentropy(yc, pc, axis=0)",
    "cce_axis0_logits": "L.categorical_crossentropy(ysoft, zc, from_logits=True, axis=0)",
    "cce_softmax_out": "L.CategoricalCrossentropy()(yc, softmax_out(zc))",
    "cce_softmax_out_from_logits": "L.categorical_crossentropy(yc, softmax_out(zc), from_logits=True)",
    "cce_one_class": "L.categorical_crossentropy(yc[:, :1], pc[:, :1])",
    "cce_fn64_args": "L.categorical_crossentropy(yc64, pc64, label_smoothing=0.2)",
    "cfce_logits": "L.CategoricalFocalCrossentropy(from_logits=True)(yc, zc)",
    "cfce_args": "L.categorical_focal_crossentropy(ysoft, pc, alpha=0.5, gamma=3.0, label_smoothing=0.2)",
    "scce_logits": "L.SparseCategoricalCrossentropy(from_logits=True)(ys, zc)",
    "scce_rank2_labels": "L.SparseCategoricalCrossentropy()(ys1, pc)",
    "scce_fn_rank2_labels": "L.sparse_categorical_crossentropy(ys1, zc, from_logits=True)",
    "scce_ignore": "L.SparseCategoricalCrossentropy(ignore_class=-1)(ysi, pc)",
    "scce_ignore_logits_sw": "L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(ysi, zc, sw)",
    "scce_ignore_sum": "L.SparseCategoricalCrossentropy(ignore_class=-1, reduction='sum')(ysi, zc)",
    "scce_ignore_none": "L.SparseCategoricalCrossentropy(ignore_class=-1, reduction=None)(ysi, pc)",
    "scce_fn_ignore": "L.sparse_categorical_crossentropy(ysi, zc, from_logits=True, ignore_class=-1)",
    "scce_3d": "L.SparseCategoricalCrossentropy(from_logits=True)(ys3, zc3, sample_weight=sw23)",
    "scce_3d_ignore": "L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(ys3i, zc3)",
    "scce_softmax_out": "L.SparseCategoricalCrossentropy()(ys, softmax_out(zc))",
    "scce_all_ignored": "L.SparseCategoricalCrossentropy(ignore_class=1)(ys[:1], pc[:1])",
    "huber_delta": "L.Huber(delta=0.5)(yr, pr)",
    "huber_fn_delta": "L.huber(yr, pr, delta=2.5)",
    "huber_fn64_args": "L.huber(yr64, pr64, delta=0.3)",
    "cosine_axis0": "L.CosineSimilarity(axis=0)(yr, pr)",
    "cosine_zero": "L.cosine_similarity(yr, pr * 0.0)",
    "log_cosh_large": "L.logcosh(yr * 0.0, pr * 30.0)",
    "hinge_binary_labels": "L.Hinge()(yb, ph)",
    "squared_hinge_binary_labels": "L.squared_hinge(yb, ph)",
    "hinge_other_labels": "L.hinge(yb * 3.0, ph)",
    "categorical_hinge_tie": "L.categorical_hinge(yc, zc * 0.0)",
    "dice_axis": "L.Dice(axis=[1, 2, 3])(yseg, pseg)",
    "dice_axis_sw": "L.Dice(axis=(1, 2, 3))(yseg, pseg, sample_weight=sw2b)",
    "tversky_args": "L.Tversky(alpha=0.3, beta=0.7, axis=[1, 2])(yseg, pseg)",
    "circle_args": "L.Circle(gamma=32.0, margin=0.25, remove_diagonal=False)(ycirc, ecirc)",
    "circle_refs": "L.circle(ycirc[:3], ecirc[:3], ref_labels=ycirc, ref_embeddings=ecirc)",
    "cgce": "L.CategoricalGeneralizedCrossEntropy()(ys, pc)",
    "cgce_fn": "L.categorical_generalized_cross_entropy(ys, pc, q=0.3)",
    "kld_fn64_args": "L.kullback_leibler_divergence(ysoft, pc64)",
    "poisson_fn64_args": "L.poisson(yb64, pb64)",
    "mse_python_lists": "L.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])",
    "mse_mixed_dtypes": "L.MSE(yr64, pr)",
    "mse_dtype64": "L.MeanSquaredError(dtype='float64')(yr, pr)",
    "mse_int_targets": "L.MeanSquaredError()(ys, pc[:, 0])",
    "mae_rank3": "L.MeanAbsoluteError()(zc3, zc3 * 0.5, sample_weight=sw23)",
}


def _loss_cases() -> list:
    cases = []
    for name, (cls, fn, yt, yp, sw) in _LOSSES.items():
        call = f"({yt}, {yp}"
        cases += [
            case(f"{name}_fn", f"L.{fn}{call})", grad=yp),
            case(f"{name}_class", f"L.{cls}(){call})", grad=yp),
            case(f"{name}_class_sw", f"L.{cls}(){call}, sample_weight={sw})", grad=yp),
            case(f"{name}_class_none", f"L.{cls}(reduction=None){call})", grad=yp),
            case(f"{name}_class_sum_sw", f"L.{cls}(reduction='sum'){call}, {sw})", grad=yp),
            case(f"{name}_name", f"L.{cls}().name"),
            case(f"{name}_config", f"L.{cls}().get_config()"),
            case(f"{name}_serialize", f"L.serialize(L.{cls}())"),
            case(f"{name}_roundtrip", f"L.deserialize(L.serialize(L.{cls}())).get_config()"),
            case(f"{name}_serialize_fn", f"L.serialize(L.{fn})"),
        ]
        if f"{yp}64" in _FLOAT64:
            cases.append(case(f"{name}_fn64", f"L.{fn}({yt}, {yp}64)", grad=f"{yp}64"))
    for cid, src in _OPTIONS.items():
        cases.append(case(cid, src, grad=_first_input(src)))
    for cid, src in _CONFIGURED:
        cases += [case(f"config_{cid}", f"{src}.get_config()"), case(f"serialize_{cid}", f"L.serialize({src})"),
                  case(f"roundtrip_{cid}", f"L.deserialize(L.serialize({src}))" + ("" if cid.startswith("cgce") else ".get_config()"))]
    return cases


_FLOAT64 = ("yb64", "pb64", "zb64", "yc64", "pc64", "zc64", "yr64", "pr64", "ph64", "sw64")
_WATCHED = ("pb64", "zb64", "pc64", "zc64", "pr64", "pb", "zb", "pc", "zc", "pr", "ph", "zc3", "pseg", "ecirc",
            "zctc")


def _first_input(src: str) -> str | None:
    """The prediction a case differentiates by: the first watched input its expression names."""
    return next((name for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", src) if name in _WATCHED), None)


def _reduction_cases() -> list:
    cases = []
    for rid, red in _REDUCTIONS.items():
        cases += [
            case(f"reduce_{rid}", f"L.MeanSquaredError(reduction={red})(yr, pr)", grad="pr"),
            case(f"reduce_{rid}_sw", f"L.MeanSquaredError(reduction={red})(yr, pr, sample_weight=sw)", grad="pr"),
            case(f"reduce_{rid}_sw_column", f"L.BinaryCrossentropy(reduction={red})(yb, pb, sample_weight=sw2)",
                 grad="pb"),
            case(f"reduce_{rid}_sw_zero", f"L.MeanSquaredError(reduction={red})(yr, pr, sample_weight=sw0)",
                 grad="pr"),
            case(f"reduce_{rid}_sw_scalar", f"L.Hinge(reduction={red})(yh, ph, sample_weight=2.0)", grad="ph"),
            case(f"reduce_{rid}_mask", f"L.MeanSquaredError(reduction={red})(yr, masked(pr, m4))", grad="pr"),
            case(f"reduce_{rid}_mask_sw", f"L.MeanAbsoluteError(reduction={red})(yr, masked(pr, m4), sw)",
                 grad="pr"),
            case(f"reduce_{rid}_mask_empty", f"L.MeanSquaredError(reduction={red})(yr, masked(pr, m0))", grad="pr"),
            case(f"reduce_{rid}_mask_and_ignore",
                 f"L.SparseCategoricalCrossentropy(ignore_class=-1, reduction={red})(ysi, masked(pc, m4), sw)",
                 grad="pc"),
            case(f"reduce_{rid}_3d", f"L.SparseCategoricalCrossentropy(True, reduction={red})(ys3, zc3, sw23)",
                 grad="zc3"),
        ]
    cases += [
        case("reduce_sw_tensor", "L.Huber()(yr, pr, sample_weight=tf.constant(0.5))", grad="pr"),
        case("reduce_sw_float64", "L.MeanSquaredError()(yr, pr, sample_weight=sw64)", grad="pr"),
        case("reduce_sw_list", "L.MeanSquaredError()(yr, pr, sample_weight=[1.0, 2.0, 3.0, 4.0])", grad="pr"),
        case("reduce_scalar_loss_sw", "L.Dice()(yseg, pseg, sample_weight=2.0)", grad="pseg"),
        case("reduce_circle_mask", "L.Circle(reduction='sum_over_batch_size')(ycirc, ecirc * 0.0 + 0.5)",
             grad="ecirc"),
    ]
    return cases


def _error_cases() -> list:
    return [
        case("err_reduction", "L.MeanSquaredError(reduction='bad')", error=True, message=False),
        case("err_cgce_q", "L.CategoricalGeneralizedCrossEntropy(q=1.5)", error=True),
        case("err_bce_shape", "L.binary_crossentropy(yb, pb[:, :2])", error=True),
        case("err_bce_rank", "L.binary_crossentropy(yb[:, 0], pb[:, :1])", error=True),
        case("err_cce_shape", "L.categorical_crossentropy(yc, pc[:, :4])", error=True),
        case("err_cce_rank", "L.categorical_crossentropy(yc[0], pc)", error=True),
        case("err_cce_axis_bool", "L.categorical_crossentropy(yc, pc, axis=True)", error=True),
        case("err_cfce_axis_bool", "L.categorical_focal_crossentropy(yc, pc, axis=False)", error=True),
        case("err_scce_axis", "L.sparse_categorical_crossentropy(ys, pc, axis=0)", error=True),
        case("err_scce_rank", "L.sparse_categorical_crossentropy(ys3, pc)", error=True),
        case("err_scce_shape", "L.sparse_categorical_crossentropy(ys[:3], pc)", error=True),
        case("err_ctc_true_rank", "L.ctc(yctc[0], zctc)", error=True),
        case("err_ctc_pred_rank", "L.ctc(yctc, zctc[0])", error=True),
        case("err_get_unknown", "L.get('nope')", error=True),
        case("err_get_number", "L.get(5)", error=True),
        case("err_get_crossentropy", "L.get('crossentropy')", error=True),
    ]


_TABLE = ("BinaryCrossentropy BinaryFocalCrossentropy CTC CategoricalCrossentropy CategoricalFocalCrossentropy "
          "CategoricalHinge Circle CosineSimilarity Dice Hinge Huber KLDivergence LogCosh Loss MeanAbsoluteError "
          "MeanAbsolutePercentageError MeanSquaredError MeanSquaredLogarithmicError Poisson "
          "SparseCategoricalCrossentropy SquaredHinge Tversky binary_crossentropy binary_focal_crossentropy "
          "categorical_crossentropy categorical_focal_crossentropy categorical_hinge circle cosine_similarity ctc "
          "dice hinge huber kl_divergence log_cosh mean_absolute_error mean_absolute_percentage_error "
          "mean_squared_error mean_squared_logarithmic_error poisson sparse_categorical_crossentropy squared_hinge "
          "tversky bce BCE kld KLD mae MAE mse MSE mape MAPE msle MSLE").split()


def _get_cases() -> list:
    cases = [case(f"get_{name}", f"name_of(L.get({name!r}))") for name in _TABLE]
    cases += [case(f"deserialize_{name}", f"name_of(L.deserialize({name!r}))") for name in ("Huber", "ctc", "poisson")]
    cases += [
        case("get_none", "L.get(None)"),
        case("get_dict", "L.get({'class_name': 'BinaryCrossentropy', 'config': {'from_logits': True}}).get_config()"),
        case("get_function_dict", "name_of(L.get({'module': 'builtins', 'class_name': 'function', "
                                  "'config': 'mean_squared_error', 'registered_name': 'function'}))"),
        case("get_class", "L.get(L.Huber).get_config()"),
        case("get_instance", "L.get(L.Huber(delta=2.0, name='h')).get_config()"),
        case("get_function", "name_of(L.get(L.poisson))"),
        case("get_cgce", "L.get('CategoricalGeneralizedCrossEntropy')", error=True),
        case("deserialize_unknown", "L.deserialize('nope')"),
        case("loss_base_config", "L.Loss(name='base', reduction='sum').get_config()"),
        case("loss_base_dtype", "L.Loss(name='base', dtype='float64').dtype"),
        case("loss_mixed_dtype", "L.MeanSquaredError(dtype='mixed_float16').dtype"),
    ]
    return cases


CASES = _loss_cases() + _reduction_cases() + _error_cases() + _get_cases()


def namespace(tf, losses, inputs: dict, helpers: dict) -> dict:
    """What a case's expression sees: `tf`, `L`, `np`, `name_of`, the helpers and the inputs."""
    env = {"tf": tf, "np": np, "L": losses, "name_of": _name_of, **helpers}
    env.update({name: tf.constant(arr) for name, arr in inputs.items()})
    return env


def _name_of(obj) -> str:
    return getattr(obj, "__name__", type(obj).__name__)


def make_inputs() -> dict:
    """The fixed inputs the cases name (stored in the npz; the test uses the stored ones)."""
    rng = np.random.default_rng(20261125)
    pb = rng.uniform(0.05, 0.95, (4, 3))
    # Clip points and beyond: exact 0 and 1, the bounds themselves (gradient passes), just inside.
    pb[0] = [0.0, 1.0, 0.5]
    pb[1] = [_EPS32, _ONE_MINUS_EPS32, 1e-8]
    pc = rng.uniform(0.0, 1.0, (4, 5))
    pc[0] = [0.0, 1.0, 0.0, 0.0, 0.0]  # saturated: clipped entries
    pc[1:] /= pc[1:].sum(axis=1, keepdims=True)
    pc[3] *= 0.7  # rows that do not sum to 1: Keras renormalizes
    yr = rng.normal(0.0, 2.0, (4, 3))
    pr = yr + rng.normal(0.0, 1.5, (4, 3))
    pr[0, 0] = yr[0, 0]  # a zero error (abs's and huber's tie)
    pr[0, 1] = yr[0, 1] + 1.0  # |error| == delta
    yr[1, 2] = 0.0  # MAPE's epsilon
    ph = rng.normal(0.0, 1.5, (4, 3))
    yh = np.where(rng.uniform(size=(4, 3)) > 0.5, 1.0, -1.0)
    ph[0, 0] = yh[0, 0]  # margin exactly 0: maximum's tie
    inputs = {
        "yb": (rng.uniform(size=(4, 3)) > 0.5).astype("float32"),
        "pb": pb.astype("float32"),
        "zb": np.array([[0.0, 20.0, -20.0], [50.0, -50.0, 0.5], [1.5, -2.5, 3.0], [-0.1, 0.2, -7.0]], "float32"),
        "yc": np.eye(5, dtype="float32")[[1, 0, 3, 4]],
        "ysoft": np.array([[0.1, 0.5, 0.2, 0.1, 0.1], [0.3, 0.3, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0],
                           [0.2, 0.2, 0.2, 0.2, 0.4]], "float32"),
        "pc": pc.astype("float32"),
        "zc": rng.normal(0.0, 3.0, (4, 5)).astype("float32"),
        "ys": np.array([1, 0, 3, 4], "int32"),
        "ys1": np.array([[1], [0], [3], [4]], "int32"),
        "ysi": np.array([1, -1, 3, -1], "int32"),
        "ys3": np.array([[1, 0, 2], [4, 4, 1]], "int32"),
        "ys3i": np.array([[1, 0, 2], [4, 0, 0]], "int32"),
        "zc3": rng.normal(0.0, 2.0, (2, 3, 5)).astype("float32"),
        "yr": yr.astype("float32"),
        "pr": pr.astype("float32"),
        "yh": yh.astype("float32"),
        "ph": ph.astype("float32"),
        "sw": np.array([1.0, 0.5, 0.0, 2.0], "float32"),
        "sw2": np.array([[1.0], [0.5], [0.0], [2.0]], "float32"),
        "sw0": np.zeros(4, "float32"),
        "sw2b": np.array([0.5, 2.0], "float32"),
        "sw6": np.array([1.0, 0.0, 2.0, 0.5, 1.5, 1.0], "float32"),
        "sw23": np.array([[1.0, 0.0, 2.0], [0.5, 1.5, 1.0]], "float32"),
        "m4": np.array([True, False, True, True]),
        "m0": np.zeros(4, bool),
        "yctc": np.array([[1, 2, 2, 0], [3, 1, 0, 0]], "int32"),
        "zctc": rng.normal(0.0, 1.0, (2, 6, 5)).astype("float32"),
        "ycirc": np.array([0, 1, 0, 2, 1, 2], "int32"),
        "ecirc": _normalized(rng.normal(size=(6, 4))).astype("float32"),
        "yseg": (rng.uniform(size=(2, 4, 4, 1)) > 0.5).astype("float32"),
        "pseg": rng.uniform(0.0, 1.0, (2, 4, 4, 1)).astype("float32"),
    }
    for name in ("yb", "pb", "zb", "yc", "pc", "zc", "yr", "pr", "ph", "sw"):
        inputs[f"{name}64"] = inputs[name].astype("float64")
    return inputs


def _normalized(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def run_case(spec: dict, tf, env: dict):
    """`(result, gradient, warnings)` of a case; warnings as `'Category: message'` strings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result, gradient = evaluate(spec, tf, env)
    notes = [f"{w.category.__name__}: {w.message}" for w in caught
             if issubclass(w.category, (UserWarning, SyntaxWarning))]
    return result, gradient, notes


def _record(spec: dict, result, gradient, arrays: dict) -> dict:
    cid = spec["id"]
    if isinstance(result, Exception):
        if not spec["error"]:
            raise AssertionError(f"{cid} ({spec['src']}) raised {type(result).__name__}: {result}")
        meta = {"kind": "error", "type": type(result).__name__}
        if spec["message"]:
            meta["message"] = str(result)
        return meta
    if spec["error"]:
        raise AssertionError(f"{cid} ({spec['src']}) should raise; TF returned {result!r}")
    if hasattr(result, "numpy") and hasattr(result, "dtype"):
        arrays[f"{cid}/out"] = result.numpy()
        if gradient is not None:
            arrays[f"{cid}/grad"] = gradient.numpy()
        return {"kind": "tensor", "dtype": result.dtype.name, "shape": list(result.shape)}
    return {"kind": "json", "value": jsonable(result)}


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    import tensorflow as tf

    from compat.generate_ops import write_npz

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    inputs = make_inputs()
    env = namespace(tf, tf.keras.losses, inputs, _tf_helpers(tf))
    arrays = {f"in.{name}": arr for name, arr in inputs.items()}
    cases, failures = {}, []
    for spec in CASES:
        result, gradient, notes = run_case(spec, tf, env)
        try:
            meta = _record(spec, result, gradient, arrays)
        except AssertionError as exc:  # collected, so that one run lists every broken case
            failures.append(str(exc)[:300])
            continue
        meta["src"] = spec["src"]
        if notes:
            meta["warnings"] = notes
        cases[spec["id"]] = meta
    if failures:
        raise RuntimeError("cases that misbehave under TF:\n" + "\n".join(failures))
    meta = {"generator": "compat/generate_losses.py", "tensorflow": tf.__version__, "keras": tf.keras.__version__,
            "numpy": np.__version__, "cases": cases}
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "losses.json").write_text(json.dumps(meta, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "losses.npz", arrays)
    print(f"{len(CASES)} cases, {len(arrays)} arrays -> {FIXTURES}")


def _tf_helpers(tf) -> dict:
    def masked(x, m):
        y = tf.identity(x)
        y._keras_mask = tf.constant(m)
        return y

    return {"masked": masked, "sigmoid_out": tf.keras.activations.sigmoid, "softmax_out": tf.keras.activations.softmax}

if __name__ == "__main__":
    main()
