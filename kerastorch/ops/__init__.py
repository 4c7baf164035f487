"""TF ops written once against the tensor facade. Importing this installs the operators."""

from kerastorch.ops import operators as _operators  # noqa: F401 - installs Tensor operators
