"""`tf.keras.metrics`: stateful metrics and metric functions, with Keras 3.15's names.

Each metric keeps its state in non-trainable Keras variables on the device. The fit loop
calls `metric.raw_update(y_true, y_pred, sample_weight=None)` and `metric.raw_result()`
on torch tensors (no host sync; see `base.py`) and `reset_state()` between epochs;
`compile_utils.resolve_compile_metric` turns a `compile(metrics=[...])` entry into a metric.
"""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import _family
from kerastorch.keras import _serialization as ser
from kerastorch.keras.engine.naming import to_snake_case
from kerastorch.keras.losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from kerastorch.keras.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from kerastorch.keras.metrics.auc import AUC
from kerastorch.keras.metrics.base import Metric
from kerastorch.keras.metrics.confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from kerastorch.keras.metrics.f_score import F1Score, FBetaScore
from kerastorch.keras.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kerastorch.keras.metrics.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from kerastorch.keras.metrics.reduction import Mean, MeanMetricWrapper, Sum
from kerastorch.keras.metrics.regression import (
    ConcordanceCorrelation,
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    PearsonCorrelation,
    R2Score,
    RootMeanSquaredError,
    concordance_correlation,
    pearson_correlation,
)

# tf.keras's short names of the (loss) functions (Keras 3 itself spells them out).
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSE = mse = mean_squared_error
MSLE = msle = mean_squared_logarithmic_error

ALL_OBJECTS = (
    Metric, Mean, Sum, MeanMetricWrapper,
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives,
    ConcordanceCorrelation, PearsonCorrelation,
    Hinge, SquaredHinge, CategoricalHinge,
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    F1Score, FBetaScore,
    IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU,
)
# Names resolve to classes only (Keras's table: "binary_accuracy" is the class, not the function).
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
})


@ser.keras_export("keras.metrics.serialize")
def serialize(metric) -> dict:
    """The config dict of a metric or metric function."""
    return ser.serialize_keras_object(metric)


@ser.keras_export("keras.metrics.deserialize")
def deserialize(config, custom_objects: dict | None = None):
    """The metric (or function) a name or config dict describes."""
    return ser.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS_DICT)


@ser.keras_export("keras.metrics.get")
def get(identifier):
    """A metric from None, a name (a new instance), a config dict, a class, or a callable."""
    return _family.get(identifier, "metric", ALL_OBJECTS_DICT)


__all__ = sorted(
    {cls.__name__ for cls in ALL_OBJECTS}
    | {"KLD", "MAE", "MAPE", "MSE", "MSLE", "binary_accuracy", "binary_crossentropy",
       "binary_focal_crossentropy", "categorical_accuracy", "categorical_crossentropy",
       "categorical_focal_crossentropy", "categorical_hinge", "concordance_correlation", "deserialize", "get",
       "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mae", "mape", "mse", "msle",
       "pearson_correlation", "poisson", "serialize", "sparse_categorical_accuracy",
       "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "squared_hinge",
       "top_k_categorical_accuracy"}
)

__getattr__ = _missing_names("tf.keras.metrics", __name__)
