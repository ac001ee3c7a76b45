"""A RichProgressBar whose ``get_metrics`` is overridden: which calls it receives during fit, validate and test
(run under 2.6.6 and under this project by ``test_rich_observers.py``), and whether the bar pickles after each
entry point. Prints one JSON object."""
import json
import pickle
import sys
import tempfile
import warnings


from lightning.pytorch.callbacks import RichProgressBar  # noqa: E402 - under whichever lightning runs this
from lightning.pytorch.demos.boring_classes import BoringModel  # noqa: E402


class Recording(RichProgressBar):
    calls: list = []

    def get_metrics(self, trainer, pl_module):
        items = super().get_metrics(trainer, pl_module)
        items.pop("v_num", None)
        Recording.calls.append([str(trainer.state.fn), str(trainer.state.stage), trainer.current_epoch,
                                trainer.global_step, {k: float(v) for k, v in items.items()}])
        return items


class Model(BoringModel):
    def training_step(self, batch, batch_idx):
        self.log("a", self.global_step, prog_bar=True, on_step=False, on_epoch=True, reduce_fx=max)
        return super().training_step(batch, batch_idx)

    def validation_step(self, batch, batch_idx):
        self.log("b", self.global_step, prog_bar=True, on_step=False, on_epoch=True, reduce_fx=max)
        return super().validation_step(batch, batch_idx)


def main() -> dict:
    from lightning.pytorch import Trainer
    from lightning.pytorch.loggers import CSVLogger

    pickles = []
    with tempfile.TemporaryDirectory() as root, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bar = Recording()
        model = Model()
        trainer = Trainer(default_root_dir=root, limit_train_batches=3, limit_val_batches=2, limit_test_batches=2,
                          limit_predict_batches=1, max_epochs=2, enable_model_summary=False,
                          enable_checkpointing=False, log_every_n_steps=1, callbacks=bar, logger=CSVLogger(root))
        for run in (trainer.fit, trainer.validate, trainer.test, trainer.predict):
            run(model)
            try:
                pickle.dumps(bar)
                pickles.append(True)
            except Exception as err:  # noqa: BLE001
                pickles.append(type(err).__name__)
    return {"calls": Recording.calls, "pickles": pickles}


if __name__ == "__main__":
    print(json.dumps(main()))
