"""What TF raises for common mistakes, and gradients that are None."""
import tensorflow as tf


def attempt(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, str(e).split("\n")[0][:160])
a = tf.constant([[1., 2.], [3., 4.]])
attempt(lambda: tf.reshape(a, [3, 2]))
attempt(lambda: tf.matmul(a, tf.ones((3, 3))))
attempt(lambda: tf.concat([a, tf.ones((2, 3))], axis=0))
attempt(lambda: tf.reduce_sum(a, axis=2))
attempt(lambda: tf.squeeze(a, axis=0))
attempt(lambda: tf.gather(a, [5]))
attempt(lambda: a + tf.constant([1, 2]))
attempt(lambda: tf.Variable([1., 2.]).assign([1., 2., 3.]))
attempt(lambda: tf.cast("a", tf.float32))
attempt(lambda: tf.ones((2,)) @ tf.ones((2,)))
attempt(lambda: tf.transpose(a, [0, 0]))
attempt(lambda: tf.split(tf.range(5), 2))
attempt(lambda: tf.one_hot([1, 2], depth=-1))
attempt(lambda: tf.nn.dropout(a, rate=1.5))
attempt(lambda: tf.random.uniform((2,), dtype=tf.int32))
attempt(lambda: tf.linalg.inv(tf.ones((2, 3))))
v = tf.Variable(1.0)
attempt(lambda: hash(v))
attempt(lambda: tf.GradientTape().gradient(v, v))
with tf.GradientTape() as t:
    y = v * 2
t.gradient(y, v)
attempt(lambda: t.gradient(y, v))
x = tf.constant(2.0)
with tf.GradientTape() as t:
    y = x * x
print(t.gradient(y, x))
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.stop_gradient(x) * x
print(t.gradient(y, x))
i = tf.constant(3)
with tf.GradientTape() as t:
    t.watch(i)
    y = i * i
print(t.gradient(y, i))
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.constant(5.0)
print(t.gradient(y, x))
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.constant(5.0)
print(t.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
w = tf.Variable([[1., 2.], [3., 4.]])
with tf.GradientTape() as t:
    z = tf.matmul(w, w)
print(t.jacobian(z, w).shape)
xb = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
with tf.GradientTape() as t:
    t.watch(xb)
    yb = xb * xb
print(t.batch_jacobian(yb, xb))
print(tf.device("/CPU:0") is not None, tf.config.list_logical_devices("CPU"))
