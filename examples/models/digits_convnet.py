"""A small convnet on the 8x8 handwritten digits (UCI), trained with fit to >= 95% test accuracy.

The data is scikit-learn's copy of the UCI "Optical Recognition of Handwritten Digits"
test set (examples/data/digits.csv.gz, 1797 images of 8x8 pixels in 0..16, label last),
read with numpy. The train/test split and the initial weights come from a seeded numpy
generator and `fit` keeps the sample order, so TensorFlow and kerastorch follow the same
trajectory and print the same numbers.
"""
from pathlib import Path

import numpy as np
import tensorflow as tf
from tensorflow import keras

data = np.loadtxt(Path(__file__).parent.parent / "data" / "digits.csv.gz", delimiter=",", dtype="float32")
images = (data[:, :64] / 16.0).reshape(-1, 8, 8, 1)
labels = data[:, 64].astype("int64")
print("images", images.shape, "labels", labels.shape, "classes", np.bincount(labels).tolist())

rng = np.random.default_rng(2024)
order = rng.permutation(len(images))
test, train = order[:360], order[360:]
x_train, y_train = images[train], labels[train]
x_test, y_test = images[test], labels[test]

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
    keras.layers.Flatten(),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
# He-normal kernels and zero biases, drawn by numpy so both frameworks start alike.
model.set_weights([
    rng.normal(scale=np.sqrt(2.0 / np.prod(w.shape[:-1])), size=w.shape).astype("float32")
    if w.ndim > 1 else np.zeros_like(w)
    for w in model.get_weights()
])
print("parameters:", model.count_params(), [layer.name for layer in model.layers])

model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(x_train, y_train, epochs=8, batch_size=32, shuffle=False, verbose=0,
                    validation_data=(x_test, y_test))
for key in sorted(history.history):
    print(key, [round(v, 4) for v in history.history[key]])

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {test_loss:.4f}, test accuracy {test_acc:.4f}")
print("test accuracy >= 0.95:", test_acc >= 0.95)

probs = model.predict(x_test[:8], verbose=0)
print("predicted", tf.argmax(probs, axis=1).numpy().tolist(), "true", y_test[:8].tolist())
