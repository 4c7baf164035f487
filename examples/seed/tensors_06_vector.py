"""Seed, tensors section 6 (What Is a Vector in Tensors?): a rank-1 tensor."""
import tensorflow as tf

v = tf.constant([10, 20, 30, 40])
print(v.shape)   # (4,)
print(tf.rank(v))  # 1
