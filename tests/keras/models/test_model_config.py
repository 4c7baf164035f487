"""Functional/Sequential configs, JSON and cloning: Keras 3's layout, same outputs after copying weights."""

import json

import numpy as np

from kerastorch import keras

L = keras.layers


def _multi():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    shared = L.Dense(2, name="shared")
    joined = L.Concatenate(name="cat")([shared(a), b])
    return keras.Model([a, b], {"x": L.Dense(1, name="o1")(joined), "y": L.Dense(3, name="o2")(shared(a))},
                       name="multi")


def _data():
    rng = np.random.default_rng(0)
    return [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(4, 2)).astype("float32")]


def test_functional_config_has_keras_layout():
    config = _multi().get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == {"x": ["o1", 0, 0], "y": ["o2", 0, 0]}
    by_name = {entry["name"]: entry for entry in config["layers"]}
    assert [entry["name"] for entry in config["layers"]] == ["a", "shared", "b", "cat", "o1", "o2"]
    assert by_name["a"]["inbound_nodes"] == []
    assert len(by_name["shared"]["inbound_nodes"]) == 2
    second = by_name["o2"]["inbound_nodes"][0]["args"][0]
    assert second == {"class_name": "__keras_tensor__",
                      "config": {"shape": (None, 2), "dtype": "float32", "keras_history": ["shared", 1, 0]}}


def test_from_config_rebuilds_the_graph_and_runs_the_same_with_the_same_weights():
    model = _multi()
    clone = type(model).from_config(model.get_config())
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    clone.set_weights(model.get_weights())
    got, want = clone(_data()), model(_data())
    for key in ("x", "y"):
        np.testing.assert_allclose(got[key].numpy(), want[key].numpy(), rtol=1e-6)


def test_json_round_trip_for_functional_and_sequential():
    model = _multi()
    text = model.to_json()
    assert json.loads(text)["class_name"] == "Functional"
    again = keras.models.model_from_json(text)
    assert again.name == "multi" and again.count_params() == model.count_params()
    seq = keras.Sequential([keras.Input((3,)), L.Dense(2, activation="relu"), L.Dense(1)])
    restored = keras.models.model_from_json(seq.to_json())
    assert isinstance(restored, keras.Sequential) and restored.output_shape == (None, 1)


def test_nested_models_serialize_as_functional():
    a = keras.Input((3,), name="a")
    inner = keras.Model(a, L.Dense(2, name="in_d")(a), name="inner")
    outer = keras.Model(a, L.Dense(1, name="out_d")(inner(a)), name="outer")
    entry = [e for e in outer.get_config()["layers"] if e["name"] == "inner"][0]
    assert (entry["module"], entry["class_name"]) == ("keras.src.models.functional", "Functional")
    clone = keras.models.model_from_json(outer.to_json())
    clone.set_weights(outer.get_weights())
    x = _data()[0]
    np.testing.assert_allclose(clone(x).numpy(), outer(x).numpy(), rtol=1e-6)


def test_clone_model_gives_new_weights_and_the_same_structure():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(1)])
    clone = keras.models.clone_model(model)
    assert clone.count_params() == model.count_params()
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    functional = _multi()
    assert keras.models.clone_model(functional).count_params() == functional.count_params()


def test_nested_functional_outputs_count_calls_from_one_as_keras():
    """TF 2.21 writes `[['inner_f', 1, 0], ['inner_f', 2, 0]]` for this model and records
    `mask: None` in the calls of a nested functional model; both read back."""
    ii = keras.Input((3,), name="ii")
    inner = keras.Model(ii, keras.layers.Dense(2, name="d")(ii), name="inner_f")
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    model = keras.Model([a, b], [inner(a), inner(b)], name="outer")
    config = model.get_config()
    assert config["output_layers"] == [["inner_f", 1, 0], ["inner_f", 2, 0]]
    for node in next(e for e in config["layers"] if e["name"] == "inner_f")["inbound_nodes"]:
        node["kwargs"]["mask"] = None  # as TF writes it
    restored = keras.Model.from_config(config)
    restored.set_weights(model.get_weights())
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    for got, want in zip(restored.predict([x, 2 * x], verbose=0), model.predict([x, 2 * x], verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
