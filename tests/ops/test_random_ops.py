"""Tests for `tf.random`: distributions on large samples, dtypes, errors and seeding.

Values cannot match TF's bit for bit; the tests check the distributions, TF's seeding
rules (reproducible with a seed, different without) and TF's errors (from TF 2.21).
"""

import numpy as np
import pytest
import torch

import kerastorch as tf

N = 200_000


@pytest.fixture(autouse=True)
def _unseeded():
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


# -- distributions ---------------------------------------------------------------------

def test_normal_moments_and_dtype():
    out = tf.random.normal([N], mean=3.0, stddev=2.0)
    assert out.dtype == tf.float32 and out.shape == (N,)
    values = out.numpy()
    assert abs(values.mean() - 3.0) < 0.03
    assert abs(values.std() - 2.0) < 0.03


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float64, "float64"],
                         ids=["f16", "bf16", "f64", "name"])
def test_normal_float_dtypes(dtype):
    out = tf.random.normal([1000], dtype=dtype)
    assert out.dtype == tf.as_dtype(dtype)
    assert abs(float(np.asarray(out, np.float64).std()) - 1.0) < 0.1


def test_normal_shape_forms_and_tensor_parameters():
    assert tf.random.normal(tf.constant([2, 3])).shape == (2, 3)
    assert tf.random.normal((2,)).shape == (2,)
    assert tf.random.normal([]).shape == ()
    out = tf.random.normal([2], mean=tf.constant([[10.0], [20.0]]), stddev=0.0)
    np.testing.assert_array_equal(out.numpy(), [[10.0, 10.0], [20.0, 20.0]])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"shape": [2], "dtype": tf.int32}, TypeError, "Cannot convert 0.0 to EagerTensor of dtype int32"),
    ({"shape": [2], "mean": 0, "stddev": 1, "dtype": tf.int32}, tf.errors.InvalidArgumentError,
     "Value for attr 'dtype' of int32 is not in the list of allowed values: half, bfloat16, float, double"),
    ({"shape": 3}, tf.errors.InvalidArgumentError, r"shape must be a vector of \{int32,int64\}, got shape \[\]"),
    ({"shape": [-1]}, tf.errors.InvalidArgumentError, "Dimension -1 must be >= 0"),
    ({"shape": [2.0]}, tf.errors.InvalidArgumentError, "Value for attr 'T' of float"),
    ({"shape": [2], "stddev": tf.constant(1.0, tf.float64)}, ValueError,
     "stddev: Tensor conversion requested dtype float32 for Tensor with dtype float64"),
], ids=["float_mean_int", "int_dtype", "scalar_shape", "negative_dim", "float_shape", "stddev_dtype"])
def test_normal_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.random.normal(**kwargs)


def test_uniform_float_range_and_mean():
    values = tf.random.uniform([N], minval=-2.0, maxval=4.0).numpy()
    assert values.min() >= -2.0 and values.max() < 4.0
    assert abs(values.mean() - 1.0) < 0.03
    values = tf.random.uniform([1000], 5, 6).numpy()
    assert values.min() >= 5.0 and values.max() < 6.0
    # minval > maxval is not an error in TF: the range is just reversed
    values = tf.random.uniform([1000], 5.0, 3.0).numpy()
    assert values.min() > 3.0 and values.max() <= 5.0


def test_uniform_tensor_bounds():
    out = tf.random.uniform([2], minval=tf.constant([0.0, 10.0]), maxval=tf.constant([1.0, 11.0])).numpy()
    assert 0.0 <= out[0] < 1.0 and 10.0 <= out[1] < 11.0


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64], ids=["int32", "int64"])
def test_uniform_integers_cover_half_open_range(dtype):
    out = tf.random.uniform([10_000], -3, 4, dtype=dtype)
    assert out.dtype == dtype
    assert set(np.unique(out.numpy()).tolist()) == set(range(-3, 4))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"dtype": tf.int32}, ValueError, "Must specify maxval for integer dtype tf.int32"),
    ({"dtype": tf.int8, "maxval": 3}, ValueError,
     r"Argument `dtype` got invalid value <dtype: 'int8'>. Accepted dtypes are \(tf.float16, tf.bfloat16, "
     r"tf.float32, tf.float64, tf.int32, tf.int64\)."),
    ({"minval": 3, "maxval": 3, "dtype": tf.int32}, tf.errors.InvalidArgumentError,
     "Need minval < maxval, got 3 >= 3"),
    ({"maxval": 3.5, "dtype": tf.int32}, TypeError, "Cannot convert 3.5 to EagerTensor of dtype int32"),
    ({"minval": np.zeros(2, np.int32), "maxval": 5, "dtype": tf.int32}, tf.errors.InvalidArgumentError,
     r"minval must be 0-D, got shape \[2\]"),
], ids=["no_maxval", "int8", "empty_range", "float_bound", "vector_bound"])
def test_uniform_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.random.uniform([4], **kwargs)


def test_truncated_normal_stays_within_two_stddevs():
    values = tf.random.truncated_normal([N], mean=1.0, stddev=3.0).numpy()
    assert values.min() >= 1.0 - 6.0 and values.max() <= 1.0 + 6.0
    assert abs(values.mean() - 1.0) < 0.03
    # std of a standard normal truncated to [-2, 2] is 0.8796 (hand-derived)
    assert abs(values.std() - 3.0 * 0.8796) < 0.03
    assert tf.random.truncated_normal([3], dtype=tf.float16).dtype == tf.float16


def test_shuffle_permutes_rows():
    value = tf.reshape(tf.range(200), (100, 2))
    out = tf.random.shuffle(value).numpy()
    assert out.dtype == np.int32
    assert sorted(out[:, 0].tolist()) == list(range(0, 200, 2))
    assert (out[:, 1] == out[:, 0] + 1).all()  # rows move as a whole
    assert not (out[:, 0] == np.arange(0, 200, 2)).all()
    assert int(tf.random.shuffle(tf.constant(3))) == 3
    assert sorted(tf.random.shuffle(tf.constant(["a", "b", "c"])).numpy().tolist()) == [b"a", b"b", b"c"]


def test_categorical_frequencies_and_dtypes():
    logits = np.log(np.array([[0.2, 0.8], [0.5, 0.5]], np.float32))
    out = tf.random.categorical(logits, 20_000)
    assert out.dtype == tf.int64 and out.shape == (2, 20_000)
    counts = out.numpy()
    assert abs(counts[0].mean() - 0.8) < 0.02 and abs(counts[1].mean() - 0.5) < 0.02
    assert tf.random.categorical(logits, 3, dtype=tf.int32).dtype == tf.int32
    assert tf.random.categorical(logits, 0).shape == (2, 0)


def test_categorical_infinite_logits():
    out = tf.random.categorical([[-np.inf, 0.0], [-np.inf, -np.inf]], 50).numpy()
    assert (out[0] == 1).all()
    assert (out[1] == 2).all()  # from TF 2.21: a row without finite logits gives num_classes


@pytest.mark.parametrize("logits, samples, kwargs, error, match", [
    ([0.5, 0.5], 2, {}, tf.errors.InvalidArgumentError, r"logits should be a matrix, got shape \[2\]"),
    ([[0.0, 0.0]], -1, {}, tf.errors.InvalidArgumentError, "num_samples should be non-negative, got -1"),
    ([[0.0, 0.0]], 2, {"dtype": tf.float32}, ValueError, "Argument `dtype` got invalid value"),
    ([[1, 2]], 2, {}, tf.errors.NotFoundError, "Could not find device for node"),
    ([[0.0, 0.0]], 2.0, {}, TypeError, "Cannot convert 2.0 to EagerTensor of dtype int32"),
], ids=["rank", "negative_samples", "dtype", "int_logits", "float_samples"])
def test_categorical_errors(logits, samples, kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.random.categorical(logits, samples, **kwargs)


# -- seeds ----------------------------------------------------------------------------

def _draws():
    return [tf.random.normal([3]).numpy(), tf.random.uniform([3]).numpy(), tf.random.normal([3]).numpy()]


def test_global_seed_makes_the_sequence_reproducible():
    tf.random.set_seed(42)
    first = _draws()
    tf.random.set_seed(42)
    second = _draws()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[2])  # successive ops differ
    tf.random.set_seed(43)
    assert not np.array_equal(_draws()[0], first[0])


def test_op_seed_alone_is_reproducible_and_advances():
    a = tf.random.normal([4], seed=5).numpy()
    b = tf.random.normal([4], seed=5).numpy()
    assert not np.array_equal(a, b)  # the same seeded op continues its sequence, as in TF
    tf.random.set_seed(None)  # a new "program run"
    np.testing.assert_array_equal(tf.random.normal([4], seed=5).numpy(), a)


def test_op_seed_combines_with_global_seed():
    tf.random.set_seed(1)
    a = tf.random.uniform([4], seed=9).numpy()
    tf.random.set_seed(2)
    b = tf.random.uniform([4], seed=9).numpy()
    tf.random.set_seed(1)
    np.testing.assert_array_equal(tf.random.uniform([4], seed=9).numpy(), a)
    assert not np.array_equal(a, b)


def test_unseeded_results_differ():
    assert not np.array_equal(tf.random.normal([8]).numpy(), tf.random.normal([8]).numpy())


def test_torch_global_rng_is_untouched():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    tf.random.set_seed(3)
    tf.random.normal([5])
    tf.random.shuffle(tf.range(10))
    assert torch.equal(torch.rand(3), expected)


def test_random_tensors_are_created_on_the_current_device():
    reference = tf.constant(1.0).device
    for out in (tf.random.normal([2]), tf.random.uniform([2]), tf.random.truncated_normal([2]),
                tf.random.uniform([2], maxval=3, dtype=tf.int32)):
        assert out.device == reference
    with tf.device("/CPU:0"):
        assert tf.random.normal([2]).device.endswith("CPU:0")


# -- Generator ----------------------------------------------------------------------------

def test_generator_from_seed_is_reproducible_and_advances():
    g = tf.random.Generator.from_seed(1)
    a, b = g.normal([4]).numpy(), g.normal([4]).numpy()
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(tf.random.Generator.from_seed(1).normal([4]).numpy(), a)
    g.reset_from_seed(1)
    np.testing.assert_array_equal(g.normal([4]).numpy(), a)
    tf.random.set_seed(5)  # the global seed does not touch generators
    np.testing.assert_array_equal(g.normal([4]).numpy(), b)


def test_generator_copy_continues_the_same_stream():
    g = tf.random.Generator.from_seed(3)
    g.uniform([2])
    copy = tf.random.Generator(copy_from=g)
    np.testing.assert_array_equal(copy.uniform([5]).numpy(), g.uniform([5]).numpy())


def test_generator_distributions_and_dtypes():
    g = tf.random.Generator.from_non_deterministic_state()
    values = g.normal([N], mean=1.0, stddev=2.0).numpy()
    assert abs(values.mean() - 1.0) < 0.03 and abs(values.std() - 2.0) < 0.03
    values = g.truncated_normal([N]).numpy()
    assert np.abs(values).max() <= 2.0 and abs(values.std() - 0.8796) < 0.01
    values = g.uniform([N], 2.0, 3.0).numpy()
    assert values.min() >= 2.0 and values.max() < 3.0
    out = g.uniform([1000], 0, 5, dtype=tf.int32)
    assert out.dtype == tf.int32 and set(np.unique(out.numpy()).tolist()) == {0, 1, 2, 3, 4}
    assert g.uniform([3], None, None, dtype=tf.int64).dtype == tf.int64
    seeds = g.make_seeds(3)
    assert seeds.dtype == tf.int64 and seeds.shape == (2, 3)


def test_generator_split_gives_independent_streams():
    first, second = tf.random.Generator.from_seed(9).split(2)
    assert not np.array_equal(first.normal([4]).numpy(), second.normal([4]).numpy())
    first_again = tf.random.Generator.from_seed(9).split(2)[0]
    np.testing.assert_array_equal(first_again.normal([4]).numpy(),
                                  tf.random.Generator.from_seed(9).split(2)[0].normal([4]).numpy())


@pytest.mark.parametrize("kwargs, error, match", [
    ({"dtype": tf.int32}, ValueError, "minval and maxval must be both `None` or both non-`None`"),
    ({"minval": 0, "maxval": 5, "dtype": tf.int8}, tf.errors.InvalidArgumentError,
     "Value for attr 'dtype' of int8 is not in the list of allowed values: int32, int64"),
], ids=["one_bound", "int8"])
def test_generator_uniform_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.random.Generator.from_seed(0).uniform([2], **kwargs)


def test_generator_requires_a_source_and_global_generator():
    with pytest.raises(ValueError, match="Either `copy_from` or `state` must be provided"):
        tf.random.Generator()
    previous = tf.random.get_global_generator()
    assert tf.random.get_global_generator() is previous
    g = tf.random.Generator.from_seed(11)
    tf.random.set_global_generator(g)
    assert tf.random.get_global_generator() is g
    tf.random.set_global_generator(previous)
