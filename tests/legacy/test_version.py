"""Issue 15 item 10: ``pytorch_lightning.__version__`` says 1.9.5 (the 1.x behaviour it follows), everything 2.x
keeps 2.6.6; strict mode reports 2.6.6 like the real 2.x ``pytorch_lightning`` distribution. The side-by-side run of
1.x version branches is ``test_side_by_side.py::...[version_branches]``."""
import lightning
import lightning.pytorch as lp
import pytorch_lightning as pl


def test_legacy_namespace_reports_1_9_5_and_lightning_2_6_6():
    assert pl.__version__ == "1.9.5"
    assert lightning.__version__ == lp.__version__ == "2.6.6"
    assert "__version__" in dir(pl)


def test_strict_mode_reports_the_2x_version(strict):
    assert pl.__version__ == "2.6.6"


def test_checkpoints_record_the_2x_version(tmp_path):
    import torch

    from models import Tiny, loader, quiet_trainer

    trainer = quiet_trainer(tmp_path, max_steps=1)
    trainer.fit(Tiny(), loader())
    trainer.save_checkpoint(tmp_path / "a.ckpt")
    assert torch.load(tmp_path / "a.ckpt", weights_only=True)["pytorch-lightning_version"] == "2.6.6"
