"""Seed, tensors section 5b (Rank): the number of axes of scalars, vectors, matrices, cubes."""
import tensorflow as tf

a = tf.constant(4)                      # scalar → rank 0
b = tf.constant([1, 2, 3])              # vector → rank 1
c = tf.constant([[1, 2], [3, 4]])       # matrix → rank 2
d = tf.constant([[[1], [2]], [[3], [4]]]) # 3D tensor → rank 3

print(tf.rank(a).numpy())
print(tf.rank(b).numpy())
print(tf.rank(c).numpy())
print(tf.rank(d).numpy())
