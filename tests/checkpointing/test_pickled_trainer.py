"""A fitted Trainer and its wrapped model survive ``torch.save`` / ``torch.load(weights_only=False)`` (users pickle
them, e.g. to hand a run to another process), as in 2.6.6."""
import pickle

import torch

import lightning as L
from lightning.pytorch.core.optimizer import LightningOptimizer
from lightning.pytorch.demos.boring_classes import BoringModel


def test_fitted_trainer_round_trips_through_torch_save(tmp_path):
    trainer = L.Trainer(default_root_dir=tmp_path, max_epochs=1, limit_train_batches=2, limit_val_batches=1,
                        enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(BoringModel())
    torch.save(trainer.model, tmp_path / "model.pt")
    torch.save(trainer, tmp_path / "trainer.pt")
    loaded = torch.load(tmp_path / "trainer.pt", weights_only=False)
    assert loaded.global_step == trainer.global_step
    assert torch.equal(loaded.lightning_module.layer.weight, trainer.lightning_module.layer.weight)


def test_lightning_optimizer_unpickles_without_recursing():
    optimizer = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.1)
    clone = pickle.loads(pickle.dumps(LightningOptimizer(optimizer)))
    assert clone.param_groups[0]["lr"] == 0.1
