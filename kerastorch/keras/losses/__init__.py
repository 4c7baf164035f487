"""`tf.keras.losses`: Keras 3's losses (classes and functions), with `get` / `serialize` / `deserialize`.

For the training loop: `compile_loss(entry, y_true, y_pred)` turns a `compile(loss=...)`
entry into a Loss, whose `raw(y_true, y_pred, sample_weight=None)` computes on torch
tensors (see `base.py`); `raw_loss_function(fn)` is the torch form of a loss function,
`apply_mask` merges an output mask into sample weights as Keras does.
"""

from __future__ import annotations

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras import _family
from kerastorch.keras import _serialization as ser
from kerastorch.keras.losses.base import (
    Loss,
    Reduction,
    apply_mask,
    reduce_values,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)
from kerastorch.keras.losses.crossentropy import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
)
from kerastorch.keras.losses.ctc import CTC, ctc
from kerastorch.keras.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from kerastorch.keras.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
)
from kerastorch.keras.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kerastorch.keras.losses.segmentation import Dice, Tversky, dice, tversky
from kerastorch.keras.losses.similarity import Circle, circle
from kerastorch.keras.losses.wrapper import (
    LossFunctionWrapper,
    compile_loss,
    get_object_name,
    is_binary_or_sparse_categorical,
    loss_function,
    raw_loss_function,
)

# TF 2.21's `tf.keras.losses` exports these short names (and not the long ones of some
# functions, which `keras.losses` has: they stay importable here, out of `__all__`).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_CLASSES = (Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy, BinaryFocalCrossentropy,
            CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError,
            MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCosh,
            Huber, Hinge, SquaredHinge, CategoricalHinge, Dice, Tversky, Circle, CTC)
_FUNCTIONS = (kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
              categorical_focal_crossentropy, sparse_categorical_crossentropy, mean_squared_error,
              mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
              cosine_similarity, log_cosh, huber, hinge, squared_hinge, categorical_hinge, dice, tversky, circle,
              ctc)

# The names `get` / `deserialize` accept: Keras 3.15's table (its generalized crossentropy is
# exported but not in the table).
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS_DICT.update(bce=binary_crossentropy, BCE=binary_crossentropy, kld=kl_divergence, KLD=kl_divergence,
                        mae=mean_absolute_error, MAE=mean_absolute_error, mse=mean_squared_error,
                        MSE=mean_squared_error, mape=mean_absolute_percentage_error,
                        MAPE=mean_absolute_percentage_error, msle=mean_squared_logarithmic_error,
                        MSLE=mean_squared_logarithmic_error)


def serialize(loss) -> dict:
    """The config dict of a Loss, or the `{'class_name': 'function', ...}` entry of a loss function."""
    return ser.serialize_keras_object(loss)


def deserialize(name, custom_objects: dict | None = None):
    """The Loss or loss function a name or config dict describes."""
    return ser.deserialize_keras_object(name, custom_objects, module_objects=ALL_OBJECTS_DICT)


def get(identifier):
    """A loss from None, a name (a function, or a new default instance of a class), a config dict,
    a class or a callable; Keras's ValueError otherwise."""
    return _family.get(identifier, "loss", ALL_OBJECTS_DICT)


__all__ = ["CTC", "KLD", "MAE", "MAPE", "MSE", "MSLE", "BinaryCrossentropy", "BinaryFocalCrossentropy",
           "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "CategoricalGeneralizedCrossEntropy",
           "CategoricalHinge", "Circle", "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence", "LogCosh",
           "Loss", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
           "MeanSquaredLogarithmicError", "Poisson", "Reduction", "SparseCategoricalCrossentropy", "SquaredHinge",
           "Tversky", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
           "categorical_focal_crossentropy", "categorical_generalized_cross_entropy", "categorical_hinge", "circle",
           "cosine_similarity", "ctc", "deserialize", "dice", "get", "hinge", "huber", "kld",
           "kullback_leibler_divergence", "logcosh", "mae", "mape", "mse", "msle", "poisson", "serialize",
           "sparse_categorical_crossentropy", "squared_hinge", "tversky"]

__getattr__ = _missing_names("tf.keras.losses", __name__)
