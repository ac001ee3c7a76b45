"""Experiment loggers: where ``self.log`` values and hyperparameters end up (same names as ``lightning.pytorch.loggers``).

Every logger module is light to import; each logger's client package (tensorboard, wandb, mlflow, ...) is imported
only when the logger is constructed or first used.
"""
from lightning.pytorch.loggers.comet import CometLogger
from lightning.pytorch.loggers.csv_logs import CSVLogger
from lightning.pytorch.loggers.litlogger import LitLogger
from lightning.pytorch.loggers.logger import Logger
from lightning.pytorch.loggers.mlflow import MLFlowLogger
from lightning.pytorch.loggers.tensorboard import TensorBoardLogger
from lightning.pytorch.loggers.wandb import WandbLogger

__all__ = ["LitLogger", "CometLogger", "CSVLogger", "Logger", "MLFlowLogger", "TensorBoardLogger", "WandbLogger"]
