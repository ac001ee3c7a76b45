"""Resolving ``accelerator`` / ``devices`` / ``strategy`` / ``precision`` / ``num_nodes`` into objects, with the
real defaults ("auto" picks CUDA, then MPS, then CPU) and errors for combinations that cannot work."""
from typing import Any, Optional, Union

from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.pytorch.accelerators import AcceleratorRegistry
from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.plugins.precision.precision import Precision
from lightning.pytorch.strategies import SingleDeviceStrategy, Strategy
from lightning.pytorch.strategies.registry import STRATEGY_FACTORIES, strategy_factories
from lightning.pytorch.utilities.exceptions import MisconfigurationException

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


class DeviceSetup:
    """The resolved hardware choice of one Trainer."""

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
        self.precision_plugin = self._resolve_precision(plugins)
        self.checkpoint_io = next((p for p in plugins if hasattr(p, "save_checkpoint") and hasattr(p, "load_checkpoint")
                                   and not isinstance(p, Precision)), None)
        self.cluster_environment = next((p for p in plugins if hasattr(p, "creates_processes_externally")), None)
        self.strategy = self._resolve_strategy(strategy)

    # ------------------------------------------------------------ accelerator
    def _resolve_accelerator(self, accelerator: Any, strategy: Any) -> Accelerator:
        if isinstance(accelerator, Accelerator):
            return accelerator
        if isinstance(strategy, Strategy) and strategy.accelerator is not None and accelerator == "auto":
            return strategy.accelerator
        name = str(accelerator).lower()
        if name == "auto":
            for candidate in ("cuda", "mps"):
                if AcceleratorRegistry[candidate].is_available():
                    return AcceleratorRegistry[candidate]()
            return AcceleratorRegistry["cpu"]()
        if name == "gpu":
            for candidate in ("cuda", "mps"):
                if AcceleratorRegistry[candidate].is_available():
                    return AcceleratorRegistry[candidate]()
            name = "cuda"
        if name not in AcceleratorRegistry:
            raise MisconfigurationException(
                f"`accelerator={accelerator!r}` is not a valid choice. Choose one of 'cpu', 'cuda', 'gpu', 'mps' or "
                "'auto', or pass an `Accelerator` instance."
            )
        cls = AcceleratorRegistry[name]
        if not cls.is_available():
            available = [n for n, c in AcceleratorRegistry.items() if c.is_available()]
            raise MisconfigurationException(
                f"`{cls.__name__}` can not run on your system since the accelerator is not available. Available "
                f"accelerator(s): {available}; pass one of them (or 'auto') as `Trainer(accelerator=...)`."
            )
        return cls()

    def _resolve_devices(self, devices: Any) -> list:
        accelerator = self.accelerator
        if devices is None or (isinstance(devices, (int, str)) and not isinstance(devices, bool) and str(devices) == "0"):
            raise MisconfigurationException(
                f"`Trainer(devices={devices!r})` is not a valid input for the {type(accelerator).__name__}: "
                "give a positive number of devices, a list of ids, -1 or 'auto'."
            )
        if devices == "auto":
            count = accelerator.auto_device_count()
            devices = count if count > 0 else 1
        parsed = accelerator.parse_devices(devices)
        if parsed is None or parsed == []:
            raise MisconfigurationException(f"`Trainer(devices={devices!r})` selects no device.")
        return accelerator.get_parallel_devices(parsed)

    # ------------------------------------------------------------ precision
    def _resolve_precision(self, plugins: list) -> Precision:
        for plugin in plugins:
            if isinstance(plugin, Precision):
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
            from lightning.pytorch.plugins.precision.double import DoublePrecision

            return DoublePrecision()
        if precision in ("16-mixed", "bf16-mixed"):
            from lightning.pytorch.plugins.precision.amp import MixedPrecision

            return MixedPrecision(precision, device)
        if precision in ("16-true", "bf16-true"):
            from lightning.pytorch.plugins.precision.half import HalfPrecision

            return HalfPrecision(precision)
        return Precision()

    # ------------------------------------------------------------ strategy
    def _resolve_strategy(self, strategy: Any) -> Strategy:
        if isinstance(strategy, Strategy):
            chosen = strategy
        else:
            name = str(strategy).lower()
            if name == "auto":
                if len(self.parallel_devices) > 1 or self.num_nodes > 1:
                    name = "ddp"
                else:
                    chosen = SingleDeviceStrategy(device=self.parallel_devices[0])
            if name != "auto":
                if name in ("single_device",):
                    chosen = SingleDeviceStrategy(device=self.parallel_devices[0])
                elif name in strategy_factories():
                    chosen = STRATEGY_FACTORIES[name](self)
                elif name == "deepspeed" or name.startswith("deepspeed"):
                    raise MisconfigurationException(
                        f"`strategy={strategy!r}` needs the `deepspeed` package, which is not supported by this "
                        "project; use 'ddp' or 'fsdp'."
                    )
                else:
                    raise MisconfigurationException(
                        f"`strategy={strategy!r}` is not a known strategy. Choose one of {sorted(['auto', 'single_device', *STRATEGY_FACTORIES])} "
                        "or pass a `Strategy` instance."
                    )
        if chosen.accelerator is None:
            chosen.accelerator = self.accelerator
        if chosen._precision_plugin is None:
            chosen.precision_plugin = self.precision_plugin
        if self.checkpoint_io is not None and chosen._checkpoint_io is None:
            chosen.checkpoint_io = self.checkpoint_io
        if hasattr(chosen, "_configure_from_setup"):
            chosen._configure_from_setup(self)
        return chosen
