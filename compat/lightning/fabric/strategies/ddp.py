"""``lightning.fabric.strategies.ddp.DDPStrategy``: the Trainer's DDP strategy."""
from lightning.pytorch.strategies.ddp import DDPStrategy

__all__ = ["DDPStrategy"]
