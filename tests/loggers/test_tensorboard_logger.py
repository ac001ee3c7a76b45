"""TensorBoardLogger: event files read back with TensorBoard's own EventAccumulator, graph, hparams, errors."""
import os
import pickle

import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch import nn

import lightning.pytorch as pl
from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch.loggers import TensorBoardLogger
from lightning.pytorch.loggers.logger import DummyExperiment


def _accumulator(log_dir):
    acc = EventAccumulator(log_dir)
    acc.Reload()
    return acc


def test_every_scalar_at_its_step(tmp_path):
    logger = TensorBoardLogger(tmp_path)
    logged = {}
    for step in range(0, 50, 7):
        metrics = {"loss": 1.0 / (step + 1), "acc": torch.tensor(step / 50), "epoch": step // 10}
        logger.log_metrics(metrics, step=step)
        for key, value in metrics.items():
            logged.setdefault(key, []).append((step, float(value)))
    logger.finalize("success")
    acc = _accumulator(logger.log_dir)
    for key, points in logged.items():
        assert [(e.step, e.value) for e in acc.Scalars(key)] == [(s, pytest.approx(v)) for s, v in points]


def test_experiment_is_the_real_summary_writer(tmp_path):
    from torch.utils.tensorboard import SummaryWriter

    logger = TensorBoardLogger(tmp_path)
    assert isinstance(logger.experiment, SummaryWriter)
    logger.experiment.add_text("note", "hello", 0)
    logger.finalize("success")
    assert "note/text_summary" in _accumulator(logger.log_dir).Tags()["tensors"]


def test_log_graph_adds_the_model_graph(tmp_path):
    class Net(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(4, 2)
            self.example_input_array = torch.zeros(1, 4)

        def forward(self, x):
            return self.layer(x)

    logger = TensorBoardLogger(tmp_path, log_graph=True)
    logger.log_graph(Net())
    logger.finalize("success")
    assert _accumulator(logger.log_dir).Tags()["graph"] is True


def test_log_graph_without_example_input_warns(tmp_path):
    logger = TensorBoardLogger(tmp_path, log_graph=True)
    with pytest.warns(UserWarning, match="Could not log computational graph to TensorBoard: The `model.example_input_array`"):
        logger.log_graph(nn.Linear(1, 1))
    with pytest.warns(UserWarning, match="Could not log computational graph to TensorBoard: .* can.t be traced"):
        logger.log_graph(nn.Linear(1, 1), input_array=[torch.zeros(1)])


def test_log_graph_off_by_default(tmp_path):
    logger = TensorBoardLogger(tmp_path)
    logger.log_graph(nn.Linear(1, 1), torch.zeros(1, 1))
    assert logger._experiment is None  # nothing was even opened


def test_non_scalar_value_is_a_clear_error(tmp_path):
    logger = TensorBoardLogger(tmp_path)
    with pytest.raises(ValueError, match=r"cannot log 'bad'.*number"):
        logger.log_metrics({"bad": "text"}, step=0)


def test_versions_count_up_and_sub_dir(tmp_path):
    first, second = TensorBoardLogger(tmp_path, name="exp"), TensorBoardLogger(tmp_path, name="exp")
    first.log_metrics({"a": 1.0}, 0)
    assert second.version == 1
    third = TensorBoardLogger(tmp_path, name="exp", version="custom", sub_dir="train")
    assert third.log_dir == os.path.join(str(tmp_path), "exp", "custom", "train")
    assert (third.root_dir, third.save_dir) == (os.path.join(str(tmp_path), "exp"), str(tmp_path))


def test_unwritable_log_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(OSError, match="Cannot create the log directory"):
        TensorBoardLogger(blocker).log_metrics({"a": 1.0}, 0)


def test_off_rank_zero_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(rank_zero_only, "rank", 1)
    logger = TensorBoardLogger(tmp_path)
    logger.log_metrics({"a": 1.0}, 0)
    logger.log_hyperparams({"lr": 1})
    assert isinstance(logger.experiment, DummyExperiment)
    assert os.listdir(tmp_path) == []


def test_pickling_drops_the_writer(tmp_path):
    logger = TensorBoardLogger(tmp_path)
    logger.log_metrics({"a": 1.0}, 0)
    clone = pickle.loads(pickle.dumps(logger))
    assert clone._experiment is None and clone.log_dir == logger.log_dir
    logger.finalize("success")


def test_missing_tensorboard_names_the_install(tmp_path, monkeypatch):
    from lightning.fabric.loggers import tensorboard  # the check is Fabric's, which the Trainer's logger runs

    monkeypatch.setattr(tensorboard, "_tensorboard_available", lambda: False)
    with pytest.raises(ModuleNotFoundError, match="pip install tensorboard"):
        TensorBoardLogger(tmp_path)
