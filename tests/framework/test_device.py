"""`tf.device` scopes, soft placement, `tf.config` device lists and `tf.test` queries.

Expected names and errors are those TF 2.21 gave on a CPU-only machine; where a GPU is
present the GPU names are expected instead, as TF would place there.
"""

import threading

import pytest
import torch

import kerastorch as tf

PREFIX = "/job:localhost/replica:0/task:0/device:"
CPU = PREFIX + "CPU:0"
GPUS = torch.cuda.device_count()


def _placed(spec) -> str:
    with tf.device(spec):
        return tf.constant(1.0).device


@pytest.fixture
def restore_visible_devices():
    before = tf.config.get_visible_devices()
    yield
    tf.config.set_visible_devices(before)


@pytest.mark.parametrize("spec, gpu", [
    ("/CPU:0", None), ("/cpu:0", None), ("CPU", None), (PREFIX + "CPU:0", None),
    ("/GPU:0", 0), ("gpu:0", 0), ("/device:GPU:0", 0), ("/device:GPU:1", 1), ("/TPU:0", None),
    ("/device:foo:0", None),
], ids=["cpu", "lower", "bare", "long", "gpu0", "gpu_lower", "device_gpu0", "device_gpu1", "tpu", "unknown"])
def test_placement(spec, gpu):
    # on a CPU-only machine TF 2.21 soft-places every one of these on the CPU
    expected = f"{PREFIX}GPU:{gpu}" if gpu is not None and gpu < GPUS else CPU
    assert _placed(spec) == expected


def test_ops_run_on_the_scope_device():
    with tf.device("/CPU:0"):
        t = tf.constant([1.0, 2.0])
        assert (t + 1).device == CPU and (t * t).device == CPU


@pytest.mark.parametrize("spec", [None, ""], ids=["none", "empty"])
def test_default_placement(spec):
    assert _placed(spec) == (PREFIX + "GPU:0" if GPUS else CPU)


def test_scopes_nest_and_restore():
    with tf.device("/GPU:0"):
        with tf.device("/CPU:0"):
            inner = tf.constant(1.0).device
        outer = tf.constant(1.0).device
    assert inner == CPU
    assert outer == (PREFIX + "GPU:0" if GPUS else CPU)
    assert tf.constant(1.0).device == (PREFIX + "GPU:0" if GPUS else CPU)


def test_scope_restored_after_an_error():
    with pytest.raises(RuntimeError, match="boom"), tf.device("/CPU:0"):
        raise RuntimeError("boom")
    assert tf.constant(1.0).device == (PREFIX + "GPU:0" if GPUS else CPU)


def test_scopes_are_per_thread():
    # a kerastorch-specific probe: a scope on torch's meta device must not leak to a thread
    from kerastorch.framework import device

    seen = []
    with tf.device(torch.device("meta")):
        worker = threading.Thread(target=lambda: seen.append(device.current()))
        worker.start()
        worker.join()
        assert device.current() == torch.device("meta")
    assert seen == [device.default_device()]


@pytest.mark.parametrize("spec, error, match", [
    ("foo", ValueError, r"^Unknown attribute 'foo' is encountered while parsing the device spec: 'foo'\.$"),
    ("/GPU:x", ValueError, r"^invalid literal for int\(\) with base 10: 'x'$"),
    (3, ValueError, r"^Expecting a string device name\. Got <class 'int'>\(3\)$"),
    (lambda op: "/CPU:0", RuntimeError, r"^tf\.device does not support functions\.$"),
    ("/CPU:0/GPU:0", ValueError, r"^Multiple device types are not allowed while parsing the device spec: "
                                 r"/CPU:0/GPU:0\.$"),
], ids=["unknown_attribute", "bad_index", "int", "function", "two_types"])
def test_bad_device_specs(spec, error, match):
    # messages from TF 2.21
    with pytest.raises(error, match=match), tf.device(spec):
        pass


def test_logical_device_as_scope():
    assert _placed(tf.config.list_logical_devices("CPU")[0]) == CPU


def test_device_lists():
    cpu = tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    # from TF 2.21 (CPU-only): [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    assert repr(tf.config.list_physical_devices("CPU")) == (
        "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]")
    assert tf.config.list_physical_devices()[0] == cpu
    assert len(tf.config.list_physical_devices("GPU")) == GPUS
    assert tf.config.list_physical_devices("cpu") == []  # TF matches the type exactly
    logical = tf.config.list_logical_devices()
    assert logical[0] == tf.config.LogicalDevice("/device:CPU:0", "CPU")
    assert (logical[0].name, logical[0].device_type) == ("/device:CPU:0", "CPU")
    assert len(tf.config.list_logical_devices("GPU")) == GPUS
    assert tf.config.get_visible_devices()[0] == cpu


def test_hiding_gpus(restore_visible_devices):
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices("CPU")
    assert tf.config.get_visible_devices("GPU") == []
    assert tf.config.list_logical_devices("GPU") == []
    assert not tf.test.is_gpu_available() and tf.test.gpu_device_name() == ""
    assert _placed(None) == CPU and _placed("/GPU:0") == CPU


def test_set_visible_devices_ignores_other_types(restore_visible_devices):
    before = tf.config.get_visible_devices()
    tf.config.set_visible_devices([], "TPU")  # TF 2.21: accepted, nothing changes
    assert tf.config.get_visible_devices() == before


def test_test_queries():
    assert tf.test.is_gpu_available() == (GPUS > 0)
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if GPUS else "")
    assert tf.test.is_built_with_cuda() == (torch.version.cuda is not None)
    assert tf.test.is_built_with_gpu_support() == (torch.version.cuda is not None or torch.version.hip is not None)
    assert tf.test.is_built_with_rocm() == (torch.version.hip is not None)
    assert tf.test.is_gpu_available(cuda_only=True) == (GPUS > 0)


def test_memory_growth():
    cpu = tf.config.list_physical_devices("CPU")[0]
    with pytest.raises(ValueError, match="^Cannot set memory growth on non-GPU and non-Pluggable devices$"):
        tf.config.experimental.set_memory_growth(cpu, True)
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(cpu)
    for gpu in tf.config.experimental.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)
        assert tf.config.experimental.get_memory_growth(gpu) is True


def test_threading_settings():
    assert tf.config.threading.get_inter_op_parallelism_threads() == 0  # TF 2.21 default
    # unlike TF, torch lets the thread count change after the first op
    threads = torch.get_num_threads()
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    assert tf.config.threading.get_intra_op_parallelism_threads() == threads
