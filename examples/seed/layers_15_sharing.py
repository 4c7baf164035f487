"""Seed, layers section 15 (Layer reuse and weight sharing)."""
import tensorflow as tf

inputs1 = tf.keras.Input(shape=(16,))
inputs2 = tf.keras.Input(shape=(16,))

shared_dense = tf.keras.layers.Dense(32)
x1 = shared_dense(inputs1)
x2 = shared_dense(inputs2)  # same kernel & bias used
print(x1.shape, x2.shape)
print(len(shared_dense.weights), shared_dense.count_params())

separate = [tf.keras.layers.Dense(32) for _ in range(2)]
for layer in separate:
    layer(inputs1)
print(sum(layer.count_params() for layer in separate))
