"""Cluster environments and strategy names, compared with what the real lightning 2.6.6 does under the same
environment variables (``fixtures/reference_2_6_6.json``, made by ``fixtures/generate_reference.py``)."""
import json
from pathlib import Path

import pytest

from lightning.fabric.plugins.environments import (
    LightningEnvironment,
    SLURMEnvironment,
    TorchElasticEnvironment,
    detect_cluster_environment,
)
from lightning.pytorch.strategies import DDPStrategy, FSDPStrategy, StrategyRegistry
from lightning.pytorch.strategies.launchers import _MultiProcessingLauncher, _SubprocessScriptLauncher
from lightning.pytorch.strategies.registry import STRATEGY_FACTORIES
from tests.distributed.fixtures import generate_reference

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "reference_2_6_6.json").read_text())


@pytest.fixture
def restore_environ(monkeypatch):
    """The scenarios rewrite os.environ wholesale; put it back afterwards."""
    import os

    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_environments_read_the_variables_like_the_reference(restore_environ):
    ours = generate_reference.environments()
    assert ours.keys() == REFERENCE["environments"].keys()
    for key, expected in REFERENCE["environments"].items():
        assert ours[key] == expected, key


def test_public_signatures_match_the_reference():
    assert generate_reference.signatures() == REFERENCE["signatures"]


def test_the_ddp_and_fsdp_strategy_names_and_what_they_set():
    ours = {name for name in StrategyRegistry.available_strategies() if name.startswith(("ddp", "fsdp"))}
    assert ours == set(REFERENCE["registry"])
    for name, expected in REFERENCE["registry"].items():
        entry = StrategyRegistry[name]
        assert entry["strategy"].__name__ == expected["class"], name
        assert entry["init_params"] == expected["init_params"], name
        strategy = StrategyRegistry.get(name)
        if "start_method" in expected["init_params"]:
            assert strategy._start_method == expected["init_params"]["start_method"], name
        if "find_unused_parameters" in expected["init_params"]:
            assert strategy._ddp_kwargs["find_unused_parameters"] is expected["init_params"]["find_unused_parameters"]
        if "cpu_offload" in expected["init_params"]:
            assert strategy.cpu_offload.offload_params, name
        assert name in STRATEGY_FACTORIES  # what Trainer(strategy=name) resolves through


def test_registry_register_get_and_errors():
    class Custom(DDPStrategy):
        pass

    StrategyRegistry.register("custom_ddp_test", Custom, description="a test", find_unused_parameters=True)
    try:
        with pytest.raises(ValueError, match="already registered"):
            StrategyRegistry.register("custom_ddp_test", Custom)
        import lightning as L

        trainer = L.Trainer(accelerator="cpu", devices=2, strategy="custom_ddp_test", logger=False)
        assert type(trainer.strategy) is Custom and trainer.strategy._ddp_kwargs == {"find_unused_parameters": True}
    finally:
        StrategyRegistry.remove("custom_ddp_test")
    with pytest.raises(KeyError, match="not found.*ddp_spawn"):
        StrategyRegistry.get("custom_ddp_test")


def test_detection_order(restore_environ, monkeypatch):
    import os

    for key in [k for k in os.environ if k.startswith(("SLURM_", "TORCHELASTIC"))]:
        monkeypatch.delenv(key)
    assert type(detect_cluster_environment()) is LightningEnvironment
    monkeypatch.setenv("TORCHELASTIC_RUN_ID", "x")
    assert type(detect_cluster_environment()) is TorchElasticEnvironment
    monkeypatch.setenv("SLURM_NTASKS", "1")
    monkeypatch.setenv("SLURM_JOB_NAME", "train")
    assert type(detect_cluster_environment()) is SLURMEnvironment
    monkeypatch.setenv("SLURM_JOB_NAME", "interactive")  # `srun --job-name=interactive` is a shell, not a job
    assert type(detect_cluster_environment()) is TorchElasticEnvironment


def test_trainer_picks_the_launcher_and_environment(restore_environ, monkeypatch):
    import lightning as L

    for key in ("LOCAL_RANK", "SLURM_NTASKS", "TORCHELASTIC_RUN_ID"):
        monkeypatch.delenv(key, raising=False)
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp", logger=False)
    assert isinstance(trainer.strategy, DDPStrategy)
    assert isinstance(trainer.strategy.launcher, _SubprocessScriptLauncher)
    assert isinstance(trainer.strategy.cluster_environment, LightningEnvironment)
    assert trainer.strategy.distributed_sampler_kwargs == {"num_replicas": 2, "rank": 0}
    trainer = L.Trainer(accelerator="cpu", devices=2, num_nodes=3, strategy="ddp_spawn", logger=False)
    assert isinstance(trainer.strategy.launcher, _MultiProcessingLauncher)
    assert trainer.strategy.distributed_sampler_kwargs == {"num_replicas": 6, "rank": 0}
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="auto", logger=False)
    assert isinstance(trainer.strategy, DDPStrategy)  # several devices: "auto" means DDP
    custom = LightningEnvironment()
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy=FSDPStrategy(), plugins=[custom], logger=False)
    assert trainer.strategy.cluster_environment is custom


def test_torchrun_with_a_different_world_size_is_refused(restore_environ, monkeypatch):
    import lightning as L

    from lightning.pytorch.demos.boring_classes import BoringModel

    for name, value in {"TORCHELASTIC_RUN_ID": "x", "WORLD_SIZE": "3", "RANK": "0", "LOCAL_RANK": "0"}.items():
        monkeypatch.setenv(name, value)  # what torchrun sets in each process
    # as in 2.6.6 the Trainer is built, and the launch at `fit` refuses the mismatch
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp", logger=False)
    with pytest.raises(ValueError, match=r"devices=2.*num_nodes=1.*3"):
        trainer.fit(BoringModel())


def _slurm_rank(local_rank: int, train_module, root) -> None:
    import torch
    from torch.utils.data import DataLoader

    import lightning as L

    L.seed_everything(7, verbose=False)
    model = train_module.Regression()
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy="ddp", max_epochs=1, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(model, DataLoader(train_module.IndexedData(), batch_size=4))
    environment = trainer.strategy.cluster_environment
    torch.save({"environment": type(environment).__name__, "rank": trainer.global_rank, "world": trainer.world_size,
                "weights": model.state_dict()}, root / f"slurm{local_rank}.pt")


def _srun_variables(local_rank: int, port: str) -> dict:
    """What ``srun --ntasks-per-node=2`` on one node exports to task ``local_rank`` (plus a free MASTER_PORT)."""
    return {"SLURM_NTASKS": "2", "SLURM_NTASKS_PER_NODE": "2", "SLURM_NNODES": "1", "SLURM_PROCID": str(local_rank),
            "SLURM_LOCALID": str(local_rank), "SLURM_NODEID": "0", "SLURM_NODELIST": "localhost",
            "SLURM_JOB_ID": "123", "SLURM_JOB_NAME": "train", "MASTER_PORT": port}


def test_a_run_started_by_srun(train_module, tmp_path):
    import torch
    from torch.utils.data import DataLoader

    import lightning as L
    from tests.distributed.runner import run_forked

    run_forked(_slurm_rank, 2, train_module, tmp_path, env_for_rank=_srun_variables)
    ranks = [torch.load(tmp_path / f"slurm{r}.pt") for r in (0, 1)]
    assert [(r["environment"], r["rank"], r["world"]) for r in ranks] == [("SLURMEnvironment", 0, 2),
                                                                          ("SLURMEnvironment", 1, 2)]
    L.seed_everything(7, verbose=False)
    reference = train_module.Regression()
    L.Trainer(accelerator="cpu", devices=1, max_epochs=1, logger=False, enable_checkpointing=False,
              enable_progress_bar=False, enable_model_summary=False).fit(
        reference, DataLoader(train_module.IndexedData(), batch_size=8))
    for key, value in reference.state_dict().items():
        assert torch.equal(ranks[0]["weights"][key], ranks[1]["weights"][key])
        torch.testing.assert_close(ranks[0]["weights"][key], value, rtol=1e-5, atol=1e-6)
