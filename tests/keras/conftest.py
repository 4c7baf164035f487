"""Fixtures every Keras test gets."""

import pytest

from kerastorch.keras.engine import naming


@pytest.fixture(autouse=True)
def fresh_names():
    """Layer names (`dense`, `dense_1`, …) count from zero in each test, as in a fresh Keras session."""
    naming.reset()
