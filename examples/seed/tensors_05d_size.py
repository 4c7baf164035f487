"""Seed, tensors section 5d (Size): the total number of elements."""
import tensorflow as tf

t = tf.constant([[1, 2, 3], [4, 5, 6]])
print(tf.size(t).numpy())  # 2x3 = 6
