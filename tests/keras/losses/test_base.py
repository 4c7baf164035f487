"""Tests for the Loss base: the raw entry point, reductions, sample weights, masks, subclasses.

Expected values are hand-derived from Keras 3.15's formulas (`keras/src/losses/loss.py`)
or are the examples of Keras's docstrings.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import losses as L
from kerastorch.keras.engine import masking
from kerastorch.keras.losses.base import apply_mask, reduce_weighted_values

Y_TRUE = np.array([[0.0, 1.0], [0.0, 0.0]], "float32")
LOGITS = np.array([[-18.6, 0.51], [2.94, -12.8]], "float32")

DOC_EXAMPLES = [
    ("mse", lambda: L.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8]), 0.02),
    ("mae", lambda: L.MeanAbsoluteError()([1.0, 0.3, 1.0], [1.9, 0.3, 1.8]), 0.5666667),
    ("mape", lambda: L.MeanAbsolutePercentageError()([100.0, 200.0, 300.0], [90.0, 210.0, 310.0]), 6.111111),
    ("bce_logits", lambda: L.BinaryCrossentropy(from_logits=True)(Y_TRUE, LOGITS), 0.8654),
    ("bce_weighted", lambda: L.BinaryCrossentropy(from_logits=True)(Y_TRUE, LOGITS, sample_weight=[0.8, 0.2]),
     0.243),
    ("bce_sum", lambda: L.BinaryCrossentropy(from_logits=True, reduction="sum")(Y_TRUE, LOGITS), 1.730),
    ("bfce", lambda: L.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)(Y_TRUE, LOGITS), 0.647),
    ("bfce_balanced", lambda: L.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=3.0, from_logits=True)(
        Y_TRUE, LOGITS), 0.482),
    ("cce", lambda: L.CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 1.177),
    ("cce_weighted", lambda: L.CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]],
                                                         sample_weight=np.array([0.3, 0.7])), 0.814),
    ("cfce", lambda: L.CategoricalFocalCrossentropy()([[0., 1., 0.], [0., 0., 1.]],
                                                      [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 0.23315276),
    ("scce", lambda: L.SparseCategoricalCrossentropy()(np.array([1, 2]), [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 1.177),
]


@pytest.mark.parametrize(("make", "expected"), [e[1:] for e in DOC_EXAMPLES], ids=[e[0] for e in DOC_EXAMPLES])
def test_keras_docstring_examples(make, expected):
    out = make()
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32 and out.shape == ()
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-3)


def test_raw_is_a_torch_scalar_with_a_graph():
    y_pred = torch.tensor([[0.9, 0.2], [0.4, 0.6]], requires_grad=True)
    loss = L.MeanSquaredError().raw(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), y_pred)
    assert type(loss) is torch.Tensor and loss.shape == () and loss.dtype == torch.float32
    loss.backward()
    np.testing.assert_allclose(y_pred.grad.numpy(), [[-0.05, 0.1], [0.2, -0.2]], rtol=1e-6)


def test_raw_casts_inputs_to_the_loss_dtype():
    y_true, y_pred = torch.zeros(2, 3, dtype=torch.float64), torch.ones(2, 3, dtype=torch.float64)
    assert L.MeanSquaredError().raw(y_true, y_pred).dtype == torch.float32
    assert L.MeanSquaredError(dtype="float64").raw(y_true.float(), y_pred.float()).dtype == torch.float64
    assert L.SparseCategoricalCrossentropy().raw(torch.tensor([0, 2]), torch.full((2, 3), 1 / 3)).dtype == (
        torch.float32)


@pytest.mark.parametrize(("reduction", "expected"), [
    ("sum_over_batch_size", (1.0 * 1 + 4.0 * 0.5 + 9.0 * 2) / 3),
    ("mean", (1.0 * 1 + 4.0 * 0.5 + 9.0 * 2) / 3),
    ("sum", 1.0 * 1 + 4.0 * 0.5 + 9.0 * 2),
    ("mean_with_sample_weight", (1.0 * 1 + 4.0 * 0.5 + 9.0 * 2) / 3.5),
    ("none", [1.0, 2.0, 18.0]),
    (None, [1.0, 2.0, 18.0]),
], ids=str)
def test_reductions(reduction, expected):
    values = torch.tensor([1.0, 4.0, 9.0])
    out = reduce_weighted_values(values, torch.tensor([1.0, 0.5, 2.0]), reduction=reduction)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_sample_weight_shapes():
    values = torch.tensor([1.0, 4.0])
    # A trailing axis of 1 is squeezed; a scalar broadcasts; zero weights divide by zero safely.
    assert reduce_weighted_values(values, torch.tensor([[2.0], [0.0]]), reduction="sum").item() == 2.0
    assert reduce_weighted_values(values, torch.tensor(3.0), reduction="sum").item() == 15.0
    assert reduce_weighted_values(values, torch.zeros(2), reduction="mean_with_sample_weight").item() == 0.0


def test_apply_mask_weighs_valid_entries_total_over_valid():
    mask = torch.tensor([True, False, True, True])
    np.testing.assert_allclose(apply_mask(None, mask, torch.float32, "sum_over_batch_size").numpy(),
                               [4 / 3, 0.0, 4 / 3, 4 / 3], rtol=1e-6)
    np.testing.assert_array_equal(apply_mask(None, mask, torch.float32, "sum").numpy(), [1.0, 0.0, 1.0, 1.0])
    weighted = apply_mask(torch.tensor([[1.0], [2.0], [3.0], [4.0]]), mask, torch.float32, "sum")
    np.testing.assert_array_equal(weighted.numpy(), [[1.0], [0.0], [3.0], [4.0]])  # the mask is expanded
    empty = apply_mask(None, torch.zeros(4, dtype=torch.bool), torch.float32, "mean")
    np.testing.assert_array_equal(empty.numpy(), np.zeros(4))
    assert apply_mask(None, None, torch.float32, "sum") is None


def test_raw_reads_the_mask_of_the_prediction():
    y_true, y_pred = torch.zeros(4, 2), torch.tensor([[1.0, 1.0], [5.0, 5.0], [2.0, 2.0], [3.0, 3.0]])
    masking.set_mask(y_pred, torch.tensor([True, False, True, True]))
    np.testing.assert_allclose(L.MeanSquaredError().raw(y_true, y_pred).item(), (1 + 4 + 9) / 3, rtol=1e-6)
    assert L.MeanSquaredError(reduction="sum").raw(y_true, y_pred).item() == 14.0


def test_ignore_class_masks_the_mean():
    y_true = np.array([1, -1, 0])
    y_pred = np.array([[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]], "float32")
    out = L.SparseCategoricalCrossentropy(ignore_class=-1)(y_true, y_pred)
    np.testing.assert_allclose(out.numpy(), -(np.log(0.8) + np.log(0.6)) / 2, rtol=1e-6)
    per_sample = L.sparse_categorical_crossentropy(y_true, y_pred, ignore_class=-1)
    np.testing.assert_array_equal(per_sample._keras_mask.numpy(), [True, False, True])
    assert per_sample.numpy()[1] == 0.0


def test_invalid_reduction():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`.*Received: reduction=auto"):
        L.MeanSquaredError(reduction="auto")


def test_legacy_reduction_names():
    assert L.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    L.Reduction.validate("sum")
    with pytest.raises(ValueError, match='Invalid Reduction Key: x. Expected keys are "'):
        L.Reduction.validate("x")


class ScaledError(L.Loss):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)


def test_subclass_on_the_facade_and_raw():
    loss = ScaledError(reduction="sum")
    assert loss.name == "scaled_error" and ScaledError().name == "scaled_error_1"
    assert loss([[1.0, 2.0]], [[2.0, 0.0]]).numpy() == pytest.approx(3.0)
    y_pred = torch.tensor([[2.0, 0.0]], requires_grad=True)
    value = loss.raw(torch.tensor([[1.0, 2.0]]), y_pred)  # outside any tape: the graph is kept all the same
    assert type(value) is torch.Tensor
    value.backward()
    np.testing.assert_allclose(y_pred.grad.numpy(), [[1.0, -1.0]])
    assert loss.get_config() == {"name": "scaled_error", "reduction": "sum"}


class Doubled(L.MeanSquaredError):
    def __call__(self, y_true, y_pred, sample_weight=None):
        return 2.0 * super().__call__(y_true, y_pred, sample_weight)


def test_subclass_redefining_call_goes_through_it_on_raw():
    value = Doubled().raw(torch.zeros(2, 2), torch.ones(2, 2))
    assert type(value) is torch.Tensor and value.item() == 2.0


def test_gradient_tape_through_the_public_face():
    x = tf.Variable([[0.3, 0.7]])
    with tf.GradientTape() as tape:
        loss = L.BinaryCrossentropy()([[0.0, 1.0]], x)
    grad = tape.gradient(loss, x).numpy()
    np.testing.assert_allclose(grad, [[1 / 0.7 / 2, -1 / 0.7 / 2]], rtol=1e-5)

