"""The Trainer's ``XLAAccelerator``: the engine's stub (TPUs are not driven here; construction explains)."""
from lightning.fabric.accelerators.xla import XLAAccelerator as _FabricXLAAccelerator
from lightning.pytorch.accelerators.accelerator import Accelerator


class XLAAccelerator(Accelerator, _FabricXLAAccelerator):
    pass
