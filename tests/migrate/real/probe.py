"""Run with a real Lightning interpreter; prints one JSON object about that Lightning.

argv[1]: "legacy" (pytorch_lightning 1.x) or "new" (lightning 2.x). stdin: {"calls": [kwargs, ...],
"paths": [dotted names to check]}. Output: {"devices": per call {"accelerator", "device_ids", "strategy"} or
{"error"} (Trainers built on a pretend 8-GPU host), "strategies": registry names, "params": Trainer parameters
in order, "missing": the paths that do not import}. Used by test_facts_against_real.py.
"""

import contextlib
import importlib
import inspect
import json
import sys
import warnings
from unittest import mock

warnings.simplefilter("ignore")
legacy = sys.argv[1] == "legacy"
request = json.loads(sys.stdin.read())
if legacy:
    import lightning_fabric.accelerators.cuda as fabric_cuda
    import pytorch_lightning as pl
else:
    import lightning.fabric.accelerators.cuda as fabric_cuda
    import lightning.pytorch as pl


def probe_devices(calls):
    patches = [mock.patch.object(fabric_cuda, "num_cuda_devices", return_value=8),
               mock.patch("torch.cuda.is_available", return_value=True),
               mock.patch("torch.cuda.device_count", return_value=8)]
    if hasattr(fabric_cuda, "is_cuda_available"):
        patches.append(mock.patch.object(fabric_cuda, "is_cuda_available", return_value=True))
    out = []
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        for kwargs in calls:
            try:
                trainer = pl.Trainer(logger=False, enable_checkpointing=False, enable_progress_bar=False,
                                     enable_model_summary=False, **kwargs)
                out.append({"accelerator": type(trainer.accelerator).__name__.replace("GPU", "CUDA"),
                            "device_ids": list(trainer.device_ids), "strategy": type(trainer.strategy).__name__})
            except Exception as err:  # recorded, compared by the test
                out.append({"error": f"{type(err).__name__}: {err}"[:200]})
    return out


def missing(paths):
    result = []
    for path in paths:
        try:
            importlib.import_module(path)
            continue
        except ImportError:
            pass
        module, _, name = path.rpartition(".")
        try:
            if not hasattr(importlib.import_module(module), name):
                result.append(path)
        except ImportError:
            result.append(path)
    return result


from_registry = importlib.import_module(("pytorch_lightning" if legacy else "lightning.pytorch") + ".strategies")
print(json.dumps({
    "devices": probe_devices(request.get("calls", [])),
    "missing": missing(request.get("paths", [])),
    "strategies": sorted(from_registry.StrategyRegistry.available_strategies()),
    "params": list(inspect.signature(pl.Trainer.__init__).parameters)[1:],
}))
