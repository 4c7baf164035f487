"""TensorShape (a possibly partially known shape) and Dimension, printed and compared as in TF."""

from __future__ import annotations


class Dimension:
    """One dimension of a shape (`tf.compat.v1.Dimension`); `value` is an int or None.

    Comparisons with an unknown dimension give None, as in TF.
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value._value if isinstance(value, Dimension) else _as_dim(value)

    @property
    def value(self):
        return self._value

    def is_compatible_with(self, other) -> bool:
        other = as_dimension(other)
        return self._value is None or other._value is None or self._value == other._value

    def merge_with(self, other) -> Dimension:
        """The known one of two compatible dimensions (`ValueError` if they differ)."""
        other = as_dimension(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")
        return Dimension(self._value if self._value is not None else other._value)

    def __eq__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return self._value == other._value

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is None or result is NotImplemented else not result

    __hash__ = None  # unhashable, as TF's Dimension

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)


def as_dimension(value) -> Dimension:
    """`value` as a Dimension (itself if it already is one)."""
    return value if isinstance(value, Dimension) else Dimension(value)


class TensorShape:
    """The shape of a tensor: a tuple of dims where a dim may be `None` (unknown).

    `TensorShape(None)` has unknown rank. Indexing gives an `int`/`None`; slicing gives
    a `TensorShape`. Compares equal to tuples and lists with the same dims.

    Example:
        >>> TensorShape([None, 3]).as_list()
        [None, 3]
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (list, tuple)):
            self._dims = tuple(_dim_value(d) for d in dims)
        else:
            try:
                items = iter(dims)
            except TypeError:
                self._dims = (_dim_value(dims),)
                return
            self._dims = tuple(_from_iterable(dims, items))

    @property
    def rank(self):
        return None if self._dims is None else len(self._dims)

    @property
    def ndims(self):
        return self.rank

    @property
    def dims(self):
        """The dimensions as `Dimension` objects (None for an unknown rank), as TF."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    def as_list(self) -> list:
        """The dims as a list of ints and Nones (`ValueError` for an unknown rank)."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self):
        """The number of elements, or None when a dim (or the rank) is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_fully_defined(self) -> bool:
        return self._dims is not None and all(d is not None for d in self._dims)

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def is_compatible_with(self, other) -> bool:
        """Whether some fully known shape matches both (unknown dims match anything)."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def is_subtype_of(self, other) -> bool:
        """Whether every dim of `self` is known where `other`'s is and equal to it."""
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other) -> TensorShape:
        """The shape combining what `self` and `other` know (`ValueError` if incompatible)."""
        other = TensorShape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other) -> TensorShape:
        """The most specific shape compatible with both (dims that differ become None)."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other) -> TensorShape:
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def with_rank(self, rank: int) -> TensorShape:
        """`self` if it has rank `rank` (an unknown rank becomes `rank` unknown dims)."""
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __bool__(self) -> bool:
        return self._dims is not None

    def __eq__(self, other) -> bool:
        try:
            other = TensorShape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._dims)

    def __add__(self, other) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other) -> TensorShape:
        return TensorShape(other).concatenate(self)

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return TensorShape, (None if self._dims is None else list(self._dims),)


def _from_iterable(dims, items):
    for d in items:
        try:
            yield _dim_value(d)
        except TypeError as error:
            raise TypeError(f"Failed to convert '{dims!r}' to a shape: '{d!r}'could not be converted to "
                            f"a dimension. A shape should either be single dimension (e.g. 10), or an "
                            f"iterable of dimensions (e.g. [1, 10, None]).") from error


def _dim_value(d):
    return d._value if isinstance(d, Dimension) else _as_dim(d)


def _as_dim(d):
    """An int >= 0 or None from anything with `__index__` (TF's messages otherwise)."""
    if d is None:
        return None
    if type(d) is not int:
        try:
            d = int(d.__index__())
        except AttributeError:
            raise TypeError(f"Dimension value must be integer or None or have an __index__ method, "
                            f"got value '{d!r}' with type '{type(d)!r}'") from None
    if d < 0:
        raise ValueError(f"Dimension {d} must be >= 0")
    return d
