"""Tests for `Mean`, `Sum`, `MeanMetricWrapper`: sample weights, Keras masks, user functions.

Expected values under masks were printed by Keras 3.15 (TF 2.21) for the same inputs.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import metrics as M
from kerastorch.keras.engine.masking import set_mask

Y_TRUE = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]], dtype="float32")
Y_PRED = np.array([[0.2, 0.8, 0.3], [0.9, 0.6, 0.7]], dtype="float32")
MASK = torch.tensor([[True, True, False], [True, False, False]])


def _masked(values, mask):
    raw = torch.as_tensor(values)
    set_mask(raw, mask)
    return raw


@pytest.mark.parametrize(("weight", "expected", "state"), [
    (None, 1.0, [1.0, 1.0]),
    (np.array([[1.0], [2.0]], dtype="float32"), 1.0, [4 / 3, 4 / 3]),
], ids=["mask", "mask_and_weights"])
def test_wrapper_weights_by_the_prediction_mask(weight, expected, state):
    metric = M.BinaryAccuracy()
    metric.raw_update(torch.as_tensor(Y_TRUE), _masked(Y_PRED, MASK),
                      sample_weight=None if weight is None else torch.as_tensor(weight))
    assert float(metric.raw_result()) == pytest.approx(expected)
    np.testing.assert_allclose([v.numpy() for v in metric.variables], state, rtol=1e-6)


def test_wrapper_mask_on_sequences():
    y_true = np.arange(12, dtype="float32").reshape(2, 3, 2) / 10
    y_pred = np.arange(12, 0, -1, dtype="float32").reshape(2, 3, 2) / 10
    metric = M.MeanSquaredError()
    metric.update_state(y_true, _wrap_masked(y_pred, MASK))
    np.testing.assert_allclose([v.numpy() for v in metric.variables], [0.58, 1.0], rtol=1e-6)


def _wrap_masked(values, mask):
    tensor = tf.constant(values)
    tensor._keras_mask = tf.constant(mask.numpy())
    return tensor


@pytest.mark.parametrize(("weight", "expected"), [(None, 2.0), ([1.0, 1.0, 2.0], 7 / 3)],
                         ids=["mask_ignored_without_weights", "mask_folded_into_weights"])
def test_mean_values_mask(weight, expected):
    metric = M.Mean()
    metric.update_state(_wrap_masked(np.array([1.0, 2.0, 3.0], dtype="float32"),
                                     torch.tensor([True, False, True])), sample_weight=weight)
    assert float(metric.result()) == pytest.approx(expected)


def test_sparse_crossentropy_ignore_class_masks_its_values():
    metric = M.SparseCategoricalCrossentropy(ignore_class=1)
    probs = np.array([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], dtype="float32")
    metric.update_state(np.array([0, 1, 2]), probs, sample_weight=np.ones(3, dtype="float32"))
    np.testing.assert_allclose([v.numpy() for v in metric.variables], [0.91629064, 2.0], rtol=1e-6)


def test_wrapper_of_a_user_function_on_the_facade():
    def halves(y_true, y_pred):
        return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1) / 2

    metric = M.MeanMetricWrapper(halves, name="halves")
    metric.raw_update(torch.as_tensor(Y_TRUE), torch.as_tensor(Y_PRED))
    expected = np.abs(Y_TRUE - Y_PRED).mean(-1).mean() / 2
    assert float(metric.raw_result()) == pytest.approx(expected)
    assert metric.get_config()["fn"] == {"module": "builtins", "class_name": "function", "config": "halves",
                                         "registered_name": "function"}


def test_wrapper_kwargs_reach_the_function_and_the_config():
    metric = M.MeanMetricWrapper(M.binary_accuracy, threshold=0.25)
    assert float(metric(Y_TRUE, Y_PRED)) == pytest.approx(np.mean((Y_PRED > 0.25) == Y_TRUE))
    assert M.MeanMetricWrapper.from_config(metric.get_config()).get_config() == metric.get_config()


def test_sum_and_mean_positional_weights():
    mean, total = M.Mean(), M.Sum()
    mean.update_state([1.0, 3.0, 5.0], [1.0, 0.0, 1.0])
    total.update_state([1.0, 3.0, 5.0], [1.0, 0.0, 2.0])
    assert (float(mean.result()), float(total.result())) == (3.0, 11.0)


def test_empty_mean_is_zero():
    assert float(M.Mean().result()) == 0.0
