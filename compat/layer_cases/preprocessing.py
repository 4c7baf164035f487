"""Parity cases for the numeric preprocessing layers (string layers: compat/generate_preprocessing.py).

The random image layers run with `training=True` and a degenerate factor range
(`(f, f)`), so the transformation is fixed and TF's exactly; `Normalization` is set by
`mean`/`variance` or by `adapt` inside the layer expression (`set_weights=False`: Keras
reads its statistics at `adapt`/build time, so weights set afterwards would not apply).
"""

from compat.layerkit import I, N, U, layer_case

_ADAPTED = "(lambda l: (l.adapt({data}), l)[1])(layers.Normalization({args}))"
_TRAIN = "{'training': True}"

CASES = [
    # Rescaling
    layer_case("rescaling", "layers.Rescaling(1 / 255.0, offset=-0.5)", U(0, 255, 2, 4, 4, 3)),
    layer_case("rescaling_uint8", "layers.Rescaling(1 / 127.5, offset=-1)", I(0, 256, 2, 3, 3, 2, dtype="uint8")),
    layer_case("rescaling_channels", "layers.Rescaling([0.5, 2.0, -1.0], offset=[0.0, 1.0, 2.0])", N(2, 3, 3)),
    # Normalization
    layer_case("normalization_fixed", "layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])",
               N(4, 5, 3), set_weights=False),
    layer_case("normalization_scalar", "layers.Normalization(axis=None, mean=2.0, variance=3.0)", N(3, 4),
               set_weights=False),
    layer_case("normalization_invert", "layers.Normalization(mean=[1.0, -1.0], variance=[4.0, 0.25], invert=True)",
               N(3, 2), set_weights=False),
    layer_case("normalization_adapt", _ADAPTED.format(data="np.arange(24, dtype='float32').reshape(8, 3) ** 1.5",
                                                      args=""), N(4, 3), set_weights=False),
    layer_case("normalization_adapt_axes",
               _ADAPTED.format(data="np.sin(np.arange(60, dtype='float32')).reshape(5, 3, 4)", args="axis=(1, 2)"),
               N(2, 3, 4), set_weights=False),
    layer_case("normalization_adapt_none",
               _ADAPTED.format(data="np.arange(12, dtype='float64').reshape(4, 3)", args="axis=None"),
               N(2, 3), set_weights=False),
    layer_case("normalization_adapt_batches",
               _ADAPTED.format(data="[np.arange(6, dtype='float32').reshape(2, 3), "
                                    "np.arange(9, dtype='float32').reshape(3, 3) * 2.0]", args=""),
               N(2, 3), set_weights=False),
    # CenterCrop
    layer_case("center_crop", "layers.CenterCrop(4, 3)", N(2, 6, 5, 2)),
    layer_case("center_crop_odd", "layers.CenterCrop(3, 2)", N(2, 6, 5, 2)),
    layer_case("center_crop_upsize", "layers.CenterCrop(8, 4)", N(2, 6, 5, 2)),
    layer_case("center_crop_first", "layers.CenterCrop(2, 3, data_format='channels_first')", N(2, 3, 5, 6)),
    layer_case("center_crop_uint8", "layers.CenterCrop(2, 2)", I(0, 256, 2, 4, 4, 1, dtype="uint8")),
    layer_case("center_crop_single", "layers.CenterCrop(3, 3)", N(5, 6, 2), symbolic=False),
    # Resizing
    layer_case("resize_bilinear_down", "layers.Resizing(3, 4)", N(2, 7, 9, 2)),
    layer_case("resize_bilinear_up", "layers.Resizing(8, 7)", N(2, 3, 4, 2)),
    layer_case("resize_nearest_down", "layers.Resizing(3, 4, interpolation='nearest')", N(2, 7, 9, 2)),
    layer_case("resize_nearest_up", "layers.Resizing(8, 7, interpolation='nearest')", N(2, 3, 4, 2)),
    layer_case("resize_bicubic_down", "layers.Resizing(4, 5, interpolation='bicubic')", N(2, 9, 11, 2)),
    layer_case("resize_bicubic_up", "layers.Resizing(9, 7, interpolation='bicubic')", N(2, 4, 3, 2)),
    layer_case("resize_area_down", "layers.Resizing(3, 4, interpolation='area')", N(2, 7, 9, 2), grad=False),
    layer_case("resize_area_up", "layers.Resizing(5, 7, interpolation='area')", N(2, 3, 4, 2), grad=False),
    layer_case("resize_lanczos3_down", "layers.Resizing(4, 5, interpolation='lanczos3')", N(2, 9, 11, 2)),
    layer_case("resize_lanczos3_up", "layers.Resizing(9, 7, interpolation='lanczos3')", N(2, 4, 3, 2)),
    layer_case("resize_lanczos5", "layers.Resizing(5, 13, interpolation='lanczos5')", N(2, 12, 6, 1)),
    layer_case("resize_antialias_bilinear", "layers.Resizing(3, 4, antialias=True)", N(2, 10, 13, 2)),
    layer_case("resize_antialias_bicubic", "layers.Resizing(4, 3, interpolation='bicubic', antialias=True)",
               N(2, 11, 10, 2)),
    layer_case("resize_antialias_lanczos3_mixed", "layers.Resizing(3, 12, interpolation='lanczos3', antialias=True)",
               N(2, 10, 5, 1)),
    layer_case("resize_antialias_area", "layers.Resizing(3, 4, interpolation='area', antialias=True)",
               N(2, 7, 9, 2), grad=False),
    layer_case("resize_crop_aspect", "layers.Resizing(4, 4, crop_to_aspect_ratio=True)", N(2, 6, 9, 2)),
    layer_case("resize_pad_aspect", "layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=0.5)",
               N(2, 3, 6, 2)),
    layer_case("resize_pad_aspect_tall", "layers.Resizing(4, 6, pad_to_aspect_ratio=True)", N(2, 6, 3, 1)),
    layer_case("resize_uint8", "layers.Resizing(5, 3)", I(0, 256, 2, 4, 4, 3, dtype="uint8")),
    layer_case("resize_int32_nearest", "layers.Resizing(2, 6, interpolation='nearest')",
               I(-50, 50, 2, 4, 4, 1)),
    layer_case("resize_first", "layers.Resizing(3, 5, data_format='channels_first')", N(2, 2, 6, 4)),
    # RandomFlip (identity outside training; a cast for integer images)
    layer_case("random_flip_inference", "layers.RandomFlip(seed=3)", N(2, 4, 4, 3), kwargs="{'training': False}"),
    layer_case("random_flip_int", "layers.RandomFlip('vertical')", I(0, 9, 2, 3, 3, 1),
               kwargs="{'training': False}"),
    # RandomRotation with a fixed angle
    layer_case("rotation_reflect", "layers.RandomRotation((0.1, 0.1))", N(2, 6, 7, 2), kwargs=_TRAIN),
    layer_case("rotation_wrap", "layers.RandomRotation((-0.2, -0.2), fill_mode='wrap')", N(2, 6, 6, 1),
               kwargs=_TRAIN),
    layer_case("rotation_constant", "layers.RandomRotation((0.3, 0.3), fill_mode='constant', fill_value=2.0)",
               N(2, 5, 8, 2), kwargs=_TRAIN),
    layer_case("rotation_nearest_fill", "layers.RandomRotation((0.45, 0.45), fill_mode='nearest')", N(2, 7, 5, 1),
               kwargs=_TRAIN),
    layer_case("rotation_nearest_interp",
               "layers.RandomRotation((0.15, 0.15), interpolation='nearest', fill_mode='constant')", N(2, 6, 6, 2),
               kwargs=_TRAIN),
    layer_case("rotation_quarter", "layers.RandomRotation((0.25, 0.25), fill_mode='constant')", N(1, 5, 5, 1),
               kwargs=_TRAIN),
    layer_case("rotation_inference", "layers.RandomRotation(0.2)", N(2, 4, 4, 2), kwargs="{'training': False}"),
    layer_case("rotation_first", "layers.RandomRotation((0.05, 0.05), data_format='channels_first')",
               N(2, 2, 5, 6), kwargs=_TRAIN),
    # RandomZoom with fixed factors
    layer_case("zoom_out", "layers.RandomZoom((0.3, 0.3))", N(2, 6, 7, 2), kwargs=_TRAIN),
    layer_case("zoom_in", "layers.RandomZoom((-0.4, -0.4), fill_mode='constant')", N(2, 6, 7, 2), kwargs=_TRAIN),
    layer_case("zoom_width", "layers.RandomZoom((0.2, 0.2), width_factor=(-0.3, -0.3), fill_mode='wrap')",
               N(2, 5, 6, 1), kwargs=_TRAIN),
    layer_case("zoom_nearest",
               "layers.RandomZoom((0.5, 0.5), fill_mode='nearest', interpolation='nearest')", N(2, 6, 6, 1),
               kwargs=_TRAIN),
    layer_case("zoom_constant_value",
               "layers.RandomZoom((0.6, 0.6), width_factor=(0.1, 0.1), fill_mode='constant', fill_value=-1.0)",
               N(2, 5, 5, 2), kwargs=_TRAIN),
    # CategoryEncoding
    layer_case("category_multi_hot", "layers.CategoryEncoding(6)", I(0, 6, 4, 3)),
    layer_case("category_count", "layers.CategoryEncoding(5, output_mode='count')", I(0, 5, 4, 6)),
    layer_case("category_one_hot", "layers.CategoryEncoding(4, output_mode='one_hot')", I(0, 4, 5, 1)),
    layer_case("category_one_hot_vector", "layers.CategoryEncoding(4, output_mode='one_hot')", I(0, 4, 5)),
    layer_case("category_count_weights", "layers.CategoryEncoding(4, output_mode='count')", I(0, 4, 3, 5),
               U(0, 1, 3, 5), kwargs="{'count_weights': x1}", positional=1, grad=False),
    # Hashing of numbers (strings: compat/generate_preprocessing.py)
    layer_case("hashing_int", "layers.Hashing(7)", I(-1000, 1000, 4, 3, dtype="int64")),
    layer_case("hashing_int32_mask", "layers.Hashing(5, mask_value=3)", I(0, 6, 4, 3)),
    layer_case("hashing_salt", "layers.Hashing(11, salt=[7, 13])", I(0, 10**6, 4, 2, dtype="int64")),
    layer_case("hashing_float", "layers.Hashing(6)", U(-20, 20, 3, 4)),
    layer_case("hashing_multi_hot", "layers.Hashing(6, output_mode='multi_hot')", I(0, 100, 4, 3)),
    layer_case("hashing_count", "layers.Hashing(4, output_mode='count')", I(0, 100, 4, 5)),
    layer_case("hashing_one_hot", "layers.Hashing(5, output_mode='one_hot')", I(0, 100, 6, 1)),
    # IntegerLookup
    layer_case("integer_lookup", "layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])",
               I(0, 50, 3, 4, dtype="int64")),
    layer_case("integer_lookup_oov", "layers.IntegerLookup(vocabulary=[3, 5, 7], num_oov_indices=3)",
               I(0, 12, 4, 5, dtype="int64")),
    layer_case("integer_lookup_farmhash",
               "layers.IntegerLookup(vocabulary=[3, 5], num_oov_indices=4, oov_method='farmhash')",
               I(0, 40, 4, 5, dtype="int64")),
    layer_case("integer_lookup_salt",
               "layers.IntegerLookup(vocabulary=[3, 5], num_oov_indices=3, oov_method='farmhash', salt=9)",
               I(0, 40, 4, 5, dtype="int64")),
    layer_case("integer_lookup_mask", "layers.IntegerLookup(vocabulary=[4, 2, 9], mask_token=0)",
               I(0, 10, 3, 4, dtype="int64")),
    layer_case("integer_lookup_multi_hot",
               "layers.IntegerLookup(vocabulary=[4, 2, 9], output_mode='multi_hot', mask_token=0)",
               I(0, 10, 3, 4, dtype="int64")),
    layer_case("integer_lookup_count_pad",
               "layers.IntegerLookup(vocabulary=[4, 2, 9], output_mode='count', max_tokens=6, pad_to_max_tokens=True)",
               I(0, 10, 3, 6, dtype="int64")),
    layer_case("integer_lookup_one_hot", "layers.IntegerLookup(vocabulary=[4, 2, 9], output_mode='one_hot')",
               I(0, 10, 5, 1, dtype="int64")),
    layer_case("integer_lookup_tf_idf",
               "layers.IntegerLookup(vocabulary=[4, 2, 9], output_mode='tf_idf', idf_weights=[0.5, 1.0, 2.5])",
               I(0, 10, 3, 5, dtype="int64")),
    layer_case("integer_lookup_invert", "layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)",
               I(0, 7, 3, 4, dtype="int64")),
    layer_case("integer_lookup_invert_mask",
               "layers.IntegerLookup(vocabulary=[12, 36], invert=True, mask_token=0, oov_token=-7)",
               I(0, 5, 3, 4, dtype="int64")),
    layer_case("integer_lookup_adapt",
               "(lambda l: (l.adapt(np.array([5, 3, 3, 9, 5, 1, 9, 9, 2])), l)[1])(layers.IntegerLookup())",
               I(0, 11, 3, 4, dtype="int64")),
    layer_case("integer_lookup_adapt_max",
               "(lambda l: (l.adapt(np.array([[5, 3], [3, 9], [5, 1], [7, 7]])), l)[1])"
               "(layers.IntegerLookup(max_tokens=4, output_mode='multi_hot'))",
               I(0, 11, 3, 4, dtype="int64")),
    layer_case("integer_lookup_adapt_tf_idf",
               "(lambda l: (l.adapt(np.array([[5, 3, 3], [3, 9, 1], [5, 1, 1]])), l)[1])"
               "(layers.IntegerLookup(output_mode='tf_idf'))",
               I(0, 11, 3, 4, dtype="int64")),
]


def text_case(case_id: str, layer: str, inputs, adapt: str | None = None, dtype: str | None = None) -> dict:
    """A string-layer case for `compat/generate_preprocessing.py`: `layer` (an expression), optionally
    adapted on the expression `adapt`, called on `tf.constant(inputs)` (with `dtype` when given)."""
    return {"id": case_id, "layer": layer, "inputs": inputs, "adapt": adapt, "dtype": dtype}


_WORDS = [["the", "cat"], ["sat", "on"], ["the", "mat"], ["a", "dog"]]
_PAIRS = [["a", "c", "d"], ["d", "z", "b"]]
_DOCS = "np.array(['The cat sat.', 'the CAT ran!', 'a dog, a cat', 'Dogs & cats: the end'])"
_QUERIES = [["The dog sat on the mat."], ["CAT-cat, (cats)?"], [""], ["zebra\tthe\ncat  a"]]
# One string per branch of FarmHash (lengths 0, 1-3, 4-7, 8-16, 17-32, 33-64, one and several 64-byte blocks).
_UNICODE = ["", "é", "日本", "Émile ÉCOLE", "naïve café", "\x00\x01", "seventeen chars!!", "q" * 31, "z" * 33,
            "y" * 64, "x" * 70, "".join(chr(65 + i % 50) for i in range(200))]

TEXT_CASES = [
    # StringLookup
    text_case("string_lookup", "layers.StringLookup(vocabulary=['a', 'b', 'c', 'd'])", _PAIRS),
    text_case("string_lookup_rank1", "layers.StringLookup(vocabulary=['a', 'b'])", ["a", "b", "q", "a"]),
    text_case("string_lookup_scalar", "layers.StringLookup(vocabulary=['a', 'b'])", "b"),
    text_case("string_lookup_oov3", "layers.StringLookup(vocabulary=['a', 'b'], num_oov_indices=3)",
              [["q", "r", "s", "a"], ["tt", "uuu", "b", "vvvvvvvvvvvvvvvvvvv"]]),
    text_case("string_lookup_salt", "layers.StringLookup(vocabulary=['a'], num_oov_indices=4, salt=[3, 17])",
              [["q", "r", "s", "a"], ["tt", "uuu", "b", "zz"]]),
    text_case("string_lookup_no_oov", "layers.StringLookup(vocabulary=['a', 'b'], num_oov_indices=0)",
              [["a", "b", "b"]]),
    text_case("string_lookup_no_oov_error", "layers.StringLookup(vocabulary=['a', 'b'], num_oov_indices=0)",
              [["a", "x"]]),
    text_case("string_lookup_mask", "layers.StringLookup(vocabulary=['a', 'b'], mask_token='[M]')",
              [["[M]", "a", "x", "b"]]),
    text_case("string_lookup_specials",
              "layers.StringLookup(vocabulary=['', '[UNK]', 'a', 'b'], mask_token='')", [["", "a", "x", "b"]]),
    text_case("string_lookup_one_hot", "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='one_hot')",
              [["a"], ["z"], ["c"]]),
    text_case("string_lookup_multi_hot",
              "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='multi_hot', mask_token='[M]')",
              [["a", "b", "a", "[M]"], ["c", "z", "b", "c"]]),
    text_case("string_lookup_count",
              "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='count', max_tokens=6, "
              "pad_to_max_tokens=True)", [["a", "b", "a"], ["c", "z", "z"]]),
    text_case("string_lookup_tf_idf",
              "layers.StringLookup(vocabulary=['a', 'b', 'c'], output_mode='tf_idf', idf_weights=[0.5, 1.0, 2.0])",
              [["a", "b", "a"], ["c", "z", "b"]]),
    text_case("string_lookup_invert", "layers.StringLookup(vocabulary=['a', 'b', 'c'], invert=True)",
              [[0, 1, 2, 3, 4, 9]], dtype="int64"),
    text_case("string_lookup_invert_mask",
              "layers.StringLookup(vocabulary=['a', 'b'], invert=True, mask_token='[M]', oov_token='?')",
              [[0, 1, 2, 3, 7]], dtype="int64"),
    text_case("string_lookup_unicode", "layers.StringLookup(vocabulary=['é', '日本', 'café'])",
              [["é", "日本", "cafe", "café"]]),
    text_case("string_lookup_adapt", "layers.StringLookup()", _WORDS,
              adapt="np.array(['b', 'a', 'c', 'a', 'b', 'd', 'the', 'cat'])"),
    text_case("string_lookup_adapt_max", "layers.StringLookup(max_tokens=4, mask_token='')", _WORDS,
              adapt="np.array([['the', 'cat', ''], ['the', 'mat', '[UNK]'], ['a', 'dog', 'the']])"),
    text_case("string_lookup_adapt_tf_idf", "layers.StringLookup(output_mode='tf_idf')", _WORDS,
              adapt="np.array([['the', 'cat', 'the'], ['the', 'mat', 'on'], ['a', 'dog', 'cat']])"),
    text_case("string_lookup_adapt_batches", "layers.StringLookup(num_oov_indices=2)", _WORDS,
              adapt="iter([np.array(['the', 'cat']), np.array(['the', 'dog', 'dog', 'a'])])"),
    # Hashing of strings
    text_case("hashing_strings", "layers.Hashing(7)", [[w] for w in _UNICODE]),
    text_case("hashing_strings_many_bins", "layers.Hashing(1000003)", [_UNICODE]),
    text_case("hashing_strings_mask", "layers.Hashing(5, mask_value='')", [["", "a", "b", ""], ["c", "", "d", "e"]]),
    text_case("hashing_strings_salt", "layers.Hashing(9, salt=133)", [_UNICODE]),
    text_case("hashing_strings_multi_hot", "layers.Hashing(6, output_mode='multi_hot')",
              [["a", "b", "c"], ["d", "e", "a"]]),
    text_case("hashing_strings_one_hot", "layers.Hashing(4, output_mode='one_hot')", [["a"], ["b"], ["q"]]),
    # TextVectorization
    text_case("text_adapt", "layers.TextVectorization()", _QUERIES, adapt=_DOCS),
    text_case("text_adapt_rank1", "layers.TextVectorization(max_tokens=6)", [q[0] for q in _QUERIES],
              adapt=_DOCS),
    text_case("text_sequence_length", "layers.TextVectorization(output_sequence_length=4)", _QUERIES,
              adapt=_DOCS),
    text_case("text_sequence_long", "layers.TextVectorization(output_sequence_length=9)", _QUERIES, adapt=_DOCS),
    text_case("text_lower", "layers.TextVectorization(standardize='lower')", _QUERIES, adapt=_DOCS),
    text_case("text_strip", "layers.TextVectorization(standardize='strip_punctuation')", _QUERIES, adapt=_DOCS),
    text_case("text_raw", "layers.TextVectorization(standardize=None)", _QUERIES, adapt=_DOCS),
    text_case("text_character", "layers.TextVectorization(split='character')", [["Ab c"], ["é日!"]],
              adapt="np.array(['aab', 'cé日', 'b b'])"),
    text_case("text_no_split", "layers.TextVectorization(split=None)", [["the cat"], ["a dog"], ["x"]],
              adapt="np.array(['the cat', 'a dog', 'the cat'])"),
    text_case("text_bigrams", "layers.TextVectorization(ngrams=2)", _QUERIES, adapt=_DOCS),
    text_case("text_ngram_sizes", "layers.TextVectorization(ngrams=(1, 3), output_sequence_length=12)", _QUERIES,
              adapt=_DOCS),
    text_case("text_multi_hot", "layers.TextVectorization(output_mode='multi_hot')", _QUERIES, adapt=_DOCS),
    text_case("text_count_pad", "layers.TextVectorization(output_mode='count', max_tokens=12, "
              "pad_to_max_tokens=True)", _QUERIES, adapt=_DOCS),
    text_case("text_tf_idf", "layers.TextVectorization(output_mode='tf_idf')", _QUERIES, adapt=_DOCS),
    text_case("text_vocabulary", "layers.TextVectorization(vocabulary=['the', 'cat', 'dog', 'sat'])", _QUERIES),
    text_case("text_unicode", "layers.TextVectorization()", [["ÉCOLE école Café"], ["naïve, NAÏVE"]],
              adapt="np.array(['École café', 'naïve école'])"),
]
