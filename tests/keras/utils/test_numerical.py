"""`keras.utils.to_categorical` and `normalize` against TF 2.21 (compat/fixtures/utils.json)."""

from __future__ import annotations

import numpy as np
import pytest

import kerastorch as tf
from tests.keras.utils.utils_parity import assert_matches_tf, cases


@pytest.mark.parametrize(("case_id", "source"), cases("to_categorical"), ids=[c[0] for c in cases("to_categorical")])
def test_to_categorical_matches_tf(case_id, source):
    assert_matches_tf(case_id, source)


@pytest.mark.parametrize(("case_id", "source"), cases("normalize"), ids=[c[0] for c in cases("normalize")])
def test_normalize_matches_tf(case_id, source):
    assert_matches_tf(case_id, source)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3)], ids=["square", "wide"])
def test_normalize_axis0_divides_each_column_by_its_norm(shape):
    # Keras 3.15 expands the norms at axis -1 for axis=0 (wrong values for a square array,
    # a broadcast error for a wide one); kerastorch normalizes the columns, as Keras 2 did.
    x = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    got = tf.keras.utils.normalize(x, axis=0)
    np.testing.assert_allclose(got, x / np.sqrt((x**2).sum(axis=0, keepdims=True)), rtol=1e-15)


def test_tensor_results_stay_on_the_tensor_device():
    got = tf.keras.utils.to_categorical(tf.constant([1, 0]), 2)
    assert isinstance(got, tf.Tensor) and got.device == tf.constant(0).device
