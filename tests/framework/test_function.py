"""Tests for `tf.function` (run eagerly) and `tf.custom_gradient`.

Expected values and error messages were printed by TF 2.21 unless a comment says
they are hand-derived.
"""

import numpy as np
import pytest

import kerastorch as tf


class Spec:
    """A minimal stand-in for `tf.TensorSpec`: what `input_signature` reads."""

    def __init__(self, shape, dtype):
        self.shape = tf.TensorShape(shape)
        self.dtype = dtype

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name=None)"


# -- tf.function -----------------------------------------------------------------------------

def _double(x, y=2):
    """Doc."""
    return x * y


@pytest.mark.parametrize("wrap", [tf.function, tf.function(), tf.function(jit_compile=True),
                                  lambda f: tf.function(f, reduce_retracing=True, autograph=False)],
                         ids=["plain", "called", "jit_compile", "options"])
def test_decorator_forms(wrap):
    f = wrap(_double)
    assert f(tf.constant(3)).numpy() == 6
    assert f.__name__ == "_double" and f.__doc__ == "Doc." and f.python_function is _double


def test_runs_the_python_function_on_every_call():
    calls = []

    @tf.function
    def f(x):
        calls.append(x)
        return x + 1.0

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert len(calls) == 2


OUTPUTS = [
    # from TF 2.21
    (lambda: 3, "<tf.Tensor: shape=(), dtype=int32, numpy=3>"),
    (lambda: None, "None"),
    (lambda: [1, (2.5, "a")],
     "[<tf.Tensor: shape=(), dtype=int32, numpy=1>, (<tf.Tensor: shape=(), dtype=float32, numpy=2.5>, "
     "<tf.Tensor: shape=(), dtype=string, numpy=b'a'>)]"),
    (lambda: {"a": np.ones(2)}, "{'a': <tf.Tensor: shape=(2,), dtype=float64, numpy=array([1., 1.])>}"),
    (lambda: tf.Variable(2.0), "<tf.Tensor: shape=(), dtype=float32, numpy=2.0>"),
]


@pytest.mark.parametrize("body, expected", OUTPUTS, ids=["int", "none", "nest", "numpy", "variable"])
def test_outputs_become_tensors(body, expected):
    assert repr(tf.function(body)()) == expected


def test_methods():
    class Model:
        def __init__(self):
            self.k = 3

        @tf.function
        def call(self, x):
            return x * self.k

    model = Model()
    assert model.call(tf.constant(2)).numpy() == 6
    assert isinstance(Model.call, type(model.call))
    assert model.call.python_function is Model.call.python_function  # from TF 2.21: the unbound function


def test_get_concrete_function():
    f = tf.function(_double)
    concrete = f.get_concrete_function(tf.constant(3))
    assert concrete(tf.constant(4)).numpy() == 8


def test_not_callable():
    with pytest.raises(TypeError, match="^5 is not a callable object$"):
        tf.function(5)


def test_input_signature_converts_arguments():
    f = tf.function(lambda x: x * 2, input_signature=[Spec([None], tf.float32)])
    out = f([1, 2])
    assert out.dtype == tf.float32 and out.numpy().tolist() == [2.0, 4.0]
    assert f.input_signature == (f.input_signature[0],) and isinstance(f.input_signature, tuple)


def test_input_signature_mismatch():
    def h(x):
        return x

    f = tf.function(h, input_signature=[Spec([None], tf.float32)])
    with pytest.raises(TypeError) as info:
        f(tf.constant([1, 2]))
    # from TF 2.21
    assert str(info.value) == (
        "Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(2,), dtype=tf.int32, "
        "name=None) to TensorSpec(shape=(None,), dtype=tf.float32, name=None)`. Received args: "
        "(<tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>,) and kwargs: {} for "
        "signature: (x: TensorSpec(shape=(None,), dtype=tf.float32, name=None)).")


def test_gradients_flow_through_a_function():
    v = tf.Variable(3.0)
    f = tf.function(lambda x: x * v)
    with tf.GradientTape() as tape:
        y = f(tf.constant(2.0))
    assert tape.gradient(y, v).numpy() == 2.0


# -- tf.custom_gradient ----------------------------------------------------------------------

@tf.custom_gradient
def _clipped_square(x):
    square = x * x

    def grad(upstream):
        return upstream * (1.0 - 1.0 / (1.0 + square))

    return 1.0 + square, grad


def test_custom_gradient_replaces_the_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = _clipped_square(x)
    assert y.numpy() == 10.0
    assert tape.gradient(y, x).numpy() == pytest.approx(0.9)  # hand-derived: 1 - 1/10


def test_custom_gradient_converts_python_inputs():
    assert _clipped_square(2.0).numpy() == 5.0


def test_custom_gradient_two_inputs():
    @tf.custom_gradient
    def product(a, b):
        def grad(dy):
            return dy * 2.0, dy * 3.0

        return a * b, grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = product(a, b)
    assert [g.numpy() for g in tape.gradient(y, [a, b])] == [2.0, 3.0]  # from TF 2.21


def test_custom_gradient_with_variables():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scaled(x):
        def grad(dy, variables=None):
            return dy * 5.0, [dy * 7.0]

        return x * v, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scaled(x)
    assert [g.numpy() for g in tape.gradient(y, [x, v])] == [5.0, 7.0]  # from TF 2.21


def test_custom_gradient_variables_keyword_required():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scaled(x):
        def grad(dy):
            return dy

        return x * v, grad

    with pytest.raises(TypeError) as info:
        scaled(tf.constant(1.0))
    # from TF 2.21
    assert str(info.value) == ("@tf.custom_gradient grad_fn must accept keyword argument 'variables', since "
                               "function uses variables: [<tf.Variable 'Variable:0' shape=() dtype=float32, "
                               "numpy=2.0>]")


def test_custom_gradient_several_outputs():
    @tf.custom_gradient
    def pair(x):
        def grad(dy1, dy2):
            return dy1 + 10.0 * dy2

        return (x * 2.0, x * 3.0), grad

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        first, second = pair(x)
    assert tape.gradient([first, second], x).numpy() == 11.0  # from TF 2.21


def test_custom_gradient_wrong_count():
    @tf.custom_gradient
    def product(a, b):
        def grad(dy):
            return dy

        return a * b, grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = product(a, b)
    with pytest.raises(ValueError, match="^custom_gradient function expected to return 2 gradients, but "
                                         "returned 1 instead.$"):
        tape.gradient(y, [a, b])


def test_custom_gradient_second_order():
    x = tf.constant(1.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = _clipped_square(x)
        first = inner.gradient(y, x)
    # hand-derived: first = 1 - 1/(1+x^2) = 0.5; its derivative 2x/(1+x^2)^2 = 0.5
    assert first.numpy() == 0.5 and outer.gradient(first, x).numpy() == 0.5


def test_custom_gradient_jacobian():
    @tf.custom_gradient
    def doubled(x):
        def grad(dy):
            return dy * 2.0

        return x * 2.0, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = doubled(x)
    assert tape.jacobian(y, x).numpy().tolist() == [[2.0, 0.0], [0.0, 2.0]]  # from TF 2.21


def test_jacobian_when_the_gradient_cannot_be_batched():
    # A grad_fn that reads numpy cannot run under torch's vmap: the tape falls back to a loop.
    @tf.custom_gradient
    def doubled(x):
        def grad(dy):
            return tf.constant(dy.numpy() * 2.0)

        return x * 2.0, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = doubled(x)
    assert tape.jacobian(y, x).numpy().tolist() == [[2.0, 0.0], [0.0, 2.0]]  # hand-derived
