"""Seed, tensors section 1 (What Are Tensors?): create a 2D tensor."""
import tensorflow as tf

# Create a 2D tensor
t = tf.constant([[1, 2, 3], [4, 5, 6]])
print(t)
