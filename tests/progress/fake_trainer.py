"""A stand-in for the Trainer attributes progress bars read, and a driver that fires their hooks like a fit."""
import types


class FakeLogger:
    def __init__(self, version):
        self.version = version


def fake_trainer(batches=20, val_batches=3, max_epochs=2, metrics=None, version=0):
    return types.SimpleNamespace(
        loggers=[FakeLogger(version)] if version is not None else [],
        progress_bar_metrics=metrics if metrics is not None else {"loss": 0.5},
        is_global_zero=True,
        max_epochs=max_epochs,
        max_steps=-1,
        global_step=0,
        num_training_batches=batches,
        current_epoch=0,
        sanity_checking=False,
        num_val_batches=[val_batches],
        num_sanity_val_batches=[2],
        num_test_batches=[val_batches],
        num_predict_batches=[val_batches],
        check_val_every_n_epoch=1,
        state=types.SimpleNamespace(fn="fit"),
        fit_loop=types.SimpleNamespace(epoch_loop=types.SimpleNamespace()),
    )


def run_fit(bar, trainer, epochs=1, on_batch=None, stop_after=None):
    """Fire the hooks of a fit (sanity check, train epochs with validation) in the Trainer's order; ``stop_after``
    ends each epoch early (for loaders of unknown length)."""
    bar.setup(trainer, None, "fit")
    trainer.sanity_checking = True
    bar.on_sanity_check_start(trainer, None)
    bar.on_validation_start(trainer, None)
    for i in range(2):
        bar.on_validation_batch_start(trainer, None, None, i, 0)
        bar.on_validation_batch_end(trainer, None, None, None, i, 0)
    bar.on_validation_end(trainer, None)
    bar.on_sanity_check_end(trainer, None)
    trainer.sanity_checking = False
    bar.on_train_start(trainer, None)
    for epoch in range(epochs):
        trainer.current_epoch = epoch
        bar.on_train_epoch_start(trainer, None)
        for i in range(stop_after or trainer.num_training_batches):
            if on_batch:
                on_batch(i)
            bar.on_train_batch_end(trainer, None, None, None, i)
        bar.on_validation_start(trainer, None)
        for i in range(trainer.num_val_batches[0]):
            bar.on_validation_batch_start(trainer, None, None, i, 0)
            bar.on_validation_batch_end(trainer, None, None, None, i, 0)
        bar.on_validation_epoch_end(trainer, None)
        bar.on_validation_end(trainer, None)
        bar.on_train_epoch_end(trainer, None)
    bar.on_train_end(trainer, None)
    bar.teardown(trainer, None, "fit")


def run_test(bar, trainer, dataloaders=2):
    trainer.state.fn = "test"
    bar.setup(trainer, None, "test")
    trainer.num_test_batches = [3] * dataloaders
    bar.on_test_start(trainer, None)
    for dl in range(dataloaders):
        for i in range(3):
            bar.on_test_batch_start(trainer, None, None, i, dl)
            bar.on_test_batch_end(trainer, None, None, None, i, dl)
    bar.on_test_end(trainer, None)
    bar.teardown(trainer, None, "test")
