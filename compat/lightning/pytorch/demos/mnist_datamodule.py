"""MNIST for demos: ``MNIST(...)`` (torchvision's dataset when installed, else a copy of the processed tensors
hosted by Lightning) and ``MNISTDataModule`` (train/val split with a fixed seed, test set).

Nothing is downloaded at import; ``download=True`` fetches the files into ``<root>/MNIST/...`` once.
"""
import logging
import os
import urllib.request
import warnings
from typing import Any, Callable, Optional, Sized, Union

import torch
from torch import Tensor
from torch.utils.data import DataLoader, Dataset, random_split

from lightning.fabric.utilities.imports import _IS_WINDOWS
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.utilities.imports import _TORCHVISION_AVAILABLE

log = logging.getLogger(__name__)
_DATASETS_PATH = "./data"


class _MNIST(Dataset):
    """MNIST from the processed ``training.pt`` / ``test.pt`` tensors: items are ``(1x28x28 float image, label)``,
    normalised with ``normalize=(mean, std)`` unless it is ``None``."""

    RESOURCES = (
        "https://pl-public-data.s3.amazonaws.com/MNIST/processed/training.pt",
        "https://pl-public-data.s3.amazonaws.com/MNIST/processed/test.pt",
    )
    TRAIN_FILE_NAME = "training.pt"
    TEST_FILE_NAME = "test.pt"
    cache_folder_name = "complete"

    def __init__(self, root: str, train: bool = True, normalize: Optional[tuple] = (0.1307, 0.3081),
                 download: bool = True, **kwargs: Any) -> None:
        super().__init__()
        self.root = root
        self.train = train
        self.normalize = normalize
        self.prepare_data(download)
        filename = self.TRAIN_FILE_NAME if train else self.TEST_FILE_NAME
        self.data, self.targets = torch.load(os.path.join(self.cached_folder_path, filename), weights_only=True)

    def __getitem__(self, idx: int) -> tuple:
        image = self.data[idx].float().unsqueeze(0)
        if self.normalize is not None and len(self.normalize) == 2:
            image = self.normalize_tensor(image, *self.normalize)
        return image, int(self.targets[idx])

    def __len__(self) -> int:
        return len(self.data)

    @property
    def cached_folder_path(self) -> str:
        return os.path.join(self.root, "MNIST", self.cache_folder_name)

    def _check_exists(self, folder: str) -> bool:
        return all(os.path.isfile(os.path.join(folder, f)) for f in (self.TRAIN_FILE_NAME, self.TEST_FILE_NAME))

    def prepare_data(self, download: bool = True) -> None:
        if download and not self._check_exists(self.cached_folder_path):
            self._download(self.cached_folder_path)
        if not self._check_exists(self.cached_folder_path):
            raise RuntimeError(f"MNIST not found in {self.cached_folder_path!r}: pass `download=True` or put "
                               f"{self.TRAIN_FILE_NAME} and {self.TEST_FILE_NAME} there.")

    def _download(self, folder: str) -> None:
        os.makedirs(folder, exist_ok=True)
        for url in self.RESOURCES:
            log.info(f"Downloading {url}")
            urllib.request.urlretrieve(url, os.path.join(folder, os.path.basename(url)))  # noqa: S310

    @staticmethod
    def normalize_tensor(tensor: Tensor, mean: Union[int, float] = 0.0, std: Union[int, float] = 1.0) -> Tensor:
        mean = torch.as_tensor(mean, dtype=tensor.dtype, device=tensor.device)
        std = torch.as_tensor(std, dtype=tensor.dtype, device=tensor.device)
        return tensor.sub(mean).div(std)


def MNIST(*args: Any, **kwargs: Any) -> Dataset:
    """``torchvision.datasets.MNIST`` when torchvision is installed (and ``PL_USE_MOCKED_MNIST`` is not set),
    otherwise the hosted processed copy (``_MNIST``); same arguments."""
    if _TORCHVISION_AVAILABLE and not os.getenv("PL_USE_MOCKED_MNIST"):
        from torchvision.datasets import MNIST as TorchvisionMNIST

        return TorchvisionMNIST(*args, **kwargs)
    return _MNIST(*args, **kwargs)


class MNISTDataModule(LightningDataModule):
    """Train on 60k - ``val_split`` images, validate on ``val_split`` (split seeded with 42), test on the 10k."""

    name = "mnist"

    def __init__(self, data_dir: str = _DATASETS_PATH, val_split: int = 5000, num_workers: int = 16,
                 normalize: bool = False, seed: int = 42, batch_size: int = 32) -> None:
        super().__init__()
        if num_workers and _IS_WINDOWS:
            warnings.warn(f"You have requested num_workers={num_workers} on Windows, but currently recommended is 0, "
                          "so we set it for you")
            num_workers = 0
        self.data_dir = data_dir
        self.val_split = val_split
        self.num_workers = num_workers
        self.normalize = normalize
        self.seed = seed
        self.batch_size = batch_size

    @property
    def num_classes(self) -> int:
        return 10

    def prepare_data(self) -> None:
        MNIST(self.data_dir, train=True, download=True)
        MNIST(self.data_dir, train=False, download=True)

    def _dataset(self, train: bool) -> Dataset:
        transform = self.default_transforms
        return MNIST(self.data_dir, train=train, download=False, **({"transform": transform} if transform else {}))

    def setup(self, stage: str) -> None:
        dataset = self._dataset(train=True)
        assert isinstance(dataset, Sized)
        self.dataset_train, self.dataset_val = random_split(
            dataset, [len(dataset) - self.val_split, self.val_split], generator=torch.Generator().manual_seed(42)
        )

    def _loader(self, dataset: Dataset, shuffle: bool) -> DataLoader:
        return DataLoader(dataset, batch_size=self.batch_size, shuffle=shuffle, num_workers=self.num_workers,
                          drop_last=True, pin_memory=True)

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.dataset_train, shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader(self.dataset_val, shuffle=False)

    def test_dataloader(self) -> DataLoader:
        return self._loader(self._dataset(train=False), shuffle=False)

    @property
    def default_transforms(self) -> Optional[Callable]:
        if not _TORCHVISION_AVAILABLE:
            return None
        from torchvision import transforms

        if self.normalize:
            return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=(0.5,), std=(0.5,))])
        return transforms.ToTensor()
