"""A hand-written training loop: GradientTape, an optimizer's apply_gradients, stateful metrics.

A 3-class problem on 2-D points, a small Dense model producing logits, a
SparseCategoricalCrossentropy(from_logits=True) loss, SGD with momentum, and
SparseCategoricalAccuracy / Mean metrics updated per batch and reset per epoch. The data
and the initial weights come from a seeded numpy generator and batches are taken in
order, so TensorFlow and kerastorch print the same numbers.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(3)
centers = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]], dtype="float32")
y_all = rng.integers(0, 3, size=240)
x_all = (centers[y_all] + rng.normal(scale=0.9, size=(240, 2))).astype("float32")
x_train, y_train, x_val, y_val = x_all[:192], y_all[:192], x_all[192:], y_all[192:]

model = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(3),
])
model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
train_loss = keras.metrics.Mean(name="train_loss")
train_acc = keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
val_acc = keras.metrics.SparseCategoricalAccuracy(name="val_accuracy")


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss.update_state(loss)
    train_acc.update_state(y, logits)
    return loss


batch_size = 32
for epoch in range(6):
    for metric in (train_loss, train_acc, val_acc):
        metric.reset_state()
    for start in range(0, len(x_train), batch_size):
        last = train_step(x_train[start:start + batch_size], y_train[start:start + batch_size])
    val_acc.update_state(y_val, model(x_val, training=False))
    print(f"epoch {epoch + 1}: loss {train_loss.result().numpy():.4f} "
          f"accuracy {train_acc.result().numpy():.4f} val_accuracy {val_acc.result().numpy():.4f} "
          f"last batch loss {float(last):.4f}")

print("optimizer iterations:", int(optimizer.iterations.numpy()))
print([v.name for v in optimizer.variables][:3], len(optimizer.variables))
print(train_acc.name, [(v.name, float(v.numpy())) for v in train_acc.variables])
probs = tf.nn.softmax(model(x_val[:4]))
print(np.round(probs.numpy(), 4), y_val[:4])
print(model.layers[0].kernel.shape, np.round(model.layers[1].bias.numpy(), 4))
