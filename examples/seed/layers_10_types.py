"""Seed, layers section 10 (Layer types, a short tour): each layer on a batch of data."""
import tensorflow as tf

images = tf.ones((2, 28, 28, 1))
tokens = tf.constant([[3, 1, 4, 0], [1, 5, 9, 2]])
sequences = tf.ones((2, 5, 8))

x = tf.keras.Input(shape=(28, 28, 1))
print("Input:", x.shape, x.dtype)

tour = [
    ("Dense", tf.keras.layers.Dense(10, activation="relu"), tf.ones((2, 8))),
    ("Conv2D", tf.keras.layers.Conv2D(8, 3, padding="same"), images),
    ("Conv1D", tf.keras.layers.Conv1D(4, 2), sequences),
    ("MaxPooling2D", tf.keras.layers.MaxPooling2D(), images),
    ("AveragePooling2D", tf.keras.layers.AveragePooling2D(pool_size=2), images),
    ("Flatten", tf.keras.layers.Flatten(), images),
    ("Dropout", tf.keras.layers.Dropout(0.5), tf.ones((2, 8))),
    ("BatchNormalization", tf.keras.layers.BatchNormalization(), images),
    ("Embedding", tf.keras.layers.Embedding(input_dim=10, output_dim=3), tokens),
    ("LayerNormalization", tf.keras.layers.LayerNormalization(), sequences),
    ("Activation", tf.keras.layers.Activation("softmax"), tf.ones((2, 8))),
    ("Lambda", tf.keras.layers.Lambda(lambda t: t * 2.0), tf.ones((2, 8))),
    ("TimeDistributed", tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(4)), sequences),
]
for name, layer, data in tour:
    out = layer(data)
    print(f"{name}: {tuple(data.shape)} -> {tuple(out.shape)}, params {layer.count_params()}")

print(tf.keras.layers.Dropout(0.5)(tf.ones((2, 4)), training=False))
print(tf.keras.layers.Activation("softmax")(tf.constant([[1.0, 2.0, 3.0]])))
