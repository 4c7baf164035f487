"""`batch`, `padded_batch`, `unbatch`: the row fast path and the stacking path agree."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch.framework.tensor_spec import TensorSpec

D = tf.data.Dataset


def _batches(ds) -> list:
    return [np.asarray(b).tolist() for b in ds.as_numpy_iterator()]


def test_row_batches_are_slices_of_the_stored_tensor():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    ds = D.from_tensor_slices(x)
    stored = ds._rows(None).base
    batch = next(ds.batch(4)._raw(None))
    assert batch.data_ptr() == stored.data_ptr()  # a view: no copy, no per-element stacking


@pytest.mark.parametrize("drop", [False, True], ids=["keep", "drop"])
@pytest.mark.parametrize("size", [1, 3, 4, 10, 11], ids=str)
def test_fast_and_generic_paths_agree(size, drop):
    x = np.arange(30).reshape(10, 3)
    fast = D.from_tensor_slices(x).skip(1).repeat(2).batch(size, drop_remainder=drop)
    generic = D.from_tensor_slices(x).map(lambda v: v).skip(1).repeat(2).batch(size, drop_remainder=drop)
    assert _batches(fast) == _batches(generic)
    assert len(_batches(fast)) == int(fast.cardinality())


def test_batch_of_structures():
    ds = D.from_tensor_slices(({"a": np.arange(5)}, np.arange(5.0))).batch(2)
    features, labels = list(ds)[-1]
    assert features["a"].shape == (1,) and labels.dtype == tf.float64


def test_batch_on_a_device_reads_placed_rows():
    ds = D.from_tensor_slices(np.arange(6)).batch(4)
    batches = list(ds._raw(torch.device("cpu")))
    assert [b.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5]]


def test_padded_batch_pads_each_batch_to_its_longest():
    ragged = D.from_generator(lambda: iter([[1], [2, 3], [4, 5, 6]]),
                              output_signature=TensorSpec((None,), tf.int32))
    assert _batches(ragged.padded_batch(2)) == [[[1, 0], [2, 3]], [[4, 5, 6]]]
    assert _batches(ragged.padded_batch(3, padded_shapes=[4], padding_values=9)) == [
        [[1, 9, 9, 9], [2, 3, 9, 9], [4, 5, 6, 9]]]


def test_unbatch_inverts_batch():
    x = np.arange(14).reshape(7, 2)
    assert _batches(D.from_tensor_slices(x).batch(3).unbatch()) == x.tolist()
