"""The fit loop's entry points: `raw_update` / `raw_result` never read a value back to the host.

A host sync in torch's Python API goes through `item`, `tolist`, `numpy` or a conversion
of a tensor to a Python bool/float/int; these are made to raise while every built-in
metric, after a first step (which may fill host-side caches of constants), takes two
batches (weighted and not) and computes its result. (Syncs inside torch
kernels, such as boolean-mask indexing, are avoided by construction and are not used.)
"""

import numpy as np
import pytest
import torch

from kerastorch.keras import metrics as M

RNG = np.random.default_rng(7)
BIN = (torch.tensor(RNG.integers(0, 2, (16, 1)), dtype=torch.float32), torch.tensor(RNG.uniform(size=(16, 1))))
ML = (torch.tensor(RNG.integers(0, 2, (16, 3)), dtype=torch.float32), torch.tensor(RNG.uniform(size=(16, 3))))
LABELS = torch.tensor(RNG.integers(0, 4, 16))
CAT = (torch.eye(4)[LABELS], torch.softmax(torch.tensor(RNG.normal(size=(16, 4))), -1).float())
SPARSE = (LABELS, CAT[1])
REG = (torch.tensor(RNG.normal(size=(16, 3))).float(), torch.tensor(RNG.normal(size=(16, 3))).float())
IDS = (torch.tensor(RNG.integers(0, 3, 16)), torch.tensor(RNG.integers(-1, 4, 16)))

METRICS = [
    ("Accuracy", M.Accuracy, (LABELS, LABELS.flip(0))), ("BinaryAccuracy", M.BinaryAccuracy, BIN),
    ("CategoricalAccuracy", M.CategoricalAccuracy, CAT), ("SparseCategoricalAccuracy", M.SparseCategoricalAccuracy,
                                                          SPARSE),
    ("TopK", lambda: M.TopKCategoricalAccuracy(k=2), CAT), ("SparseTopK", M.SparseTopKCategoricalAccuracy, SPARSE),
    ("TruePositives", lambda: M.TruePositives([0.2, 0.6]), BIN), ("FalsePositives", M.FalsePositives, ML),
    ("TrueNegatives", M.TrueNegatives, BIN), ("FalseNegatives", lambda: M.FalseNegatives([0, 0.5, 1.0]), ML),
    ("Precision", M.Precision, BIN), ("Recall_top_k", lambda: M.Recall(top_k=2, class_id=1), CAT),
    ("PrecisionAtRecall", lambda: M.PrecisionAtRecall(0.5), BIN),
    ("SensitivityAtSpecificity", lambda: M.SensitivityAtSpecificity(0.5, num_thresholds=1), BIN),
    ("AUC", M.AUC, BIN), ("AUC_PR", lambda: M.AUC(curve="PR", thresholds=[0.3, 0.5]), BIN),
    ("AUC_multi", lambda: M.AUC(multi_label=True, label_weights=[1.0, 2.0, 3.0]), ML),
    ("AUC_prgain", lambda: M.AUC(curve="PRGAIN", from_logits=True), BIN),
    ("F1Score", M.F1Score, CAT), ("FBeta", lambda: M.FBetaScore("weighted", 2.0, 0.5), ML),
    ("MSE", M.MeanSquaredError, REG), ("RMSE", M.RootMeanSquaredError, REG), ("MAE", M.MeanAbsoluteError, REG),
    ("MAPE", M.MeanAbsolutePercentageError, REG), ("MSLE", M.MeanSquaredLogarithmicError, REG),
    ("Cosine", M.CosineSimilarity, REG), ("LogCosh", M.LogCoshError, REG), ("R2", M.R2Score, REG),
    ("Pearson", M.PearsonCorrelation, REG), ("Concordance", M.ConcordanceCorrelation, REG),
    ("BCE", lambda: M.BinaryCrossentropy(label_smoothing=0.1), BIN), ("CCE", M.CategoricalCrossentropy, CAT),
    ("SCCE", lambda: M.SparseCategoricalCrossentropy(ignore_class=2), SPARSE), ("KLD", M.KLDivergence, CAT),
    ("Poisson", M.Poisson, (REG[0].abs(), REG[1].abs())), ("Hinge", M.Hinge, BIN),
    ("SquaredHinge", M.SquaredHinge, ML), ("CategoricalHinge", M.CategoricalHinge, CAT),
    ("MeanIoU", lambda: M.MeanIoU(3, ignore_class=0), IDS), ("IoU", lambda: M.IoU(3, [1, 2]), IDS),
    ("BinaryIoU", M.BinaryIoU, BIN), ("OneHotMeanIoU", lambda: M.OneHotMeanIoU(4), CAT),
    ("Wrapper", lambda: M.MeanMetricWrapper(M.binary_accuracy, threshold=0.3), BIN),
]


_SYNCS = ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__", "__array__")


def _refuse(*args, **kwargs):
    raise AssertionError("a host sync in the fit loop's metric path")


def _weights(metric, count: int) -> torch.Tensor:
    # IoU metrics count in int64 and warn about float weights, as Keras does.
    if metric.dtype.startswith("int"):
        return torch.arange(count) % 3
    return torch.linspace(0.0, 2.0, count)


@pytest.mark.parametrize(("make", "data"), [m[1:] for m in METRICS], ids=[m[0] for m in METRICS])
def test_raw_path_has_no_host_sync(make, data):
    metric = make()
    weights = _weights(metric, data[0].shape[0])
    metric.raw_update(*data, sample_weight=weights)  # first steps may fill host-side caches
    with pytest.MonkeyPatch.context() as patch:
        for name in _SYNCS:
            patch.setattr(torch.Tensor, name, _refuse)
        metric.raw_update(*data)
        metric.raw_update(*data, sample_weight=weights)
        result = metric.raw_result()
        metric.reset_state()
    assert isinstance(result, torch.Tensor) and torch.isfinite(result).all()


@pytest.mark.parametrize(("make", "data"), [m[1:] for m in METRICS], ids=[m[0] for m in METRICS])
def test_raw_path_equals_the_facade(make, data):
    raw, facade = make(), make()
    weights = _weights(raw, data[0].shape[0])
    raw.raw_update(*data, sample_weight=weights)
    facade.update_state(*(x.numpy() for x in data), sample_weight=weights.numpy())
    np.testing.assert_allclose(raw.raw_result().numpy(), facade.result().numpy(), rtol=1e-6)
