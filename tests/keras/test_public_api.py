"""The public `tf.keras` API is pinned: a name added or lost shows up here, on purpose.

Every name below was checked to exist under the same name in Keras 3.15 (TF 2.21's
`keras`) when it was added; kerastorch's own helpers stay out of `__all__`.
"""

import types

import pytest

from kerastorch import keras

TOP_LEVEL = {
    'DTypePolicy', 'Input', 'InputSpec', 'KerasTensor', 'Layer', 'Loss', 'Metric', 'Model',
    'Optimizer', 'Sequential', 'Variable', 'activations', 'backend', 'callbacks', 'config',
    'constraints', 'datasets', 'dtype_policies', 'initializers', 'layers', 'losses', 'metrics',
    'mixed_precision', 'models', 'optimizers', 'preprocessing', 'regularizers', 'saving', 'utils'
}

NAMESPACES = {
    "layers": {
        'Activation', 'ActivityRegularization', 'Add', 'AdditiveAttention', 'AlphaDropout',
        'Attention', 'Average', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
        'AvgPool1D', 'AvgPool2D', 'AvgPool3D', 'BatchNormalization', 'Bidirectional',
        'CategoryEncoding', 'CenterCrop', 'Concatenate', 'Conv1D', 'Conv1DTranspose', 'Conv2D',
        'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D',
        'Convolution1D', 'Convolution1DTranspose', 'Convolution2D', 'Convolution2DTranspose',
        'Convolution3D', 'Convolution3DTranspose', 'Cropping1D', 'Cropping2D', 'Cropping3D',
        'Dense', 'DepthwiseConv1D', 'DepthwiseConv2D', 'Dot', 'Dropout', 'ELU', 'EinsumDense',
        'Embedding', 'Flatten', 'GRU', 'GRUCell', 'GaussianDropout', 'GaussianNoise',
        'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalAveragePooling3D',
        'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'GlobalMaxPool1D',
        'GlobalMaxPool2D', 'GlobalMaxPool3D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
        'GlobalMaxPooling3D', 'GroupNormalization', 'Hashing', 'Identity', 'Input', 'InputLayer',
        'InputSpec', 'IntegerLookup', 'LSTM', 'LSTMCell', 'Lambda', 'Layer', 'LayerNormalization',
        'LeakyReLU', 'Masking', 'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'MaxPooling1D',
        'MaxPooling2D', 'MaxPooling3D', 'Maximum', 'Minimum', 'MultiHeadAttention', 'Multiply',
        'Normalization', 'PReLU', 'Permute', 'RMSNormalization', 'RNN', 'RandomFlip',
        'RandomRotation', 'RandomZoom', 'ReLU', 'RepeatVector', 'Rescaling', 'Reshape', 'Resizing',
        'SeparableConv1D', 'SeparableConv2D', 'SeparableConvolution1D', 'SeparableConvolution2D',
        'SimpleRNN', 'SimpleRNNCell', 'Softmax', 'SpatialDropout1D', 'SpatialDropout2D',
        'SpatialDropout3D', 'StackedRNNCells', 'StringLookup', 'Subtract', 'TextVectorization',
        'TimeDistributed', 'TorchModuleWrapper', 'UnitNormalization', 'UpSampling1D',
        'UpSampling2D', 'UpSampling3D', 'Wrapper', 'ZeroPadding1D', 'ZeroPadding2D',
        'ZeroPadding3D', 'add', 'average', 'concatenate', 'deserialize', 'dot', 'maximum',
        'minimum', 'multiply', 'serialize', 'subtract'
    },
    "activations": {
        'celu', 'deserialize', 'elu', 'exponential', 'gelu', 'get', 'glu', 'hard_shrink',
        'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh', 'leaky_relu', 'linear',
        'log_sigmoid', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'serialize', 'sigmoid',
        'silu', 'soft_shrink', 'softmax', 'softplus', 'softsign', 'sparse_plus', 'sparse_sigmoid',
        'sparsemax', 'squareplus', 'swish', 'tanh', 'tanh_shrink', 'threshold'
    },
    "initializers": {
        'Constant', 'GlorotNormal', 'GlorotUniform', 'HeNormal', 'HeUniform', 'Identity',
        'IdentityInitializer', 'Initializer', 'LecunNormal', 'LecunUniform', 'Ones', 'Orthogonal',
        'OrthogonalInitializer', 'RandomNormal', 'RandomUniform', 'TruncatedNormal',
        'VarianceScaling', 'Zeros', 'constant', 'deserialize', 'get', 'glorot_normal',
        'glorot_uniform', 'he_normal', 'he_uniform', 'identity', 'lecun_normal', 'lecun_uniform',
        'ones', 'orthogonal', 'random_normal', 'random_uniform', 'serialize', 'truncated_normal',
        'variance_scaling', 'zeros'
    },
    "regularizers": {
        'L1', 'L1L2', 'L2', 'OrthogonalRegularizer', 'Regularizer', 'deserialize', 'get', 'l1',
        'l1_l2', 'l2', 'orthogonal_regularizer', 'serialize'
    },
    "constraints": {
        'Constraint', 'MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm', 'deserialize', 'get',
        'max_norm', 'min_max_norm', 'non_neg', 'serialize', 'unit_norm'
    },
    "utils": {
        'CustomObjectScope', 'Progbar', 'PyDataset', 'Sequence', 'custom_object_scope', 'deserialize_keras_object',
        'get_registered_name', 'get_registered_object', 'normalize', 'pad_sequences', 'register_keras_serializable',
        'serialize_keras_object', 'set_random_seed', 'split_dataset', 'to_categorical'
    },
    "datasets": {
        'boston_housing', 'california_housing', 'cifar10', 'cifar100', 'fashion_mnist', 'imdb', 'mnist', 'reuters'
    },
    "datasets.boston_housing": {'load_data'},
    "datasets.california_housing": {'load_data'},
    "datasets.cifar10": {'load_data'},
    "datasets.cifar100": {'load_data'},
    "datasets.fashion_mnist": {'load_data'},
    "datasets.imdb": {'get_word_index', 'load_data'},
    "datasets.mnist": {'load_data'},
    "datasets.reuters": {'get_label_names', 'get_word_index', 'load_data'},
    "preprocessing": {'sequence'},
    "preprocessing.sequence": {'pad_sequences'},
    "saving": {
        'CustomObjectScope', 'custom_object_scope', 'deserialize_keras_object',
        'get_registered_name', 'get_registered_object', 'load_model', 'load_weights',
        'register_keras_serializable', 'save_model', 'save_weights', 'serialize_keras_object',
        'variable_paths'
    },
    "config": {
        'dtype_policy', 'enable_unsafe_deserialization', 'epsilon', 'floatx', 'image_data_format',
        'set_dtype_policy', 'set_epsilon', 'set_floatx', 'set_image_data_format'
    },
    "backend": {
        'backend', 'clear_session', 'epsilon', 'floatx'
    },
    "callbacks": {
        'BackupAndRestore', 'CSVLogger', 'Callback', 'CallbackList', 'EarlyStopping', 'History',
        'LambdaCallback', 'LearningRateScheduler', 'ModelCheckpoint', 'ProgbarLogger',
        'ReduceLROnPlateau', 'TensorBoard', 'TerminateOnNaN'
    },
    "losses": {
        'BinaryCrossentropy', 'BinaryFocalCrossentropy', 'CTC', 'CategoricalCrossentropy',
        'CategoricalFocalCrossentropy', 'CategoricalGeneralizedCrossEntropy', 'CategoricalHinge',
        'Circle', 'CosineSimilarity', 'Dice', 'Hinge', 'Huber', 'KLD', 'KLDivergence', 'LogCosh',
        'Loss', 'MAE', 'MAPE', 'MSE', 'MSLE', 'MeanAbsoluteError', 'MeanAbsolutePercentageError',
        'MeanSquaredError', 'MeanSquaredLogarithmicError', 'Poisson', 'Reduction',
        'SparseCategoricalCrossentropy', 'SquaredHinge', 'Tversky', 'binary_crossentropy',
        'binary_focal_crossentropy', 'categorical_crossentropy', 'categorical_focal_crossentropy',
        'categorical_generalized_cross_entropy', 'categorical_hinge', 'circle', 'cosine_similarity',
        'ctc', 'deserialize', 'dice', 'get', 'hinge', 'huber', 'kld', 'kullback_leibler_divergence',
        'logcosh', 'mae', 'mape', 'mse', 'msle', 'poisson', 'serialize',
        'sparse_categorical_crossentropy', 'squared_hinge', 'tversky'
    },
    "metrics": {
        'AUC', 'Accuracy', 'BinaryAccuracy', 'BinaryCrossentropy', 'BinaryIoU',
        'CategoricalAccuracy', 'CategoricalCrossentropy', 'CategoricalHinge',
        'ConcordanceCorrelation', 'CosineSimilarity', 'F1Score', 'FBetaScore', 'FalseNegatives',
        'FalsePositives', 'Hinge', 'IoU', 'KLD', 'KLDivergence', 'LogCoshError', 'MAE', 'MAPE',
        'MSE', 'MSLE', 'Mean', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanIoU',
        'MeanMetricWrapper', 'MeanSquaredError', 'MeanSquaredLogarithmicError', 'Metric',
        'OneHotIoU', 'OneHotMeanIoU', 'PearsonCorrelation', 'Poisson', 'Precision',
        'PrecisionAtRecall', 'R2Score', 'Recall', 'RecallAtPrecision', 'RootMeanSquaredError',
        'SensitivityAtSpecificity', 'SparseCategoricalAccuracy', 'SparseCategoricalCrossentropy',
        'SparseTopKCategoricalAccuracy', 'SpecificityAtSensitivity', 'SquaredHinge', 'Sum',
        'TopKCategoricalAccuracy', 'TrueNegatives', 'TruePositives', 'binary_accuracy',
        'binary_crossentropy', 'binary_focal_crossentropy', 'categorical_accuracy',
        'categorical_crossentropy', 'categorical_focal_crossentropy', 'categorical_hinge',
        'concordance_correlation', 'deserialize', 'get', 'hinge', 'huber', 'kld',
        'kullback_leibler_divergence', 'logcosh', 'mae', 'mape', 'mse', 'msle',
        'pearson_correlation', 'poisson', 'serialize', 'sparse_categorical_accuracy',
        'sparse_categorical_crossentropy', 'sparse_top_k_categorical_accuracy', 'squared_hinge',
        'top_k_categorical_accuracy'
    },
    "models": {
        'Model', 'Sequential', 'clone_model', 'load_model', 'model_from_json', 'save_model'
    },
    "optimizers": {
        'Adadelta', 'Adafactor', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'Ftrl', 'Lamb', 'Lion',
        'LossScaleOptimizer', 'Nadam', 'Optimizer', 'RMSprop', 'SGD', 'deserialize', 'get', 'legacy',
        'schedules', 'serialize'
    },
    "mixed_precision": {
        'DTypePolicy', 'LossScaleOptimizer', 'Policy', 'dtype_policy', 'global_policy', 'set_dtype_policy',
        'set_global_policy'
    },
    "dtype_policies": {'DTypePolicy', 'FloatDTypePolicy', 'deserialize', 'get', 'serialize'},
    "optimizers.schedules": {
        'CosineDecay', 'CosineDecayRestarts', 'ExponentialDecay', 'InverseTimeDecay',
        'LearningRateSchedule', 'PiecewiseConstantDecay', 'PolynomialDecay', 'deserialize',
        'serialize'
    },
}


def _public(module) -> set:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")
                 and not isinstance(getattr(module, n), types.ModuleType)]
    return set(names)


def test_top_level_names():
    assert {n for n in dir(keras) if not n.startswith("_") and n != "engine"} == TOP_LEVEL


@pytest.mark.parametrize("namespace", sorted(NAMESPACES), ids=str)
def test_namespace_names(namespace):
    module = keras
    for part in namespace.split("."):
        module = getattr(module, part)
    assert _public(module) == NAMESPACES[namespace]
    for name in NAMESPACES[namespace]:
        assert getattr(module, name) is not None


@pytest.mark.parametrize(("alias", "name"), [
    ("Convolution1D", "Conv1D"), ("Convolution2D", "Conv2D"), ("Convolution3D", "Conv3D"),
    ("Convolution1DTranspose", "Conv1DTranspose"), ("Convolution2DTranspose", "Conv2DTranspose"),
    ("Convolution3DTranspose", "Conv3DTranspose"), ("SeparableConvolution1D", "SeparableConv1D"),
    ("SeparableConvolution2D", "SeparableConv2D"), ("MaxPool1D", "MaxPooling1D"), ("MaxPool2D", "MaxPooling2D"),
    ("MaxPool3D", "MaxPooling3D"), ("AvgPool1D", "AveragePooling1D"), ("AvgPool2D", "AveragePooling2D"),
    ("AvgPool3D", "AveragePooling3D"), ("GlobalMaxPool1D", "GlobalMaxPooling1D"),
    ("GlobalMaxPool2D", "GlobalMaxPooling2D"), ("GlobalMaxPool3D", "GlobalMaxPooling3D"),
    ("GlobalAvgPool1D", "GlobalAveragePooling1D"), ("GlobalAvgPool2D", "GlobalAveragePooling2D"),
    ("GlobalAvgPool3D", "GlobalAveragePooling3D"),
], ids=str)
def test_layer_aliases_are_the_same_class(alias, name):
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)
