"""`tf.nest`, against what TF 2.21 printed for the same calls."""

import collections

import pytest

import kerastorch as tf

P = collections.namedtuple("P", ["b", "a"])
S = {"b": [1, (2, 3)], "a": P(b=4, a=None), "c": "str"}


def test_flatten_walks_mappings_by_sorted_key_and_keeps_strings_and_none():
    assert tf.nest.flatten(S) == [4, None, 1, 2, 3, "str"]
    assert tf.nest.flatten(collections.OrderedDict([("z", 1), ("a", 2)])) == [2, 1]
    assert (tf.nest.flatten(None), tf.nest.flatten(5), tf.nest.flatten([]), tf.nest.flatten([[], {}])) == (
        [None], [5], [], [])


def test_pack_sequence_as_keeps_each_mappings_own_order():
    packed = tf.nest.pack_sequence_as(S, list(range(6)))
    assert packed == {"b": [2, (3, 4)], "a": P(b=0, a=1), "c": 5}
    assert list(packed) == ["b", "a", "c"] and type(packed["a"]) is P
    ordered = tf.nest.pack_sequence_as(collections.OrderedDict([("z", 1), ("a", 2)]), [10, 20])
    assert ordered == collections.OrderedDict([("z", 20), ("a", 10)]) and type(ordered) is collections.OrderedDict
    with pytest.raises(ValueError, match=r"^Could not pack sequence. Structure had 2 atoms, but flat_sequence had 1 "
                                         r"items.  Structure: \[1, 2\], flat_sequence: \[1\].$"):
        tf.nest.pack_sequence_as([1, 2], [1])


def test_map_structure_and_is_nested():
    assert tf.nest.map_structure(lambda x, y: (x, y), [1, {"k": 2}], [3, {"k": 4}]) == [(1, 3), {"k": (2, 4)}]
    assert tf.nest.map_structure(lambda x: x * 2, (1, [2, 3])) == (2, [4, 6])
    with pytest.raises(ValueError, match="^Must provide at least one structure$"):
        tf.nest.map_structure(lambda x: x)
    assert [tf.nest.is_nested(v) for v in ([1], "ab", None, {}, tf.constant([1]))] == [True, False, False, True,
                                                                                       False]


@pytest.mark.parametrize("a, b, error, detail, outlines", [
    ([1, 2], [1, 2, 3], ValueError, "The two structures don't have the same number of elements. First structure: "
     "type=list str=[1, 2]. Second structure: type=list str=[1, 2, 3]", ("[., .]", "[., ., .]")),
    ([1, 2], (1, 2), TypeError, "The two namedtuples don't have the same sequence type. First structure type=list "
     "str=[1, 2] has type list, while second structure type=tuple str=(1, 2) has type tuple", ("[., .]", "(., .)")),
    ({"a": 1}, {"b": 1}, ValueError, "The two dictionaries don't have the same set of keys. First structure has "
     "keys type=list str=['a'], while second structure has keys type=list str=['b']", ("{'a': .}", "{'b': .}")),
    ([1, [2]], [1, 2], ValueError, 'Substructure "type=list str=[2]" is a sequence, while substructure '
     '"type=int str=2" is not', ("[., [.]]", "[., .]")),
], ids=["length", "type", "keys", "depth"])
def test_assert_same_structure_errors(a, b, error, detail, outlines):
    with pytest.raises(error) as caught:
        tf.nest.assert_same_structure(a, b)
    assert str(caught.value) == (
        f"The two structures don't have the same nested structure.\n\nFirst structure: type={type(a).__name__} "
        f"str={a}\n\nSecond structure: type={type(b).__name__} str={b}\n\nMore specifically: {detail}\n"
        f"Entire first structure:\n{outlines[0]}\nEntire second structure:\n{outlines[1]}")
    tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)
