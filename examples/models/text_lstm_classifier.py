"""An LSTM sentiment classifier on a small corpus of film reviews that ships with the repo.

`examples/data/reviews.tsv` holds 100 one-line reviews (label 1 positive, 0 negative,
see examples/data/README.md). `TextVectorization` learns the vocabulary and turns each
review into token ids; `Embedding(mask_zero=True)` feeds an `LSTM` that skips the
padding, and a sigmoid `Dense` gives the probability of a positive review. The split,
the initial weights and the batch order come from seeded numpy generators, and SGD is
used (TF's sparse embedding updates and kerastorch's dense ones agree for SGD), so
TensorFlow and kerastorch print the same numbers.
"""
from pathlib import Path

import numpy as np
import tensorflow as tf
from tensorflow import keras

rows = [line.split("\t") for line in (Path(__file__).parent.parent / "data" / "reviews.tsv").read_text().splitlines()]
labels = np.array([int(label) for label, _ in rows], dtype="float32")
texts = np.array([text for _, text in rows])
order = np.random.default_rng(7).permutation(len(rows))
train, test = order[:80], order[80:]

vectorize = keras.layers.TextVectorization(max_tokens=300, output_sequence_length=12)
vectorize.adapt(texts[train])
vocabulary = vectorize.get_vocabulary()
print("vocabulary size:", len(vocabulary), "first tokens:", vocabulary[:8])
x_train = vectorize(tf.constant(texts[train])).numpy()
x_test = vectorize(tf.constant(texts[test])).numpy()
print("first review as ids:", x_train[0].tolist())

model = keras.Sequential([
    keras.Input(shape=(12,), dtype="int64"),
    keras.layers.Embedding(len(vocabulary), 16, mask_zero=True),
    keras.layers.LSTM(16),
    keras.layers.Dense(1, activation="sigmoid"),
])
init = np.random.default_rng(3)
model.set_weights([init.normal(scale=0.3, size=w.shape).astype("float32") for w in model.get_weights()])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2, momentum=0.9), loss="binary_crossentropy",
              metrics=["accuracy"])
model.summary()

history = model.fit(x_train, labels[train], batch_size=16, epochs=30, shuffle=False, verbose=0)
print("loss every 5 epochs:", [round(v, 3) for v in history.history["loss"][4::5]])
print("train accuracy:", round(history.history["accuracy"][-1], 3))
loss, accuracy = model.evaluate(x_test, labels[test], verbose=0)
print("test loss:", round(loss, 3), "test accuracy:", round(accuracy, 3))

new = ["a wonderful and funny movie", "boring and far too long", "the cast is great", "a silly mess"]
probabilities = model.predict(vectorize(tf.constant(new)).numpy(), verbose=0)
for text, p in zip(new, probabilities[:, 0]):
    print(f"{p:.2f}  {text}")
