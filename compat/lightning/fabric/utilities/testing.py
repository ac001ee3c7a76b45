"""``lightning.fabric.utilities.testing``: why a test that needs some hardware or package should be skipped here."""
from typing import Optional

import torch

from lightning.fabric.utilities.imports import package_available

__all__ = ["_runif_reasons"]


def _runif_reasons(*, min_cuda_gpus: int = 0, min_torch: Optional[str] = None, max_torch: Optional[str] = None,
                   min_python: Optional[str] = None, bf16_cuda: bool = False, tpu: bool = False,
                   mps: Optional[bool] = None,
                   skip_windows: bool = False, standalone: bool = False, deepspeed: bool = False,
                   dynamo: bool = False, linux_only: bool = False) -> tuple:
    """``(reasons, kwargs)``: the unmet requirements, in words, and the keyword arguments for ``pytest.mark.skipif``
    (empty reasons mean the test can run here)."""
    import os
    import sys

    from packaging.version import Version

    reasons = []
    kwargs: dict = {}
    torch_version = Version(Version(torch.__version__).base_version)
    if min_cuda_gpus and torch.cuda.device_count() < min_cuda_gpus:
        reasons.append(f"GPUs>={min_cuda_gpus}")
        kwargs["min_cuda_gpus"] = True
    if min_torch and torch_version < Version(min_torch):
        reasons.append(f"torch>={min_torch}")
    if max_torch and torch_version >= Version(max_torch):
        reasons.append(f"torch<{max_torch}")
    if min_python and sys.version_info < tuple(int(p) for p in min_python.split(".")):
        reasons.append(f"python>={min_python}")
    if bf16_cuda and not (torch.cuda.is_available() and torch.cuda.is_bf16_supported()):
        reasons.append("CUDA bf16")
    if tpu:
        reasons.append("TPU")
    if mps is not None:
        mps_available = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
        if mps != mps_available:
            reasons.append("MPS" if mps else "not MPS")
    if skip_windows and sys.platform == "win32":
        reasons.append("not Windows")
    if linux_only and not sys.platform.startswith("linux"):
        reasons.append("Linux")
    if standalone and os.getenv("PL_RUN_STANDALONE_TESTS", "0") != "1":
        reasons.append("Standalone execution")
        kwargs["standalone"] = True
    if deepspeed and not package_available("deepspeed"):
        reasons.append("deepspeed")
    if dynamo and not hasattr(torch, "compile"):
        reasons.append("torch.dynamo")
    return reasons, kwargs
