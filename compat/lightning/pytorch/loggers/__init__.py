"""Experiment loggers: where ``self.log`` values and hyperparameters end up (same names as ``lightning.pytorch.loggers``).

Each logger's module is imported when its name is first used, and each logger's client package (tensorboard, wandb,
mlflow, ...) only when the logger is constructed or first used, so that ``import lightning`` stays cheap.
"""
from lightning.fabric.utilities.lazy import lazy_exports

_HOMES = {
    "CometLogger": "comet",
    "CSVLogger": "csv_logs",
    "LitLogger": "litlogger",
    "Logger": "logger",
    "MLFlowLogger": "mlflow",
    "TensorBoardLogger": "tensorboard",
    "WandbLogger": "wandb",
}

__all__ = ["LitLogger", "CometLogger", "CSVLogger", "Logger", "MLFlowLogger", "TensorBoardLogger", "WandbLogger"]

__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
