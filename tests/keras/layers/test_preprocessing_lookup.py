"""CategoryEncoding, Hashing, StringLookup, IntegerLookup and TextVectorization: behaviour and errors
(TF parity: compat/layer_cases/preprocessing.py and test_preprocessing_text.py)."""

from __future__ import annotations

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from kerastorch.errors import InvalidArgumentError
from kerastorch.keras import layers
from kerastorch.keras.layers.preprocessing import _hashes
from tests.keras.layers.harness import check_layer


@pytest.mark.parametrize(("make", "shape", "dtype", "high"), [
    (lambda: layers.CategoryEncoding(5), (4, 3), "int32", 5),
    (lambda: layers.CategoryEncoding(5, output_mode="one_hot"), (4, 1), "int32", 5),
    (lambda: layers.Hashing(7), (4, 3), "int64", 100),
    (lambda: layers.Hashing(7, output_mode="count"), (4, 3), "int64", 100),
    (lambda: layers.IntegerLookup(vocabulary=[1, 3, 5]), (4, 3), "int64", 7),
    (lambda: layers.IntegerLookup(vocabulary=[1, 3, 5], output_mode="multi_hot"), (4, 3), "int64", 7),
    (lambda: layers.IntegerLookup(vocabulary=[1, 3, 5], invert=True), (4, 3), "int64", 7),
], ids=["category_multi_hot", "category_one_hot", "hashing", "hashing_count", "integer_lookup",
        "integer_lookup_multi_hot", "integer_lookup_invert"])
def test_harness(make, shape, dtype, high):
    check_layer(make, shape, input_dtype=dtype, high=high)


def _config_round_trip(layer, inputs):
    """The harness's config check for string layers (its inputs are numeric only)."""
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    np.testing.assert_array_equal(np.asarray(clone(inputs)), np.asarray(layer(inputs)))


@pytest.mark.parametrize("make", [
    lambda: layers.StringLookup(vocabulary=["a", "b"]),
    lambda: layers.StringLookup(vocabulary=["a", "b"], output_mode="count", mask_token="[M]"),
    lambda: layers.Hashing(5, salt=3),
    lambda: layers.TextVectorization(vocabulary=["a", "b"], ngrams=(1, 2)),
], ids=["string_lookup", "string_lookup_count", "hashing", "text_vectorization"])
def test_string_layer_configs_round_trip(make):
    _config_round_trip(make(), tf.constant([["a b"], ["b"], ["c"]]))


# -- CategoryEncoding ---------------------------------------------------------------------

def test_category_encoding_modes():
    ids = tf.constant([[1, 1, 3], [0, 2, 2]])
    np.testing.assert_array_equal(layers.CategoryEncoding(4)(ids).numpy(), [[0, 1, 0, 1], [1, 0, 1, 0]])
    counts = layers.CategoryEncoding(4, output_mode="count")
    np.testing.assert_array_equal(counts(ids).numpy(), [[0, 2, 0, 1], [1, 0, 2, 0]])
    weighted = counts(ids, count_weights=tf.constant([[0.5, 1.0, 2.0], [1.0, 1.0, 1.0]]))
    np.testing.assert_allclose(weighted.numpy(), [[0, 1.5, 0, 2.0], [1.0, 0, 2.0, 0]])
    one_hot = layers.CategoryEncoding(3, output_mode="one_hot")
    assert one_hot(tf.constant([0, 2])).shape == (2, 3)
    assert one_hot(tf.constant([[0, 2]])).shape == (1, 2, 3)
    assert layers.CategoryEncoding(6)(tf.constant([[9, 1]])).numpy().tolist() == [[0, 1, 0, 0, 0, 0]]


@pytest.mark.parametrize(("make", "message"), [
    (lambda: layers.CategoryEncoding(), "num_tokens must be set"),
    (lambda: layers.CategoryEncoding(0), r"`num_tokens` must be >= 1. Received: num_tokens=0."),
    (lambda: layers.CategoryEncoding(3, output_mode="tf_idf"), "Unknown arg for output_mode: tf_idf"),
    (lambda: layers.CategoryEncoding(3, sparse=True), "TensorFlow backend"),
], ids=["none", "zero", "mode", "sparse"])
def test_category_encoding_argument_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_category_encoding_call_errors():
    with pytest.raises(InvalidArgumentError, match="must be non-negative"):
        layers.CategoryEncoding(3)(tf.constant([[-1, 2]]))
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(3)(tf.constant([[1]]), count_weights=tf.constant([[1.0]]))


# -- Hashing -----------------------------------------------------------------------------

def test_hashing_matches_tf_examples():
    # Keras's docstring example (TF values).
    out = layers.Hashing(num_bins=3)(tf.constant([["A"], ["B"], ["C"], ["D"], ["E"]]))
    assert out.dtype == tf.int64 and out.numpy().ravel().tolist() == [1, 0, 1, 1, 2]
    masked = layers.Hashing(num_bins=3, mask_value="")(tf.constant([["A"], [""], ["C"]]))
    assert masked.numpy().ravel().tolist() == [1, 0, 2]
    assert layers.Hashing(3, dtype="int32")(tf.constant([["A"]])).dtype == tf.int32


def test_hashes_agree_with_reference_values():
    # FarmHash Fingerprint64 and SipHash-2-4 reference vectors (TF's to_hash_bucket_* with 2**63 - 1 bins).
    assert _hashes.fingerprint64(b"") == 0x9AE16A3B2F90404F
    assert _hashes.hash_bucket_fast([b"hello"], 2**63 - 1) == [_hashes.fingerprint64(b"hello") % (2**63 - 1)]
    # The SipHash-2-4 paper's test vector: key 00..0f, message 00..0e.
    key = (int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)), "little"))
    assert _hashes.siphash(key, bytes(range(15))) == 0xA129CA6149BE45E5


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_bins": 0}, "cannot be `None` or non-positive values. Received: num_bins=0."),
    ({"num_bins": 3, "output_mode": "tf_idf"}, "Expected one of"),
    ({"num_bins": 3, "dtype": "float32"}, "`dtype` should be an integer type"),
    ({"num_bins": 3, "salt": "x"}, "can only be a tuple of size 2 integers"),
    ({"num_bins": 3, "sparse": True}, "`sparse` may only be true"),
], ids=["bins", "mode", "dtype", "salt", "sparse"])
def test_hashing_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Hashing(**kwargs)


# -- StringLookup / IntegerLookup --------------------------------------------------------

def test_string_lookup_vocabulary_api(tmp_path):
    layer = layers.StringLookup(mask_token="", num_oov_indices=2)
    layer.adapt(tf.constant(["b", "a", "c", "a", "b", "a", ""]))
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "a", "b", "c"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "b", "c"]
    assert layer.vocabulary_size() == 6
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\nz\n")
    from_file = layers.StringLookup(vocabulary=str(path))
    assert from_file(tf.constant([["z", "x", "w"]])).numpy().tolist() == [[3, 1, 0]]
    assert from_file.get_config()["vocabulary"] is None


def test_string_lookup_invert_gives_string_tensors():
    inverse = layers.StringLookup(vocabulary=["a", "b"], invert=True)
    out = inverse(tf.constant([[1, 2, 0, 7]]))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.string
    assert out.numpy().tolist() == [[b"a", b"b", b"[UNK]", b"[UNK]"]]


def test_lookup_adapt_reads_batches_up_to_steps():
    layer = layers.IntegerLookup()
    layer.adapt(iter([np.array([1, 1, 2]), np.array([3, 3, 3]), np.array([4] * 9)]), steps=2)
    assert layer.get_vocabulary() == [-1, 3, 1, 2]


def test_lookup_vector_modes_need_a_vocabulary():
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary before calling it"):
        layers.StringLookup(output_mode="multi_hot")(tf.constant([["a"]]))
    assert layers.StringLookup(output_mode="multi_hot", max_tokens=4, pad_to_max_tokens=True)(
        tf.constant([["a"]])).shape == (1, 4)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: layers.StringLookup(vocabulary=["a", "a"]), ValueError, r"repeated term.*\['a'\]"),
    (lambda: layers.StringLookup(vocabulary=[]), ValueError, "Cannot set an empty vocabulary"),
    (lambda: layers.StringLookup(vocabulary=["a", "[M]"], mask_token="[M]"), ValueError,
     "Found reserved mask token at unexpected location"),
    (lambda: layers.StringLookup(vocabulary=["a", "b", "c"], max_tokens=3), ValueError,
     "Received vocabulary size is 4; `max_tokens` is 3."),
    (lambda: layers.StringLookup(invert=True, output_mode="count"), ValueError,
     "`output_mode` must be `'int'` when `invert` is true"),
    (lambda: layers.StringLookup(vocabulary=["a"], output_mode="tf_idf"), ValueError,
     "`idf_weights` argument must also be provided"),
    (lambda: layers.StringLookup(output_mode="words"), ValueError, "Unknown value for `output_mode`"),
    (lambda: layers.StringLookup(max_tokens=1), ValueError, "`max_tokens` must be greater than 1"),
    (lambda: layers.StringLookup(vocabulary="/no/such/file.txt"), ValueError, "does not exist"),
    (lambda: layers.IntegerLookup(vocabulary_dtype="int32"), ValueError, "Only `vocabulary_dtype='int64'`"),
    (lambda: layers.IntegerLookup(num_oov_indices=-1), ValueError, "must >= 0"),
    (lambda: layers.IntegerLookup(salt=3), ValueError, "`salt` can only be used when `oov_method='farmhash'`"),
], ids=["repeated", "empty", "mask_inside", "max_tokens", "invert_mode", "tf_idf", "mode", "max_tokens_1",
        "file", "int_dtype", "oov", "salt"])
def test_lookup_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_lookup_adapt_after_vocabulary_is_an_error():
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        layers.StringLookup(vocabulary=["a"]).adapt(["a"])


def test_lookup_unknown_value_without_oov_slots_is_an_error():
    with pytest.raises(InvalidArgumentError, match=r'found OOV values \["q"\]'):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(tf.constant(["a", "q"]))


def test_lookup_keras_reports_vocabulary_dtype():
    assert layers.StringLookup().compute_dtype == "string"
    assert layers.IntegerLookup().compute_dtype == "int64"
    assert layers.TextVectorization().compute_dtype == "string"


def test_lookup_symbolic_outputs_are_ids_or_floats():
    strings = keras.Input((2,), dtype="string")
    assert layers.StringLookup(vocabulary=["a"])(strings).dtype == "int64"
    assert layers.StringLookup(vocabulary=["a"], output_mode="count")(strings).dtype == "float32"


# -- TextVectorization ------------------------------------------------------------------------

def test_text_vectorization_docstring_example():
    layer = layers.TextVectorization(max_tokens=10)
    layer.adapt(["the cat sat", "the dog"])
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat", "dog", "cat"]
    assert layer(tf.constant(["the dog sat", "a cat"])).numpy().tolist() == [[2, 4, 3], [1, 5, 0]]


def test_text_vectorization_callables():
    def standardize(text):
        return np.char.replace(np.asarray(text).astype(bytes), b"-", b" ")

    def split(text):
        return [s.split(b" ") for s in np.asarray(text).tolist()]

    layer = layers.TextVectorization(standardize=standardize, split=split, vocabulary=["a", "b"])
    assert layer(tf.constant([["a-b"], ["b-c-a"]])).numpy().tolist() == [[2, 3, 0], [3, 1, 2]]


def test_text_vectorization_in_a_symbolic_graph():
    layer = layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=3)
    ids = layer(keras.Input((1,), dtype="string"))
    assert ids.shape == (None, 3)
    embedded = layers.Embedding(4, 2)(ids)
    assert embedded.shape == (None, 3, 2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"standardize": "upper"}, "Unknown value for `standardize`"),
    ({"split": "comma"}, "Unknown value for `split`"),
    ({"ngrams": "2"}, "`ngrams` must be None, an integer, or a tuple of integers"),
    ({"output_sequence_length": 2.5}, "`output_sequence_length` must be either None or an integer"),
    ({"output_mode": "count", "output_sequence_length": 3}, "`output_sequence_length` must not be set"),
    ({"ragged": True}, "`ragged=True` can only be used with the TensorFlow backend"),
], ids=["standardize", "split", "ngrams", "length_type", "length_mode", "ragged"])
def test_text_vectorization_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.TextVectorization(**kwargs)


def test_text_vectorization_rejects_wide_string_inputs():
    with pytest.raises(ValueError, match="the last shape dimension must be 1"):
        layers.TextVectorization(vocabulary=["a"])(tf.constant([["a", "b"]]))


def test_vocabulary_items_are_numpy_scalars_as_tf_prints_them():
    """TF 2.21 prints these exact lists (its lookup tables export numpy values)."""
    vectorize = keras.layers.TextVectorization()
    vectorize.adapt(["the cat", "the dog"])
    assert repr(vectorize.get_vocabulary()) == "['', '[UNK]', np.str_('the'), np.str_('dog'), np.str_('cat')]"
    assert repr(keras.layers.StringLookup(vocabulary=["x", "y"]).get_vocabulary()) == \
        "['[UNK]', np.str_('x'), np.str_('y')]"
    integers = keras.layers.IntegerLookup()
    integers.adapt([3, 4, 3])
    assert repr(integers.get_vocabulary()) == "[-1, np.int64(3), np.int64(4)]"
