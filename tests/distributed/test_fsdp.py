"""FSDP on CPU/gloo with two processes: a sharded checkpoint (a folder, each rank writes its shards) resumes into
FSDP, and a full checkpoint (one file) loads in a plain single-process run; the weights equal one process training
on the combined batches."""
import pytest
import torch
from torch.utils.data import DataLoader

import lightning as L
from lightning.pytorch.strategies import FSDPStrategy
from tests.distributed.runner import run_forked


def _trainer(strategy, epochs: int, root) -> L.Trainer:
    return L.Trainer(accelerator="cpu", devices=2 if strategy != "auto" else 1, strategy=strategy, max_epochs=epochs,
                     logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                     num_sanity_val_steps=0, default_root_dir=str(root))


def _fsdp_sharded_then_full(local_rank: int, train_module, root) -> None:
    from datetime import timedelta

    data = train_module.IndexedData()
    loader = DataLoader(data, batch_size=4)
    L.seed_everything(7, verbose=False)
    trainer = _trainer(FSDPStrategy(state_dict_type="sharded", timeout=timedelta(seconds=60)), 2, root)
    trainer.fit(train_module.Regression(), loader)
    trainer.save_checkpoint(root / "sharded")
    trainer = _trainer(FSDPStrategy(state_dict_type="full", timeout=timedelta(seconds=60)), 3, root)
    model = train_module.Regression()
    trainer.fit(model, loader, ckpt_path=root / "sharded")
    assert trainer.global_step == 12
    trainer.save_checkpoint(root / "full.ckpt")
    # a second entry point on the same (sharded) model reuses the FSDP wrapper
    validated = trainer.validate(model, DataLoader(data, batch_size=4), verbose=False)
    torch.save(validated, root / f"validated{local_rank}.pt")


def test_fsdp_sharded_resume_and_full_checkpoint_in_one_process(train_module, tmp_path):
    run_forked(_fsdp_sharded_then_full, 2, train_module, tmp_path)
    sharded = tmp_path / "sharded"
    assert (sharded / "meta.pt").is_file() and len(list(sharded.glob("*.distcp"))) == 2  # one shard file per rank
    meta = torch.load(sharded / "meta.pt", weights_only=False)
    assert meta["global_step"] == 8 and "state_dict" not in meta

    full = torch.load(tmp_path / "full.ckpt", weights_only=True)
    assert full["global_step"] == 12 and set(full["state_dict"]) == {"layer.weight", "layer.bias"}
    assert full["state_dict"]["layer.weight"].shape == (1, 4)  # consolidated, not a shard

    data = train_module.IndexedData()
    L.seed_everything(7, verbose=False)
    reference = train_module.Regression()
    _trainer("auto", 3, tmp_path).fit(reference, DataLoader(data, batch_size=8))
    for key, value in reference.state_dict().items():
        torch.testing.assert_close(full["state_dict"][key], value, rtol=1e-5, atol=1e-6)

    validated = [torch.load(tmp_path / f"validated{rank}.pt") for rank in (0, 1)]
    expected = _trainer("auto", 3, tmp_path).validate(reference, DataLoader(data, batch_size=8), verbose=False)
    assert validated[0] == validated[1]
    assert validated[0][0]["val_loss"] == pytest.approx(expected[0]["val_loss"], rel=1e-5)

    # the full checkpoint resumes in a plain one-process run (model and optimizer state in torch layout)
    resumed = train_module.Regression()
    trainer = _trainer("auto", 4, tmp_path)
    trainer.fit(resumed, DataLoader(data, batch_size=8), ckpt_path=tmp_path / "full.ckpt")
    assert trainer.global_step == 16


def _policies(local_rank: int, train_module, root) -> None:
    from datetime import timedelta

    from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import CheckpointWrapper
    from torch.distributed.fsdp import FullyShardedDataParallel, ShardingStrategy

    class Deeper(train_module.Regression):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
            self.kinds = set()

        def training_step(self, batch, batch_idx):
            wrapper = self.trainer.model
            self.kinds.add((type(wrapper).__name__, wrapper.sharding_strategy.name,
                            sum(isinstance(m, FullyShardedDataParallel) for m in wrapper.modules()),
                            sum(isinstance(m, CheckpointWrapper) for m in wrapper.modules())))
            return super().training_step(batch, batch_idx)

    strategy = FSDPStrategy(auto_wrap_policy={torch.nn.Linear}, activation_checkpointing_policy={torch.nn.Tanh},
                            sharding_strategy="SHARD_GRAD_OP", timeout=timedelta(seconds=60))
    model = Deeper()
    trainer = _trainer(strategy, 1, root)
    trainer.fit(model, DataLoader(train_module.IndexedData(), batch_size=4))
    # the root, and each Linear as its own unit; the Tanh wrapped for recomputation in backward
    assert model.kinds == {("FullyShardedDataParallel", "SHARD_GRAD_OP", 3, 1)}, model.kinds
    assert trainer.global_step == 4


def test_fsdp_wrap_and_activation_checkpointing_policies(train_module, tmp_path):
    run_forked(_policies, 2, train_module, tmp_path)
