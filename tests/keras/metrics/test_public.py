"""`tf.keras.metrics`'s names, `get` / `serialize` / `deserialize` (more in the parity cases)."""

import pytest

import kerastorch as tf
from kerastorch.keras import metrics as M

# tf.keras.metrics of TF 2.21 (Keras 3.15), printed with `dir()`.
TF_NAMES = {
    "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU", "CategoricalAccuracy",
    "CategoricalCrossentropy", "CategoricalHinge", "ConcordanceCorrelation", "CosineSimilarity", "F1Score",
    "FBetaScore", "FalseNegatives", "FalsePositives", "Hinge", "IoU", "KLD", "KLDivergence", "LogCoshError",
    "MAE", "MAPE", "MSE", "MSLE", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanIoU",
    "MeanMetricWrapper", "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric", "OneHotIoU",
    "OneHotMeanIoU", "PearsonCorrelation", "Poisson", "Precision", "PrecisionAtRecall", "R2Score", "Recall",
    "RecallAtPrecision", "RootMeanSquaredError", "SensitivityAtSpecificity", "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity",
    "SquaredHinge", "Sum", "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives", "binary_accuracy",
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_accuracy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_hinge", "concordance_correlation", "deserialize", "get",
    "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mae", "mape", "mse", "msle",
    "pearson_correlation", "poisson", "serialize", "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "squared_hinge",
    "top_k_categorical_accuracy",
}


def test_public_names_are_tf_keras_names():
    assert set(M.__all__) == TF_NAMES
    assert all(getattr(M, name) is not None for name in TF_NAMES)


@pytest.mark.parametrize(("alias", "name"), [("mse", "MSE"), ("mae", "MAE"), ("mape", "MAPE"), ("msle", "MSLE"),
                                             ("kld", "KLD"), ("kld", "kullback_leibler_divergence")], ids=str)
def test_function_aliases_are_one_function(alias, name):
    assert getattr(M, alias) is getattr(M, name)


def test_functions_take_and_give_kerastorch_tensors():
    result = M.mse(tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 4.0]]))
    assert isinstance(result, tf.Tensor) and result.numpy().tolist() == [2.0]


def test_get():
    assert type(M.get("mse")) is M.MeanSquaredError
    assert M.get(M.mse) is M.mse
    assert M.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 5"):
        M.get(5)


def test_custom_object_deserialization():
    @tf.keras.saving.register_keras_serializable(package="Test")
    class Count(M.Sum):
        pass

    config = M.serialize(Count(name="c"))
    assert config["registered_name"] == "Test>Count"
    assert type(M.deserialize(config)) is Count
