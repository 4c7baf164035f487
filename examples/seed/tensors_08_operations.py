"""Seed, tensors section 8 (Tensor Operations): elementwise ops and a matrix product."""
import tensorflow as tf

a = tf.constant([1, 2, 3])
b = tf.constant([10, 20, 30])

print(a + b)       # elementwise addition
print(a * b)       # elementwise multiplication
print(tf.matmul([[1, 2]], [[2], [3]]))  # matrix multiplication
