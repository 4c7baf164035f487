"""`tf.errors`: TensorFlow's exception classes, with TF's constructor and attributes.

Every class takes TF's `(node_def, op, message)`; `str(error)` and `error.message` are the
message. `op_error`/`kernel_error` build the messages TF's eager ops raise.
"""

from __future__ import annotations

from kerastorch.framework.device import cpu, tf_name

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base error of a failed TF operation: `OpError(node_def, op, message, error_code)`.

    As in TF, `args` stays empty and `repr` shows only the class (`InvalidArgumentError()`).
    """

    def __init__(self, node_def, op, message, error_code, *args):
        super().__init__()
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = error_code

    @property
    def message(self) -> str:
        return self._message

    @property
    def op(self):
        return self._op

    @property
    def node_def(self):
        return self._node_def

    @property
    def error_code(self) -> int:
        return self._error_code

    def __str__(self) -> str:
        return self._message

    def __reduce__(self):
        return type(self), (self._node_def, self._op, self._message, self._error_code)


def _make(name: str, code: int, doc: str) -> type:
    def __init__(self, node_def, op, message, *args):
        OpError.__init__(self, node_def, op, message, code)

    __init__.__qualname__ = f"{name}.__init__"

    return type(name, (OpError,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


CancelledError = _make("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _make("UnknownError", UNKNOWN, "An error whose kind is not known.")
InvalidArgumentError = _make("InvalidArgumentError", INVALID_ARGUMENT,
                             "An operation received an invalid argument.")
DeadlineExceededError = _make("DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline expired.")
NotFoundError = _make("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _make("AlreadyExistsError", ALREADY_EXISTS, "An entity already exists.")
PermissionDeniedError = _make("PermissionDeniedError", PERMISSION_DENIED,
                              "The caller may not run an operation.")
UnauthenticatedError = _make("UnauthenticatedError", UNAUTHENTICATED,
                             "The request has no valid credentials.")
ResourceExhaustedError = _make("ResourceExhaustedError", RESOURCE_EXHAUSTED,
                               "A resource (memory, quota) was exhausted.")
FailedPreconditionError = _make("FailedPreconditionError", FAILED_PRECONDITION,
                                "The system is not in a state to run an operation.")
AbortedError = _make("AbortedError", ABORTED, "An operation was aborted.")
OutOfRangeError = _make("OutOfRangeError", OUT_OF_RANGE,
                        "An operation iterated past the valid input range.")
UnimplementedError = _make("UnimplementedError", UNIMPLEMENTED, "An operation is not implemented.")
InternalError = _make("InternalError", INTERNAL, "An internal invariant was broken.")
UnavailableError = _make("UnavailableError", UNAVAILABLE, "A runtime service is unavailable.")
DataLossError = _make("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")




class OperatorNotAllowedInGraphError(TypeError):
    """Raised by TF when a tensor is used as a Python bool inside a traced function."""


def op_error(kind: type, message: str, op_name: str, name: str | None = "") -> OpError:
    """An error with TF's eager message layout: `<message> [Op:<op_name>] name: <name>`.

    `name=None` leaves out the `name:` part, as TF does for some ops (`Cast`).
    """
    suffix = "" if name is None else f" name: {name}"
    return kind(None, None, f"{message} [Op:{op_name}]{suffix}")


def kernel_error(kind: type, message: str, op_name: str, device=None, name: str | None = "",
                 node: str | None = None) -> OpError:
    """An error raised inside a running kernel, with TF's `{{function_node ...}}` prefix.

    Args:
        kind: the error class, e.g. `InvalidArgumentError`.
        message: TF's kernel message, e.g. `Incompatible shapes: [2] vs. [3]`.
        op_name: the op, e.g. `AddV2`.
        device: the torch device the kernel ran on (None: the CPU).
        name: the op's name scope TF appends (`strided_slice/` for indexing).
        node: the wrapped function's name where TF's differs from `op_name` (`Pack_N_2`).
    """
    where = tf_name(cpu if device is None else device)
    return op_error(kind, f"{{{{function_node __wrapped__{node or op_name}_device_{where}}}}} {message}",
                    op_name, name)
