"""Parity cases for the merging layers (inputs passed as one list)."""

from compat.layerkit import I, N, layer_case

# A mask on the inputs themselves (as an upstream Embedding or Masking leaves it), set by
# the keyword-argument expression (`setattr` gives None, so it evaluates to `{}`). The
# masked inputs are integers: a GradientTape's `watch` of a float input replaces its
# kerastorch tensor and drops the mask (reported), so float masked inputs are tested in
# tests/keras/layers/test_merging.py.
_MASK_BOTH = "setattr(x0, '_keras_mask', x2) or setattr(x1, '_keras_mask', x3) or {}"
_MASK_FIRST = "setattr(x0, '_keras_mask', x2) or {}"
_INTS = (I(-9, 10, 2, 4, 3), I(-9, 10, 2, 4, 3), I(0, 2, 2, 4, dtype="bool"), I(0, 2, 2, 4, dtype="bool"))


def _masked(case_id: str, layer: str, kwargs: str) -> dict:
    return layer_case(case_id, layer, *_INTS, kwargs=kwargs, positional=2, as_list=True)


CASES = [
    layer_case("add", "layers.Add()", N(2, 3), N(2, 3), as_list=True),
    layer_case("add_three", "layers.Add()", N(2, 3, 2), N(2, 3, 2), N(2, 3, 2), as_list=True),
    layer_case("add_broadcast_axis", "layers.Add()", N(2, 3), N(2, 1), as_list=True),
    layer_case("add_lower_rank", "layers.Add()", N(2, 4, 3), N(2, 3), as_list=True),
    layer_case("add_int", "layers.Add()", I(-5, 5, 2, 3), I(-5, 5, 2, 3), as_list=True),
    layer_case("subtract", "layers.Subtract()", N(2, 3), N(2, 3), as_list=True),
    layer_case("multiply", "layers.Multiply()", N(2, 3), N(2, 3), N(2, 3), as_list=True),
    layer_case("average", "layers.Average()", N(2, 3), N(2, 3), as_list=True),
    layer_case("average_int", "layers.Average()", I(-5, 5, 2, 3), I(-5, 5, 2, 3), as_list=True),
    layer_case("maximum", "layers.Maximum()", N(2, 3, 2), N(2, 3, 2), as_list=True),
    layer_case("minimum", "layers.Minimum()", N(2, 3), N(2, 3), N(2, 3), as_list=True),
    layer_case("concatenate", "layers.Concatenate()", N(2, 3), N(2, 2), as_list=True),
    layer_case("concatenate_axis1", "layers.Concatenate(axis=1)", N(2, 3, 2), N(2, 1, 2), as_list=True),
    layer_case("concatenate_int_float", "layers.Concatenate()", I(0, 5, 2, 2), N(2, 3), as_list=True),
    layer_case("dot", "layers.Dot(axes=1)", N(3, 4), N(3, 4), as_list=True),
    layer_case("dot_axes_pair", "layers.Dot(axes=(1, 2))", N(2, 3, 5), N(2, 4, 3), as_list=True),
    layer_case("dot_normalize", "layers.Dot(axes=-1, normalize=True)", N(2, 3, 4), N(2, 5, 4), as_list=True),
    layer_case("dot_3d_2d", "layers.Dot(axes=-1)", N(2, 3, 4), N(2, 4), as_list=True),
    layer_case("dot_2d_3d", "layers.Dot(axes=(1, 2))", N(2, 4), N(2, 3, 4), as_list=True),
    layer_case("dot_4d", "layers.Dot(axes=(3, 1))", N(2, 3, 2, 4), N(2, 4, 2, 3), as_list=True),

    _masked("add_masks", "layers.Add()", _MASK_BOTH),
    _masked("add_one_mask", "layers.Add()", _MASK_FIRST),
    _masked("multiply_masks", "layers.Multiply()", _MASK_BOTH),
    _masked("multiply_one_mask", "layers.Multiply()", _MASK_FIRST),
    _masked("maximum_masks", "layers.Maximum()", _MASK_BOTH),
    _masked("maximum_one_mask", "layers.Maximum()", _MASK_FIRST),
    _masked("minimum_masks", "layers.Minimum()", _MASK_BOTH),
    _masked("concatenate_masks", "layers.Concatenate()", _MASK_BOTH),
    _masked("concatenate_one_mask_axis1", "layers.Concatenate(axis=1)", _MASK_FIRST),
    _masked("dot_masks", "layers.Dot(axes=-1)", _MASK_BOTH),
]
