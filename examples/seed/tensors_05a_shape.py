"""Seed, tensors section 5a (Shape): elements along each dimension."""
import tensorflow as tf

t = tf.constant([[1, 2, 3],
                 [4, 5, 6]])
print(t.shape)
