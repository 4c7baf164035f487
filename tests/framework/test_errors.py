"""`tf.errors`: the classes, their constructor, attributes, codes and messages (TF 2.21)."""

import pickle

import pytest

import kerastorch as tf

CLASSES = [
    ("CancelledError", 1), ("UnknownError", 2), ("InvalidArgumentError", 3), ("DeadlineExceededError", 4),
    ("NotFoundError", 5), ("AlreadyExistsError", 6), ("PermissionDeniedError", 7),
    ("ResourceExhaustedError", 8), ("FailedPreconditionError", 9), ("AbortedError", 10),
    ("OutOfRangeError", 11), ("UnimplementedError", 12), ("InternalError", 13), ("UnavailableError", 14),
    ("DataLossError", 15), ("UnauthenticatedError", 16),
]
CODES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
         "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
         "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]


@pytest.mark.parametrize("name, code", CLASSES, ids=[c[0] for c in CLASSES])
def test_error_class(name, code):
    cls = getattr(tf.errors, name)
    assert cls.__mro__[1] is tf.errors.OpError
    error = cls(None, None, "msg")
    assert (error.message, str(error), error.error_code) == ("msg", "msg", code)
    assert (error.node_def, error.op) == (None, None)
    assert cls("node", "op", "msg").node_def == "node"
    assert error.args == () and repr(error) == f"{name}()"  # from TF 2.21
    assert isinstance(error, Exception)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls and back.message == "msg"


@pytest.mark.parametrize("code, value", list(zip(CODES, range(17))), ids=CODES)
def test_error_codes(code, value):
    assert getattr(tf.errors, code) == value


def test_op_error():
    assert tf.errors.OpError.__bases__ == (Exception,)
    error = tf.errors.OpError(None, None, "m", tf.errors.UNKNOWN)
    assert (repr(error), str(error), error.error_code) == ("OpError()", "m", 2)
    back = pickle.loads(pickle.dumps(tf.errors.OpError(None, None, "pm", 7)))
    assert (type(back), back.message, back.error_code) == (tf.errors.OpError, "pm", 7)
    with pytest.raises(tf.errors.OpError, match="^nf$"):
        raise tf.errors.NotFoundError(None, None, "nf")


def test_constructor_requires_three_arguments():
    # from TF 2.21
    with pytest.raises(TypeError, match=r"InvalidArgumentError\.__init__\(\) missing 2 required positional "
                                        r"arguments: 'op' and 'message'"):
        tf.errors.InvalidArgumentError("msg")
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'error_code'"):
        tf.errors.OpError(None, None, "msg")
    assert tf.errors.InvalidArgumentError(None, None, "m", 5).error_code == 3


def test_operator_not_allowed_in_graph_error():
    assert issubclass(tf.errors.OperatorNotAllowedInGraphError, TypeError)


def test_op_error_message_layout():
    # from TF 2.21: eager errors end with the op and an (empty) name
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant([1, 2]) + tf.constant([1.0, 2.0])
    assert info.value.message == ("cannot compute AddV2 as input #1(zero-based) was expected to be a int32 "
                                  "tensor but is a float tensor [Op:AddV2] name: ")
    assert info.value.error_code == tf.errors.INVALID_ARGUMENT and info.value.args == ()


def test_kernel_error_message_layout():
    with tf.device("/CPU:0"), pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant([1, 2]) + tf.constant([1, 2, 3])
    # from TF 2.21
    assert info.value.message == ("{{function_node __wrapped__AddV2_device_/job:localhost/replica:0/task:0/"
                                  "device:CPU:0}} Incompatible shapes: [2] vs. [3] [Op:AddV2] name: ")
