"""The Logger base class, the dummy logger/experiment and rank_zero_experiment."""
import pickle
import statistics

import pytest

from lightning.fabric.utilities.rank_zero import rank_zero_only
from lightning.pytorch.loggers import (
    CometLogger,
    CSVLogger,
    LitLogger,
    Logger,
    MLFlowLogger,
    TensorBoardLogger,
    WandbLogger,
)
from lightning.pytorch.loggers import logger as logger_module
from lightning.pytorch.loggers.logger import DummyExperiment, DummyLogger, merge_dicts, rank_zero_experiment

from .reference import FIXTURES


def test_package_exports_the_real_names():
    import json

    import lightning.pytorch.loggers as loggers

    inventory = json.loads((FIXTURES / "inventory" / "lightning.pytorch-2.6.6.json").read_text())["modules"]
    expected = set(inventory["lightning.pytorch.loggers"]["class"])
    assert set(loggers.__all__) == expected
    assert {CometLogger, CSVLogger, LitLogger, Logger, MLFlowLogger, TensorBoardLogger, WandbLogger} == {
        getattr(loggers, n) for n in expected
    }
    for module, names in inventory.items():
        if module.startswith("lightning.pytorch.loggers."):
            imported = __import__(module, fromlist=["_"])
            for kind in ("class", "function"):
                for name in names[kind]:
                    assert hasattr(imported, name), f"{module}.{name}"


def test_abstract_api_must_be_implemented():
    class Incomplete(Logger):
        @property
        def name(self):
            return "x"

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


class Recording(Logger):
    def __init__(self):
        self.calls = []

    @property
    def name(self):
        return "rec"

    @property
    def version(self):
        return 3

    def log_metrics(self, metrics, step=None):
        self.calls.append(("metrics", metrics, step))

    def log_hyperparams(self, params, *args, **kwargs):
        self.calls.append(("hparams", params))

    def save(self):
        self.calls.append(("save",))


def test_defaults_of_a_minimal_logger():
    logger = Recording()
    assert (logger.root_dir, logger.log_dir, logger.save_dir, logger.group_separator) == (None, None, None, "/")
    logger.log_graph(None)
    logger.after_save_checkpoint(object())
    logger.finalize("success")
    assert logger.calls == [("save",)]  # finalize saves by default


def test_dummy_logger_swallows_everything():
    logger = DummyLogger()
    assert (logger.name, logger.version) == ("", "")
    assert logger[0] is logger
    assert logger.anything(1, k=2) is None
    logger.log_metrics({"a": 1}, 0)
    exp = logger.experiment
    assert isinstance(exp, DummyExperiment)
    assert exp.add_scalar("a", 1) is None and exp[3] is exp
    exp["key"] = 5
    assert pickle.loads(pickle.dumps(logger)).name == ""


def test_rank_zero_experiment_gives_dummy_off_rank_zero(monkeypatch):
    class WithExperiment(Recording):
        @property
        @rank_zero_experiment
        def experiment(self):
            return "real"

    logger = WithExperiment()
    assert logger.experiment == "real"
    monkeypatch.setattr(rank_zero_only, "rank", 1)
    assert isinstance(logger.experiment, DummyExperiment)


def test_merge_dicts_matches_documented_example():
    d1 = {"a": 1.7, "b": 2.0, "c": 1, "d": {"d1": 1, "d3": 3}}
    d2 = {"a": 1.1, "b": 2.2, "v": 1, "d": {"d1": 2, "d2": 3}}
    d3 = {"a": 1.1, "v": 2.3, "d": {"d3": 3, "d4": {"d5": 1}}}
    merged = merge_dicts([d1, d2, d3], {"a": statistics.mean, "v": max, "d": {"d1": sum}}, min)
    assert merged == {"a": pytest.approx(1.3), "b": 2.0, "c": 1, "d": {"d1": 3, "d2": 3, "d3": 3, "d4": {"d5": 1}},
                      "v": 2.3}


def test_module_has_the_backward_compatible_names():
    assert logger_module.DummyExperiment is DummyExperiment
    assert logger_module.rank_zero_experiment is rank_zero_experiment
