"""Strategies: how and where training runs (one device; several processes via torch.distributed)."""
from lightning.pytorch.strategies.registry import StrategyRegistry
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy
from lightning.pytorch.strategies.parallel import ParallelStrategy  # noqa: E402  (needs Strategy first)
from lightning.pytorch.strategies.ddp import DDPStrategy  # noqa: E402  (registers the "ddp*" names)
from lightning.pytorch.strategies.fsdp import FSDPStrategy  # noqa: E402  (registers "fsdp", "fsdp_cpu_offload")

__all__ = ["DDPStrategy", "FSDPStrategy", "ParallelStrategy", "SingleDeviceStrategy", "Strategy", "StrategyRegistry"]
