"""wandb / MLflow / Comet / LitLogger / Neptune: importable without their packages, a clear install error at
construction, and (with a stand-in client module recording the calls) the calls the real clients document."""
import importlib.machinery
import sys
import types

import pytest
import torch

from lightning.pytorch.loggers import CometLogger, LitLogger, MLFlowLogger, WandbLogger
from lightning.pytorch.loggers.neptune import NeptuneLogger
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _module(monkeypatch, name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    module.__dict__.update(attrs)
    monkeypatch.setitem(sys.modules, name, module)
    return module


@pytest.mark.parametrize(
    ("factory", "package"),
    [(WandbLogger, "wandb"), (MLFlowLogger, "mlflow"), (lambda: CometLogger(), "comet-ml"), (LitLogger, "litlogger")],
)
def test_missing_package_names_the_install(factory, package, monkeypatch):
    for module in ("wandb", "mlflow", "comet_ml", "litlogger"):
        monkeypatch.setitem(sys.modules, module, None)  # make sure none is importable, even if installed
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda n, *a: None if sys.modules.get(n, 0) is None else real_find_spec(n, *a))
    with pytest.raises(ModuleNotFoundError, match=f"pip install {package}"):
        factory()


def test_neptune_logger_is_gone_with_a_pointer():
    with pytest.raises(RuntimeError, match="Neptune.*TensorBoardLogger"):
        NeptuneLogger(project="x")


class FakeRun:
    def __init__(self, **init):
        self.init, self.logged, self.defined = init, [], []
        self.id, self.name = "run123", "fancy-run"
        self.config = types.SimpleNamespace(values={}, update=lambda params, allow_val_change: self.config.values.update(params))

    def log(self, data):
        self.logged.append(data)

    def define_metric(self, *args, **kwargs):
        self.defined.append((args, kwargs))


@pytest.fixture
def fake_wandb(monkeypatch):
    runs = []

    def init(**kwargs):
        runs.append(FakeRun(**kwargs))
        return runs[-1]

    module = _module(monkeypatch, "wandb", init=init, run=None)
    module.runs = runs
    return module


def test_wandb_logs_through_the_run(fake_wandb, tmp_path):
    logger = WandbLogger(project="proj", save_dir=tmp_path, prefix="train")
    assert (logger.name, logger.version, logger.save_dir) == ("proj", None, str(tmp_path))
    logger.log_hyperparams({"lr": 0.1, "act": torch.nn.ReLU, "obj": object()})
    logger.log_metrics({"loss": 0.5}, step=3)
    logger.log_metrics({"acc": 1.0})
    run = fake_wandb.runs[0]
    assert run.init["project"] == "proj" and run.init["dir"] == str(tmp_path) and run.init["resume"] == "allow"
    assert run.config.values["lr"] == 0.1 and run.config.values["act"] == "ReLU"
    assert isinstance(run.config.values["obj"], str)
    assert run.logged == [{"train-loss": 0.5, "trainer/global_step": 3}, {"train-acc": 1.0}]
    assert (("trainer/global_step",), {}) in run.defined
    assert logger.version == "run123"


def test_wandb_offline_with_log_model_is_rejected(fake_wandb):
    with pytest.raises(MisconfigurationException, match="offline"):
        WandbLogger(offline=True, log_model=True)


def test_wandb_reuses_a_run_in_progress(fake_wandb):
    existing = FakeRun()
    fake_wandb.run = existing
    with pytest.warns(UserWarning, match="already in progress"):
        assert WandbLogger().experiment is existing


@pytest.fixture
def fake_mlflow(monkeypatch):
    calls = []

    class Client:
        def __init__(self, uri):
            calls.append(("client", uri))

        def get_experiment_by_name(self, name):
            return None

        def create_experiment(self, name, artifact_location=None):
            calls.append(("create_experiment", name))
            return "exp1"

        def create_run(self, experiment_id, tags):
            calls.append(("create_run", experiment_id, tags))
            return types.SimpleNamespace(info=types.SimpleNamespace(run_id="run1"))

        def log_batch(self, run_id, metrics=(), params=(), **kwargs):
            calls.append(("log_batch", run_id, list(metrics), list(params)))

        def get_run(self, run_id):
            return True

        def set_terminated(self, run_id, status):
            calls.append(("terminated", run_id, status))

    class Entity:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

        def __eq__(self, other):
            return vars(self) == vars(other)

    _module(monkeypatch, "mlflow", set_tracking_uri=lambda uri: calls.append(("uri", uri)))
    _module(monkeypatch, "mlflow.tracking", MlflowClient=Client)
    _module(monkeypatch, "mlflow.tracking.context")
    _module(monkeypatch, "mlflow.tracking.context.registry", resolve_tags=lambda tags: tags)
    _module(monkeypatch, "mlflow.entities", Param=Entity, Metric=Entity)
    _module(monkeypatch, "mlflow.utils")
    _module(monkeypatch, "mlflow.utils.mlflow_tags", MLFLOW_RUN_NAME="mlflow.runName")
    return calls, Entity


def test_mlflow_creates_run_and_logs_batches(fake_mlflow, tmp_path):
    calls, Entity = fake_mlflow
    logger = MLFlowLogger("exp", run_name="r", save_dir=str(tmp_path), tracking_uri=None)
    assert logger.save_dir == str(tmp_path)
    logger.log_hyperparams({"lr": 0.1, "nested": {"a": "x" * 300}})
    with pytest.warns(RuntimeWarning, match="bad!name"):
        logger.log_metrics({"loss": torch.tensor(0.5), "bad!name": 1.0, "text": "skip me"}, step=7)
    logger.finalize("success")
    assert ("create_run", "exp1", {"mlflow.runName": "r"}) in calls
    params = next(c for c in calls if c[0] == "log_batch" and c[3])[3]
    assert params == [Entity(key="lr", value="0.1"), Entity(key="nested/a", value="x" * 250)]
    metrics = next(c for c in calls if c[0] == "log_batch" and c[2])[2]
    assert [(m.key, m.value, m.step) for m in metrics] == [("loss", 0.5, 7), ("badname", 1.0, 7)]
    assert calls[-1] == ("terminated", "run1", "FINISHED")
    assert (logger.name, logger.version) == ("exp1", "run1")


def test_comet_logs_metrics_without_epoch(monkeypatch):
    logged = []

    class Experiment:
        project_name = "proj"

        def get_key(self):
            return "key1"

        def log_other(self, *args):
            pass

        def __internal_api__log_metrics__(self, metrics, **kwargs):
            logged.append((metrics, kwargs))

        def flush(self):
            logged.append("flush")

    _module(monkeypatch, "comet_ml", ExperimentConfig=lambda **kw: types.SimpleNamespace(offline_directory=None, **kw),
            start=lambda **kwargs: Experiment())
    logger = CometLogger(project="proj")
    logger.log_metrics({"loss": torch.tensor(1.0), "epoch": 2}, step=5)
    logger.finalize("success")
    (metrics, kwargs), flushed = logged
    assert list(metrics) == ["loss"] and kwargs["step"] == 5 and kwargs["epoch"] == 2 and flushed == "flush"
    assert (logger.name, logger.version) == ("proj", "key1")
