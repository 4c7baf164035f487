"""A tour of tf.Variable, GradientTape and a handful of ops, as a TF user writes it."""
import tensorflow as tf

v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
print(v)
print(repr(v.assign_add([[1.0, 1.0], [1.0, 1.0]])))
v[0, 1].assign(9.0)
print(v.numpy())
print(v + 1, v.name, v.trainable, v.shape, v.dtype)
x = tf.constant([1.0, 2.0, 3.0])
w = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = tf.reduce_sum(x * x * w)
    z = tf.nn.softmax(x * w)
print(tape.gradient(y, [x, w]))
print(tape.jacobian(z, x))
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        q = w ** 3
    g = t1.gradient(q, w)
print(g, t2.gradient(g, w))
nt = tf.Variable(1.0, trainable=False)
with tf.GradientTape() as t3:
    r = nt * 3 + w
print(t3.gradient(r, [nt, w]))
c = tf.constant([[1., 2.], [3., 4.]])
print(tf.linalg.inv(c), tf.linalg.det(c), tf.norm(c))
print(tf.math.top_k(tf.constant([3, 1, 4, 1, 5]), k=2))
print(tf.unique(tf.constant([1, 1, 2, 3, 3])))
print(tf.one_hot([0, 2], 3), tf.where(c > 2), tf.split(tf.range(6), 3))
print(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=c))
print(tf.reduce_mean(tf.constant([1, 2])), tf.argmax(c, axis=1), tf.cast(c, tf.int32) // 2)
tf.random.set_seed(1)
a = tf.random.normal((2, 3))
print(a.shape, a.dtype, tf.random.uniform((2,), maxval=10, dtype=tf.int32).dtype)
print(tf.pad(tf.constant([[1, 2]]), [[1, 1], [0, 1]]))
print(tf.einsum("ij,jk->ik", c, c), tf.tensordot(c, c, axes=1))
print(tf.clip_by_value(c, 1.5, 3.5), tf.concat([c, c], axis=0).shape, tf.stack([c, c], axis=1).shape)
print(tf.gather(c, [1, 0]), tf.gather_nd(c, [[0, 1], [1, 0]]), tf.boolean_mask(c, [True, False]))
with tf.device("/GPU:0"):
    d = tf.constant(1.0)
print(d.device)
@tf.function
def f(a, b):
    return a * b + 1
print(f(tf.constant(2.0), tf.constant(3.0)))
print(tf.nn.moments(c, axes=[0]))
print(tf.TensorShape([None, 3]), tf.zeros([2, 2], dtype=tf.int64))
