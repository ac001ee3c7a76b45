"""Turning ``accelerator`` / ``devices`` / ``strategy`` / ``precision`` / ``num_nodes`` / ``plugins`` into objects.

``_DeviceSetup`` is the resolution itself, with the real defaults ("auto" picks CUDA, then MPS, then CPU) and errors
for combinations that cannot work. It is written once for both front doors: a subclass names which classes it builds
(accelerator registry, strategy registry and classes, precision plugins) and which front door its messages name.
``_Connector`` is Fabric's: Fabric's classes, plus the ``LT_*`` environment variables through which ``fabric run``
passes its choices to the script (they take the place of the arguments written in the code). The Trainer has its
own subclass (``DeviceSetup`` of the trainer package's ``devices`` module).
"""
import importlib
import os
from typing import Any, Optional, Union

from lightning.fabric.accelerators import ACCELERATOR_REGISTRY  # public here in 2.6.6
from lightning.fabric.strategies.registry import STRATEGY_REGISTRY  # public here in 2.6.6
from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_warn

_PRECISIONS = ("64-true", "32-true", "16-mixed", "bf16-mixed", "16-true", "bf16-true", "transformer-engine",
               "transformer-engine-float16")
_LEGACY_PRECISION = {64: "64-true", "64": "64-true", 32: "32-true", "32": "32-true", 16: "16-mixed",
                     "16": "16-mixed", "bf16": "bf16-mixed"}


def normalize_precision(precision: Union[str, int, None]) -> str:
    if precision is None:
        return "32-true"
    if precision in _LEGACY_PRECISION:
        new = _LEGACY_PRECISION[precision]
        if precision in (16, "16", "bf16"):
            rank_zero_warn(
                f"`precision={precision!r}` is the 1.x spelling; it means `precision={new!r}`. Write that instead."
            )
        return new
    if precision not in _PRECISIONS:
        raise ValueError(
            f"Precision {precision!r} is invalid. Allowed precision values: {_PRECISIONS} (or 64, 32, 16, 'bf16')."
        )
    return str(precision)


class _DeviceSetup:
    """The resolved hardware choice of one Trainer or Fabric. Subclasses fill in the class-level choices below."""

    _front_door = "Fabric"  # named in messages: `Fabric(devices=0)`

    # the classes one front door builds; looked up on first use (the registries import their modules lazily)
    def _accelerator_classes(self) -> tuple:
        """(accelerator registry, ``Accelerator`` base class)."""
        raise NotImplementedError

    def _strategy_classes(self) -> tuple:
        """(strategy registry, ``Strategy`` base class, ``SingleDeviceStrategy``)."""
        raise NotImplementedError

    _precision_module = "lightning.fabric.plugins.precision"  # where the precision plugin classes are

    def _precision_class(self, name: str) -> type:
        """A precision plugin class by name, imported on first use (a 32-true run never loads autocast's)."""
        return getattr(importlib.import_module(self._precision_module), name)

    def __init__(self, accelerator: Any = "auto", devices: Any = "auto", strategy: Any = "auto", num_nodes: int = 1,
                 precision: Any = None, plugins: Optional[Any] = None, sync_batchnorm: bool = False) -> None:
        if not isinstance(num_nodes, int) or num_nodes < 1:
            raise MisconfigurationException(f"`num_nodes` must be a positive integer, got {num_nodes!r}.")
        self.num_nodes = num_nodes
        self.sync_batchnorm = sync_batchnorm
        self.accelerator = self._resolve_accelerator(accelerator, strategy)
        self.parallel_devices = self._resolve_devices(devices)
        self.precision = normalize_precision(precision)
        plugins = plugins if isinstance(plugins, (list, tuple)) else ([plugins] if plugins is not None else [])
        base_precision = self._precision_class("Precision")
        self.precision_plugin = self._resolve_precision(plugins)
        self.checkpoint_io = next((p for p in plugins if hasattr(p, "save_checkpoint") and hasattr(p, "load_checkpoint")
                                   and not isinstance(p, base_precision)), None)
        self.cluster_environment = next((p for p in plugins if hasattr(p, "creates_processes_externally")), None)
        self.strategy = self._resolve_strategy(strategy)

    # ------------------------------------------------------------ accelerator
    def _resolve_accelerator(self, accelerator: Any, strategy: Any) -> Any:
        registry, accelerator_base = self._accelerator_classes()
        if isinstance(accelerator, accelerator_base):
            return accelerator
        if isinstance(strategy, self._strategy_classes()[1]) and strategy.accelerator is not None \
                and accelerator == "auto":
            return strategy.accelerator
        name = str(accelerator).lower()
        if name in ("auto", "gpu"):
            for candidate in ("cuda", "mps"):
                if registry[candidate].is_available():
                    return registry[candidate]()
            if name == "auto":
                return registry["cpu"]()
            raise MisconfigurationException(
                f"No supported gpu backend found! `{self._front_door}(accelerator='gpu')` needs CUDA or MPS; "
                "pass accelerator='cpu' or 'auto'."
            )
        if name not in registry:
            raise ValueError(
                f"You selected an invalid accelerator name: `accelerator={accelerator!r}`. Available names are: "
                f"{', '.join(['auto', *sorted(registry)])}; or pass an `Accelerator` instance."
            )
        cls = registry[name]
        if not cls.is_available():
            available = [n for n, c in registry.items() if c.is_available()]
            raise MisconfigurationException(
                f"`{cls.__name__}` can not run on your system since the accelerator is not available. Available "
                f"accelerator(s): {available}; pass one of them (or 'auto') as `{self._front_door}(accelerator=...)`."
            )
        return cls()

    def _resolve_devices(self, devices: Any) -> list:
        accelerator = self.accelerator
        if devices == [] or (isinstance(devices, (int, str)) and not isinstance(devices, bool) and str(devices) == "0"):
            kind = type(accelerator).__name__.replace("Accelerator", "").lower()
            raise MisconfigurationException(
                f"`{self._front_door}(devices={devices!r})` value is not a valid input using {kind} accelerator: give "
                "a positive number of devices, a list of ids, -1 or 'auto'."
            )
        if devices == "auto":
            count = accelerator.auto_device_count()
            devices = count if count > 0 else 1
        parsed = accelerator.parse_devices(devices)
        if parsed is None or parsed == []:
            raise MisconfigurationException(f"`{self._front_door}(devices={devices!r})` selects no device.")
        return accelerator.get_parallel_devices(parsed)

    # ------------------------------------------------------------ precision
    def _resolve_precision(self, plugins: list) -> Any:
        for plugin in plugins:
            if isinstance(plugin, self._precision_class("Precision")):
                return plugin
        device = "cpu" if type(self.accelerator).__name__ == "CPUAccelerator" else (
            "mps" if type(self.accelerator).__name__ == "MPSAccelerator" else "cuda")
        precision = self.precision
        if precision == "16-mixed" and device == "cpu":
            rank_zero_warn(
                "`precision='16-mixed'` is not supported on the CPU (no float16 autocast there); using "
                "`precision='bf16-mixed'` instead."
            )
            self.precision = precision = "bf16-mixed"
        if precision.startswith("transformer-engine"):
            raise MisconfigurationException(
                f"`precision={precision!r}` needs NVIDIA's transformer_engine package and an H100-class GPU."
            )
        if precision == "64-true":
            return self._precision_class("DoublePrecision")()
        if precision in ("16-mixed", "bf16-mixed"):
            return self._precision_class("MixedPrecision")(precision, device)
        if precision in ("16-true", "bf16-true"):
            return self._precision_class("HalfPrecision")(precision)
        return self._precision_class("Precision")()

    # ------------------------------------------------------------ strategy
    def _resolve_strategy(self, strategy: Any) -> Any:
        registry, strategy_base, single_device = self._strategy_classes()
        if isinstance(strategy, strategy_base):
            chosen = strategy
        else:
            name = str(strategy).lower()
            if name == "auto":
                name = "ddp" if len(self.parallel_devices) > 1 or self.num_nodes > 1 else "single_device"
            if name == "single_device":
                chosen = single_device(device=self.parallel_devices[0])
            elif name in registry:
                chosen = registry.factories[name](self)
            elif name.startswith("deepspeed"):
                raise MisconfigurationException(
                    f"`strategy={strategy!r}` needs the `deepspeed` package, which is not supported by this "
                    "project; use 'ddp' or 'fsdp'."
                )
            else:
                raise ValueError(
                    f"You selected an invalid strategy name: `strategy={strategy!r}`. Choose one of "
                    f"{sorted(['auto', 'single_device', *registry.factories])} or pass a `Strategy` instance."
                )
        if chosen.accelerator is None:
            chosen.accelerator = self.accelerator
        if chosen._precision is None:
            chosen._precision = self.precision_plugin
        if self.checkpoint_io is not None and chosen._checkpoint_io is None:
            chosen.checkpoint_io = self.checkpoint_io
        configure = getattr(chosen, "_configure_from_setup", None)
        if configure is not None:
            configure(self)
        return chosen


def _is_using_cli() -> bool:
    """Whether this process was started by ``fabric run`` (which already created the processes)."""
    return os.environ.get("LT_CLI_USED", "0") not in ("", "0")


_CLI_ARGUMENTS = ("accelerator", "strategy", "devices", "num_nodes", "precision")
_DEFAULTS = {"accelerator": "auto", "strategy": "auto", "devices": "auto", "num_nodes": 1, "precision": None}


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


class _Connector(_DeviceSetup):
    """The accelerator, strategy and precision plugin of one ``Fabric`` object."""

    def _accelerator_classes(self) -> tuple:
        from lightning.fabric.accelerators import Accelerator

        return ACCELERATOR_REGISTRY, Accelerator

    def _strategy_classes(self) -> tuple:
        from lightning.fabric.strategies import SingleDeviceStrategy, Strategy

        return STRATEGY_REGISTRY, Strategy, SingleDeviceStrategy

    def __init__(self, accelerator: Any = "auto", strategy: Any = "auto", devices: Any = "auto",
                 num_nodes: int = 1, precision: Any = None, plugins: Optional[Any] = None) -> None:
        values = {"accelerator": accelerator, "strategy": strategy, "devices": devices, "num_nodes": num_nodes,
                  "precision": precision}
        values = {name: _argument_from_env(name, value) for name, value in values.items()}
        super().__init__(plugins=plugins, **values)
