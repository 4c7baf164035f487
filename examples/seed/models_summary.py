"""Seed, "What is a Model" sections 1 and 2: a Sequential and a Functional model, summarized.

The two models are the same stack (4 -> 16 -> 8 -> 1, 225 parameters); the functional
one lists its InputLayer, the Sequential one does not.
"""
from tensorflow.keras import Input, Model, Sequential
from tensorflow.keras.layers import Dense

# Simple Sequential model
model = Sequential([
    Dense(16, activation='relu', input_shape=(4,)),  # Input + hidden layer
    Dense(8, activation='relu'),                     # Hidden layer
    Dense(1, activation='sigmoid')                   # Output layer
])

model.summary()

# Define input
inputs = Input(shape=(4,))

# Define path
x = Dense(16, activation='relu')(inputs)
x = Dense(8, activation='relu')(x)
outputs = Dense(1, activation='sigmoid')(x)

# Define model
model = Model(inputs=inputs, outputs=outputs)

model.summary()
print(model.count_params(), [layer.name for layer in model.layers])
