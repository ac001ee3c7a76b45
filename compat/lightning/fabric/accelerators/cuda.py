"""The CUDA accelerator, the parsing of GPU ``devices`` values (int, list, "0,1", -1) and the device-count helpers."""
import os
from functools import lru_cache
from typing import Any, Optional, Union

import torch

from lightning.fabric.accelerators.accelerator import Accelerator
from lightning.fabric.utilities.exceptions import MisconfigurationException
from lightning.fabric.utilities.rank_zero import rank_zero_info

__all__ = ["CUDAAccelerator", "find_usable_cuda_devices", "is_cuda_available", "num_cuda_devices"]


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
        _check_cuda_matmul_precision(device)
        torch.cuda.set_device(device)

    def teardown(self) -> None:
        _clear_cuda_memory()

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

    @staticmethod
    def name() -> str:
        return "cuda"

    @classmethod
    def register_accelerators(cls, accelerator_registry: Any) -> None:
        accelerator_registry.register("cuda", cls, description=cls.__name__)


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


def num_cuda_devices() -> int:
    """How many CUDA devices this process can see."""
    return torch.cuda.device_count()


def is_cuda_available() -> bool:
    """Whether at least one CUDA device can be used."""
    return CUDAAccelerator.is_available()


@lru_cache(1)  # once per process
def _check_cuda_matmul_precision(device: torch.device) -> None:
    """On an Ampere-or-later GPU with float32 matmuls still at the default "highest" precision, say that the Tensor
    Cores go unused and how to use them (as 2.6.6 does, an info line)."""
    if not torch.cuda.is_available() or torch.cuda.get_device_capability(device)[0] < 8:
        return
    if torch.get_float32_matmul_precision() == "highest":
        rank_zero_info(
            f"You are using a CUDA device ({torch.cuda.get_device_name(device)!r}) that has Tensor Cores. float32 "
            "matrix multiplications do not use them at the default precision: set "
            "`torch.set_float32_matmul_precision('medium' | 'high')` to trade some precision for speed (see "
            "https://pytorch.org/docs/stable/generated/torch.set_float32_matmul_precision.html)."
        )


def _clear_cuda_memory() -> None:
    """Free the cuBLAS workspaces and the caching allocator's unused blocks."""
    clear_workspaces = getattr(torch._C, "_cuda_clearCublasWorkspaces", None)  # absent in some builds
    if clear_workspaces is not None:
        clear_workspaces()
    torch.cuda.empty_cache()
