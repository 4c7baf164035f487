"""Saving a model and picking up its training later: `.keras` files, weights files, checkpoints.

A small classifier trains two epochs, is saved with `model.save("....keras")` and loaded
back: the loaded model predicts the same, holds the optimizer's state (its iteration
count and moments) and goes on training exactly where the original would have. The
weights alone go to a `.weights.h5` file, and `ModelCheckpoint` keeps the best epoch.
The files are read with the standard library to show what they hold. Data and initial
weights come from a seeded numpy generator, so TensorFlow and kerastorch print the same.
"""
import os
import tempfile
import zipfile

import numpy as np
from tensorflow import keras

rng = np.random.default_rng(11)
x = rng.normal(size=(96, 6)).astype("float32")
y = (x[:, 0] + 0.5 * x[:, 1] - x[:, 2] > 0).astype("int32")


def build():
    model = keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(12, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    init = np.random.default_rng(5)
    model.set_weights([init.normal(scale=0.4, size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


workdir = tempfile.mkdtemp()
model = build()
model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
path = os.path.join(workdir, "classifier.keras")
model.save(path)
print("archive members:", sorted(zipfile.ZipFile(path).namelist()))

restored = keras.models.load_model(path)
print("same predictions:", np.allclose(restored.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0)))
print("optimizer:", type(restored.optimizer).__name__, "after", int(restored.optimizer.iterations.numpy()),
      "steps")

# Both go on for two more epochs: the restored model follows the original's trajectory.
more = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
more_restored = restored.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
print("losses, original:", [round(v, 4) for v in more.history["loss"]])
print("losses, restored:", [round(v, 4) for v in more_restored.history["loss"]])

weights_path = os.path.join(workdir, "classifier.weights.h5")
model.save_weights(weights_path)
fresh = build()
fresh.load_weights(weights_path)
print("weights file restores predictions:",
      np.allclose(fresh.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0)))

best = os.path.join(workdir, "best.keras")
checkpoint = keras.callbacks.ModelCheckpoint(best, monitor="val_loss", save_best_only=True)
history = build().fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0, validation_split=0.25,
                      callbacks=[checkpoint])
val_losses = [round(v, 4) for v in history.history["val_loss"]]
print("val losses:", val_losses, "best epoch:", int(np.argmin(val_losses)) + 1)
best_model = keras.models.load_model(best)
print("best checkpoint val loss:", round(best_model.evaluate(x[72:], y[72:], verbose=0)[0], 4))
