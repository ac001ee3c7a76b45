"""Where each stage's dataloaders come from (argument, datamodule or model), how they are checked and prepared
(samplers, ``overfit_batches``) and how many batches each stage runs (``limit_*_batches``)."""
import multiprocessing
from typing import Any, Optional

import torch
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler

from lightning.fabric.utilities.data import _rebuild_with_batch_sampler, _rebuild_with_sampler  # noqa: F401 (loops)
from lightning.fabric.utilities.rank_zero import rank_zero_warn
from lightning.fabric.utilities.warnings import PossibleUserWarning
from lightning.pytorch.core.datamodule import LightningDataModule
from lightning.pytorch.trainer.states import RunningStage, TrainerFn
from lightning.pytorch.utilities.combined_loader import CombinedLoader
from lightning.pytorch.utilities.combined_loader import _length as _sized_length
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch.utilities.model_helpers import is_overridden

_HOOK = {
    RunningStage.TRAINING: "train_dataloader",
    RunningStage.VALIDATING: "val_dataloader",
    RunningStage.SANITY_CHECKING: "val_dataloader",
    RunningStage.TESTING: "test_dataloader",
    RunningStage.PREDICTING: "predict_dataloader",
}


class _Source:
    """Dataloaders given directly, or the object (datamodule / module) whose hook returns them."""

    def __init__(self, instance: Any, name: str) -> None:
        self.instance = instance
        self.name = name

    def is_module(self) -> bool:
        from lightning.pytorch.core.module import LightningModule

        return isinstance(self.instance, (LightningModule, LightningDataModule))

    def is_defined(self) -> bool:
        if self.instance is None:
            return False
        return not self.is_module() or is_overridden(self.name, self.instance)


class DataConnector:
    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self.sources: dict = {}

    def attach(self, model: Any, datamodule: Optional[LightningDataModule] = None, **loaders: Any) -> None:
        """Decide each stage's source: loaders passed to the entry point > datamodule > model."""
        for key, name in (("train_dataloaders", "train_dataloader"), ("val_dataloaders", "val_dataloader"),
                          ("test_dataloaders", "test_dataloader"), ("predict_dataloaders", "predict_dataloader")):
            given = loaders.get(key)
            if given is not None:
                self.sources[name] = _Source(given, name)
            elif datamodule is not None and is_overridden(name, datamodule):
                self.sources[name] = _Source(datamodule, name)
            else:
                self.sources[name] = _Source(model, name)

    def source(self, stage: RunningStage) -> _Source:
        return self.sources[_HOOK[stage]]

    def _request(self, stage: RunningStage) -> Any:
        source = self.source(stage)
        trainer = self.trainer
        if not source.is_module():
            return source.instance
        if isinstance(source.instance, LightningDataModule):
            return trainer._hooks.call_datamodule(source.name)
        return trainer._hooks.call_module(source.name)

    # ------------------------------------------------------------ preparation
    def _prepare(self, loader: Any, stage: RunningStage, name: str) -> Any:
        trainer = self.trainer
        if not isinstance(loader, DataLoader):
            return loader
        if stage == RunningStage.TRAINING and trainer.overfit_batches > 0 and isinstance(loader.sampler, RandomSampler):
            rank_zero_warn(
                "`overfit_batches` is set: the shuffling of the training dataloader is turned off so that the same "
                "batches are used every epoch.", category=PossibleUserWarning,
            )
            loader = _rebuild_with_sampler(loader, SequentialSampler(loader.dataset))
        loader = trainer.strategy.process_dataloader(trainer.strategy._distribute_dataloader(loader, stage))
        _check_num_workers(loader, name, trainer)
        return loader

    def train_loader(self) -> CombinedLoader:
        """Load the training dataloader(s), combine them and set ``trainer.num_training_batches``."""
        trainer = self.trainer
        source = self.source(RunningStage.TRAINING)
        if not source.is_defined():
            raise MisconfigurationException(
                "No training data: pass `train_dataloaders=` to `trainer.fit`, give a datamodule with "
                "`train_dataloader()`, or define `train_dataloader()` on the model."
            )
        trainer.training = True
        loaders = self._request(RunningStage.TRAINING)
        # 1.x code may have asked for Trainer(multiple_trainloader_mode="min_size") (_legacy.trainer_translation keeps it)
        mode = getattr(trainer._legacy_settings, "multiple_trainloader_mode", None) or "max_size_cycle"
        combined = loaders if isinstance(loaders, CombinedLoader) else CombinedLoader(loaders, mode)
        _check_not_empty_collection(combined, "train_dataloader")
        combined.flattened = [self._prepare(dl, RunningStage.TRAINING, "train_dataloader") for dl in combined.flattened]
        length = _length(combined)
        # (a fraction above 1, possible through overfit_batches=2.0, cannot make an epoch longer than the loader)
        trainer.num_training_batches = min(length, _parse_num_batches(RunningStage.TRAINING, length,
                                                                      trainer.limit_train_batches))
        if trainer.num_training_batches == 0 and length == 0:
            rank_zero_warn("The training dataloader is empty: nothing to train on.", category=PossibleUserWarning)
        if trainer.num_training_batches != float("inf"):
            combined.limits = int(trainer.num_training_batches)
        trainer._setup_val_check_batch(length)
        trainer._warn_log_interval()
        trainer._train_combined_loader = combined
        return combined

    def eval_loaders(self, stage: RunningStage, fn: TrainerFn) -> tuple:
        """Load the evaluation dataloaders of ``stage`` and return (CombinedLoader, batches per loader)."""
        trainer = self.trainer
        source = self.source(stage)
        prefix = stage.dataloader_prefix
        if not source.is_defined():
            if fn == TrainerFn.FITTING:
                return None, []
            raise MisconfigurationException(
                f"No `{prefix}_dataloader()` method defined to run `Trainer.{fn.value}`: pass `dataloaders=` or a "
                f"datamodule that defines it, or implement it on the model."
            )
        step = {"val": "validation_step", "test": "test_step", "predict": "predict_step"}[prefix]
        if fn == TrainerFn.FITTING and not is_overridden(step, trainer.lightning_module):
            return None, []
        loaders = self._request(stage)
        combined = loaders if isinstance(loaders, CombinedLoader) else CombinedLoader(loaders, "sequential")
        if combined._mode != "sequential":
            raise ValueError(f"`trainer.{fn.value}()` only supports the `CombinedLoader(mode='sequential')` mode.")
        combined.flattened = [self._prepare(dl, stage, f"{prefix}_dataloader") for dl in combined.flattened]
        limit = {
            "val": trainer.limit_val_batches, "test": trainer.limit_test_batches,
            "predict": trainer.limit_predict_batches,
        }[prefix]
        max_batches = [_parse_num_batches(stage, _length(dl), limit) for dl in combined.flattened]
        if stage == RunningStage.VALIDATING and fn == TrainerFn.FITTING:
            trainer.num_sanity_val_batches = [
                min(trainer.num_sanity_val_steps, n) if trainer.num_sanity_val_steps >= 0 else n for n in max_batches
            ]
        return combined, max_batches


def _length(loader: Any) -> float:
    """Batches in ``loader``; ``inf`` for one without a length (an IterableDataset)."""
    n = _sized_length(loader)
    return float("inf") if n is None else n


def _check_not_empty_collection(combined: CombinedLoader, name: str) -> None:
    if not combined.flattened:
        raise MisconfigurationException(f"`{name}` returned an empty collection of dataloaders.")
    for loader in combined.flattened:
        if loader is None:
            raise MisconfigurationException(
                f"`{name}` returned None (or a collection holding None); return a DataLoader."
            )


def _parse_num_batches(stage: RunningStage, length: float, limit: Any) -> float:
    prefix = stage.dataloader_prefix
    if isinstance(limit, int):  # True too: one batch, as in 2.6.6
        return min(length, limit)
    if length == float("inf"):
        if limit != 1.0:
            raise MisconfigurationException(
                f"The {prefix} dataloader has no length (an IterableDataset), so `Trainer(limit_{prefix}_batches)` must "
                "be 1.0 or an int (a number of batches)."
            )
        return length
    num_batches = int(length * limit)
    if num_batches == 0 and limit > 0.0 and length > 0:
        raise MisconfigurationException(
            f"`limit_{prefix}_batches={limit}` of {length} batches is less than one batch. Increase it to at least "
            f"`limit_{prefix}_batches={1.0 / length}` or pass an int."
        )
    return num_batches


def _check_num_workers(loader: DataLoader, name: str, trainer: Any) -> None:
    """2.6.6's dataloader hints (once per loader name and Trainer), keeping the phrases user filters match: spawned
    workers without ``persistent_workers``; fewer than 2 workers where the CPUs allow more ("does not have many
    workers"); pinned persistent workers with reloaded loaders."""
    if name in trainer._warned_workers:
        return
    trainer._warned_workers.add(name)
    from lightning.fabric.utilities.data import suggested_max_num_workers

    upper_bound = suggested_max_num_workers(trainer.num_devices)
    context = loader.multiprocessing_context
    start_method = context.get_start_method() if context is not None else multiprocessing.get_start_method()
    if loader.num_workers > 0 and start_method == "spawn" and not loader.persistent_workers:
        rank_zero_warn(f"Consider setting `persistent_workers=True` in '{name}': spawned workers are otherwise started "
                       "anew for every epoch, which is slow.")
    elif loader.num_workers < 2 and upper_bound > 1:
        rank_zero_warn(
            f"The '{name}' does not have many workers which may be a bottleneck ({loader.num_workers} now). This "
            f"machine can feed more: try `num_workers={upper_bound}` in the `DataLoader`.",
            category=PossibleUserWarning,
        )
    if loader.persistent_workers and loader.pin_memory and trainer.reload_dataloaders_every_n_epochs > 0:
        rank_zero_warn(
            "The combination of `DataLoader(pin_memory=True, persistent_workers=True)` and "
            "`Trainer(reload_dataloaders_every_n_epochs > 0)` can lead to instability in PyTorch "
            "(https://github.com/pytorch/pytorch/issues/91252): set `pin_memory=False` here.",
            category=PossibleUserWarning,
        )


# ---------------------------------------------------------------- generator state of the training loaders
# Where a DataLoader keeps the torch.Generators that decide its order and its workers' base seed: its own, its
# sampler's (RandomSampler or a user sampler with a `generator` attribute), its batch sampler's, and the user
# sampler inside the wrapper that shards it across processes. Written out: checkpoint keys are never discovered.
_GENERATOR_PATHS = ("generator", "sampler.generator", "batch_sampler.generator", "batch_sampler.sampler.generator",
                    "sampler.dataset._sampler.generator")


def loader_generators(loaders: Any) -> list:
    """``(key, generator)`` for every ``torch.Generator`` the ``loaders`` draw from, each object once (a loader's
    generator is usually its RandomSampler's too), keyed ``"<loader index>.<attribute path>"``."""
    found, seen = [], set()
    for index, loader in enumerate(loaders):
        for path in _GENERATOR_PATHS:
            obj = loader
            for name in path.split("."):
                obj = getattr(obj, name, None)
            if isinstance(obj, torch.Generator) and id(obj) not in seen:
                seen.add(id(obj))
                found.append((f"{index}.{path}", obj))
    return found


def generator_states(loaders: Any) -> dict:
    """The states of the ``loaders``' generators (uint8 tensors: plain checkpoint data)."""
    return {key: generator.get_state() for key, generator in loader_generators(loaders)}


def restore_generator_states(loaders: Any, states: Optional[dict]) -> None:
    """Put back states taken by ``generator_states``; keys the current loaders do not have are ignored."""
    if not states:
        return
    for key, generator in loader_generators(loaders):
        state = states.get(key)
        if state is None:
            continue
        if not isinstance(state, torch.Tensor) or state.dtype != torch.uint8:
            raise TypeError(
                f"The checkpoint's state of the training dataloader's generator `{key}` is not a uint8 tensor "
                f"({type(state).__name__}); the file is damaged or not a checkpoint of this project. Resume from "
                "another checkpoint, or delete `loops.fit_loop.state_dict.loader_generators*` from it."
            )
        try:
            generator.set_state(state.cpu())
        except RuntimeError as err:
            raise RuntimeError(
                f"Cannot restore the training dataloader's generator `{key}` from the checkpoint: {err}. Was the "
                "generator created on another device or of another kind than in the run that saved it?"
            ) from None


def persistent_worker_loaders(loaders: Any) -> list:
    """The loaders whose worker processes (and base seed) live across epochs."""
    return [dl for dl in loaders if isinstance(dl, DataLoader) and dl.num_workers > 0
            and getattr(dl, "persistent_workers", False)]


def shutdown_workers(combined_loader: Optional[CombinedLoader]) -> None:
    """End the worker processes of ``combined_loader``'s iterators (the current epoch's, and the ones persistent
    workers keep), as 2.6.6 does when ``fit`` ends: the next ``iter`` of a persistent loader starts new workers and
    draws a new base seed. Left to the garbage collector (the Trainer is a reference cycle), the worker queues may
    be finalized before the iterator, which then waits several seconds for workers that never get its stop signal."""
    if combined_loader is None:
        return
    from torch.utils.data.dataloader import _MultiProcessingDataLoaderIter

    iterators = list(getattr(getattr(combined_loader, "_iterator", None), "iterators", None) or [])
    iterators += [getattr(loader, "_iterator", None) for loader in combined_loader.flattened]
    for iterator in iterators:
        if isinstance(iterator, _MultiProcessingDataLoaderIter):
            iterator._shutdown_workers()
    combined_loader.reset()
    for loader in combined_loader.flattened:
        if isinstance(loader, DataLoader):
            loader._iterator = None
