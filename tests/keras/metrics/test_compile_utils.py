"""How `compile(metrics=[...])` entries resolve (Keras 3.15's `get_metric`; more in the parity cases)."""

import pytest

from kerastorch.keras import metrics as M
from kerastorch.keras.metrics.compile_utils import is_binary_or_sparse_categorical, resolve_compile_metric


@pytest.mark.parametrize(("identifier", "y_true", "y_pred", "cls"), [
    ("accuracy", (32, 1), (32, 1), M.BinaryAccuracy),
    ("acc", (32,), (32, 1), M.BinaryAccuracy),
    ("Accuracy", (32,), (32, 10), M.SparseCategoricalAccuracy),
    ("ACC", (32, 1), (32, 10), M.SparseCategoricalAccuracy),
    ("accuracy", (32, 10), (32, 10), M.CategoricalAccuracy),
    ("accuracy", (32, 5, 1), (32, 5, 10), M.SparseCategoricalAccuracy),
], ids=["binary", "binary_flat", "sparse", "sparse_rank2", "categorical", "sequence"])
def test_accuracy_follows_the_shapes(identifier, y_true, y_pred, cls):
    metric = resolve_compile_metric(identifier, y_true, y_pred)
    assert type(metric) is cls and metric.name == identifier


@pytest.mark.parametrize(("identifier", "cls", "name"), [
    ("mse", M.MeanSquaredError, "mse"), ("MAE", M.MeanAbsoluteError, "MAE"), ("auc", M.AUC, "auc"),
    ("binary_crossentropy", M.BinaryCrossentropy, "binary_crossentropy"),
    (M.Precision(name="p"), M.Precision, "p"), (M.Recall, M.Recall, "recall"),
    (M.binary_accuracy, M.MeanMetricWrapper, "binary_accuracy"),
], ids=["mse", "MAE", "auc", "bce", "instance", "class", "function"])
def test_other_identifiers(identifier, cls, name):
    metric = resolve_compile_metric(identifier, (8, 1), (8, 1))
    assert type(metric) is cls and metric.name == name


def test_user_function_is_wrapped_and_named_in_snake_case():
    def MyScore(y_true, y_pred):  # noqa: N802 -- the name is what is tested
        return y_pred

    metric = resolve_compile_metric(MyScore, (4,), (4,))
    assert type(metric) is M.MeanMetricWrapper and metric.name == "my_score"


@pytest.mark.parametrize(("identifier", "message"), [
    (None, "Expected metric, received `None`"),
    ("crossentropy", "Could not interpret metric identifier: crossentropy"),
    ("ce", "Could not interpret metric identifier: ce"),
], ids=["none", "crossentropy", "ce"])
def test_refused(identifier, message):
    with pytest.raises(ValueError, match=message):
        resolve_compile_metric(identifier, (4, 3), (4, 3))


def test_shape_inference():
    assert is_binary_or_sparse_categorical((4,), (4, 1)) == (True, True)
    assert is_binary_or_sparse_categorical((4, 3), (4, 3)) == (False, False)
