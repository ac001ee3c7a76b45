"""The public surface added for issue 17, side by side with the real lightning 2.6.6: ``backend_scenarios.py`` runs
in a subprocess under the reference interpreter and under this project, and each scenario's result must be equal
(backends we lack raise the same kind of error; deprecated names warn and build the new classes; FSDP precision
configs, the LSF environment, collectives, closure classes, the DeepSpeed summary, optimizer-config types,
``save_checkpoint(weights_only=None)`` and small helpers give the same values)."""
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reference import L2_PYTHON, require

SCRIPT = Path(__file__).resolve().parent / "backend_scenarios.py"
SCENARIOS = sorted(name[len("scenario_"):] for name in dir(__import__("tests.surface.backend_scenarios",
                                                                         fromlist=["x"]))
                   if name.startswith("scenario_"))


@functools.lru_cache(maxsize=2)
def _run(python: str, tmp: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the real package must not see compat/
    out = subprocess.run([python, str(SCRIPT)], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("scenarios"))
    return {"real": _run(str(require(L2_PYTHON)), tmp), "ours": _run(sys.executable, tmp)}


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_matches_lightning_2_6_6(results, name):
    assert results["ours"][name] == results["real"][name]


def test_the_scenarios_ran_under_the_intended_packages(results):
    # the reference run used the real package: its DeepSpeed strategy names exist and its summary table is real
    assert results["real"]["backends_without_their_package"]["DeepSpeedStrategy()"] == "MisconfigurationException"
    assert len(results["real"]) == len(results["ours"]) == len(SCENARIOS)


def test_unavailable_backends_say_what_is_missing_and_what_to_use():
    from lightning.fabric.utilities.exceptions import MisconfigurationException
    from lightning.pytorch.accelerators import XLAAccelerator
    from lightning.pytorch.strategies import DeepSpeedStrategy

    with pytest.raises(MisconfigurationException, match=r"requires `deepspeed`.*pip install deepspeed.*fsdp"):
        DeepSpeedStrategy(stage=3)
    with pytest.raises(ModuleNotFoundError, match=r"requires `torch_xla`.*ddp"):
        XLAAccelerator()


def test_model_parallel_strategy_is_accepted_and_refuses_clearly_at_fit(tmp_path):
    import lightning.pytorch as pl
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.strategies import ModelParallelStrategy

    strategy = ModelParallelStrategy(data_parallel_size=1, tensor_parallel_size=1)
    assert BoringModel().device_mesh is None
    with pytest.raises(RuntimeError, match="device mesh"):
        strategy.device_mesh
    trainer = pl.Trainer(strategy=strategy, accelerator="cpu", devices=1, logger=False, default_root_dir=tmp_path,
                         enable_progress_bar=False, enable_model_summary=False)
    with pytest.raises(NotImplementedError, match="strategy='fsdp'"):
        trainer.fit(BoringModel())
