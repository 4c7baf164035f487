import numpy as np
import pytest

import kerastorch as tf


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global seed and the default device scope."""
    np.random.seed(0)
    yield
