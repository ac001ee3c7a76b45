"""CSVLogger behaviour beyond the reference scenarios: bad input, reuse of a folder, off-rank-zero, pickling."""
import csv
import os
import pickle
from argparse import Namespace

import pytest
import torch

from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.loggers.csv_logs import ExperimentWriter


def _rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_log_dir_under_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    logger = CSVLogger(blocker / "logs")
    with pytest.raises(OSError, match=r"Cannot create the log directory .*a_file.*(save_dir|default_root_dir)"):
        logger.log_metrics({"x": 1.0}, step=0)


@pytest.mark.parametrize("every", [0, -3, 1.5])
def test_bad_flush_interval(tmp_path, every):
    with pytest.raises(ValueError, match="flush_logs_every_n_steps"):
        CSVLogger(tmp_path, flush_logs_every_n_steps=every)


def test_reusing_a_version_folder_warns_and_replaces_metrics(tmp_path):
    first = CSVLogger(tmp_path, version=0)
    first.log_metrics({"old": 1.0}, step=0)
    first.save()
    second = CSVLogger(tmp_path, version=0)
    with pytest.warns(UserWarning, match="Experiment logs directory .* exists and is not empty"):
        second.log_metrics({"new": 2.0}, step=0)
    second.save()
    assert _rows(os.path.join(second.log_dir, "metrics.csv")) == [{"new": "2.0", "step": "0"}]


def test_namespace_hparams_and_tensor_values(tmp_path):
    logger = CSVLogger(tmp_path)
    logger.log_hyperparams(Namespace(lr=0.5))
    logger.log_metrics({"t": torch.tensor(0.25, dtype=torch.float64)}, step=4)
    logger.finalize("success")
    assert open(os.path.join(logger.log_dir, "hparams.yaml")).read() == "lr: 0.5\n"
    assert _rows(os.path.join(logger.log_dir, "metrics.csv")) == [{"step": "4", "t": "0.25"}]


def test_nothing_written_off_rank_zero(tmp_path, monkeypatch):
    monkeypatch.setattr(rank_zero_only, "rank", 1)
    logger = CSVLogger(tmp_path)
    logger.log_hyperparams({"a": 1})
    logger.log_metrics({"x": 1.0}, step=0)
    logger.finalize("success")
    assert os.listdir(tmp_path) == []


def test_finalize_without_anything_logged_creates_nothing(tmp_path):
    CSVLogger(tmp_path).finalize("success")
    assert os.listdir(tmp_path) == []


def test_pickled_logger_keeps_writing_to_the_same_run(tmp_path):
    logger = CSVLogger(tmp_path)
    logger.log_metrics({"x": 1.0}, step=0)
    clone = pickle.loads(pickle.dumps(logger))
    clone.log_metrics({"x": 2.0}, step=1)
    clone.save()
    assert [r["x"] for r in _rows(os.path.join(clone.log_dir, "metrics.csv"))] == ["1.0", "2.0"]


def test_experiment_writer_standalone(tmp_path):
    writer = ExperimentWriter(str(tmp_path / "run"))
    writer.log_metrics({"b": 1, "a": 2})
    writer.log_metrics({"c": 3})
    writer.save()
    assert open(writer.metrics_file_path).read().splitlines() == ["a,b,c,step", "2,1,,0", ",,3,1"]
