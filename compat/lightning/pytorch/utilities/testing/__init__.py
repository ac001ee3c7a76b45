"""Test-suite helpers: ``_runif_reasons`` gives the reasons to skip a test on this machine (the basis of a
``RunIf`` pytest marker: ``pytest.mark.skipif(bool(reasons), reason=", ".join(reasons))``)."""
import os
import sys
from typing import Optional

import torch
from packaging.version import Version

from lightning.fabric.utilities.imports import package_available


def _torch_version() -> Version:
    return Version(Version(torch.__version__).base_version)


def _runif_reasons(*, min_cuda_gpus: int = 0, min_torch: Optional[str] = None, max_torch: Optional[str] = None,
                   min_python: Optional[str] = None, bf16_cuda: bool = False, tpu: bool = False,
                   mps: Optional[bool] = None, skip_windows: bool = False, standalone: bool = False,
                   deepspeed: bool = False, dynamo: bool = False, rich: bool = False, omegaconf: bool = False,
                   psutil: bool = False, sklearn: bool = False, onnx: bool = False, linux_only: bool = False,
                   onnxscript: bool = False, tensorrt: bool = False) -> tuple:
    """``(reasons, kwargs)``: each unmet requirement adds a short reason; ``kwargs`` flags the tests a runner
    schedules specially (``min_cuda_gpus``, ``tpu``, ``standalone``)."""
    reasons: list = []
    kwargs: dict = {}
    if min_cuda_gpus:
        if torch.cuda.device_count() < min_cuda_gpus:
            reasons.append(f"GPUs>={min_cuda_gpus}")
        kwargs["min_cuda_gpus"] = True
    if min_torch and _torch_version() < Version(min_torch):
        reasons.append(f"torch>={min_torch}, {torch.__version__} installed")
    if max_torch and _torch_version() >= Version(max_torch):
        reasons.append(f"torch<{max_torch}, {torch.__version__} installed")
    if min_python and Version(".".join(map(str, sys.version_info[:3]))) < Version(min_python):
        reasons.append(f"python>={min_python}")
    if bf16_cuda and not (torch.cuda.is_available() and torch.cuda.is_bf16_supported()):
        reasons.append("CUDA device bf16")
    if skip_windows and sys.platform == "win32":
        reasons.append("unimplemented on Windows")
    if tpu:
        if not package_available("torch_xla"):
            reasons.append("TPU")
        kwargs["tpu"] = True
    if mps is not None:
        available = torch.backends.mps.is_available()
        if mps and not available:
            reasons.append("MPS")
        elif not mps and available:
            reasons.append("not MPS")
    if standalone:
        if os.getenv("PL_RUN_STANDALONE_TESTS", "0") != "1":
            reasons.append("Standalone execution")
        kwargs["standalone"] = True
    if deepspeed and not package_available("deepspeed"):
        reasons.append("Deepspeed")
    if dynamo:
        from torch._dynamo.eval_frame import is_dynamo_supported

        if not is_dynamo_supported():
            reasons.append("torch.dynamo")
    if linux_only and sys.platform != "linux":
        reasons.append("only linux")
    for wanted, module, reason in ((rich, "rich", "Rich"), (omegaconf, "omegaconf", "omegaconf"),
                                   (psutil, "psutil", "psutil"), (sklearn, "sklearn", "scikit-learn"),
                                   (onnx, "onnx", "onnx"), (onnxscript, "onnxscript", "onnxscript"),
                                   (tensorrt, "torch_tensorrt", "torch-tensorrt")):
        if wanted and not package_available(module):
            reasons.append(reason)
    return reasons, kwargs
