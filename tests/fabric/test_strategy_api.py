"""Fabric's strategies are the engine with 2.6.6's Fabric API: driven directly (setup, init contexts, backward,
clipping, optimizer step, collectives on one process, save/load with filter and strict, a DDP strategy's settings
before launch) they give the same JSON as the real package's. The device resolution is written once for both front
doors, each building its own classes."""
import json
import subprocess
import sys
from pathlib import Path

from tests.reference import L2_PYTHON, require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "fabric" / "scripts" / "strategy_api.py"


def _run(python, tmp_path: Path) -> dict:
    out = subprocess.run([str(python), str(SCRIPT), str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_fabric_strategy_api_behaves_as_2_6_6(tmp_path):
    (tmp_path / "ours").mkdir()
    (tmp_path / "real").mkdir()
    ours, real = _run(sys.executable, tmp_path / "ours"), _run(require(L2_PYTHON), tmp_path / "real")
    assert ours == real
    assert ours["saved_model_keys"] == ["weight"] and ours["load_remainder"] == {}  # (the filter and strict=False ran)


def test_device_resolution_is_one_implementation_for_both_front_doors():
    import lightning as L
    from lightning.fabric.connector import _Connector, _DeviceSetup
    from lightning.pytorch.trainer.devices import DeviceSetup

    assert issubclass(_Connector, _DeviceSetup) and issubclass(DeviceSetup, _DeviceSetup)
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp_spawn", logger=False)
    fabric = L.Fabric(accelerator="cpu", devices=2, strategy="ddp_spawn")
    for strategy in (trainer.strategy, fabric.strategy):
        assert strategy.num_processes == 2 and strategy.distributed_sampler_kwargs == {"num_replicas": 2, "rank": 0}
    assert type(trainer.strategy.launcher).__module__ == "lightning.pytorch.strategies.launchers.multiprocessing"
    assert type(fabric.strategy.launcher).__module__ == "lightning.fabric.strategies.launchers.multiprocessing"
