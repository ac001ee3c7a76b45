"""Names of the trainer core reachable at their real 2.x module paths."""
import pytest
import torch


def test_core_and_trainer_packages_export_the_real_names():
    import lightning as L
    from lightning.pytorch.core import LightningDataModule, LightningModule
    from lightning.pytorch.trainer import Trainer, seed_everything

    assert (LightningModule, LightningDataModule, Trainer) == (L.LightningModule, L.LightningDataModule, L.Trainer)
    assert seed_everything is L.seed_everything


def test_check_finite_loss():
    from lightning.pytorch.loops.utilities import check_finite_loss

    check_finite_loss(torch.tensor(1.0))
    with pytest.raises(ValueError, match="nan"):
        check_finite_loss(torch.tensor(float("nan")))
