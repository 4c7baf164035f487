"""Seed, tensors section 9 (Key Takeaways): the examples of the summary table, run."""
import tensorflow as tf

t = tf.constant([[1,2],[3,4]])        # Tensor, Matrix
print(t)
print(t.shape)                        # Shape: (2, 2)
print(tf.rank(t))                     # Rank: 2
print(tf.reduce_sum(t, axis=0))       # Axis: axis=0
print(tf.reduce_sum(t, axis=1))       # Axis: axis=1
print(tf.size(t))                     # Size
print(tf.constant(5))                 # Scalar
print(tf.constant([1,2,3]))           # Vector

try:                                  # Immutability
    t[0, 0] = 9
except TypeError as e:
    print("TypeError:", e)
print(t + 1)                          # a new tensor for new values

with tf.device('/GPU:0'):             # Device placement
    print(tf.constant([[1,2],[3,4]]) * 2)
