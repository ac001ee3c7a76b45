"""Turning ``Fabric(accelerator, strategy, devices, num_nodes, precision, plugins)`` into objects.

The resolution itself is the Trainer's (``lightning.pytorch.trainer.devices.DeviceSetup``): same defaults, same
strategy registry, same precision plugins. What is Fabric's own is that ``fabric run`` passes its choices to the
script through ``LT_*`` environment variables, which take the place of the arguments written in the code.
"""
import os
from typing import Any, Optional

from lightning.fabric.accelerators import ACCELERATOR_REGISTRY  # noqa: F401 - public here in 2.6.6
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY  # noqa: F401 - public here in 2.6.6
from lightning.pytorch.trainer.devices import DeviceSetup
from lightning.pytorch.utilities.exceptions import MisconfigurationException

_CLI_ARGUMENTS = ("accelerator", "strategy", "devices", "num_nodes", "precision")
_DEFAULTS = {"accelerator": "auto", "strategy": "auto", "devices": "auto", "num_nodes": 1, "precision": None}


def _is_using_cli() -> bool:
    """Whether this process was started by ``fabric run`` (which already created the processes)."""
    return os.environ.get("LT_CLI_USED", "0") not in ("", "0")


def _argument_from_env(name: str, current: Any) -> Any:
    """The value ``fabric run --<name>`` exported, else ``current``; a conflicting value in the code is an error."""
    env_value = os.environ.get("LT_" + name.upper())
    if env_value is None:
        return current
    default = _DEFAULTS[name]
    if _is_using_cli() and str(current) != str(default) and str(current) != env_value:
        raise ValueError(
            f"The script sets `Fabric({name}={current!r})` but `fabric run` was given `--{name.replace('_', '-')}="
            f"{env_value}`. Set it in one place only: drop the argument from the code or from the command line."
        )
    if name == "num_nodes":
        try:
            return int(env_value)
        except ValueError:
            raise ValueError(f"LT_NUM_NODES={env_value!r} is not a number of nodes; give a positive integer.") from None
    return env_value


class _Connector:
    """The accelerator, strategy and precision plugin of one ``Fabric`` object."""

    def __init__(self, accelerator: Any = "auto", strategy: Any = "auto", devices: Any = "auto",
                 num_nodes: int = 1, precision: Any = None, plugins: Optional[Any] = None) -> None:
        values = {"accelerator": accelerator, "strategy": strategy, "devices": devices, "num_nodes": num_nodes,
                  "precision": precision}
        values = {name: _argument_from_env(name, value) for name, value in values.items()}
        try:
            setup = DeviceSetup(plugins=plugins, **values)
        except MisconfigurationException as err:
            # the resolution is the Trainer's; its messages name `Trainer(...)`, which is not what this user wrote
            raise type(err)(str(err).replace("`Trainer(", "`Fabric(")) from None
        self.accelerator = setup.accelerator
        self.strategy = setup.strategy
        self.precision_plugin = self.strategy.precision_plugin
        self.precision = setup.precision
        self.num_nodes = setup.num_nodes
        self.parallel_devices = setup.parallel_devices
