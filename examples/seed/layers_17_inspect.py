"""Seed, layers section 17 (Useful layer attributes): a Dense layer's properties.

The seed also prints `layer.output_shape`, a Keras 2 attribute that Keras 3 (TF 2.21)
removed: kerastorch keeps it (see README, known differences), so it is not printed here.
"""
import tensorflow as tf

layer = tf.keras.layers.Dense(10, activation='relu', name='dense1')
x = tf.random.normal((4, 8))         # batch=4, input_dim=8
y = layer(x)                         # triggers build() and create weights
print(layer.built)                   # True
print([w.path for w in layer.weights])
print([w.shape for w in layer.trainable_weights])
print(layer.bias)
print(y.shape)
