"""Parity fixtures for `keras.metrics`: stateful metrics, metric functions, compile strings.

Run from the repository root with the TensorFlow environment (never in CI):

    .venv-tf/bin/python compat/generate_metrics.py

This module imports neither TensorFlow nor kerastorch at the top: the test
(`test_metrics_parity.py`) imports `CASES` and `run_case` and runs the same cases under
kerastorch, with `M` bound to its `keras.metrics`. Kinds of case:

- `metric`: a constructor expression and 2-3 batches (`update_state` argument lists, with
  sample weights); recorded: the result after each batch, after `reset_state()`, and after
  one more batch; the `get_config()`; the variables' paths, shapes and dtypes;
- `value`: an expression (a metric function on fixed inputs, a config, a name);
- `compile`: how `compile(metrics=[...])` resolves an identifier for given label and
  prediction shapes (class, name, config);
- `error=True`: the exception class and message (the message compared unless `message=False`).

Inputs are stored in `metrics.npz` (the test uses the stored arrays); results go to
`metrics.json`. Both files are reproducible byte for byte.
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

# -- cases -------------------------------------------------------------------------------

def case(cid: str, src: str, *batches: str, kind: str = "value", call: bool = False, error: bool = False,
         message: bool = True, rtol: float | None = None, atol: float | None = None,
         why: str | None = None) -> dict:
    """One case; a `metric` case's `batches` are `update_state` argument lists. Own tolerances need a reason."""
    if (rtol is not None or atol is not None) and not why:
        raise ValueError(f"A case with its own tolerances says why. Received: why={why!r}")
    return {"id": cid, "kind": kind, "src": src, "batches": list(batches), "call": call, "error": error,
            "message": message, "rtol": rtol, "atol": atol, "why": why}


def metric(cid: str, src: str, *batches: str, **options) -> dict:
    return case(cid, src, *batches, kind="metric", **options)


BIN = ("yb, pb", "yb2, pb2, sample_weight=sw2")
BIN_W = ("yb, pb, sample_weight=sw", "yb2, pb2")
CAT = ("yoh, pcat", "yoh2, pcat2, sample_weight=sw2")
SPARSE = ("yint, pcat, sample_weight=sw", "yint2, pcat2")
REG = ("yr, pr", "yr2, pr2, sample_weight=sw2")
REG_POS = ("np.abs(yr), np.abs(pr) + 0.1", "np.abs(yr2), np.abs(pr2) + 0.1, sample_weight=sw2")
ML = ("yml, pml", "yml2, pml2, sample_weight=sw2")


def _metric_cases() -> list:
    cases = [
        metric("mean", "M.Mean()", "v", "v2, sample_weight=sw2"),
        metric("mean_weighted", "M.Mean(name='m', dtype='float64')", "v, sw", "v2"),
        metric("mean_2d_values", "M.Mean()", "v2d, sample_weight=sw", "v2d"),
        metric("mean_2d_weights", "M.Mean()", "v2d, sample_weight=sw2d", "v2d, sample_weight=sw2d[:, :1]"),
        metric("mean_call", "M.Mean()", "v", "v2, sample_weight=sw2", call=True),
        metric("mean_scalar", "M.Mean()", "3.0", "np.float32(5.0), sample_weight=2.0"),
        metric("sum", "M.Sum()", "v", "v2d, sample_weight=sw"),
        metric("sum_2d_weights", "M.Sum()", "v2d, sample_weight=sw2d", "v2"),
        metric("wrapper", "M.MeanMetricWrapper(M.binary_accuracy, threshold=0.3)", *BIN),
        metric("wrapper_mse", "M.MeanMetricWrapper(M.mse, name='err')", *REG),
        metric("accuracy", "M.Accuracy()", "yint, pint", "yint1, pint[:, None], sample_weight=sw"),
        metric("binary_accuracy", "M.BinaryAccuracy()", *BIN),
        metric("binary_accuracy_threshold", "M.BinaryAccuracy(threshold=0.3)", *BIN_W),
        metric("binary_accuracy_flat_labels", "M.BinaryAccuracy()", "yb_flat, pb", "yb_flat, pb[:, 0]"),
        metric("binary_accuracy_multilabel", "M.BinaryAccuracy()", *ML),
        metric("categorical_accuracy", "M.CategoricalAccuracy()", *CAT),
        metric("sparse_categorical_accuracy", "M.SparseCategoricalAccuracy()", *SPARSE),
        metric("sparse_categorical_accuracy_rank2", "M.SparseCategoricalAccuracy()", "yint1, pcat",
               "yint2[:, None], pcat2, sample_weight=sw2"),
        metric("top_k", "M.TopKCategoricalAccuracy(k=2)", *CAT),
        metric("top_k_1", "M.TopKCategoricalAccuracy(k=1, name='top1')", *CAT),
        metric("sparse_top_k", "M.SparseTopKCategoricalAccuracy(k=2)", *SPARSE),
        metric("sparse_top_k_sorted_ids", "M.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)",
               "yint, np.argsort(-pcat, axis=-1).astype('int32')"),
        metric("sparse_top_k_call", "M.SparseTopKCategoricalAccuracy(k=1)", *SPARSE, call=True),
    ]
    for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"):
        cases += [metric(f"{cls}", f"M.{cls}()", *BIN),
                  metric(f"{cls}_thresholds", f"M.{cls}(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0])", *BIN_W),
                  metric(f"{cls}_two", f"M.{cls}(thresholds=[0.3, 0.6])", *ML)]
    for cls in ("Precision", "Recall"):
        cases += [
            metric(f"{cls}", f"M.{cls}()", *BIN),
            metric(f"{cls}_thresholds", f"M.{cls}(thresholds=[0.2, 0.5, 0.8])", *BIN_W),
            metric(f"{cls}_even", f"M.{cls}(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0])", *ML),
            metric(f"{cls}_top_k", f"M.{cls}(top_k=2)", *CAT),
            metric(f"{cls}_class_id", f"M.{cls}(class_id=1)", *CAT),
            metric(f"{cls}_top_k_class_id", f"M.{cls}(top_k=1, class_id=2, thresholds=0.3)", *CAT),
            metric(f"{cls}_multilabel", f"M.{cls}(name='pr')", *ML, call=True),
        ]
    for cls, value in (("SensitivityAtSpecificity", 0.5), ("SpecificityAtSensitivity", 0.5),
                       ("PrecisionAtRecall", 0.6), ("RecallAtPrecision", 0.6)):
        cases += [metric(f"{cls}", f"M.{cls}({value})", *BIN),
                  metric(f"{cls}_options", f"M.{cls}({value}, num_thresholds=7, class_id=1)", *CAT),
                  metric(f"{cls}_one_threshold", f"M.{cls}({value}, num_thresholds=1)", *BIN_W)]
    cases += [
        metric("auc", "M.AUC()", *BIN),
        metric("auc_weighted", "M.AUC(num_thresholds=50)", *BIN_W),
        metric("auc_3", "M.AUC(num_thresholds=3)", *BIN),
        metric("auc_pr", "M.AUC(curve='PR')", *BIN),
        metric("auc_pr_majoring", "M.AUC(curve='pr', summation_method='majoring')", *BIN_W),
        metric("auc_roc_minoring", "M.AUC(summation_method='minoring')", *BIN),
        metric("auc_prgain", "M.AUC(curve='PRGAIN', num_thresholds=20)", *BIN),
        metric("auc_thresholds", "M.AUC(thresholds=[0.8, 0.2, 0.5])", *BIN_W),
        metric("auc_thresholds_even", "M.AUC(thresholds=[0.25, 0.5, 0.75])", *BIN),
        metric("auc_logits", "M.AUC(from_logits=True)", "yb, logits", "yb2, pb2 * 4 - 2"),
        metric("auc_flattened", "M.AUC(num_thresholds=10)", *ML),
        metric("auc_label_weights", "M.AUC(num_thresholds=10, label_weights=[0.5, 1.0, 2.0])", *ML),
        metric("auc_multilabel", "M.AUC(num_thresholds=10, multi_label=True)", *ML),
        metric("auc_multilabel_pr", "M.AUC(multi_label=True, num_labels=3, curve='PR', "
                                    "label_weights=[0.5, 1.0, 2.0])", *ML),
        metric("auc_multilabel_thresholds", "M.AUC(multi_label=True, thresholds=[0.3, 0.7])", *ML),
        metric("f1", "M.F1Score()", *CAT),
        metric("f1_threshold", "M.F1Score(threshold=0.3)", *ML),
        metric("f1_micro", "M.F1Score(average='micro', threshold=0.5)", *ML),
        metric("f1_macro", "M.F1Score(average='macro')", *CAT),
        metric("f1_weighted", "M.F1Score(average='weighted', threshold=0.4)", *ML),
        metric("fbeta", "M.FBetaScore(beta=2.0, average='macro', threshold=0.5)", *ML),
        metric("fbeta_none", "M.FBetaScore(beta=0.5)", *CAT),
        metric("mse", "M.MeanSquaredError()", *REG),
        metric("rmse", "M.RootMeanSquaredError()", *REG),
        metric("rmse_flat", "M.RootMeanSquaredError()", "yr[:, 0], pr[:, :1]", "yr[:, 1], pr[:, 1]"),
        metric("mae", "M.MeanAbsoluteError()", *REG),
        metric("mape", "M.MeanAbsolutePercentageError()", *REG),
        metric("msle", "M.MeanSquaredLogarithmicError()", *REG),
        metric("cosine", "M.CosineSimilarity()", *REG),
        metric("cosine_axis0", "M.CosineSimilarity(axis=0)", "yr, pr"),
        metric("logcosh", "M.LogCoshError()", *REG),
        metric("r2", "M.R2Score()", *REG),
        metric("r2_variance", "M.R2Score(class_aggregation='variance_weighted_average')", *REG),
        metric("r2_none", "M.R2Score(class_aggregation=None)", *REG),
        metric("r2_adjusted", "M.R2Score(num_regressors=2)", *REG),
        metric("r2_flat", "M.R2Score()", "yr[:, :1], pr[:, 0]", "yr[:, 1:2], pr[:, 1:2]"),
        metric("pearson", "M.PearsonCorrelation()", *REG),
        metric("concordance", "M.ConcordanceCorrelation(axis=-1)", *REG),
        metric("bce", "M.BinaryCrossentropy()", *BIN),
        metric("bce_logits", "M.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)", "yb, logits",
               "yb, -logits, sample_weight=sw"),
        metric("bce_multilabel", "M.BinaryCrossentropy(label_smoothing=0.1)", *ML),
        metric("cce", "M.CategoricalCrossentropy()", *CAT),
        metric("cce_logits", "M.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)",
               "yoh, lcat, sample_weight=sw", "yoh, -lcat"),
        metric("scce", "M.SparseCategoricalCrossentropy()", *SPARSE),
        metric("scce_rank2", "M.SparseCategoricalCrossentropy()", "yint1, pcat", "yint2[:, None], pcat2"),
        metric("scce_logits", "M.SparseCategoricalCrossentropy(from_logits=True)", "yint, lcat"),
        metric("scce_ignore", "M.SparseCategoricalCrossentropy(ignore_class=1)", "yint, pcat",
               "yint, pcat, sample_weight=sw"),
        metric("kld", "M.KLDivergence()", *CAT),
        metric("poisson", "M.Poisson()", *REG_POS),
        metric("hinge", "M.Hinge()", *BIN),
        metric("hinge_signed", "M.Hinge()", "yh, pr", "yh, pr2[:1].repeat(8, 0)"),
        metric("squared_hinge", "M.SquaredHinge()", *ML),
        metric("categorical_hinge", "M.CategoricalHinge()", *CAT),
        metric("mean_iou", "M.MeanIoU(3)", "ys, ps", "ys2, ps2"),
        metric("mean_iou_weighted", "M.MeanIoU(3, ignore_class=0)", "ys, ps, sample_weight=swi", "ys2, ps2"),
        metric("mean_iou_float", "M.MeanIoU(4, dtype='float32', sparse_y_pred=False)", "yint, pcat",
               "yint2, pcat2, sample_weight=sw2"),
        metric("iou", "M.IoU(3, target_class_ids=[0, 2])", "ys, ps", "ys2, ps2"),
        metric("binary_iou", "M.BinaryIoU(threshold=0.3)", "yb, pb", "yb2, pb2"),
        metric("binary_iou_target", "M.BinaryIoU(target_class_ids=[1])", "yml, pml"),
        metric("one_hot_iou", "M.OneHotIoU(4, target_class_ids=[1, 3])", "yoh, pcat", "yoh2, pcat2"),
        metric("one_hot_mean_iou", "M.OneHotMeanIoU(4)", "yoh, pcat", "yoh2, pcat2"),
        metric("dtype_mean_float16", "M.Mean(dtype='float16')", "v", "v2, sample_weight=sw2"),
        metric("dtype_accuracy_float64", "M.BinaryAccuracy(dtype='float64')", *BIN),
        metric("dtype_precision_float64", "M.Precision(dtype='float64')", *BIN),
        metric("dtype_auc_float64", "M.AUC(dtype='float64', num_thresholds=11)", *BIN),
        metric("dtype_f1_float64", "M.F1Score(dtype='float64', average='macro')", *CAT),
        metric("dtype_r2_float64", "M.R2Score(dtype='float64')", *REG),
        metric("dtype_rmse_float64", "M.RootMeanSquaredError(dtype='float64')", *REG),
        metric("dtype_iou_int32", "M.MeanIoU(3, dtype='int32')", "ys, ps, sample_weight=swi"),
        metric("lists", "M.MeanSquaredError()", "[[0, 1], [2, 3]], [[0.5, 1.0], [2.0, 2.5]]",
               "[[1.0], [2.0]], [[1.5], [2.5]], sample_weight=[1.0, 0.5]"),
        metric("lists_mean", "M.Mean()", "[1, 2, 3]", "[[1.0, 2.0]], sample_weight=[[0.5, 1.0]]"),
        metric("lists_auc", "M.AUC(num_thresholds=5)", "[0, 1, 1, 0], [0.1, 0.8, 0.4, 0.6]",
               "[1, 0], [0.9, 0.3]"),
        metric("int_predictions", "M.Precision()", "yb, yb2[:1].repeat(8, 0)", "yb2, yb2"),
    ]
    return cases


_FUNCTIONS = {
    "binary_accuracy": "binary_accuracy(yb, pb)", "binary_accuracy_threshold": "binary_accuracy(yb, pb, 0.2)",
    "categorical_accuracy": "categorical_accuracy(yoh, pcat)",
    "sparse_categorical_accuracy": "sparse_categorical_accuracy(yint, pcat)",
    "top_k": "top_k_categorical_accuracy(yoh, pcat, k=2)",
    "sparse_top_k": "sparse_top_k_categorical_accuracy(yint, pcat, k=3)",
    "bce": "binary_crossentropy(yml, pml)", "bce_logits": "binary_crossentropy(yml, pr, from_logits=True)",
    "bce_smoothing": "binary_crossentropy(yml, pml, label_smoothing=0.2)",
    "bfce": "binary_focal_crossentropy(yml, pml)",
    "bfce_options": "binary_focal_crossentropy(yml, pr, apply_class_balancing=True, alpha=0.4, gamma=1.5, "
                    "from_logits=True, label_smoothing=0.1)",
    "cce": "categorical_crossentropy(yoh, pcat)", "cce_logits": "categorical_crossentropy(yoh, lcat, True)",
    "cce_smoothing": "categorical_crossentropy(yoh, pcat, label_smoothing=0.3)",
    "cfce": "categorical_focal_crossentropy(yoh, pcat)",
    "cfce_logits": "categorical_focal_crossentropy(yoh, lcat, alpha=0.5, gamma=3.0, from_logits=True)",
    "scce": "sparse_categorical_crossentropy(yint, pcat)",
    "scce_logits": "sparse_categorical_crossentropy(yint1, lcat, from_logits=True)",
    "scce_ignore": "sparse_categorical_crossentropy(yint, lcat, from_logits=True, ignore_class=2)",
    "hinge": "hinge(yml, pr)", "squared_hinge": "squared_hinge(yh, pr)",
    "categorical_hinge": "categorical_hinge(yoh, pcat)", "huber": "huber(yr, pr)",
    "huber_delta": "huber(yr, pr, delta=0.5)", "kld": "kld(yoh, pcat)", "KLD": "KLD(pcat, pcat[::-1])",
    "kullback_leibler_divergence": "kullback_leibler_divergence(yml, pml)", "logcosh": "logcosh(yr, pr)",
    "mae": "mae(yr, pr)", "MAE": "MAE(yr[:, 0], pr[:, :1])", "mape": "mape(yr, pr)", "MAPE": "MAPE(yr, pr[:, :1])",
    "mse": "mse(yr, pr)", "MSE": "MSE(yr[:, :1], pr[:, 0])", "msle": "msle(yr, pr)",
    "MSLE": "MSLE(np.abs(yr), np.abs(pr))", "poisson": "poisson(np.abs(yr), np.abs(pr))",
    "pearson": "pearson_correlation(yr, pr)", "pearson_axis0": "pearson_correlation(yr, pr, axis=0)",
    "concordance": "concordance_correlation(yr, pr)",
    "concordance_axis0": "concordance_correlation(yr, pr, axis=0)",
}

_FUNCTION_NAMES = [
    "KLD", "MAE", "MAPE", "MSE", "MSLE", "binary_accuracy", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_accuracy", "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "concordance_correlation", "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mae",
    "mape", "mse", "msle", "pearson_correlation", "poisson", "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "squared_hinge",
    "top_k_categorical_accuracy",
]


def _function_cases() -> list:
    cases = [case(f"fn_{key}", f"M.{call}") for key, call in _FUNCTIONS.items()]
    return cases + [case(f"fn_name_{name}", f"M.{name}.__name__") for name in _FUNCTION_NAMES]


_CONFIGS = ["M.Mean()", "M.Sum(name='s', dtype='float64')", "M.AUC(thresholds=[0.3, 0.6], curve='PR')",
            "M.AUC(multi_label=True, num_labels=2, label_weights=[1.0, 2.0], from_logits=True)",
            "M.Precision(thresholds=[0.2, 0.7], top_k=2, class_id=1)", "M.Recall()", "M.F1Score()",
            "M.FBetaScore(average='micro', beta=2.0, threshold=0.4)", "M.R2Score(num_regressors=3)",
            "M.MeanIoU(3, ignore_class=0)", "M.IoU(4, [1, 2])", "M.BinaryIoU()", "M.OneHotIoU(3, [0])",
            "M.OneHotMeanIoU(3, dtype='float32')", "M.SparseTopKCategoricalAccuracy(k=3, from_sorted_ids=True)",
            "M.TopKCategoricalAccuracy()", "M.BinaryAccuracy(threshold=0.7)", "M.CosineSimilarity(axis=0)",
            "M.SparseCategoricalCrossentropy(ignore_class=3)", "M.CategoricalCrossentropy(label_smoothing=0.2)",
            "M.BinaryCrossentropy(from_logits=True)", "M.SensitivityAtSpecificity(0.4, num_thresholds=9)",
            "M.RecallAtPrecision(precision=0.8)", "M.TruePositives(thresholds=0.3)", "M.Hinge()",
            "M.MeanMetricWrapper(M.binary_accuracy, threshold=0.2)", "M.PearsonCorrelation(axis=0)"]


def _config_cases() -> list:
    cases = []
    for i, src in enumerate(_CONFIGS):
        cases.append(case(f"serialize_{i:02d}", f"M.serialize({src})"))
        if "label_weights" not in src:  # Keras 3.15 cannot rebuild AUC's tensor of label weights
            cases.append(case(f"roundtrip_{i:02d}", f"M.deserialize(M.serialize({src})).get_config()"))
    names = ["mse", "MSE", "mae", "mape", "msle", "bce", "BCE", "auc", "AUC", "accuracy", "binary_accuracy",
             "categorical_accuracy", "sparse_top_k_categorical_accuracy", "precision", "recall", "f1_score",
             "r2_score", "kl_divergence", "log_cosh_error", "root_mean_squared_error", "Mean"]
    cases += [case(f"get_{name}", f"(type(M.get({name!r})).__name__, M.get({name!r}).name)") for name in names]
    cases += [
        case("get_dict", "M.get({'class_name': 'AUC', 'config': {'num_thresholds': 4}}).get_config()"),
        case("get_class", "M.get(M.Precision).get_config()"),
        case("get_function", "M.get(M.mse).__name__"),
        case("get_none", "M.get(None)"),
        case("get_unknown", "M.get('nope')", error=True),
        case("get_crossentropy", "M.get('crossentropy')", error=True),
        case("get_mean_iou", "M.get('mean_io_u')", error=True),
        case("get_logcosh", "M.get('logcosh')", error=True),
        case("repr", "repr(M.AUC(name='x'))"),
        case("auto_names", "[M.Precision().name, M.Precision().name, M.MeanIoU(2).name, M.F1Score().name]"),
    ]
    return cases


_COMPILE = {
    "accuracy_binary": "'accuracy', yb, pb", "acc_binary": "'acc', yb_flat, pb",
    "accuracy_sparse": "'accuracy', yint, pcat", "accuracy_sparse_rank2": "'ACC', yint1, pcat",
    "accuracy_categorical": "'accuracy', yoh, pcat", "accuracy_multilabel": "'Accuracy', yml, pml",
    "mse": "'mse', yr, pr", "MAE": "'MAE', yr, pr", "auc": "'auc', yb, pb", "AUC": "'AUC', yb, pb",
    "bce": "'bce', yb, pb", "name": "'binary_accuracy', yb, pb", "function": "M.binary_accuracy, yb, pb",
    "instance": "M.Precision(name='p'), yb, pb", "class": "M.Recall, yb, pb",
    "dict": "{'class_name': 'TopKCategoricalAccuracy', 'config': {'k': 2}}, yoh, pcat",
}


def _compile_cases() -> list:
    cases = [case(f"compile_{key}", src, kind="compile") for key, src in _COMPILE.items()]
    cases += [case("compile_crossentropy", "'crossentropy', yoh, pcat", kind="compile", error=True),
              case("compile_ce", "'ce', yb, pb", kind="compile", error=True),
              case("compile_none", "None, yb, pb", kind="compile", error=True)]
    return cases


def _error_cases() -> list:
    errors = {
        "auc_num_thresholds": "M.AUC(num_thresholds=1)", "auc_curve": "M.AUC(curve='foo')",
        "auc_summation": "M.AUC(summation_method='foo')", "auc_num_labels": "M.AUC(num_labels=3)",
        "auc_multilabel_rank": "M.AUC(multi_label=True)(yb[:, 0], pb[:, 0])",
        "precision_thresholds": "M.Precision(thresholds=[0.5, 1.5, -0.1])",
        "precision_class_id_rank1": "M.Precision(class_id=1)(yb[:, 0], pb[:, 0])",
        "tp_thresholds": "M.TruePositives(thresholds=2.0)",
        "f1_average": "M.F1Score(average='foo')", "f1_beta": "M.FBetaScore(beta=1)",
        "f1_beta_negative": "M.FBetaScore(beta=-1.0)", "f1_threshold": "M.F1Score(threshold=1.5)",
        "f1_threshold_int": "M.F1Score(threshold=1)", "f1_rank": "M.F1Score()(yint, pint)",
        "r2_aggregation": "M.R2Score(class_aggregation='x')", "r2_regressors": "M.R2Score(num_regressors=-1)",
        "r2_rank": "M.R2Score()(v2d[None], v2d[None])",
        "iou_target": "M.IoU(3, target_class_ids=[0, 3])",
        "sensitivity_value": "M.SensitivityAtSpecificity(1.5)", "recall_value": "M.PrecisionAtRecall(-0.5)",
        "at_num_thresholds": "M.RecallAtPrecision(0.5, num_thresholds=0)",
        "bce_rank": "M.BinaryCrossentropy()(yb_flat, pb)", "bce_shape": "M.binary_crossentropy(yml, pml[:, :2])",
        "cce_shape": "M.categorical_crossentropy(yoh, pcat[:, :3])",
        "scce_rank": "M.sparse_categorical_crossentropy(yoh, pcat)",
        "mean_dtype": "M.Mean(dtype='foo')",
    }
    return [case(f"error_{key}", src, error=True) for key, src in errors.items()]


CASES = _metric_cases() + _function_cases() + _config_cases() + _compile_cases() + _error_cases()


def make_inputs() -> dict:
    """The fixed inputs the cases name (stored in the npz; the test uses the stored ones)."""
    rng = np.random.default_rng(20261125)

    def probs(shape):
        p = rng.uniform(0.0, 1.0, shape)
        p.flat[:4] = [0.0, 1.0, 0.5, 0.25]  # the end points and two thresholds, exactly
        return p

    def softmax(shape):
        e = np.exp(rng.normal(0.0, 1.5, shape))
        p = e / e.sum(-1, keepdims=True)
        p[0] = [0.4, 0.4, 0.1, 0.1]  # a tie for the top class
        return p

    yint = rng.integers(0, 4, 8)
    yint2 = rng.integers(0, 4, 6)
    arrays = {
        "yb": rng.integers(0, 2, (8, 1)), "pb": probs((8, 1)),
        "yb2": rng.integers(0, 2, (6, 1)), "pb2": rng.uniform(0.0, 1.0, (6, 1)),
        "yb_flat": rng.integers(0, 2, 8), "logits": rng.normal(0.0, 2.0, (8, 1)),
        "yml": rng.integers(0, 2, (8, 3)), "pml": probs((8, 3)),
        "yml2": rng.integers(0, 2, (6, 3)), "pml2": rng.uniform(0.0, 1.0, (6, 3)),
        "yint": yint, "yint1": yint[:, None], "yoh": np.eye(4)[yint], "pcat": softmax((8, 4)),
        "yint2": yint2, "yoh2": np.eye(4)[yint2], "pcat2": softmax((6, 4)),
        "lcat": rng.normal(0.0, 2.0, (8, 4)), "pint": rng.integers(0, 4, 8),
        "yr": rng.normal(0.0, 1.0, (8, 3)), "pr": rng.normal(0.0, 1.0, (8, 3)),
        "yr2": rng.normal(0.0, 1.0, (6, 3)), "pr2": rng.normal(0.0, 1.0, (6, 3)),
        "yh": rng.choice([-1.0, 1.0], (8, 3)),
        "v": rng.normal(0.0, 2.0, 8), "v2": rng.normal(0.0, 2.0, 6), "v2d": rng.normal(0.0, 2.0, (8, 3)),
        "sw": np.concatenate([[0.0], rng.uniform(0.2, 2.0, 7)]), "sw2": rng.uniform(0.2, 2.0, 6),
        "sw2d": rng.uniform(0.0, 2.0, (8, 3)),
        "ys": rng.integers(0, 3, 8), "ps": np.array([0, 1, 2, 3, -1, 2, 1, 0]), "ys2": rng.integers(0, 3, 6),
        "ps2": rng.integers(0, 3, 6), "swi": rng.integers(0, 3, 8),
    }
    return {key: arr.astype("int32" if arr.dtype.kind == "i" else "float32") for key, arr in arrays.items()}


def namespace(metrics, inputs: dict, resolve, reset) -> dict:
    """What a case's expressions see: `M` (the metrics module), `np`, the inputs, and the
    side's `resolve(identifier, y_true, y_pred)` (compile resolution) and `reset()` (names)."""
    return {"M": metrics, "np": np, "resolve": resolve, "reset": reset, **inputs}


def plain(value):
    """A config or result as JSON holds it: tensors and arrays become `{"tensor": values}`."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "numpy"):
        return {"tensor": np.asarray(value.numpy()).tolist()}
    if isinstance(value, np.ndarray):
        return {"tensor": value.tolist()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def tensor_record(value) -> dict:
    """A result tensor: dtype name, shape and values (float32 values are exact in JSON)."""
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    return {"dtype": arr.dtype.name, "shape": list(arr.shape), "values": arr.ravel().tolist()}


def _dtype_name(dtype) -> str:
    return getattr(dtype, "name", dtype)


def _run_metric(spec: dict, env: dict) -> dict:
    metric = eval(spec["src"], env)
    scope = {**env, "m": metric}
    call = "m" if spec["call"] else "m.update_state"
    steps = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for batch in spec["batches"]:
            returned = eval(f"{call}({batch})", scope)
            steps.append(tensor_record(returned if spec["call"] else metric.result()))
        metric.reset_state()
        reset = tensor_record(metric.result())
        eval(f"m.update_state({spec['batches'][0]})", scope)
        again = tensor_record(metric.result())
    return {"kind": "metric", "steps": steps, "reset": reset, "again": again,
            "config": plain(metric.get_config()), "name": metric.name,
            "variables": [[v.path, list(v.shape), _dtype_name(v.dtype)] for v in metric.variables],
            "warnings": [str(w.message) for w in caught]}


def run_case(spec: dict, env: dict) -> dict:
    """Runs one case on either side; returns its JSON record."""
    env["reset"]()
    try:
        if spec["kind"] == "metric":
            record = _run_metric(spec, env)
        elif spec["kind"] == "compile":
            metric = eval(f"resolve({spec['src']})", env)
            record = {"kind": "compile", "class": type(metric).__name__, "name": metric.name,
                      "config": plain(metric.get_config())}
        else:
            result = eval(spec["src"], env)
            record = ({"kind": "tensor", **tensor_record(result)} if hasattr(result, "numpy")
                      else {"kind": "json", "value": plain(result)})
    except Exception as exc:  # noqa: BLE001 -- an error case records whatever was raised
        if not spec["error"]:
            raise
        record = {"kind": "error", "type": type(exc).__name__}
        if spec["message"]:
            record["message"] = str(exc)
        return record
    if spec["error"]:
        raise AssertionError(f"{spec['id']}: expected an error, got {record}")
    return record


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    import tensorflow as tf
    from keras.src.trainers.compile_utils import get_metric

    from compat.generate_ops import write_npz

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    inputs = make_inputs()
    env = namespace(tf.keras.metrics, inputs, get_metric, tf.keras.backend.clear_session)
    cases, failures = {}, []
    for spec in CASES:
        try:
            cases[spec["id"]] = {"src": spec["src"], "batches": spec["batches"], **run_case(spec, env)}
        except Exception as exc:  # noqa: BLE001 -- collected, so that one run lists every broken case
            failures.append(f"{spec['id']}: {type(exc).__name__}: {str(exc)[:300]}")
    if failures:
        raise RuntimeError("cases that misbehave under TF:\n" + "\n".join(failures))
    meta = {"generator": "compat/generate_metrics.py", "tensorflow": tf.__version__,
            "keras": tf.keras.__version__, "numpy": np.__version__, "cases": cases}
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "metrics.json").write_text(json.dumps(meta, sort_keys=True, indent=1) + "\n")
    write_npz(FIXTURES / "metrics.npz", {f"in.{name}": arr for name, arr in inputs.items()})
    print(f"{len(CASES)} cases -> {FIXTURES}")


if __name__ == "__main__":
    main()
