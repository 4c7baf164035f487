"""Tests for the `Metric` base: state variables, the facade/raw dispatch, reset, configs.

Paths, names, reprs and messages were printed by Keras 3.15.
"""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.keras import metrics as M


class Positives(M.Metric):
    """A user metric written against the facade, as in Keras's docs."""

    def __init__(self, name="positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = tf.cast(y_pred > 0.5, "float32")
        if sample_weight is not None:
            values = values * sample_weight
        self.count.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.count.value


class HalfMean(M.Mean):
    """A built-in subclass overriding `update_state` on the facade."""

    def update_state(self, values, sample_weight=None):
        super().update_state(tf.multiply(values, 0.5), sample_weight=sample_weight)


def test_user_metric_through_facade_and_raw():
    metric = Positives()
    assert metric(tf.constant([0, 1]), tf.constant([0.7, 0.9])).numpy() == 2.0
    metric.raw_update(torch.zeros(3), torch.tensor([0.2, 0.6, 0.8]), sample_weight=torch.tensor([1.0, 2.0, 3.0]))
    assert float(metric.raw_result()) == 7.0
    assert [v.path for v in metric.variables] == ["positives/count"]
    metric.reset_state()
    assert metric.result().numpy() == 0.0


def test_builtin_subclass_override_is_honoured_by_raw_update():
    metric = HalfMean()
    metric.raw_update(torch.tensor([2.0, 4.0]))
    assert float(metric.raw_result()) == 1.5
    assert not HalfMean._raw_updates and M.Mean._raw_updates


def test_forgetting_super_init():
    class Broken(M.Metric):
        def __init__(self):
            self.v = self.add_variable(shape=(), initializer="zeros")

    with pytest.raises(RuntimeError, match="You forgot to call `super\\(\\).__init__\\(\\)`"):
        Broken()


def test_variables_are_non_trainable_keras_variables_with_paths():
    metric = M.AUC(num_thresholds=4, name="my/auc")
    assert [v.path for v in metric.variables] == ["my>auc/true_positives", "my>auc/false_positives",
                                                   "my>auc/true_negatives", "my>auc/false_negatives"]
    assert all(not v.trainable and tuple(v.shape) == (4,) for v in metric.variables)
    assert all(v.dtype == tf.float32 for v in metric.variables)


def test_sub_metrics_are_tracked():
    class Pair(M.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.first = M.Mean(name="a")
            self.second = M.Sum(name="b")

    assert [v.path for v in Pair().variables] == ["a/total", "a/count", "b/total"]


def test_reset_state_zeroes_in_place():
    metric = M.Precision(thresholds=[0.3, 0.7])
    params = [v._param for v in metric.variables]
    metric.update_state([1, 0, 1], [0.8, 0.9, 0.4])
    metric.reset_state()
    assert [v._param for v in metric.variables] == params
    assert all(float(p.abs().sum()) == 0.0 for p in params)


def test_results_do_not_alias_the_state():
    metric = M.TruePositives(thresholds=[0.3, 0.7])
    first = metric([1, 1], [0.5, 0.9])
    metric.update_state([1], [0.9])
    np.testing.assert_array_equal(first.numpy(), [2.0, 1.0])
    np.testing.assert_array_equal(metric.result().numpy(), [3.0, 2.0])
    single = M.Sum()
    result = single.raw_result()
    single.raw_update(torch.tensor([5.0]))
    assert float(result) == 0.0


def test_raw_update_does_not_record_gradients():
    y_pred = torch.tensor([[0.2, 0.8], [0.6, 0.4]], requires_grad=True)
    metric = M.MeanSquaredError()
    metric.raw_update(torch.zeros(2, 2), y_pred * 2)
    assert not metric.total._param.requires_grad and metric.total._param.grad_fn is None
    assert float(metric.raw_result()) == pytest.approx((0.4**2 + 1.6**2 + 1.2**2 + 0.8**2) / 4)


@pytest.mark.parametrize(("dtype", "expected"), [(None, "float32"), ("float64", "float64"),
                                                  ("mixed_float16", "float16"),
                                                  (tf.keras.DTypePolicy("float64"), "float64")],
                         ids=["default", "float64", "mixed", "policy"])
def test_dtype(dtype, expected):
    metric = M.Mean(dtype=dtype)
    assert metric.dtype == expected
    assert metric.get_config() == {"name": "mean", "dtype": expected}
    assert metric.total.dtype.name == expected


def test_repr_and_add_weight():
    metric = M.Metric(name="m")
    weight = metric.add_weight(shape=(2,), initializer="ones", name="w")
    assert repr(metric) == "<Metric name=m>" == str(metric)
    assert weight.path == "m/w" and metric.variables == [weight]


def test_base_methods_are_abstract():
    with pytest.raises(NotImplementedError):
        M.Metric().update_state(1)
    with pytest.raises(NotImplementedError):
        M.Metric().result()


def test_user_metric_with_a_dict_result():
    class Both(M.Metric):
        def __init__(self):
            super().__init__(name="both")
            self.inner = M.Mean(name="inner")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.inner.update_state(y_pred)

        def result(self):
            return {"mean": self.inner.result(), "two": tf.constant(2.0)}

    metric = Both()
    metric.raw_update(torch.zeros(2), torch.tensor([1.0, 2.0]))
    result = metric.raw_result()
    assert {key: float(value) for key, value in result.items()} == {"mean": 1.5, "two": 2.0}
    assert all(isinstance(value, torch.Tensor) for value in result.values())
