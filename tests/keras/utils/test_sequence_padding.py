"""`keras.utils.pad_sequences` (and `keras.preprocessing.sequence`'s) against TF 2.21 (compat/fixtures/utils.json)."""

from __future__ import annotations

import pytest

import kerastorch as tf
from tests.keras.utils.utils_parity import assert_matches_tf, cases

CASES = cases("pad_sequences") + cases("preprocessing")


@pytest.mark.parametrize(("case_id", "source"), CASES, ids=[c[0] for c in CASES])
def test_pad_sequences_matches_tf(case_id, source):
    assert_matches_tf(case_id, source)


def test_preprocessing_sequence_is_the_same_function():
    assert tf.keras.preprocessing.sequence.pad_sequences is tf.keras.utils.pad_sequences
