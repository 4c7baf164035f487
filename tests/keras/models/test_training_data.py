"""What `fit` / `evaluate` / `predict` take as data: arrays of every kind, several inputs,
generators, torch DataLoaders and Datasets, PyDataset-like sequences; splits, steps and
the errors (Keras 3.15's messages and batch order, checked against TF 2.21)."""

import numpy as np
import pytest
import torch

import kerastorch as tf
from kerastorch import keras

X = np.linspace(-1.0, 1.0, 60, dtype="float32").reshape(20, 3)
Y = (X.sum(1, keepdims=True) > 0).astype("float32")
X20 = np.arange(20, dtype="float32").reshape(20, 1)  # batch sums name the batches: 0+1+2+3 = 6, ...
Z20 = np.zeros((20, 1), "float32")


def _model(inputs: int = 3):
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(1, activation="sigmoid",
                                                                          kernel_initializer="ones")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _losses(model, *args, **kwargs) -> list:
    return model.fit(*args, verbose=0, shuffle=False, **kwargs).history["loss"]


class BatchSums(keras.Model):
    """A model whose training step reports the sum of its batch (which batches ran, in order)."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, _ = data
        self.seen.append(float(tf.reduce_sum(x)))
        return {"loss": tf.reduce_sum(x)}


def _batch_sums():
    model = BatchSums()
    model.compile(optimizer="sgd", loss="mse")
    return model


ARRAY_KINDS = {
    "numpy": lambda a: a,
    "tensor": tf.constant,
    "torch": torch.from_numpy,
    "float64": lambda a: a.astype("float64"),
}


@pytest.mark.parametrize("kind", sorted(ARRAY_KINDS), ids=sorted(ARRAY_KINDS))
def test_every_kind_of_array_trains_as_numpy(kind):
    expected = _losses(_model(), X, Y, batch_size=8, epochs=2)
    convert = ARRAY_KINDS[kind]
    assert np.allclose(_losses(_model(), convert(X), convert(Y), batch_size=8, epochs=2), expected, atol=1e-6)


@pytest.mark.parametrize("as_dict", [False, True], ids=["list", "dict"])
def test_several_inputs_as_a_list_or_a_dict(as_dict):
    a, b = keras.Input((2,), name="a"), keras.Input((1,), name="b")
    out = keras.layers.Dense(1, kernel_initializer="ones")(keras.layers.Concatenate()([a, b]))
    model = keras.Model([a, b], out)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    # The same as one input of the three columns.
    single = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    single.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    inputs = {"a": X[:, :2], "b": X[:, 2:]} if as_dict else [X[:, :2], X[:, 2:]]
    assert np.allclose(_losses(model, inputs, Y, batch_size=8, epochs=2),
                       _losses(single, X, Y, batch_size=8, epochs=2), atol=1e-6)
    assert np.allclose(model.predict(inputs, verbose=0), single.predict(X, verbose=0), atol=1e-6)
    assert np.isclose(model.evaluate(inputs, Y, verbose=0), single.evaluate(X, Y, verbose=0), atol=1e-6)


def test_a_generator_goes_on_across_epochs_with_steps_per_epoch():
    def batches():
        for start in range(0, 20, 5):
            yield X20[start:start + 5], Z20[start:start + 5]

    model = _batch_sums()
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        history = model.fit(batches(), steps_per_epoch=2, epochs=3, verbose=0)
    # TF 2.21: epoch 0 takes batches 0, 1, epoch 1 batches 2, 3, epoch 2 finds the generator
    # empty; the logged loss is the (never updated) loss tracker's, as Keras's rule has it.
    assert model.seen == [10.0, 35.0, 60.0, 85.0]
    assert history.history == {"loss": [0.0, 0.0, 0.0]} and history.params["steps"] == 2


def test_steps_per_epoch_on_arrays_goes_on_across_epochs_then_restarts():
    model = _batch_sums()
    with pytest.warns(UserWarning, match="Your input ran out of data; interrupting training"):
        model.fit(X20, Z20, batch_size=4, steps_per_epoch=3, epochs=3, verbose=0, shuffle=False)
    assert model.seen == [6.0, 22.0, 38.0, 54.0, 70.0, 6.0, 22.0, 38.0]  # TF 2.21's order


def test_evaluate_steps_start_from_the_first_batch_every_time():
    model = _model(1)
    first = model.evaluate(X20[:4], Z20[:4], verbose=0, return_dict=True)
    for _ in range(2):
        assert model.evaluate(X20, Z20, batch_size=4, steps=1, verbose=0, return_dict=True) == first


def test_torch_dataloader_and_dataset():
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    expected = _losses(_model(), X, Y, batch_size=8, epochs=2)
    loader = torch.utils.data.DataLoader(dataset, batch_size=8)
    assert np.allclose(_losses(_model(), loader, epochs=2), expected, atol=1e-6)
    assert np.allclose(_losses(_model(), dataset, batch_size=8, epochs=2), expected, atol=1e-6)
    model = _model()
    assert model.evaluate(loader, verbose=0) == pytest.approx(model.evaluate(X, Y, verbose=0), abs=1e-6)
    assert model.predict(loader, verbose=0).shape == (20, 1)


class Sequence:
    """A `keras.utils.PyDataset`-like sequence: `__len__`, `__getitem__`, `on_epoch_end`."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.epochs_ended = 0

    def __len__(self) -> int:
        return -(-len(X) // self.batch_size)

    def __getitem__(self, index: int):
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return X[part], Y[part]

    def on_epoch_end(self) -> None:
        self.epochs_ended += 1


def test_a_pydataset_like_sequence():
    sequence = Sequence(8)
    model = _model()
    history = model.fit(sequence, epochs=2, verbose=0)
    assert np.allclose(history.history["loss"], _losses(_model(), X, Y, batch_size=8, epochs=2), atol=1e-6)
    assert history.params["steps"] == 3 and sequence.epochs_ended == 2


def test_class_weight_on_a_sequence_weighs_its_batches():
    weighted = _model().fit(Sequence(8), epochs=1, verbose=0, class_weight={0: 1.0, 1: 3.0}).history["loss"]
    expected = _losses(_model(), X, Y, batch_size=8, class_weight={0: 1.0, 1: 3.0})
    assert np.allclose(weighted, expected, atol=1e-6)


def test_class_weight_rounds_the_labels_and_weighs_missing_classes_1():
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="binary_crossentropy")
    labels = np.array([[0.2], [0.8], [0.6], [0.0]], "float32")
    weighted = model.train_on_batch(X[:4], labels, class_weight={1: 3.0})
    assert np.isclose(weighted, model.evaluate(X[:4], labels, sample_weight=np.array([1.0, 3.0, 3.0, 1.0]),
                                               verbose=0), atol=1e-6)


def test_validation_split_takes_the_last_samples_without_class_weights():
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="binary_crossentropy")  # weights stay put
    history = model.fit(X, Y, validation_split=0.25, class_weight={0: 1.0, 1: 5.0}, verbose=0, shuffle=False)
    assert np.isclose(history.history["val_loss"][0], model.evaluate(X[15:], Y[15:], verbose=0), atol=1e-6)
    assert history.params["steps"] == 1


@pytest.mark.parametrize("freq, validated", [(2, [1, 3]), ([1, 4], [0, 3])], ids=["int", "list"])
def test_validation_freq(freq, validated):
    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append("val_loss" in logs))
    history = _model().fit(X, Y, epochs=4, validation_data=(X, Y), validation_freq=freq, verbose=0,
                           callbacks=[callback])
    assert [i for i, yes in enumerate(seen) if yes] == validated
    assert len(history.history["val_loss"]) == 2 and len(history.history["loss"]) == 4


def test_validation_data_with_sample_weights():
    model = _model()
    weights = np.where(Y[:, 0] > 0, 2.0, 0.0).astype("float32")
    history = model.fit(X, Y, validation_data=(X, Y, weights), verbose=0, shuffle=False)
    assert np.isclose(history.history["val_loss"][0], model.evaluate(X, Y, sample_weight=weights, verbose=0)[0])


def test_initial_epoch():
    history = _model().fit(X, Y, epochs=4, initial_epoch=2, verbose=0)
    assert history.epoch == [2, 3] and len(history.history["loss"]) == 2 and history.params["epochs"] == 4


ERRORS = {
    "generator_with_y": (lambda m: m.fit(iter([(X, Y)]), Y, verbose=0),
                         "When providing `x` as a generator, `y` should not be passed. Instead, the targets should "
                         "be included as part of the generator."),
    "loader_with_sample_weight": (
        lambda m: m.fit(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(X))),
                        sample_weight=Y, verbose=0),
        "When providing `x` as a torch DataLoader, `sample_weights` should not be passed."),
    "generator_class_weight": (lambda m: m.fit(iter([(X, Y)]), class_weight={0: 1.0}, verbose=0),
                               "Argument `class_weight` is not supported for Python generator inputs. Received: "
                               "class_weight={0: 1.0}"),
    "generator_split": (lambda m: m.fit(iter([(X, Y)]), validation_split=0.5, verbose=0),
                        "Argument `validation_split` is only supported for tensors or NumPy arrays.Found "
                        "incompatible type in the input: [<class 'list_iterator'>]"),
    "cardinality": (lambda m: m.fit(X, Y[:10], verbose=0),
                    "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' "
                    "sizes: 20\n'y' sizes: 10\n"),
    "class_and_sample_weight": (lambda m: m.fit(X, Y, sample_weight=Y[:, 0], class_weight={0: 1.0}, verbose=0),
                                "You cannot `class_weight` and `sample_weight` at the same time."),
    "split_too_small": (lambda m: m.fit(X[:1], Y[:1], validation_split=0.5, verbose=0),
                        "Training data contains 1 samples, which is not sufficient to split it"),
    "validation_freq": (lambda m: m.fit(X, Y, validation_data=(X, Y), validation_freq="2", verbose=0),
                        "Expected `validation_freq` to be a list or int. Received: validation_freq=2 of the type "
                        "<class 'str'>."),
}


@pytest.mark.parametrize("name", sorted(ERRORS), ids=sorted(ERRORS))
def test_data_errors(name):
    call, message = ERRORS[name]
    with pytest.raises(ValueError) as info:
        call(_model())
    assert str(info.value).startswith(message)


def test_arrays_of_other_floats_reach_the_step_as_floatx():
    """Keras's array slicing casts float64 and float16 arrays (x, y and sample weights) to floatx;
    TF 2.21 printed float32 float32 float32 and float32 int32 float32 for these two fits."""
    seen = []

    class Recording(keras.Model):
        def train_step(self, data):
            x, y, sample_weight = data
            seen.append((x.dtype.name, y.dtype.name, sample_weight.dtype.name))
            return {"n": tf.constant(0.0)}

    inputs = keras.Input((3,))
    model = Recording(inputs, keras.layers.Dense(2)(inputs))
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), sample_weight=np.ones(4), verbose=0)
    model.fit(np.ones((4, 3), "float16"), np.ones((4, 2), "int32"), sample_weight=np.ones(4, "float16"),
              verbose=0)
    assert seen == [("float32", "float32", "float32"), ("float32", "int32", "float32")]
