"""Assertions shared by the op tests."""

import numpy as np

import kerastorch as tf


def assert_tensor(result, expected, dtype=tf.int32, shape=None, rtol=1e-6, atol=0.0):
    """`result` is a Tensor of `dtype`, of `shape` (default: `expected`'s), holding `expected`.

    Integers, bools and strings compare exactly; floats within `rtol`/`atol`, NaN equal
    to NaN.
    """
    assert isinstance(result, tf.Tensor)
    assert result.dtype == dtype
    assert result.shape == (np.shape(expected) if shape is None else shape)
    got = result.numpy()
    if np.asarray(got).dtype.kind in "fc":
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)
