"""Hyperparameters of every kind that is not plain data, and a model taking them (module level, so that the types
can be found by name; importable by the real Lightning's interpreter as well: no import of this project)."""
import argparse
import dataclasses
import enum
import pathlib
from typing import NamedTuple

import torch
from torch import nn


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Point(NamedTuple):
    x: int
    y: float


@dataclasses.dataclass
class Optim:
    name: str = "adam"
    betas: tuple = (0.9, 0.99)
    color: Color = Color.RED
    folder: pathlib.Path = pathlib.Path("/tmp")
    derived: str = dataclasses.field(init=False, default="")

    def __post_init__(self):
        self.derived = f"{self.name}:{self.color.name}"


def every_kind() -> dict:
    """Constructor arguments covering the encoding table of lightning.pytorch.core.saving."""
    return {
        "color": Color.BLUE,
        "level": Level.HIGH,
        "data_dir": pathlib.Path("/data/set"),
        "pure": pathlib.PurePosixPath("a/b"),
        "args": argparse.Namespace(lr=0.02, color=Color.RED),
        "optim": Optim(name="sgd", color=Color.BLUE, folder=pathlib.Path("/runs")),
        "point": Point(1, 2.5),
        "pair": (pathlib.Path("x"), Color.RED, 3),
        "nested": {"colors": [Color.RED, Color.BLUE], "dtype": torch.float16, "device": torch.device("cpu")},
        "tags": frozenset({"a", "b"}),
        "ids": {1, 2},
        "activation": nn.ReLU,
        "dtype": torch.bfloat16,
        "plain": {"lr": 0.1, "sizes": (1, 2)},
    }


def make_model_class(ns):
    """A one-layer model on ``ns.LightningModule`` that saves every argument as a hyperparameter."""

    class KindsModel(ns.LightningModule):
        def __init__(self, color=None, level=None, data_dir=None, pure=None, args=None, optim=None, point=None,
                     pair=None, nested=None, tags=None, ids=None, activation=None, dtype=None, plain=None):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Linear(2, 1)

        def training_step(self, batch, batch_idx):
            return self.net(batch[0]).sum()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

        def train_dataloader(self):
            return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(4, 2)), batch_size=2)

    return KindsModel
