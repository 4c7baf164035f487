"""Parity cases for the normalization layers (inference, training with batch statistics, masks)."""

from compat.layerkit import I, N, U, layer_case

_TRAIN = "{'training': True}"
_BOOL = "bool"

CASES = [
    layer_case("bn_infer", "layers.BatchNormalization()", N(4, 3)),
    layer_case("bn_train", "layers.BatchNormalization()", N(6, 3), kwargs=_TRAIN),
    layer_case("bn_3d_train", "layers.BatchNormalization(momentum=0.9)", N(3, 5, 4), kwargs=_TRAIN),
    layer_case("bn_4d_infer", "layers.BatchNormalization(epsilon=0.01)", N(2, 3, 3, 4)),
    layer_case("bn_4d_train", "layers.BatchNormalization(epsilon=0.01)", N(2, 3, 3, 4), kwargs=_TRAIN),
    layer_case("bn_5d_train", "layers.BatchNormalization()", N(2, 2, 3, 2, 3), kwargs=_TRAIN),
    layer_case("bn_axis1_infer", "layers.BatchNormalization(axis=1)", N(2, 3, 4, 2)),
    layer_case("bn_axis1_train", "layers.BatchNormalization(axis=1)", N(2, 3, 4, 2), kwargs=_TRAIN),
    layer_case("bn_axis1_3d_train", "layers.BatchNormalization(axis=1)", N(3, 4, 5), kwargs=_TRAIN),
    layer_case("bn_plain_train", "layers.BatchNormalization(center=False, scale=False)", N(5, 4), kwargs=_TRAIN),
    layer_case("bn_plain_infer", "layers.BatchNormalization(center=False, scale=False)", N(5, 4)),
    layer_case("bn_mask_train", "layers.BatchNormalization()", N(3, 5, 4), I(0, 2, 3, 5, dtype=_BOOL),
               kwargs="{'training': True, 'mask': x1}", positional=1),
    layer_case("bn_mask_infer", "layers.BatchNormalization()", N(3, 5, 4), I(0, 2, 3, 5, dtype=_BOOL),
               kwargs="{'mask': x1}", positional=1),
    # Layers keeping their own initial weights (set_weights=False): TF and kerastorch then run the
    # same two training calls (build, then recorded) from the same state, so outputs that depend on
    # the statistics (renorm) match, and tests/keras/layers/test_normalization.py compares the
    # statistics after both calls with the weights recorded here.
    layer_case("bn_train_state", "layers.BatchNormalization(momentum=0.8)", N(6, 3), kwargs=_TRAIN,
               set_weights=False),
    layer_case("bn_4d_train_state", "layers.BatchNormalization(momentum=0.5)", U(1, 3, 2, 3, 3, 4), kwargs=_TRAIN,
               set_weights=False),
    layer_case("bn_mask_train_state", "layers.BatchNormalization(momentum=0.5)", U(1, 3, 3, 5, 4),
               I(0, 2, 3, 5, dtype=_BOOL), kwargs="{'training': True, 'mask': x1}", positional=1,
               set_weights=False),
    layer_case("bn_renorm_train", "layers.BatchNormalization(renorm=True, renorm_momentum=0.9, momentum=0.8)",
               U(1, 3, 6, 3), kwargs=_TRAIN, set_weights=False),
    layer_case("bn_renorm_clip_train",
               "layers.BatchNormalization(renorm=True, renorm_clipping={'rmax': 1.2, 'rmin': 0.8, 'dmax': 0.1})",
               U(1, 3, 2, 3, 3), kwargs=_TRAIN, set_weights=False),
    layer_case("bn_renorm_infer", "layers.BatchNormalization(renorm=True)", N(6, 3)),
    layer_case("bn_float64_input", "layers.BatchNormalization()", N(4, 3, dtype="float64"), kwargs=_TRAIN),
    layer_case("ln", "layers.LayerNormalization()", N(2, 5, 4)),
    layer_case("ln_2d", "layers.LayerNormalization(epsilon=1e-5)", N(3, 6)),
    layer_case("ln_axes_trailing", "layers.LayerNormalization(axis=[1, 2])", N(2, 3, 4)),
    layer_case("ln_axes_negative", "layers.LayerNormalization(axis=[-2, -1])", N(2, 3, 4)),
    layer_case("ln_axis1", "layers.LayerNormalization(axis=1)", N(2, 3, 4)),
    layer_case("ln_axes_inner", "layers.LayerNormalization(axis=[1, 2])", N(2, 3, 2, 4)),
    layer_case("ln_no_center", "layers.LayerNormalization(center=False)", N(2, 5)),
    layer_case("ln_no_scale", "layers.LayerNormalization(scale=False)", N(2, 5)),
    layer_case("ln_plain_axis1", "layers.LayerNormalization(axis=1, center=False, scale=False)", N(2, 3, 4)),
    layer_case("ln_float64_input", "layers.LayerNormalization()", N(2, 4, dtype="float64")),
    layer_case("gn", "layers.GroupNormalization(groups=2)", N(2, 5, 4)),
    layer_case("gn_4d", "layers.GroupNormalization(groups=3)", N(2, 3, 2, 6)),
    layer_case("gn_instance", "layers.GroupNormalization(groups=-1)", N(2, 3, 3, 4)),
    layer_case("gn_axis1", "layers.GroupNormalization(groups=2, axis=1)", N(2, 4, 3)),
    layer_case("gn_axis_neg2", "layers.GroupNormalization(groups=2, axis=-2)", N(2, 3, 4, 3)),
    layer_case("gn_2d_plain", "layers.GroupNormalization(groups=1, center=False, scale=False, epsilon=0.1)",
               N(3, 4)),
    layer_case("unit", "layers.UnitNormalization()", N(2, 5)),
    layer_case("unit_axes", "layers.UnitNormalization(axis=[1, 2])", N(2, 3, 4)),
    layer_case("unit_axis1", "layers.UnitNormalization(axis=1)", N(2, 3, 4)),
    layer_case("rms", "layers.RMSNormalization()", N(2, 5, 4)),
    layer_case("rms_axes", "layers.RMSNormalization(axis=[1, 2], epsilon=1e-3)", N(2, 3, 4)),
]
