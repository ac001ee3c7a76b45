"""Fabric's loggers: ``fabric.log`` / ``fabric.log_dict`` write to these (the Trainer's writers, Fabric's arguments)."""
from lightning.fabric.loggers.csv_logs import CSVLogger
from lightning.fabric.loggers.logger import Logger
from lightning.fabric.loggers.tensorboard import TensorBoardLogger

__all__ = ["CSVLogger", "Logger", "TensorBoardLogger"]
