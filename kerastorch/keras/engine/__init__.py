"""The Keras engine: Layer, its variables, input specs, symbolic tensors and naming."""
