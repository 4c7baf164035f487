"""`tf.nest`: nested structures of lists, tuples, namedtuples and dicts, as TF walks them.

Mappings are walked in sorted key order (and packed back with their own key order);
strings, tensors, arrays and None are leaves. Error messages are TF 2.21's.
"""

from __future__ import annotations

from collections.abc import Mapping

from kerastorch._missing import missing_names as _missing_names

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]


def is_nested(seq) -> bool:
    """Whether `seq` is a list, tuple (named too) or mapping, i.e. not a leaf."""
    return isinstance(seq, (list, tuple, Mapping))


def _children(structure) -> list:
    if isinstance(structure, Mapping):
        return [structure[key] for key in _sorted_keys(structure)]
    return list(structure)


def _sorted_keys(mapping: Mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError as error:
        raise TypeError(f"nest only supports dicts with sortable keys. Received: {list(mapping)}") from error


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of `structure`, depth first (mappings by sorted key); a leaf alone is `[leaf]`."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuilt(structure, children: list):
    if isinstance(structure, Mapping):
        by_key = dict(zip(_sorted_keys(structure), children))
        return type(structure)((key, by_key[key]) for key in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """`flat_sequence`'s items laid out as `structure`'s leaves."""
    flat_sequence = list(flat_sequence)
    count = len(flatten(structure))
    if count != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {count} atoms, but flat_sequence had "
                         f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: {flat_sequence}.")
    leaves = iter(flat_sequence)

    def pack(node):
        if not is_nested(node):
            return next(leaves)
        return _rebuilt(node, [pack(child) for child in _children(node)])

    return pack(structure)


def assert_same_structure(nest1, nest2, check_types: bool = True, expand_composites: bool = False) -> None:
    """Raises `ValueError` (or `TypeError` for different sequence types) unless the two nest alike."""
    problem = _difference(nest1, nest2, check_types)
    if problem is None:
        return
    kind, detail = problem
    message = (f"The two structures don't have the same nested structure.\n\nFirst structure: {_describe(nest1)}\n\n"
               f"Second structure: {_describe(nest2)}\n\nMore specifically: {detail}\n"
               f"Entire first structure:\n{_outline(nest1)}\nEntire second structure:\n{_outline(nest2)}")
    raise kind(message)


def map_structure(func, *structure, **kwargs):
    """`func` applied to the leaves of the structures (which must nest alike), in `structure[0]`'s layout.

    Args:
        func: a callable taking one leaf of each structure.
        *structure: the structures.
        check_types: whether sequence types must match too (default True).
        expand_composites: accepted (kerastorch has no composite tensors).
    """
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and `expand_composites`, not: "
                         f"`{', '.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    leaves = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*args) for args in zip(*leaves)])


def _describe(value) -> str:
    return f"type={type(value).__name__} str={value}"


def _outline(structure) -> str:
    """The structure with every leaf shown as `.`."""
    if not is_nested(structure):
        return "."
    if isinstance(structure, Mapping):
        return "{" + ", ".join(f"{key!r}: {_outline(value)}" for key, value in structure.items()) + "}"
    inner = ", ".join(_outline(child) for child in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return f"{type(structure).__name__}({inner})"
    if isinstance(structure, tuple):
        return f"({inner},)" if len(structure) == 1 else f"({inner})"
    return f"[{inner}]"


def _difference(a, b, check_types: bool):
    """`(exception class, TF's detail)` for the first difference of the two nests, or None."""
    if is_nested(a) != is_nested(b):
        nested, flat = (a, b) if is_nested(a) else (b, a)
        return ValueError, (f'Substructure "{_describe(nested)}" is a sequence, while substructure '
                            f'"{_describe(flat)}" is not')
    if not is_nested(a):
        return None
    if check_types and type(a) is not type(b):
        return TypeError, (f"The two namedtuples don't have the same sequence type. First structure "
                           f"{_describe(a)} has type {type(a).__name__}, while second structure {_describe(b)} "
                           f"has type {type(b).__name__}")
    if isinstance(a, Mapping) and isinstance(b, Mapping) and set(a) != set(b):
        return ValueError, (f"The two dictionaries don't have the same set of keys. First structure has keys "
                            f"{_describe(list(a))}, while second structure has keys {_describe(list(b))}")
    if len(a) != len(b):
        return ValueError, (f"The two structures don't have the same number of elements. First structure: "
                            f"{_describe(a)}. Second structure: {_describe(b)}")
    for x, y in zip(_children(a), _children(b)):
        found = _difference(x, y, check_types)
        if found is not None:
            return found
    return None


__getattr__ = _missing_names("tf.nest", __name__)
