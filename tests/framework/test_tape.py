"""Tests for `tf.GradientTape`, `tf.stop_gradient` and `tf.UnconnectedGradients`.

Expected values and error messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

from collections import namedtuple

import numpy as np
import pytest

import kerastorch as tf
from kerastorch.framework import recording

_USED_UP = ("A non-persistent GradientTape can only be used to compute one set of gradients "
            "(or jacobians)")


def _values(grads):
    return [None if g is None else g.numpy().tolist() for g in grads]


# -- what is watched ---------------------------------------------------------------------

def test_watched_constant():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x)
    assert type(grad) is tf.Tensor and grad.dtype == tf.float32 and grad.numpy() == 6.0


def test_unwatched_constant_gives_none():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_result_computed_outside_the_tape_gives_none():
    x = tf.constant(3.0)
    outside = x * 2.0
    with tf.GradientTape() as tape:
        tape.watch(x)
    assert tape.gradient(outside, x) is None


def test_variables_trainable_nontrainable_and_int():
    w, frozen, count = tf.Variable([1.0, 2.0]), tf.Variable(2.0, trainable=False), tf.Variable(3)
    with tf.GradientTape(persistent=True) as tape:
        y = (w * w) * frozen * 3.0
        _ = count * 2
    # from TF 2.21
    assert _values(tape.gradient(y, [w, frozen, count])) == [[12.0, 24.0], None, None]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(frozen)
        tape.watch(count)
        y = (w * w) * frozen * 3.0
    assert _values(tape.gradient(y, [w, frozen, count])) == [[12.0, 24.0], 15.0, None]


def test_watched_nontrainable_variable_stops_requiring_grad_after_the_tape():
    frozen = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        assert frozen._param.requires_grad
        y = frozen * frozen
    assert not frozen._param.requires_grad
    assert tape.gradient(y, frozen).numpy() == 4.0
    assert not frozen._param.requires_grad


def test_watch_accessed_variables_false():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    assert tape.gradient(y, w) is None
    assert tape.watched_variables() == ()


def test_watched_variables_in_creation_order():
    count, frozen, b, a = (tf.Variable(4, name="c"), tf.Variable(3.0, trainable=False, name="f"),
                           tf.Variable(2.0, name="b"), tf.Variable(1.0, name="a"))
    unread = tf.Variable(5.0, name="u")
    with tf.GradientTape() as tape:
        _ = a * b + frozen
        tape.watch(frozen)
        _ = count + 1
    # from TF 2.21: trainable variables read (int ones too) and watched ones, oldest first
    assert [v.name for v in tape.watched_variables()] == ["c:0", "f:0", "b:0", "a:0"]
    assert unread.trainable


def test_integer_sources_give_none():
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_sources_watched_by_another_tape_give_none():
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            y = x * x
    assert inner.gradient(y, x) is None
    assert outer.gradient(y, x).numpy() == 4.0


def test_variable_target_and_read_value_source():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = v * 2.0
    # from TF 2.21
    assert tape.gradient(v, v).numpy().tolist() == [1.0, 1.0]
    assert tape.gradient(y, v.read_value()) is None


def test_gradient_through_read_value_and_assign_result():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = v.read_value() * 2.0 + v.assign(3.0) * 5.0
    assert tape.gradient(y, v).numpy() == 7.0  # from TF 2.21


def test_complex_gradient_is_conjugate():
    c = tf.constant(1 + 2j, tf.complex64)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * c
    assert tape.gradient(y, c).numpy() == 2 - 4j  # from TF 2.21


# -- gradient() arguments ----------------------------------------------------------------

Pair = namedtuple("Pair", ["first", "second"])


@pytest.fixture
def recorded():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    return tape, x, y, z


def test_source_structures(recorded):
    tape, x, y, z = recorded
    # from TF 2.21
    assert _values(tape.gradient(z, [x, y])) == [27.0, 3.0]
    nested = tape.gradient(z, {"b": (y,), "a": x})
    assert list(nested) == ["b", "a"] and nested["a"].numpy() == 27.0 and nested["b"][0].numpy() == 3.0
    pair = tape.gradient(z, Pair(x, y))
    assert type(pair) is Pair and _values(pair) == [27.0, 3.0]


def test_target_structures_add_up(recorded):
    tape, x, y, z = recorded
    assert tape.gradient([y, z], x).numpy() == 33.0  # from TF 2.21
    assert tape.gradient({"p": y, "q": z}, x).numpy() == 33.0


def test_non_scalar_target_is_summed():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).numpy().tolist() == [[2.0, 4.0], [6.0, 8.0]]


def test_output_gradients(recorded):
    tape, x, y, _ = recorded
    assert tape.gradient(y, x, output_gradients=tf.constant(2.0)).numpy() == 12.0  # from TF 2.21


def test_output_gradients_errors():
    x64 = tf.constant(2.0, tf.float64)
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x64, x])
        y64 = x64 * x64
        y = tf.constant([1.0, 2.0]) * x
    # from TF 2.21 (without the function_node prefix)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tape.gradient(y64, x64, output_gradients=tf.constant(1.0))
    assert str(info.value) == ("cannot compute Mul as input #1(zero-based) was expected to be a float tensor "
                               "but is a double tensor [Op:Mul] name: ")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tape.gradient(y, x, output_gradients=tf.constant([1.0, 2.0, 3.0]))
    assert str(info.value) == "Incompatible shapes: [2] vs. [3] [Op:Mul] name: "


@pytest.mark.parametrize("mode", ["zero", tf.UnconnectedGradients.ZERO], ids=["string", "enum"])
def test_unconnected_zero(recorded, mode):
    tape, _, y, _ = recorded
    other = tf.constant([1, 2])
    grads = tape.gradient(y, [tf.constant(1.0), other], unconnected_gradients=mode)
    # from TF 2.21: zeros with each source's dtype
    assert _values(grads) == [0.0, [0, 0]] and grads[1].dtype == tf.int32


def test_unconnected_gradients_enum():
    assert repr(tf.UnconnectedGradients.ZERO) == "<UnconnectedGradients.ZERO: 'zero'>"  # from TF 2.21
    assert [m.value for m in tf.UnconnectedGradients] == ["none", "zero"]


GRADIENT_ERRORS = [
    # from TF 2.21
    (lambda t, x, y: t.gradient(y, x, unconnected_gradients="bogus"), ValueError,
     "Unknown value for unconnected_gradients: 'bogus'"),
    (lambda t, x, y: t.gradient(None, x), TypeError,
     "Argument `target` should be a list or nested structure of Tensors, Variables or CompositeTensors to "
     "be differentiated, but received None."),
    (lambda t, x, y: t.gradient(y, [x, None]), TypeError,
     "Cannot convert the argument `type_value`: None to a TensorFlow DType."),
    (lambda t, x, y: t.gradient(y, 3.0), AttributeError, "'float' object has no attribute 'dtype'"),
    (lambda t, x, y: t.watch(3.0), ValueError,
     "Passed in object 3.0 of type 'float', not tf.Tensor or tf.Variable or ExtensionType."),
    (lambda t, x, y: t.watch(None), ValueError,
     "Passed in object None of type 'NoneType', not tf.Tensor or tf.Variable or ExtensionType."),
]


@pytest.mark.parametrize("call, error, message", GRADIENT_ERRORS,
                         ids=["mode", "none_target", "none_source", "float_source", "watch_float",
                              "watch_none"])
def test_gradient_errors(recorded, call, error, message):
    tape, x, y, _ = recorded
    with pytest.raises(error) as info:
        call(tape, x, y)
    assert str(info.value) == message


# -- tape life cycle -------------------------------------------------------------------

def test_non_persistent_tape_is_used_up():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).numpy() == 6.0
    with pytest.raises(RuntimeError) as info:
        tape.gradient(y, x)
    assert str(info.value) == _USED_UP


def test_never_entered_tape():
    with pytest.raises(RuntimeError, match="can only be used to compute one set"):
        tf.GradientTape().gradient(tf.constant(1.0), tf.constant(1.0))


def test_gradient_inside_the_tape_stops_a_non_persistent_tape():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
        assert tape.gradient(y, x).numpy() == 2.0
        assert tape not in recording.state.tapes
        later = x * 3.0
    assert later.numpy() == 6.0


def test_reentering_an_active_tape():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="^Tape is still recording, This can happen if you try to "
                                             "re-enter an already-active tape.$"):
            tape.__enter__()


def test_stop_recording():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
            with pytest.raises(ValueError, match="^Tape is not recording.$"):
                with tape.stop_recording():
                    pass
        z = x * 3.0
    assert tape.gradient([y, z], x).numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]  # from TF 2.21
    with pytest.raises(RuntimeError, match="^Trying to stop recording a tape which is not recording.$"):
        with tape.stop_recording():
            pass


def test_reset_forgets_earlier_operations():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        _ = v * 2.0
        tape.reset()
        assert tape.watched_variables() == ()
        tape.watch(x)
        z = x * 3.0
    assert tape.gradient([y, z], x).numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]  # from TF 2.21
    with pytest.raises(ValueError, match="^Tape is not recording.$"):
        tf.GradientTape(persistent=True).reset()


def test_second_order_with_nested_tapes():
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        first = inner.gradient(y, x)
    assert first.numpy() == 12.0 and outer.gradient(first, x).numpy() == 12.0  # from TF 2.21


def test_second_order_with_one_persistent_tape():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        first = tape.gradient(y, x)
    assert tape.gradient(first, x).numpy() == 12.0  # from TF 2.21


def test_gradient_after_the_tape_has_no_graph():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x)
    assert not grad._t.requires_grad


def test_stop_gradient():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * x) + x
    assert tape.gradient(y, x).numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]  # from TF 2.21
    assert tf.stop_gradient([1.0, 2.0]).numpy().tolist() == [1.0, 2.0]


# -- jacobians -------------------------------------------------------------------------

@pytest.fixture
def squares():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    return tape, x, y


def test_jacobian(squares):
    tape, x, y = squares
    jac = tape.jacobian(y, x)
    expected = np.zeros((2, 2, 2, 2), np.float32)  # hand-derived: d(x_ij^2)/dx_kl = 2 x_ij [ij == kl]
    for i in range(2):
        for j in range(2):
            expected[i, j, i, j] = 2.0 * x.numpy()[i, j]
    np.testing.assert_array_equal(jac.numpy(), expected)


def test_jacobian_of_sources_nest(squares):
    tape, x, y = squares
    jac, unconnected = tape.jacobian(y, [x, tf.constant(1.0)])
    assert jac.shape == (2, 2, 2, 2) and unconnected is None
    zeros = tape.jacobian(y, tf.constant([1, 2]), unconnected_gradients="zero")
    # from TF 2.21: zeros of shape target + source with the target's dtype
    assert zeros.shape == (2, 2, 2) and zeros.dtype == tf.float32 and not zeros.numpy().any()


def test_jacobian_errors(squares):
    tape, x, y = squares
    with pytest.raises(AttributeError, match="'list' object has no attribute 'shape'"):
        tape.jacobian([y], x)
    with tf.GradientTape() as once:
        once.watch(x)
        z = x * x
    # from TF 2.21
    with pytest.raises(RuntimeError, match=r"^GradientTape must be created with persistent=True to compute "
                                           r"the jacobian with eager execution enabled and with  "
                                           r"experimental_use_pfor set to False.$"):
        once.jacobian(z, x, experimental_use_pfor=False)
    assert once.jacobian(z, x, parallel_iterations=2).shape == (2, 2, 2, 2)
    with pytest.raises(RuntimeError, match="can only be used to compute one set"):
        once.jacobian(z, x)


def test_batch_jacobian(squares):
    tape, x, y = squares
    # from TF 2.21
    assert tape.batch_jacobian(y, x).numpy().tolist() == [[[2.0, 0.0], [0.0, 4.0]], [[6.0, 0.0], [0.0, 8.0]]]
    other = tf.constant([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    assert tape.batch_jacobian(y, other) is None
    zeros = tape.batch_jacobian(y, other, unconnected_gradients="zero")
    assert zeros.shape == (2, 2, 3) and not zeros.numpy().any()


def test_batch_jacobian_of_a_rank_3_target():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
    jac = tape.batch_jacobian(y, x)
    assert jac.shape == (2, 3, 2, 3, 2)
    np.testing.assert_array_equal(jac.numpy()[1], 2.0 * np.eye(6).reshape(3, 2, 3, 2))  # hand-derived


BATCH_JACOBIAN_ERRORS = [
    # from TF 2.21
    (lambda t, x, y: t.batch_jacobian(y, tf.constant([1.0, 2.0, 3.0])), ValueError,
     "Shape (3,) must have rank at least 2"),
    (lambda t, x, y: t.batch_jacobian(y[0], x), ValueError, "Shape (2,) must have rank at least 2"),
    (lambda t, x, y: t.batch_jacobian(y, tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])), ValueError,
     "Need first dimension of target shape ((2, 2)) and source shape ((3, 2)) to match."),
    (lambda t, x, y: t.batch_jacobian(y, [x]), AttributeError, "'list' object has no attribute 'shape'"),
]


@pytest.mark.parametrize("call, error, message", BATCH_JACOBIAN_ERRORS,
                         ids=["source_rank", "target_rank", "batch", "list"])
def test_batch_jacobian_errors(squares, call, error, message):
    tape, x, y = squares
    with pytest.raises(error) as info:
        call(tape, x, y)
    assert str(info.value) == message


def test_batch_jacobian_non_persistent_without_pfor():
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(RuntimeError, match="to compute the batch_jacobian with eager execution enabled and  "
                                           "with experimental_use_pfor set to False."):
        tape.batch_jacobian(y, x, experimental_use_pfor=False)
