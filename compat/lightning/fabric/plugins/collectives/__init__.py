"""Collectives: a group of processes and the communication operations across it, behind one interface
(``TorchCollective`` over ``torch.distributed``; ``SingleDeviceCollective`` for one process, where every operation
hands its input back)."""
from lightning.fabric.plugins.collectives.collective import Collective
from lightning.fabric.plugins.collectives.single_device import SingleDeviceCollective
from lightning.fabric.plugins.collectives.torch_collective import TorchCollective

__all__ = ["Collective", "SingleDeviceCollective", "TorchCollective"]
