"""The tensor core: dtypes, shapes, Tensor, Variable, GradientTape, devices. No Keras here."""
