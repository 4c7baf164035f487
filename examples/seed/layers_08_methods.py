"""Seed, layers section 8 (Common layer methods): the minimal custom layer."""
import tensorflow as tf


class MyLayer(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer='random_normal')

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


layer = MyLayer(3)
print(layer.built)
out = layer(tf.ones((2, 5)))
print(layer.built, out.shape, layer.w.shape, layer.w.path)
print(layer.get_config())
