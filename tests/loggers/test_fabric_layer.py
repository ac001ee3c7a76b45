"""Fabric holds the logger and checkpoint-I/O engine (issue 19): a Fabric run that logs through its CSV and
TensorBoard loggers and saves/loads checkpoints (locally and at a URL) loads no ``lightning.pytorch`` module, and the
Trainer's classes are built on Fabric's, as in 2.6.6."""
import json
import subprocess
import sys
import textwrap

_RUN = """
import json, sys
import torch
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger, TensorBoardLogger

root = sys.argv[1]
fabric = Fabric(accelerator="cpu", devices=1, loggers=[CSVLogger(root), TensorBoardLogger(root)])
fabric.log("a", 1.0)
fabric.log_dict({"b": 2.0}, step=1)
model = torch.nn.Linear(2, 1)
for path in (root + "/state.ckpt", "memory://fabric-layer/state.ckpt"):
    fabric.save(path, {"model": model})
    fabric.load(path, {"model": model})
for logger in fabric.loggers:
    logger.finalize("success")
print(json.dumps(sorted(name for name in sys.modules if name.startswith("lightning.pytorch"))))
"""


def test_a_fabric_run_with_loggers_and_checkpoints_loads_no_trainer_module(tmp_path):
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(_RUN), str(tmp_path)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "lightning_logs" / "version_0" / "metrics.csv").read_text().splitlines() == [
        "a,b,step", "1.0,,0", ",2.0,1"]


def test_the_trainer_classes_are_built_on_fabrics():
    import lightning.fabric.loggers as fabric_loggers
    import lightning.fabric.plugins.io as fabric_io
    import lightning.pytorch.loggers as trainer_loggers
    import lightning.pytorch.plugins.io as trainer_io

    assert issubclass(trainer_loggers.Logger, fabric_loggers.Logger)
    assert issubclass(trainer_loggers.CSVLogger, fabric_loggers.CSVLogger)
    assert issubclass(trainer_loggers.TensorBoardLogger, fabric_loggers.TensorBoardLogger)
    for name in ("CheckpointIO", "TorchCheckpointIO", "XLACheckpointIO"):
        assert getattr(trainer_io, name) is getattr(fabric_io, name)
