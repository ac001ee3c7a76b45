"""Strategies: how and where training runs (one device; several processes via torch.distributed)."""
from lightning.pytorch.strategies.strategy import SingleDeviceStrategy, Strategy
from lightning.pytorch.strategies.parallel import ParallelStrategy  # noqa: E402  (needs Strategy first)
from lightning.pytorch.strategies.ddp import DDPStrategy  # noqa: E402  (registers the "ddp*" names)

__all__ = ["DDPStrategy", "ParallelStrategy", "SingleDeviceStrategy", "Strategy"]
