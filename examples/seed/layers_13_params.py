"""Seed, layers section 13 (Parameter count calculations).

The seed's Conv2D example says 9248; the formula it gives, 3*3*3*32 + 32, is 896, which
is what TensorFlow counts.
"""
import tensorflow as tf

dense = tf.keras.layers.Dense(64)
dense.build((None, 100))
print("Dense(64) on 100 inputs:", dense.count_params())           # 100*64 + 64 = 6464

conv = tf.keras.layers.Conv2D(filters=32, kernel_size=(3, 3))
conv.build((None, 28, 28, 3))
print("Conv2D(32, 3x3) on 3 channels:", conv.count_params())       # 3*3*3*32 + 32 = 896
print([w.shape for w in conv.weights])

bn = tf.keras.layers.BatchNormalization()
bn.build((None, 28, 28, 32))
print("BatchNormalization on 32 channels:", bn.count_params())
print("trainable:", sum(w.numpy().size for w in bn.trainable_weights))          # gamma, beta
print("non-trainable:", sum(w.numpy().size for w in bn.non_trainable_weights))  # moving stats
print([w.path for w in bn.weights])
