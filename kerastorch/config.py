"""`tf.config`: the devices kerastorch sees and places tensors on."""

from kerastorch.framework.device import (
    LogicalDevice,
    PhysicalDevice,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_visible_devices,
)

__all__ = [
    "LogicalDevice", "PhysicalDevice", "get_visible_devices", "list_logical_devices",
    "list_physical_devices", "set_visible_devices",
]
