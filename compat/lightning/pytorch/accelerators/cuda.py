"""The Trainer's CUDA accelerator: the engine's (device parsing, :func:`find_usable_cuda_devices`), with CUDA's
memory statistics for ``DeviceStatsMonitor``."""
import logging
import os
from typing import Any

import torch

from lightning.fabric.accelerators.cuda import CUDAAccelerator as _FabricCUDAAccelerator
from lightning.fabric.accelerators.cuda import _clear_cuda_memory, find_usable_cuda_devices, num_cuda_devices
from lightning.pytorch.accelerators.accelerator import Accelerator

__all__ = ["CUDAAccelerator", "find_usable_cuda_devices", "get_nvidia_gpu_stats"]
_log = logging.getLogger(__name__)


class CUDAAccelerator(_FabricCUDAAccelerator, Accelerator):
    def setup(self, trainer: Any) -> None:
        self.set_nvidia_flags(trainer.local_rank)
        _clear_cuda_memory()

    @staticmethod
    def set_nvidia_flags(local_rank: int) -> None:
        """Number GPUs in PCI bus order (as ``nvidia-smi`` does) and log which GPUs this process sees (every rank
        logs its own line)."""
        os.environ["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID"
        visible = os.getenv("CUDA_VISIBLE_DEVICES", ",".join(str(i) for i in range(num_cuda_devices())))
        _log.info(f"LOCAL_RANK: {local_rank} - CUDA_VISIBLE_DEVICES: [{visible}]")

    def get_device_stats(self, device: Any) -> dict:
        return torch.cuda.memory_stats(device)


_NVIDIA_SMI_METRICS = (("utilization.gpu", "%"), ("memory.used", "MB"), ("memory.free", "MB"),
                       ("utilization.memory", "%"), ("fan.speed", "%"), ("temperature.gpu", "°C"),
                       ("temperature.memory", "°C"))


def get_nvidia_gpu_stats(device: Any) -> dict:
    """Utilization, memory, fan and temperature of one GPU as ``nvidia-smi`` reports them (``"name (unit)"`` keys)."""
    import shutil
    import subprocess

    smi = shutil.which("nvidia-smi")
    if smi is None:
        raise FileNotFoundError("nvidia-smi: command not found")
    index = torch._utils._get_device_index(device)
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")  # nvidia-smi numbers GPUs physically
    gpu_id = visible.split(",")[index].strip() if visible else str(index)
    query = ",".join(name for name, _ in _NVIDIA_SMI_METRICS)
    out = subprocess.run([smi, f"--query-gpu={query}", "--format=csv,nounits,noheader", f"--id={gpu_id}"],
                         encoding="utf-8", capture_output=True, check=True).stdout.strip()

    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:  # "[N/A]" for sensors a GPU lacks
            return 0.0

    return {f"{name} ({unit})": number(v) for (name, unit), v in zip(_NVIDIA_SMI_METRICS, out.split(", "))}
