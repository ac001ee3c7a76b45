"""Situations in which Lightning 2.6.6 warns or logs an info line (issue 17.8), run side by side by
``test_warnings.py`` under the real lightning 2.6.6 and under this project. Each scenario records every warning
(category and message) and every ``lightning.pytorch`` log record at INFO and above; prints one JSON object
``{scenario: [[kind, text], ...]}``. User code filters these by regex, so the test compares key phrases."""
import json
import logging
import os
import sys
import tempfile
import warnings

import torch
from torch.utils.data import DataLoader


def _model_class():
    from lightning.pytorch.demos.boring_classes import BoringModel

    return BoringModel


def _record(fn):
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(["log." + record.levelname, record.getMessage()])
    loggers = [logging.getLogger(name) for name in ("lightning.pytorch", "lightning.fabric")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with tempfile.TemporaryDirectory() as root:
                fn(root)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return records + [[w.category.__name__, str(w.message)] for w in caught]


def _trainer(root, **kwargs):
    import lightning.pytorch as pl

    options = dict(default_root_dir=root, enable_progress_bar=False, enable_model_summary=False, logger=False,
                   enable_checkpointing=False)
    options.update(kwargs)
    return pl.Trainer(**options)


def _loader(n=64, **kwargs):
    from lightning.pytorch.demos.boring_classes import RandomDataset

    return DataLoader(RandomDataset(32, n), batch_size=2, **kwargs)


def scenario_few_workers_and_few_batches(root):
    """Default loaders with num_workers=0 and a logger: the worker and logging-interval hints."""
    from lightning.pytorch.loggers import CSVLogger

    trainer = _trainer(root, max_epochs=1, logger=CSVLogger(root), limit_train_batches=4, limit_val_batches=2)
    trainer.fit(_model_class()(), _loader(), _loader())


class _StopAfterFirstBatch:
    """A callback that ends fit after one batch (so an epoch limit of 1000 costs nothing)."""

    def __new__(cls):
        import lightning.pytorch as pl

        class Stop(pl.Callback):
            def on_train_batch_end(self, trainer, *args):
                trainer.should_stop = True

        return Stop()


def _plain_module(with_validation_step: bool):
    import lightning.pytorch as pl

    class Plain(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(32, 2)

        def training_step(self, batch, batch_idx):
            return self.layer(batch).sum()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    if with_validation_step:
        Plain.validation_step = lambda self, batch, batch_idx: None
    return Plain()


def scenario_no_epoch_limit(root):
    trainer = _trainer(root, callbacks=[_StopAfterFirstBatch()])
    trainer.fit(_plain_module(False), _loader())


def scenario_validation_step_without_val_loader(root):
    trainer = _trainer(root, max_epochs=1, limit_train_batches=2)
    trainer.fit(_plain_module(True), _loader())


def scenario_keyboard_interrupt(root):
    import lightning.pytorch as pl

    class Interrupt(pl.Callback):
        def on_train_batch_start(self, trainer, *args):
            raise KeyboardInterrupt

    trainer = _trainer(root, max_epochs=1, callbacks=[Interrupt()])
    try:
        trainer.fit(_plain_module(False), _loader())
    except SystemExit as exit_:  # 2.6.6 exits with status 1 after a graceful shutdown
        warnings.warn(f"SystemExit({exit_.code})")


def scenario_test_after_fit_uses_the_best_checkpoint(root):
    trainer = _trainer(root, max_epochs=1, limit_train_batches=2, limit_val_batches=1, enable_checkpointing=True)
    trainer.fit(_model_class()(), _loader(), _loader())
    trainer.test(dataloaders=_loader(8), verbose=False)


def scenario_fast_dev_run(root):
    trainer = _trainer(root, fast_dev_run=True)
    trainer.fit(_model_class()(), _loader(), _loader())


def scenario_limits_and_stop_reason(root):
    trainer = _trainer(root, max_steps=3, limit_train_batches=5, limit_val_batches=1, val_check_interval=2)
    trainer.fit(_model_class()(), _loader(), _loader())


def scenario_checkpoint_dir_not_empty(root):
    from lightning.pytorch.callbacks import ModelCheckpoint

    dirpath = os.path.join(root, "ckpts")
    os.makedirs(dirpath)
    open(os.path.join(dirpath, "old.ckpt"), "w").close()
    trainer = _trainer(root, max_epochs=1, limit_train_batches=2, limit_val_batches=1, enable_checkpointing=True,
                       callbacks=[ModelCheckpoint(dirpath=dirpath)])
    trainer.fit(_model_class()(), _loader(), _loader())


def scenario_seed_and_test_loop(root):
    import lightning.pytorch as pl

    pl.seed_everything(3)
    trainer = _trainer(root)
    trainer.test(_model_class()(), _loader(8), verbose=False)
    trainer.predict(_model_class()(), _loader(8))


def scenario_epoch_logging_without_sync_dist(root):
    """An epoch-level self.log in a distributed run (a one-process gloo group is enough) without sync_dist."""
    import torch.distributed as dist

    class Model(_model_class()):
        def validation_step(self, batch, batch_idx):
            out = super().validation_step(batch, batch_idx)
            self.log("val_loss", out["x"])
            return out

    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29581", rank=0, world_size=1)
    try:
        trainer = _trainer(root, max_epochs=1, limit_train_batches=2, limit_val_batches=2, num_sanity_val_steps=0)
        trainer.fit(Model(), _loader(), _loader())
    finally:
        dist.destroy_process_group()


def scenario_ambiguous_batch_size(root):
    """Tensors of different first dimensions in one batch: the batch size is guessed from the first one."""
    from lightning.pytorch.utilities.data import extract_batch_size

    extract_batch_size({"a": [torch.zeros(3), torch.zeros(3)], "b": torch.zeros(4, 2)})


def scenario_zero_length_loader(root):
    """A loader that is empty on every process."""
    from lightning.pytorch.utilities.data import has_len_all_ranks

    trainer = _trainer(root)
    has_len_all_ranks(_loader(n=0), trainer.strategy)


def scenario_summary_of_lazy_model(root):
    """The model summary of a module with lazy parameters."""
    from lightning.pytorch.utilities.model_summary import ModelSummary

    model = _model_class()()
    model.layer = torch.nn.LazyLinear(2)
    ModelSummary(model).total_parameters


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("scenario_")}

if __name__ == "__main__":
    torch.manual_seed(0)
    # the "does not have many workers" hint depends on the CPU count: both packages see the same 16 CPUs
    os.sched_getaffinity = lambda pid: set(range(16))
    os.cpu_count = lambda: 16
    print(json.dumps({name: _record(fn) for name, fn in SCENARIOS.items()}))
