"""A functional model with two inputs and two outputs: Concatenate, per-output losses and loss_weights.

A "features" input and a "context" input go through their own Dense branch, meet in a
Concatenate, and feed a regression head ("score", mean squared error) and a binary head
("label", binary crossentropy). Losses, loss weights and metrics are dicts keyed by the
output names; the data and the initial weights come from a seeded numpy generator and
`fit` keeps the sample order, so TensorFlow and kerastorch print the same numbers.

The data sizes are multiples of the batch size on purpose: with a smaller last batch,
TensorFlow's per-output loss entries (`score_loss`, `label_loss`) average the batches
without weighting them by their size, while the total `loss` does weight them.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(11)
features = rng.normal(size=(192, 6)).astype("float32")
context = rng.normal(size=(192, 3)).astype("float32")
score = (features[:, :3].sum(axis=1, keepdims=True) - context[:, :1]).astype("float32")
label = ((features[:, 3] * context[:, 1] + features[:, 4]) > 0).astype("float32")[:, None]

features_in = keras.Input(shape=(6,), name="features")
context_in = keras.Input(shape=(3,), name="context")
a = layers.Dense(8, activation="relu", name="features_branch")(features_in)
b = layers.Dense(4, activation="tanh", name="context_branch")(context_in)
merged = layers.Concatenate(name="merge")([a, b])
hidden = layers.Dense(8, activation="relu", name="hidden")(merged)
score_out = layers.Dense(1, name="score")(hidden)
label_out = layers.Dense(1, activation="sigmoid", name="label")(hidden)
model = keras.Model(inputs=[features_in, context_in], outputs=[score_out, label_out])

print([t.name for t in model.inputs], model.output_names)
print("merge output:", model.get_layer("merge").output.shape, "parameters:", model.count_params())
model.set_weights([rng.normal(scale=0.4, size=w.shape).astype("float32") for w in model.get_weights()])

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss={"score": "mse", "label": "binary_crossentropy"},
    loss_weights={"score": 0.5, "label": 1.0},
    metrics={"score": ["mae"], "label": ["accuracy"]},
)
inputs = {"features": features[:160], "context": context[:160]}
targets = {"score": score[:160], "label": label[:160]}
history = model.fit(inputs, targets, epochs=5, batch_size=32, shuffle=False, verbose=0,
                    validation_data=([features[160:], context[160:]], [score[160:], label[160:]]))
print(sorted(history.history))
for key in sorted(history.history):
    print(key, [round(v, 4) for v in history.history[key]])

results = model.evaluate([features[160:], context[160:]], [score[160:], label[160:]], verbose=0,
                         return_dict=True)
print({key: round(value, 4) for key, value in sorted(results.items())})

score_pred, label_pred = model.predict([features[:4], context[:4]], verbose=0)
print(score_pred.shape, label_pred.shape)
print(np.round(score_pred[:, 0], 4), np.round(label_pred[:, 0], 4))
print(tf.round(model([features[:4], context[:4]])[1][:, 0] * 1000) / 1000)
