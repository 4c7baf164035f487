"""Seed, tensors section 7 (TensorFlow Tensor Data Types): an explicit dtype."""
import tensorflow as tf

x = tf.constant([1.0, 2.0, 3.0], dtype=tf.float32)
print(x.dtype)
