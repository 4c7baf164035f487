"""Seed, tensors section 5c (Axis or Dimension): reducing along axis 0 and axis 1."""
import tensorflow as tf

t = tf.constant([[1, 2, 3],
                 [4, 5, 6]])

print(tf.reduce_sum(t, axis=0))  # sum over rows → gives column sums
print(tf.reduce_sum(t, axis=1))  # sum over columns → gives row sums
