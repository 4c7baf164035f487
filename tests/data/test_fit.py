"""Datasets in `fit` / `evaluate` / `predict`: Keras 3.15's semantics and messages (checked in TF 2.21)."""

import numpy as np
import pytest

import kerastorch as tf
from kerastorch import keras

D = tf.data.Dataset
X = np.linspace(-1.0, 1.0, 60, dtype="float32").reshape(20, 3)
Y = (X.sum(1, keepdims=True) > 0).astype("float32")


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid",
                                                                     kernel_initializer="ones")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_fit_on_a_batched_dataset_equals_fit_on_arrays():
    on_arrays = _model().fit(X, Y, batch_size=6, epochs=3, shuffle=False, verbose=0).history
    on_dataset = _model().fit(D.from_tensor_slices((X, Y)).batch(6), epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(on_dataset["loss"], on_arrays["loss"], rtol=1e-6)
    np.testing.assert_allclose(on_dataset["accuracy"], on_arrays["accuracy"], rtol=1e-6)


def test_generic_pipeline_trains_like_the_fast_one():
    fast = D.from_tensor_slices((X, Y)).batch(5)
    generic = D.from_tensor_slices((X, Y)).map(lambda x, y: (x, y)).batch(5)
    first = _model().fit(fast, epochs=2, shuffle=False, verbose=0).history["loss"]
    second = _model().fit(generic, epochs=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(first, second, rtol=1e-6)


def test_fit_with_default_shuffle_warns_as_keras():
    with pytest.warns(UserWarning, match="`shuffle=True` was passed, but will be ignored"):
        _model().fit(D.from_tensor_slices((X, Y)).batch(4), verbose=0)


def test_evaluate_predict_and_validation_data():
    model = _model()
    ds = D.from_tensor_slices((X, Y)).batch(8)
    history = model.fit(ds, validation_data=ds, epochs=1, shuffle=False, verbose=0).history
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    np.testing.assert_allclose(model.evaluate(ds, verbose=0), model.evaluate(X, Y, batch_size=8, verbose=0),
                               rtol=1e-6)
    predicted = model.predict(ds, verbose=0)  # the targets of (x, y) elements are ignored
    np.testing.assert_allclose(predicted, model.predict(D.from_tensor_slices(X).batch(3), verbose=0), rtol=1e-6)
    assert predicted.shape == (20, 1)


def test_targets_beside_a_dataset_are_refused():
    with pytest.raises(ValueError, match="When providing `x` as a tf.data.Dataset, `y` should not be passed"):
        _model().fit(D.from_tensor_slices((X, Y)).batch(4), Y, shuffle=False, verbose=0)


def test_validation_split_is_refused():
    with pytest.raises(ValueError, match="`validation_split` is only supported for tensors or NumPy arrays"):
        _model().fit(D.from_tensor_slices((X, Y)).batch(4), validation_split=0.2, shuffle=False, verbose=0)


def test_an_infinite_dataset_needs_steps():
    ds = D.from_tensor_slices((X, Y)).batch(4).repeat()
    with pytest.raises(ValueError, match="infinitely repeating dataset"):
        _model().fit(ds, shuffle=False, verbose=0)
    history = _model().fit(ds, steps_per_epoch=3, epochs=2, shuffle=False, verbose=0).history
    assert len(history["loss"]) == 2


def test_a_short_dataset_runs_out_with_keras_warning():
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        _model().fit(D.from_tensor_slices((X, Y)).batch(4).take(2), steps_per_epoch=3, epochs=2, shuffle=False,
                     verbose=0)


def test_batch_size_is_ignored_for_datasets():
    history = _model().fit(D.from_tensor_slices((X, Y)).batch(4), batch_size=7, shuffle=False, verbose=0)
    assert history.params["steps"] == 5


def test_class_weight_and_sample_weight_elements():
    weights = np.where(Y[:, 0] > 0, 2.0, 1.0).astype("float32")
    with_weights = _model().fit(D.from_tensor_slices((X, Y, weights)).batch(5), shuffle=False, verbose=0)
    with_classes = _model().fit(D.from_tensor_slices((X, Y)).batch(5), class_weight={0: 1.0, 1: 2.0},
                                shuffle=False, verbose=0)
    np.testing.assert_allclose(with_weights.history["loss"], with_classes.history["loss"], rtol=1e-6)
