"""Fixtures of the optimizer tests."""

import pytest

from tests.keras.optimizers.helpers import make_variable


@pytest.fixture
def two_variables():
    """A (2, 2) kernel and a (2,) bias at `layer/kernel`, `layer/bias`."""
    return [make_variable([[1.0, -2.0], [0.5, 3.0]], "kernel"), make_variable([0.25, -0.5], "bias")]
