"""Assertions shared by the op tests."""

import numpy as np

import kerastorch as tf


def assert_tensor(result, expected, dtype=tf.int32, shape=None, rtol=0.0, atol=0.0):
    """`result` is a Tensor of `dtype`, of `shape` (default: `expected`'s), holding `expected`.

    Values compare exactly (NaN equal to NaN) unless floats are given a tolerance
    `rtol`/`atol`.
    """
    assert isinstance(result, tf.Tensor)
    assert result.dtype == dtype
    assert result.shape == (np.shape(expected) if shape is None else shape)
    got = result.numpy()
    if (rtol or atol) and np.asarray(got).dtype.kind in "fc":
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)
