"""Seed, "Example: Model Workflow": compile, fit, evaluate and predict, made deterministic.

The seed's four lines run on the seed's 4 -> 16 -> 8 -> 1 Sequential model over a small
synthetic binary task. The data and the initial weights come from a seeded numpy
generator and `fit` keeps the sample order (shuffle=False), so TensorFlow and
kerastorch print the same numbers.
"""
import numpy as np
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense

rng = np.random.default_rng(7)
X = rng.normal(size=(320, 4)).astype("float32")
y = ((X[:, 0] + 0.5 * X[:, 1] - X[:, 2] * X[:, 3]) > 0).astype("float32")
X_train, y_train = X[:256], y[:256]
X_test, y_test = X[256:], y[256:]
X_new = X_test[:5]

model = Sequential([
    Dense(16, activation='relu', input_shape=(4,)),
    Dense(8, activation='relu'),
    Dense(1, activation='sigmoid')
])
model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])

model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
history = model.fit(X_train, y_train, epochs=10, batch_size=32, shuffle=False, verbose=0)
for key in sorted(history.history):
    print(key, [round(v, 4) for v in history.history[key]])
print("epochs:", history.epoch, "steps:", history.params["steps"])

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print(f"test loss {loss:.4f}, test accuracy {acc:.4f}")

predictions = model.predict(X_new, verbose=0)
print(predictions.shape, predictions.dtype)
print(np.round(predictions[:, 0], 4))
print("labels:", y_test[:5])
