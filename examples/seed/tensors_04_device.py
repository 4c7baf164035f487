"""Seed, tensors section 4 (Where Are Tensors Stored?): a matmul under `tf.device('/GPU:0')`.

Without a GPU, TensorFlow's soft placement runs it on the CPU; the printed value is the same.
"""
import tensorflow as tf

with tf.device('/GPU:0'):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[2.0, 0.0], [0.0, 2.0]])
    c = tf.matmul(a, b)
print(c)
