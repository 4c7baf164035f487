"""Seed, layers section 5 (State & TF Variables): weights created in `build` with add_weight."""
import tensorflow as tf


class MyDense(tf.keras.layers.Layer):
    def __init__(self, units=4):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name='kernel',
            shape=(input_shape[-1], self.units),
            initializer='glorot_uniform',
            trainable=True)
        self.bias = self.add_weight(
            name='bias',
            shape=(self.units,),
            initializer='zeros',
            trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) + self.bias


layer = MyDense()
y = layer(tf.ones((2, 3)))
print(y.shape)
print([(w.name, w.shape, w.trainable) for w in layer.weights])
print(layer.bias)
