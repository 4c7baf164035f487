"""Tests for `get` / `serialize` / `deserialize`, LossFunctionWrapper, the public names and
the resolution of `compile(loss=...)` entries.

Configs and names were printed by Keras 3.15 (TF 2.21's `tf.keras.losses`).
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import losses as L
from kerastorch.keras import utils

TF_KERAS_NAMES = {
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy", "CategoricalHinge", "Circle", "CosineSimilarity", "Dice", "Hinge", "Huber",
    "KLD", "KLDivergence", "LogCosh", "Loss", "MAE", "MAPE", "MSE", "MSLE", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson", "Reduction",
    "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_generalized_cross_entropy",
    "categorical_hinge", "circle", "cosine_similarity", "ctc", "deserialize", "dice", "get", "hinge", "huber", "kld",
    "kullback_leibler_divergence", "logcosh", "mae", "mape", "mse", "msle", "poisson", "serialize",
    "sparse_categorical_crossentropy", "squared_hinge", "tversky",
}


def test_public_names_are_tf_kerass():
    assert set(L.__all__) == TF_KERAS_NAMES
    assert L.mse is L.MSE is L.mean_squared_error and L.logcosh is L.log_cosh
    assert L.kld is L.kullback_leibler_divergence is L.kl_divergence


@pytest.mark.parametrize(("identifier", "expected"), [
    ("mse", "mean_squared_error"), ("BCE", "binary_crossentropy"), ("huber", "huber"),
    ("Huber", "Huber"), ("CTC", "CTC"), (L.Huber, "Huber"), (L.poisson, "poisson"),
], ids=str)
def test_get(identifier, expected):
    obj = L.get(identifier)
    assert getattr(obj, "__name__", type(obj).__name__) == expected


def test_get_none_dicts_and_errors():
    assert L.get(None) is None
    loss = L.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    assert loss.get_config()["from_logits"] is True
    instance = L.Huber(delta=2.0)
    assert L.get(instance) is instance
    with pytest.raises(ValueError, match="Could not interpret loss identifier: nope"):
        L.get("nope")


def test_class_configs_round_trip():
    loss = L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, from_logits=True, name="focal")
    config = L.serialize(loss)
    assert config["module"] == "keras.losses" and config["class_name"] == "BinaryFocalCrossentropy"
    assert config["config"] == {"name": "focal", "reduction": "sum_over_batch_size", "from_logits": True,
                                "label_smoothing": 0.0, "axis": -1, "apply_class_balancing": True, "alpha": 0.4,
                                "gamma": 2.0}
    assert L.deserialize(config).get_config() == loss.get_config()


def test_function_wrapper_config_round_trip():
    wrapper = L.LossFunctionWrapper(L.huber, reduction="sum", name="h", delta=0.5)
    config = wrapper.get_config()
    assert config == {"name": "h", "reduction": "sum", "delta": 0.5,
                      "fn": {"module": "builtins", "class_name": "function", "config": "huber",
                             "registered_name": "function"}}
    again = L.LossFunctionWrapper.from_config(config)
    assert again.fn is L.huber and again._fn_kwargs == {"delta": 0.5}
    y_true, y_pred = np.zeros((2, 2), "float32"), np.array([[0.2, 2.0], [1.0, -0.4]], "float32")
    assert again(y_true, y_pred).numpy() == pytest.approx(wrapper(y_true, y_pred).numpy())


def test_registered_user_function_round_trip():
    @utils.register_keras_serializable(package="test_losses")
    def doubled_mse(y_true, y_pred):
        return 2.0 * tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)

    config = L.serialize(doubled_mse)
    assert L.deserialize(config) is doubled_mse
    loss = L.LossFunctionWrapper.from_config(L.LossFunctionWrapper(doubled_mse).get_config())
    assert loss.fn is doubled_mse
    assert loss([[0.0, 0.0]], [[1.0, 3.0]]).numpy() == pytest.approx(10.0)


def test_wrapped_user_function_on_torch_tensors_keeps_the_graph():
    loss = L.LossFunctionWrapper(lambda t, p: tf.reduce_sum(tf.square(p - t), axis=-1), reduction="sum")
    y_pred = torch.tensor([[1.0, 2.0]], requires_grad=True)
    value = loss.raw(torch.zeros(1, 2), y_pred)
    assert type(value) is torch.Tensor and value.item() == 5.0
    value.backward()
    np.testing.assert_array_equal(y_pred.grad.numpy(), [[2.0, 4.0]])
    # The wrapper squeezes or expands y_true to y_pred's rank first, as Keras's.
    assert loss.raw(torch.zeros(1), torch.tensor([[3.0]])).item() == 9.0


@pytest.mark.parametrize(("entry", "name", "fn"), [
    ("mse", "mse", L.mean_squared_error),
    ("categorical_crossentropy", "categorical_crossentropy", L.categorical_crossentropy),
    (L.poisson, "poisson", L.poisson),
], ids=str)
def test_compile_loss_wraps_functions(entry, name, fn):
    loss = L.compile_loss(entry)
    assert isinstance(loss, L.LossFunctionWrapper) and loss.name == name and loss.fn is fn
    assert loss.reduction == "sum_over_batch_size"


@pytest.mark.parametrize(("y_true", "y_pred", "fn"), [
    ((8, 1), (8, 1), L.binary_crossentropy),
    ((8,), (8, 5), L.sparse_categorical_crossentropy),
    ((8, 1), (8, 5), L.sparse_categorical_crossentropy),
    ((8, 5), (8, 5), L.categorical_crossentropy),
], ids=str)
def test_compile_loss_picks_the_crossentropy_from_shapes(y_true, y_pred, fn):
    for entry in ("crossentropy", "CE"):
        loss = L.compile_loss(entry, torch.zeros(y_true), y_pred)
        assert loss.fn is fn and loss.name == entry


def test_compile_loss_keeps_loss_objects():
    loss = L.Huber()
    assert L.compile_loss(loss) is loss
    assert L.compile_loss(None) is None
    assert isinstance(L.compile_loss("Huber"), L.Huber)
