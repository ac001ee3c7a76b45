"""The CUDA accelerator and the parsing of GPU ``devices`` values (int, list, "0,1", -1)."""
import os
from typing import Any, Optional, Union

import torch

from lightning.pytorch.accelerators.accelerator import Accelerator
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _parse_gpu_ids(devices: Any, count: int, kind: str = "cuda") -> Optional[list]:
    """Device ids from an int (how many), a list of ids, or a string ("2", "0,1", "-1"); None means none."""
    if devices is None:
        return None
    if isinstance(devices, str):
        text = devices.strip()
        if text in ("-1", "auto"):
            devices = -1
        elif "," in text:
            devices = [int(x) for x in text.split(",") if x.strip()]
        elif text.isdigit():
            devices = int(text)
        else:
            raise MisconfigurationException(f"`devices={devices!r}` is not a valid {kind} device selection.")
    if isinstance(devices, bool):
        raise MisconfigurationException(f"`devices={devices!r}` is not a valid {kind} device selection.")
    if isinstance(devices, int):
        if devices == 0:
            return None
        if devices == -1:
            ids = list(range(count))
        elif devices < -1:
            raise MisconfigurationException(f"`devices={devices}` is not valid: use a positive count or -1 for all.")
        else:
            ids = list(range(devices))
    elif isinstance(devices, (list, tuple)):
        ids = [int(d) for d in devices]
        if not ids:
            return None
    else:
        raise MisconfigurationException(f"`devices={devices!r}` is not a valid {kind} device selection.")
    if count == 0:
        raise MisconfigurationException(
            f"You asked for {kind} devices {devices!r}, but this machine has no {kind.upper()} device available."
            " Use `accelerator='cpu'` (or 'auto') to train on the CPU."
        )
    missing = [i for i in ids if i >= count or i < 0]
    if missing:
        raise MisconfigurationException(
            f"You asked for {kind} device(s) {ids}, but only {count} are available (ids 0..{count - 1})."
        )
    return ids


class CUDAAccelerator(Accelerator):
    def setup_device(self, device: torch.device) -> None:
        if device.type != "cuda":
            raise MisconfigurationException(f"Device should be GPU, got {device} instead")
        torch.cuda.set_device(device)

    def teardown(self) -> None:
        torch.cuda.empty_cache()

    @staticmethod
    def parse_devices(devices: Union[int, str, list]) -> Optional[list]:
        return _parse_gpu_ids(devices, torch.cuda.device_count(), "cuda")

    @staticmethod
    def get_parallel_devices(devices: Any) -> list:
        return [torch.device("cuda", i) for i in devices]

    @staticmethod
    def auto_device_count() -> int:
        return torch.cuda.device_count()

    @staticmethod
    def is_available() -> bool:
        return torch.cuda.is_available() and torch.cuda.device_count() > 0

    def get_device_stats(self, device: Any) -> dict:
        return torch.cuda.memory_stats(device)


def find_usable_cuda_devices(num_devices: int = -1) -> list:
    """Ids of CUDA devices that can allocate memory right now (for shared machines); -1 means all usable."""
    if num_devices == 0:
        return []
    visible = torch.cuda.device_count()
    if visible == 0:
        raise ValueError(f"You requested to find {num_devices} devices but there are no visible CUDA devices.")
    usable = []
    for i in range(visible):
        try:
            torch.tensor(0, device=torch.device("cuda", i))
        except RuntimeError:
            continue
        usable.append(i)
        if num_devices != -1 and len(usable) == num_devices:
            break
    if num_devices != -1 and len(usable) != num_devices:
        raise RuntimeError(
            f"You requested {num_devices} CUDA devices but only {len(usable)} are usable right now "
            f"(CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')})."
        )
    return usable


_NVIDIA_SMI_METRICS = (("utilization.gpu", "%"), ("memory.used", "MB"), ("memory.free", "MB"),
                       ("utilization.memory", "%"), ("fan.speed", "%"), ("temperature.gpu", "°C"),
                       ("temperature.memory", "°C"))


def get_nvidia_gpu_stats(device: Any) -> dict:
    """Utilization, memory, fan and temperature of one GPU as ``nvidia-smi`` reports them (``"name (unit)"`` keys)."""
    import os
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
