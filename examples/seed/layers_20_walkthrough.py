"""Seed, layers section 20 (Concrete walkthrough: Dense layer end-to-end) and section 13's Dense count."""
import tensorflow as tf

layer = tf.keras.layers.Dense(32, activation='relu', input_shape=(100,))
layer.build(input_shape=(None, 100))
print(layer.kernel.shape, layer.bias.shape)
print(layer.count_params())              # 100*32 + 32 = 3232

x = tf.ones((8, 100))
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_mean(tf.square(y - 1.0))
grads = tape.gradient(loss, layer.trainable_weights)
print([g.shape for g in grads])

dense64 = tf.keras.layers.Dense(64)
dense64.build((None, 100))
print(dense64.count_params())            # 100*64 + 64 = 6464
