"""``AcceleratorRegistry``: the accelerator names ``Trainer(accelerator=...)`` accepts, name -> class."""
from lightning.pytorch.accelerators.cpu import CPUAccelerator
from lightning.pytorch.accelerators.cuda import CUDAAccelerator
from lightning.pytorch.accelerators.mps import MPSAccelerator

AcceleratorRegistry = {"cpu": CPUAccelerator, "cuda": CUDAAccelerator, "mps": MPSAccelerator}
