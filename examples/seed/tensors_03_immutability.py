"""Seed, tensors section 3 (Immutability of Tensors): `x + 10` makes a new tensor."""
import tensorflow as tf

x = tf.constant([1, 2, 3])
y = x + 10  # creates a NEW tensor
print(x)    # original tensor unchanged
print(y)    # new tensor created
