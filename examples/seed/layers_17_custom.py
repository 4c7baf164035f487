"""Seed, layers section 17: the custom Dense with a regularizer and a constraint.

As the seed writes it, `add_weight('kernel', shape=...)` passes the name where Keras 3
expects the shape, and TF 2.21 raises a ValueError; the Keras 3 spelling (`name=`) works.
"""
import tensorflow as tf


class MyDense(tf.keras.layers.Layer):
    def __init__(self, units, kernel_regularizer=None, kernel_constraint=None):
        super().__init__()
        self.units = units
        self.kernel_regularizer = tf.keras.regularizers.get(kernel_regularizer)
        self.kernel_constraint = tf.keras.constraints.get(kernel_constraint)

    def build(self, input_shape):
        self.kernel = self.add_weight('kernel', shape=(input_shape[-1], self.units),
                                      initializer='glorot_uniform',
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight('bias', shape=(self.units,), initializer='zeros')

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) + self.bias


try:
    MyDense(4, kernel_regularizer='l2', kernel_constraint='max_norm')(tf.ones((2, 3)))
except ValueError as exc:
    print("ValueError:", exc)


class MyDense3(MyDense):
    def build(self, input_shape):
        self.kernel = self.add_weight(name='kernel', shape=(input_shape[-1], self.units),
                                      initializer='ones',
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight(name='bias', shape=(self.units,), initializer='zeros')


layer = MyDense3(4, kernel_regularizer=tf.keras.regularizers.l2(1e-4), kernel_constraint='max_norm')
y = layer(tf.ones((2, 3)))
print(y)
print(layer.losses)
print(type(layer.kernel_constraint).__name__, layer.kernel.constraint is layer.kernel_constraint)
print(tf.keras.regularizers.serialize(layer.kernel_regularizer))
