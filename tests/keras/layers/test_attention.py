"""Attention layers: Attention, AdditiveAttention, MultiHeadAttention.

Outputs, masks and gradients against TF are in compat (`layer_cases/attention.py`); here
the rules around them: Keras 3.15's masking quirks, dropout, building from keyword
arguments, errors with Keras's messages, and hand-derived values.
"""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras
from tests.keras.layers.harness import check_layer, normal

L = keras.layers


def _x(*shape, seed=0):
    return tf.constant(normal(*shape, seed=seed))


def _softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


HARNESS = [
    ("mha_self", lambda: L.MultiHeadAttention(2, 3), [(2, 4, 5), (2, 4, 5)], {}),
    ("mha_cross", lambda: L.MultiHeadAttention(2, 3, value_dim=2), [(2, 4, 5), (2, 6, 3)], {}),
    ("mha_output_shape", lambda: L.MultiHeadAttention(1, 2, output_shape=(2, 3), use_bias=False),
     [(2, 4, 5), (2, 3, 5)], {}),
    ("mha_gate", lambda: L.MultiHeadAttention(2, 2, use_gate=True), [(2, 3, 4), (2, 3, 4)], {}),
    ("mha_4d", lambda: L.MultiHeadAttention(2, 2, attention_axes=(1, 2)), [(2, 2, 3, 4), (2, 2, 3, 4)], {}),
    ("mha_scores", lambda: L.MultiHeadAttention(2, 2), [(2, 3, 4), (2, 5, 4)], {"return_attention_scores": True}),
]
# compute_output_shape takes shapes only, so it cannot know about `return_attention_scores`.
NO_COMPUTE_SHAPE = {"mha_scores"}


@pytest.mark.parametrize(("case_id", "make", "shapes", "kwargs"), HARNESS, ids=[h[0] for h in HARNESS])
def test_harness(case_id, make, shapes, kwargs):
    check_layer(make, *shapes, call_kwargs=kwargs, compute_shape=case_id not in NO_COMPUTE_SHAPE)


# -- Attention and AdditiveAttention (list inputs: the shared harness calls layers with
# -- separate positional inputs, so its checks are made here) ---------------------------

@pytest.mark.parametrize("make", [
    lambda: L.Attention(use_scale=True, score_mode="concat"),
    lambda: L.AdditiveAttention(),
], ids=["attention", "additive"])
def test_list_input_layers_build_train_and_round_trip(make):
    q, v = _x(2, 3, 4), _x(2, 5, 4, seed=1)
    layer = make()
    out, scores = layer([q, v], return_attention_scores=True)
    assert out.shape == (2, 3, 4) and scores.shape == (2, 3, 5)
    np.testing.assert_allclose(np.asarray(scores).sum(-1), 1.0, rtol=1e-6)
    sym = make()([keras.Input((3, 4)), keras.Input((5, 4))], return_attention_scores=True)
    assert [s.shape for s in sym] == [(None, 3, 4), (None, 3, 5)]
    assert make().compute_output_shape([(None, 3, 4), (None, 5, 6), (None, 5, 4)]) == (None, 3, 6)
    clone = type(layer).from_config(layer.get_config())
    clone([q, v])
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone([q, v]), layer([q, v]), rtol=1e-6)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer([q, v]) ** 2)
    grads = tape.gradient(loss, layer.trainable_weights)
    assert len(grads) == len(layer.weights) > 0 and all(g is not None for g in grads)


def test_attention_is_softmax_of_scaled_dot_products():
    q, v, k = _x(2, 3, 4), _x(2, 5, 2, seed=1), _x(2, 5, 4, seed=2)
    layer = L.Attention(use_scale=True)
    layer([q, v, k])
    layer.set_weights([np.array(0.5, "float32")])
    weights = _softmax(0.5 * np.einsum("btd,bsd->bts", q, k))
    out, scores = layer([q, v, k], return_attention_scores=True)
    np.testing.assert_allclose(scores, weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, weights @ np.asarray(v), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer([q, v, k]), out, rtol=1e-5, atol=1e-6)  # the fused path


def test_attention_masks_values_zeroes_masked_queries_and_passes_the_query_mask_on():
    q, v = _x(2, 3, 4), _x(2, 5, 4, seed=1)
    q_mask = tf.constant([[True, False, True], [True, True, True]])
    v_mask = tf.constant([[True, True, False, False, False], [False] * 5])
    out, scores = L.Attention()([q, v], mask=[q_mask, v_mask], return_attention_scores=True)
    weights = _softmax(np.einsum("btd,bsd->bts", q, v))[0, :, :2]
    np.testing.assert_allclose(np.asarray(scores)[0, :, :2], weights / weights.sum(-1, keepdims=True), rtol=1e-5)
    np.testing.assert_array_equal(np.asarray(scores)[0, :, 2:], 0.0)
    np.testing.assert_allclose(np.asarray(scores)[1], 0.2, rtol=1e-6)  # fully masked: uniform, as Keras
    np.testing.assert_array_equal(np.asarray(out)[0, 1], 0.0)
    np.testing.assert_array_equal(out._keras_mask, q_mask)
    assert getattr(scores, "_keras_mask", None) is None


def test_attention_causal_mask_hides_the_future():
    q = _x(1, 4, 3)
    out, scores = L.Attention()([q, q], use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_array_equal(np.triu(np.asarray(scores)[0], 1), 0.0)
    np.testing.assert_allclose(L.Attention()([q, q], use_causal_mask=True), out, rtol=1e-5, atol=1e-6)


def test_attention_dropout_only_in_training_and_seeded():
    q, v = _x(2, 6, 4), _x(2, 8, 4, seed=1)
    layer = L.Attention(dropout=0.5, seed=3)
    inference = layer([q, v])
    np.testing.assert_allclose(layer([q, v], training=False), inference)
    tf.random.set_seed(1)
    first, first_scores = layer([q, v], training=True, return_attention_scores=True)
    tf.random.set_seed(1)
    second = layer([q, v], training=True)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, inference)
    kept = np.asarray(first_scores) != 0  # the returned scores are the dropped ones, scaled by 2
    assert 0.2 < kept.mean() < 0.8
    full = np.asarray(L.Attention()([q, v], return_attention_scores=True)[1])
    np.testing.assert_allclose(np.asarray(first_scores)[kept], 2 * full[kept], rtol=1e-5)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: L.Attention(score_mode="add"),
     "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=add"),
    (lambda: L.Attention()(_x(2, 3, 4)), "Attention layer must be called on a list of inputs, namely "
                                         "[query, value] or [query, value, key]."),
    (lambda: L.AdditiveAttention()([_x(2, 3, 4)]), "AdditiveAttention layer accepts inputs list of length 2 "
                                                   "or 3, namely [query, value] or [query, value, key]. Received "
                                                   "length: 1."),
    (lambda: L.Attention()([_x(2, 3, 4), _x(2, 3, 4)], mask=tf.ones((2, 3), "bool")),
     "Attention layer mask must be a list, namely [query_mask, value_mask]."),
], ids=["score_mode", "not_a_list", "one_input", "mask_not_a_list"])
def test_attention_errors(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_attention_config_keys():
    assert sorted(L.Attention().get_config()) == ["dropout", "dtype", "name", "score_mode", "seed", "trainable",
                                                  "use_scale"]
    assert sorted(L.AdditiveAttention().get_config()) == ["dropout", "dtype", "name", "seed", "trainable",
                                                          "use_scale"]


# -- MultiHeadAttention -------------------------------------------------------------------

def _heads(layer, x, name):
    dense = getattr(layer, f"_{name}_dense")
    out = np.einsum("btd,dnh->btnh", x, dense.kernel)
    return out + np.asarray(dense.bias) if dense.bias is not None else out


def test_mha_weights_follow_keras_paths_order_and_shapes():
    mha = L.MultiHeadAttention(2, 3, value_dim=4, use_gate=True)
    mha(_x(2, 5, 6), _x(2, 7, 8, seed=1), key=_x(2, 7, 9, seed=2))
    assert [(w.path, tuple(w.shape)) for w in mha.weights] == [
        ("multi_head_attention/query/kernel", (6, 2, 3)), ("multi_head_attention/query/bias", (2, 3)),
        ("multi_head_attention/key/kernel", (9, 2, 3)), ("multi_head_attention/key/bias", (2, 3)),
        ("multi_head_attention/gate/kernel", (6, 2, 4)), ("multi_head_attention/gate/bias", (2, 4)),
        ("multi_head_attention/value/kernel", (8, 2, 4)), ("multi_head_attention/value/bias", (2, 4)),
        ("multi_head_attention/attention_output/kernel", (2, 4, 6)),
        ("multi_head_attention/attention_output/bias", (6,))]
    assert mha.count_params() == 6 * 6 + 9 * 6 + 6 * 8 + 8 * 8 + 8 * 6 + 6 + 6 + 8 + 8 + 6


def test_mha_is_multi_head_scaled_dot_product_attention():
    q, v = np.asarray(_x(2, 3, 4)), np.asarray(_x(2, 5, 4, seed=1))
    mha = L.MultiHeadAttention(2, 3)
    out, scores = mha(q, v, return_attention_scores=True)
    qh, kh, vh = _heads(mha, q, "query"), _heads(mha, v, "key"), _heads(mha, v, "value")
    weights = _softmax(np.einsum("btnh,bsnh->bnts", qh, kh) / np.sqrt(3))
    np.testing.assert_allclose(scores, weights, rtol=1e-5, atol=1e-6)
    context = np.einsum("bnts,bsnh->btnh", weights, vh)
    want = np.einsum("btnh,nhd->btd", context, mha._output_dense.kernel) + np.asarray(mha._output_dense.bias)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mha(q, v), want, rtol=1e-5, atol=1e-5)  # the fused path


def test_mha_builds_from_keyword_query_value_and_key():
    q, v, k = _x(2, 3, 4), _x(2, 5, 6, seed=1), _x(2, 5, 7, seed=2)
    mha = L.MultiHeadAttention(1, 2)
    out = mha(query=q, value=v, key=k)
    assert out.shape == (2, 3, 4) and tuple(mha._key_dense.kernel.shape) == (7, 1, 2)
    sym = L.MultiHeadAttention(1, 2)(keras.Input((3, 4)), keras.Input((5, 6)), key=keras.Input((5, 7)))
    assert sym.shape == (None, 3, 4)
    positional = L.MultiHeadAttention(1, 2)
    positional(q, v, k)
    assert tuple(positional._key_dense.kernel.shape) == (7, 1, 2)


@pytest.mark.parametrize("make", [
    lambda: L.MultiHeadAttention(2, 2, dtype="mixed_float16"),
    lambda: L.Attention(use_scale=True, score_mode="concat", dtype="mixed_float16"),
    lambda: L.AdditiveAttention(dtype="mixed_float16"),
], ids=["mha", "attention", "additive"])
def test_mixed_precision_computes_in_float16_with_float32_weights(make):
    layer = make()
    x, mask = _x(2, 3, 4), tf.constant([[True, False, True], [True, True, True]])
    if isinstance(layer, L.MultiHeadAttention):
        out, scores = layer(x, x, value_mask=mask, return_attention_scores=True)
    else:
        out, scores = layer([x, x], mask=[None, mask], return_attention_scores=True)
    assert out.dtype == scores.dtype == tf.float16
    assert all(w.dtype == tf.float32 for w in layer.weights)
    np.testing.assert_allclose(np.asarray(scores, "float32").sum(-1), 1.0, rtol=2e-3)


def test_mha_query_mask_comes_from_the_query_tensor_only():
    q, v = _x(2, 3, 4), _x(2, 5, 4, seed=1)
    q_mask = tf.constant([[True, False, True], [True, True, False]])
    mha = L.MultiHeadAttention(2, 2)
    plain = mha(q, v)
    np.testing.assert_allclose(mha(q, v, query_mask=q_mask), plain)  # Keras ignores the argument
    masked_q = _x(2, 3, 4)
    masked_q._keras_mask = q_mask
    out = mha(masked_q, v)
    np.testing.assert_array_equal(out._keras_mask, q_mask)
    rows = np.broadcast_to(np.asarray(q_mask)[:, :, None], (2, 3, 5))
    np.testing.assert_allclose(out, mha(q, v, attention_mask=tf.constant(rows)), rtol=1e-6)


def test_mha_value_mask_defaults_to_the_value_tensors_mask():
    q, v = _x(2, 3, 4), _x(2, 5, 4, seed=1)
    v_mask = tf.constant([[True, True, False, True, False], [False, True, True, True, True]])
    mha = L.MultiHeadAttention(2, 2)
    masked_v = _x(2, 5, 4, seed=1)
    masked_v._keras_mask = v_mask
    np.testing.assert_allclose(mha(q, masked_v), mha(q, v, value_mask=v_mask), rtol=1e-6)
    assert not np.allclose(mha(q, masked_v), mha(q, v))


def test_mha_fully_masked_rows_average_when_fused_and_give_zero_context_when_explicit():
    q, v = _x(2, 3, 4), _x(2, 5, 4, seed=1)
    v_mask = tf.constant([[False] * 5, [True] * 5])
    mha = L.MultiHeadAttention(2, 2)
    with tf.GradientTape() as tape:
        tape.watch(q)
        fused = mha(q, v, value_mask=v_mask)
    assert np.all(np.asarray(tape.gradient(fused, q))[0] == 0.0)
    mean_v = _heads(mha, np.asarray(v), "value").mean(1, keepdims=True)
    want = np.einsum("bsnh,nhd->bsd", mean_v, mha._output_dense.kernel) + np.asarray(mha._output_dense.bias)
    np.testing.assert_allclose(np.asarray(fused)[0], np.broadcast_to(want[0], (3, 4)), rtol=1e-5, atol=1e-5)
    explicit, scores = mha(q, v, value_mask=v_mask, return_attention_scores=True)
    np.testing.assert_array_equal(np.asarray(scores)[0], 0.0)
    np.testing.assert_allclose(np.asarray(explicit)[0], np.broadcast_to(mha._output_dense.bias, (3, 4)))
    assert scores._keras_mask.shape == (2, 1, 1, 5)


def test_mha_causal_and_sliding_window_masks():
    x = _x(1, 5, 4)
    mha = L.MultiHeadAttention(1, 2, sliding_window=2)
    _, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    allowed = np.tril(np.ones((5, 5))) * np.triu(np.ones((5, 5)), -1)
    np.testing.assert_array_equal(np.asarray(scores)[0, 0] != 0, allowed.astype(bool))
    causal = L.MultiHeadAttention(2, 2)
    tril = tf.constant(np.tril(np.ones((1, 5, 5), bool)))
    np.testing.assert_allclose(causal(x, x, use_causal_mask=True), causal(x, x, attention_mask=tril), rtol=1e-5,
                               atol=1e-6)


def test_mha_dropout_only_in_training_and_scores_are_not_dropped():
    q = _x(2, 6, 4)
    mha = L.MultiHeadAttention(2, 2, dropout=0.5, seed=1)
    out, scores = mha(q, q, return_attention_scores=True)
    np.testing.assert_allclose(mha(q, q, training=False), out)
    tf.random.set_seed(2)
    trained, trained_scores = mha(q, q, training=True, return_attention_scores=True)
    tf.random.set_seed(2)
    np.testing.assert_array_equal(mha(q, q, training=True), trained)
    assert not np.allclose(trained, out)
    np.testing.assert_allclose(trained_scores, scores, rtol=1e-6)


def test_mha_activity_regularizer_reaches_every_projection():
    mha = L.MultiHeadAttention(1, 2, activity_regularizer="l2", kernel_regularizer="l1")
    mha(_x(2, 3, 4), _x(2, 3, 4, seed=1))
    assert len(mha.losses) == 4 + 4  # activity of query/key/value/output, then the four kernels


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_heads": 0, "key_dim": 2}, "Received an invalid value for argument `num_heads`, expected a positive "
                                     "integer. Received: num_heads=0"),
    ({"num_heads": 2, "key_dim": 1.5}, "Received an invalid value for argument `key_dim`, expected a positive "
                                       "integer. Received: key_dim=1.5"),
    ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, "Received an invalid value for argument `value_dim`, "
                                                      "expected a positive integer or `None`. Received: "
                                                      "value_dim=-1"),
    ({"num_heads": 2, "key_dim": 2, "output_shape": 1.5}, "Invalid `output_shape`: 1.5. When specified, the "
                                                          "`output_shape` should be of type tuple, list, or int."),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "1"}, "`attention_axes` must be an int, list, or tuple."),
    ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, "`sliding_window` must be `None` or a positive "
                                                          "integer. Received: sliding_window=0"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True},
     "Dropout is not supported when flash attention is enabled."),
], ids=["num_heads", "key_dim", "value_dim", "output_shape", "attention_axes", "sliding_window", "flash_dropout"])
def test_mha_argument_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        L.MultiHeadAttention(**kwargs)
    assert message in str(info.value)


def test_mha_call_errors():
    with pytest.raises(ValueError, match=r"All dimensions of `value` and `key`, except the last one, must be "
                                         r"equal. Received: value_shape=\(2, 5, 4\) and key_shape=\(2, 6, 4\)"):
        L.MultiHeadAttention(1, 2)(_x(2, 3, 4), _x(2, 5, 4), key=_x(2, 6, 4))
    with pytest.raises(ValueError, match="Returning attention scores is not supported when flash attention is "
                                         "enabled."):
        L.MultiHeadAttention(1, 2, flash_attention=True)(_x(2, 3, 4), _x(2, 3, 4), return_attention_scores=True)


def test_mha_config():
    mha = L.MultiHeadAttention(2, 3, output_shape=5)
    config = mha.get_config()
    assert sorted(config) == [
        "activity_regularizer", "attention_axes", "bias_constraint", "bias_initializer", "bias_regularizer",
        "dropout", "dtype", "kernel_constraint", "kernel_initializer", "kernel_regularizer", "key_dim", "name",
        "num_heads", "output_shape", "seed", "sliding_window", "trainable", "use_bias", "use_gate", "value_dim"]
    assert config["output_shape"] == (5,) and config["value_dim"] == 3 and config["attention_axes"] is None
    mha(_x(2, 3, 4), _x(2, 3, 4))
    assert mha.get_config()["attention_axes"] == (1,)
    assert (mha.num_heads, mha.key_dim, mha.value_dim, mha.dropout, mha.use_bias) == (2, 3, 3, 0.0, True)
