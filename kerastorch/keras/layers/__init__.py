"""`tf.keras.layers`: the built-in layers, re-exported from one module per family."""

from kerastorch._missing import missing_names as _missing_names
from kerastorch.keras.engine.base_layer import Layer
from kerastorch.keras.engine.input_layer import Input, InputLayer
from kerastorch.keras.engine.input_spec import InputSpec
from kerastorch.keras.engine.torch_wrapper import TorchModuleWrapper

# isort: split
from kerastorch.keras.layers.core import Dense

# isort: split
from kerastorch.keras.layers.conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
)
from kerastorch.keras.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv3D,
    Convolution1D,
    Convolution2D,
    Convolution3D,
)
from kerastorch.keras.layers.depthwise_separable import (
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from kerastorch.keras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)

# isort: split
from kerastorch.keras.layers.padding import (
    Cropping1D,
    Cropping2D,
    Cropping3D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)
from kerastorch.keras.layers.regularization import (
    ActivityRegularization,
    AlphaDropout,
    Dropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from kerastorch.keras.layers.reshaping import Flatten, Permute, RepeatVector, Reshape
from kerastorch.keras.layers.serialization import deserialize, serialize
from kerastorch.keras.layers.upsampling import UpSampling1D, UpSampling2D, UpSampling3D
from kerastorch.keras.layers.wrappers import TimeDistributed, Wrapper

# isort: split
from kerastorch.keras.layers.activation import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from kerastorch.keras.layers.core import EinsumDense, Identity
from kerastorch.keras.layers.embedding import Embedding
from kerastorch.keras.layers.lambda_layer import Lambda
from kerastorch.keras.layers.masking import Masking
from kerastorch.keras.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)

# isort: split
from kerastorch.keras.layers.attention import AdditiveAttention, Attention
from kerastorch.keras.layers.batch_normalization import BatchNormalization
from kerastorch.keras.layers.multi_head_attention import MultiHeadAttention
from kerastorch.keras.layers.normalization import (
    GroupNormalization,
    LayerNormalization,
    RMSNormalization,
    UnitNormalization,
)

# isort: split
from kerastorch.keras.layers.recurrent import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
)

# isort: split
from kerastorch.keras.layers.preprocessing import (
    CategoryEncoding,
    CenterCrop,
    Hashing,
    IntegerLookup,
    Normalization,
    RandomFlip,
    RandomRotation,
    RandomZoom,
    Rescaling,
    Resizing,
    StringLookup,
    TextVectorization,
)

__getattr__ = _missing_names("tf.keras.layers", __name__)
