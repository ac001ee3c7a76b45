"""Loggers inside a real fit: the files equal those the real lightning 2.6.6 writes for the same run
(fixtures/loggers/generate.py), the viewer finds the run, and bad configurations fail before training."""
import contextlib
import importlib.util
import io
import os

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
import lightning.pytorch as pl
import lightning.pytorch.loggers  # noqa: F401  (makes `pl.loggers` available to the shared fixture functions)
from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger

from tests.differential.compare import differences

from .reference import FIXTURES, trainer_runs
from .test_tensorboard_server import TENSORBOARD, serve_and_query

# loaded under its own name: other fixture folders also hold a `generate.py`
_spec = importlib.util.spec_from_file_location("fixtures_loggers_generate", FIXTURES / "loggers" / "generate.py")
reference_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference_run)


@pytest.mark.parametrize("name", ["csv", "tensorboard", "default_logger"])
def test_fit_validate_test_files_match_reference(name, tmp_path):
    reference_run._quiet()
    ours = getattr(reference_run, f"run_{name}")(pl, str(tmp_path))
    expected = trainer_runs()[name]
    assert ours.keys() == expected.keys()
    # the fixture was made on another machine: floats (also the CSV's number strings) agree to float32 precision
    for key in expected:
        assert differences(_numbers(ours[key]), _numbers(expected[key]), key) == []


def _numbers(value):
    """The value with every string that spells a float turned into that float."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, str) and "." in value:
        try:
            return float(value)
        except ValueError:
            return value
    return value


class Tiny(L.LightningModule):
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.layer = nn.Linear(4, 1)
        self.steps_run = 0

    def training_step(self, batch, batch_idx):
        self.steps_run += 1
        loss = nn.functional.mse_loss(self.layer(batch[0]), batch[1])
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


def _loader():
    x = torch.randn(16, 4, generator=torch.Generator().manual_seed(0))
    return DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=4)


def _fit(tmp_path, **kwargs):
    trainer = L.Trainer(default_root_dir=tmp_path, max_epochs=1, log_every_n_steps=1, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False, **kwargs)
    model = Tiny()
    trainer.fit(model, _loader())
    return trainer, model


def test_unwritable_log_dir_fails_before_training(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    trainer = L.Trainer(default_root_dir=blocker, max_epochs=1, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False)
    model = Tiny()
    with pytest.raises(OSError, match="Cannot create the log directory"):
        trainer.fit(model, _loader())
    assert model.steps_run == 0


def test_several_loggers_all_receive_the_run(tmp_path):
    csv_logger, tb_logger = CSVLogger(tmp_path, name="csv"), TensorBoardLogger(tmp_path, name="tb")
    trainer, _ = _fit(tmp_path, logger=[csv_logger, tb_logger])
    assert trainer.loggers == [csv_logger, tb_logger] and trainer.logger is csv_logger
    with open(os.path.join(csv_logger.log_dir, "metrics.csv")) as fh:
        assert fh.readline().strip().split(",") == ["epoch", "step", "train_loss"]
    assert open(os.path.join(tb_logger.log_dir, "hparams.yaml")).read() == "lr: 0.1\n"


def test_logger_false_writes_no_logs(tmp_path):
    trainer, _ = _fit(tmp_path, logger=False)
    assert trainer.logger is None and trainer.loggers == []
    assert not (tmp_path / "lightning_logs").exists()


@pytest.mark.skipif(not os.access(TENSORBOARD, os.X_OK), reason="the `tensorboard` command is not installed")
def test_tensorboard_server_shows_a_finished_fit(tmp_path):
    with contextlib.redirect_stdout(io.StringIO()):
        _fit(tmp_path)  # the default logger: TensorBoard under <default_root_dir>/lightning_logs
    runs, tags = serve_and_query(str(tmp_path / "lightning_logs"))
    assert "version_0" in runs
    assert {"train_loss", "epoch", "hp_metric"} <= set(tags["version_0"])


def test_log_graph_during_fit(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    class WithExample(Tiny):
        def __init__(self):
            super().__init__()
            self.example_input_array = torch.zeros(2, 4)

        def forward(self, x):
            return self.layer(x)

    logger = TensorBoardLogger(tmp_path, log_graph=True)
    trainer = L.Trainer(default_root_dir=tmp_path, max_epochs=1, logger=logger, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(WithExample(), _loader())
    acc = EventAccumulator(logger.log_dir)
    acc.Reload()
    assert acc.Tags()["graph"] is True


def test_module_and_datamodule_hparams_that_disagree_fail_with_the_merge_phrase(tmp_path):
    # the key phrase is 2.6.6's ("Error while merging hparams"), which user code matches on
    class Module(L.LightningModule):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.layer = nn.Linear(2, 1)

        def training_step(self, batch, batch_idx):
            return self.layer(batch[0]).sum()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    class Data(L.LightningDataModule):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()

        def train_dataloader(self):
            return DataLoader(TensorDataset(torch.ones(2, 2)), batch_size=1)

    trainer = L.Trainer(default_root_dir=tmp_path, logger=CSVLogger(tmp_path), max_steps=1, enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False)
    with pytest.raises(RuntimeError, match=r"Error while merging hparams.*\['lr'\]"):
        trainer.fit(Module(lr=0.1), Data(lr=0.2))
