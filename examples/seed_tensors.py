"""The seed's tensor part ("Understanding Tensors", sections 1-9), run in order.

Written for TensorFlow (`import tensorflow as tf`): `make demo` runs it unmodified on
kerastorch with `kerastorch run examples/seed_tensors.py`, and compat/examples holds what
real TensorFlow printed for it.
"""
import tensorflow as tf


def heading(title):
    print(f"--- {title} ---")


heading("1. What Are Tensors?")
# Create a 2D tensor
t = tf.constant([[1, 2, 3], [4, 5, 6]])
print(t)

heading("3. Immutability of Tensors")
x = tf.constant([1, 2, 3])
y = x + 10  # creates a NEW tensor
print(x)    # original tensor unchanged
print(y)    # new tensor created

heading("4. Where Are Tensors Stored?")
with tf.device('/GPU:0'):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[2.0, 0.0], [0.0, 2.0]])
    c = tf.matmul(a, b)
print(c)

heading("5a. Shape")
t = tf.constant([[1, 2, 3],
                 [4, 5, 6]])
print(t.shape)

heading("5b. Rank")
a = tf.constant(4)                      # scalar → rank 0
b = tf.constant([1, 2, 3])              # vector → rank 1
c = tf.constant([[1, 2], [3, 4]])       # matrix → rank 2
d = tf.constant([[[1], [2]], [[3], [4]]]) # 3D tensor → rank 3

print(tf.rank(a).numpy())
print(tf.rank(b).numpy())
print(tf.rank(c).numpy())
print(tf.rank(d).numpy())

heading("5c. Axis or Dimension")
print(tf.reduce_sum(t, axis=0))  # sum over rows → gives column sums
print(tf.reduce_sum(t, axis=1))  # sum over columns → gives row sums

heading("5d. Size")
t = tf.constant([[1, 2, 3], [4, 5, 6]])
print(tf.size(t).numpy())  # 2x3 = 6

heading("6. What Is a Vector in Tensors?")
v = tf.constant([10, 20, 30, 40])
print(v.shape)   # (4,)
print(tf.rank(v))  # 1

heading("7. TensorFlow Tensor Data Types")
x = tf.constant([1.0, 2.0, 3.0], dtype=tf.float32)
print(x.dtype)

heading("8. Tensor Operations")
a = tf.constant([1, 2, 3])
b = tf.constant([10, 20, 30])

print(a + b)       # elementwise addition
print(a * b)       # elementwise multiplication
print(tf.matmul([[1, 2]], [[2], [3]]))  # matrix multiplication

heading("9. Key Takeaways")
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
