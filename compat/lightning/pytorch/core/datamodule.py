"""``LightningDataModule``: the data side of an experiment (download, split, loaders) in one reusable class."""
from typing import Any, Optional

from torch.utils.data import DataLoader, Dataset, IterableDataset

from lightning.fabric.utilities.lazy import decorate_on_first_use
from lightning.pytorch.core.hooks import DataHooks
from lightning.pytorch.core.mixins.hparams_mixin import HyperparametersMixin
from lightning.pytorch import _extensions


class LightningDataModule(_extensions.DataModuleAPI, DataHooks, HyperparametersMixin):
    """Subclass it and implement ``prepare_data``, ``setup`` and the ``*_dataloader`` methods you need."""

    name: Optional[str] = None
    CHECKPOINT_HYPER_PARAMS_KEY = "datamodule_hyper_parameters"
    CHECKPOINT_HYPER_PARAMS_NAME = "datamodule_hparams_name"
    CHECKPOINT_HYPER_PARAMS_TYPE = "datamodule_hparams_type"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # 2.6.6 accepts and ignores arguments here, so subclasses may pass theirs up the chain
        super().__init__()
        self.trainer: Any = None

    @classmethod
    def from_datasets(
        cls,
        train_dataset: Any = None,
        val_dataset: Any = None,
        test_dataset: Any = None,
        predict_dataset: Any = None,
        batch_size: int = 1,
        num_workers: int = 0,
        **datamodule_kwargs: Any,
    ) -> "LightningDataModule":
        """A datamodule whose loaders wrap the given dataset(s) (or sequences of datasets)."""

        def loaders(ds: Any, shuffle: bool) -> Any:
            def one(d: Dataset) -> DataLoader:
                shuffle_this = shuffle and not isinstance(d, IterableDataset)
                return DataLoader(d, batch_size=batch_size, shuffle=shuffle_this, num_workers=num_workers,
                                  persistent_workers=num_workers > 0)

            if isinstance(ds, dict):
                return {k: one(v) for k, v in ds.items()}
            if isinstance(ds, (list, tuple)):
                return [one(d) for d in ds]
            return one(ds)

        datamodule = cls(**datamodule_kwargs)
        if train_dataset is not None:
            datamodule.train_dataloader = lambda: loaders(train_dataset, shuffle=True)
        if val_dataset is not None:
            datamodule.val_dataloader = lambda: loaders(val_dataset, shuffle=False)
        if test_dataset is not None:
            datamodule.test_dataloader = lambda: loaders(test_dataset, shuffle=False)
        if predict_dataset is not None:
            datamodule.predict_dataloader = lambda: loaders(predict_dataset, shuffle=False)
        return datamodule

    def state_dict(self) -> dict:
        """State to store in checkpoints (under the class's qualified name)."""
        return {}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` returned."""

    def on_exception(self, exception: BaseException) -> None:
        """Called when the trainer run is interrupted by an exception."""

    @decorate_on_first_use("lightning.pytorch.core.saving:_restricted_classmethod")  # (a heavy module)
    def load_from_checkpoint(
        cls, checkpoint_path: Any, map_location: Any = None, hparams_file: Optional[Any] = None,
        weights_only: Optional[bool] = None, **kwargs: Any,
    ) -> "LightningDataModule":
        """Build the datamodule from the hyperparameters stored in a checkpoint (``kwargs`` override them)."""
        from lightning.pytorch.core.saving import load_from_checkpoint

        return load_from_checkpoint(cls, checkpoint_path, map_location, hparams_file, None, weights_only, **kwargs)
