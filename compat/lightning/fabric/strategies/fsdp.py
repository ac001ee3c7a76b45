"""``lightning.fabric.strategies.fsdp.FSDPStrategy``: the Trainer's FSDP strategy."""
from lightning.pytorch.strategies.fsdp import FSDPStrategy

__all__ = ["FSDPStrategy"]
