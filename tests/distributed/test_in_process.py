"""DDP pieces that run inside the test process: sampler injection, the DDP wrapper and its arguments, manual
optimization through DDP (one-process gloo group), and the fork/spawn launchers bringing results back."""
import os
from datetime import timedelta

import pytest
import torch
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, SequentialSampler, WeightedRandomSampler

import lightning as L
from lightning.fabric.plugins.environments import LightningEnvironment
from lightning.fabric.utilities.distributed import DistributedSamplerWrapper, _UnrepeatedDistributedSamplerWrapper
from lightning.pytorch.demos.boring_classes import BoringModel, RandomDataset
from lightning.pytorch.strategies import DDPStrategy
from lightning.pytorch.trainer.states import RunningStage
from tests.distributed.runner import free_port

_LAUNCH_VARS = ("LOCAL_RANK", "RANK", "WORLD_SIZE", "NODE_RANK", "GROUP_RANK", "MASTER_ADDR", "MASTER_PORT",
                "TORCHELASTIC_RUN_ID", "SLURM_NTASKS", "PL_GLOBAL_SEED", "OMP_NUM_THREADS")


@pytest.fixture
def isolated(monkeypatch):
    """A clean launch environment on a free port; afterwards: environment, rank_zero_only, thread count and the
    process group as they were (the launcher exports variables into this process, like it does for rank 0)."""
    from lightning.fabric.utilities.rank_zero import rank_zero_only

    saved_env, saved_rank, saved_threads = dict(os.environ), rank_zero_only.rank, torch.get_num_threads()
    for key in _LAUNCH_VARS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MASTER_PORT", str(free_port()))
    yield
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
    os.environ.clear()
    os.environ.update(saved_env)
    rank_zero_only.rank = saved_rank
    torch.set_num_threads(saved_threads)


class _FakeRanks(LightningEnvironment):
    """Rank 1 of 2 without a process group: enough to build samplers."""

    def global_rank(self) -> int:
        return 1

    def world_size(self) -> int:
        return 2


def _ddp_trainer(**kwargs) -> L.Trainer:
    strategy = DDPStrategy(cluster_environment=_FakeRanks())
    trainer = L.Trainer(accelerator="cpu", devices=2, strategy=strategy, logger=False, **kwargs)
    trainer.strategy.connect(BoringModel())
    trainer.lightning_module.trainer = trainer
    return trainer


@pytest.mark.parametrize(("sampler", "stage", "expected", "shuffle"), [
    (SequentialSampler, RunningStage.TRAINING, DistributedSampler, False),
    (RandomSampler, RunningStage.TRAINING, DistributedSampler, True),
    (SequentialSampler, RunningStage.VALIDATING, DistributedSampler, False),
    ("weighted", RunningStage.TRAINING, DistributedSamplerWrapper, False),
    (SequentialSampler, RunningStage.PREDICTING, _UnrepeatedDistributedSamplerWrapper, False),
])
def test_distributed_sampler_is_injected(sampler, stage, expected, shuffle):
    trainer = _ddp_trainer()
    dataset = RandomDataset(32, 10)
    if sampler == "weighted":
        loader = DataLoader(dataset, batch_size=2, sampler=WeightedRandomSampler([1.0] * 10, 10))
    else:
        loader = DataLoader(dataset, batch_size=2, shuffle=sampler is RandomSampler)
    processed = trainer.strategy._distribute_dataloader(loader, stage)
    assert type(processed.sampler) is expected
    assert (processed.sampler.num_replicas, processed.sampler.rank, processed.sampler.shuffle) == (2, 1, shuffle)
    assert processed.batch_size == 2 and processed.dataset is dataset
    indices = list(processed.sampler)
    if stage == RunningStage.PREDICTING:
        assert indices == [1, 3, 5, 7, 9]  # each sample exactly once across ranks
    elif sampler is SequentialSampler:
        assert indices == [1, 3, 5, 7, 9]


def test_no_injection_when_turned_off_or_already_distributed():
    trainer = _ddp_trainer(use_distributed_sampler=False)
    loader = DataLoader(RandomDataset(32, 10), batch_size=2)
    assert trainer.strategy._distribute_dataloader(loader, RunningStage.TRAINING) is loader
    trainer = _ddp_trainer()
    own = DataLoader(RandomDataset(32, 10), sampler=DistributedSampler(RandomDataset(32, 10), num_replicas=4, rank=3))
    assert trainer.strategy._distribute_dataloader(own, RunningStage.TRAINING) is own


def test_legacy_replace_sampler_ddp_maps_to_use_distributed_sampler():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import pytorch_lightning as pl
        except ImportError:
            pytest.skip("the legacy namespace is not available")
        trainer = pl.Trainer(accelerator="cpu", devices=2, strategy="ddp", replace_sampler_ddp=False, logger=False)
    assert trainer._use_distributed_sampler is False


class _ManualModel(BoringModel):
    """Manual optimization, plus a parameter that the loss does not use."""

    def __init__(self) -> None:
        super().__init__()
        self.automatic_optimization = False
        self.unused = torch.nn.Linear(2, 2)
        self.wrapped_types = []

    def training_step(self, batch, batch_idx):
        self.wrapped_types.append(type(self.trainer.model).__name__)
        optimizer = self.optimizers()
        loss = self.step(batch)
        optimizer.zero_grad()
        self.manual_backward(loss)
        optimizer.step()
        self.log("loss", loss, sync_dist=True)
        return loss


def test_manual_optimization_through_ddp_with_unused_parameters(isolated, tmp_path):
    L.seed_everything(1, verbose=False)
    model = _ManualModel()
    before = model.layer.weight.detach().clone()
    strategy = DDPStrategy(find_unused_parameters=True, gradient_as_bucket_view=True, timeout=timedelta(seconds=30))
    trainer = L.Trainer(accelerator="cpu", devices=1, strategy=strategy, max_steps=3, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        limit_val_batches=0, default_root_dir=str(tmp_path))
    trainer.fit(model)
    assert torch.distributed.is_initialized() and torch.distributed.get_backend() == "gloo"
    assert model.wrapped_types == ["DistributedDataParallel"] * 3  # steps ran through the DDP wrapper
    assert not torch.equal(before, model.layer.weight)
    assert trainer.model is model  # unwrapped after fit
    assert trainer.global_step == 3 and "loss" in trainer.callback_metrics


def test_ddp_gets_the_strategy_arguments_and_a_hint_for_unused_parameters(isolated, tmp_path):
    seen = {}

    class Unused(BoringModel):
        def __init__(self):
            super().__init__()
            self.unused = torch.nn.Linear(2, 2)

        def training_step(self, batch, batch_idx):
            ddp = self.trainer.model
            assert isinstance(ddp, DistributedDataParallel)
            seen.update(find_unused=ddp.find_unused_parameters, bucket_view=ddp.gradient_as_bucket_view)
            return super().training_step(batch, batch_idx)

    strategy = DDPStrategy(find_unused_parameters=False, gradient_as_bucket_view=True, timeout=timedelta(seconds=30))
    trainer = L.Trainer(accelerator="cpu", devices=1, strategy=strategy, max_steps=3, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        limit_val_batches=0, default_root_dir=str(tmp_path))
    with pytest.raises(RuntimeError, match="ddp_find_unused_parameters_true"):
        trainer.fit(Unused())
    assert seen == {"find_unused": False, "bucket_view": True}


class _Regression(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.layer(x), y)
        self.log("loss", loss, sync_dist=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def _regression_data(batch_size: int) -> DataLoader:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(16, 4, generator=generator)
    return DataLoader(torch.utils.data.TensorDataset(x, x.sum(dim=1, keepdim=True)), batch_size=batch_size)


def _fit(strategy, devices: int, batch_size: int, tmp_path) -> tuple:
    L.seed_everything(3, verbose=False)
    model = _Regression()
    trainer = L.Trainer(accelerator="cpu", devices=devices, strategy=strategy, max_epochs=2, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        default_root_dir=str(tmp_path))
    trainer.fit(model, _regression_data(batch_size))
    return model, trainer


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_fork_and_spawn_workers_send_the_trained_weights_back(isolated, tmp_path, start_method):
    strategy = DDPStrategy(start_method=start_method, timeout=timedelta(seconds=60))
    model, trainer = _fit(strategy, devices=2, batch_size=2, tmp_path=tmp_path)
    reference, _ = _fit("auto", devices=1, batch_size=4, tmp_path=tmp_path)
    torch.testing.assert_close(model.layer.weight, reference.layer.weight, rtol=1e-5, atol=1e-6)
    assert trainer.state.finished and trainer.state.fn == "fit"
    assert "loss" in trainer.callback_metrics
    assert not torch.distributed.is_initialized()  # the group lived in the workers only



def test_sync_batchnorm_on_cpu_is_refused_clearly():
    with pytest.raises(ValueError, match="sync_batchnorm=True.*needs GPUs"):
        L.Trainer(accelerator="cpu", devices=2, strategy="ddp", sync_batchnorm=True, logger=False)


def test_sync_batchnorm_reverts_to_plain_batch_norm():
    from lightning.pytorch.strategies.ddp import _revert_sync_batchnorm

    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    model(torch.randn(5, 4))
    synced = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    assert isinstance(synced[1], torch.nn.SyncBatchNorm)
    reverted = _revert_sync_batchnorm(synced)
    norm = reverted[1]
    assert not isinstance(norm, torch.nn.SyncBatchNorm) and isinstance(norm, torch.nn.modules.batchnorm._BatchNorm)
    assert int(norm.num_batches_tracked) == 1 and norm.weight is model[1].weight
    reverted.eval()
    assert reverted(torch.randn(2, 4)).shape == (2, 3)


def test_gradient_accumulation_syncs_only_on_the_stepping_batch(isolated, tmp_path):
    class Record(BoringModel):
        def __init__(self):
            super().__init__()
            self.sync_flags = []

        def training_step(self, batch, batch_idx):
            self.sync_flags.append(self.trainer.model.require_backward_grad_sync)
            return super().training_step(batch, batch_idx)

    model = Record()
    trainer = L.Trainer(accelerator="cpu", devices=1, strategy=DDPStrategy(timeout=timedelta(seconds=30)),
                        accumulate_grad_batches=2, max_steps=2, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0,
                        default_root_dir=str(tmp_path))
    trainer.fit(model)
    assert model.sync_flags == [False, True, False, True]  # DDP's no_sync() on the accumulating batches


def test_static_graph_and_backend_reach_ddp(isolated, tmp_path):
    seen = {}

    class Record(BoringModel):
        def training_step(self, batch, batch_idx):
            seen.update(static=self.trainer.model.static_graph, backend=torch.distributed.get_backend())
            return super().training_step(batch, batch_idx)

    strategy = DDPStrategy(static_graph=True, process_group_backend="gloo", timeout=timedelta(seconds=30))
    trainer = L.Trainer(accelerator="cpu", devices=1, strategy=strategy, max_steps=2, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        limit_val_batches=0, default_root_dir=str(tmp_path))
    trainer.fit(Record())
    assert seen == {"static": True, "backend": "gloo"} and strategy.process_group_backend == "gloo"
