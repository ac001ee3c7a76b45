"""Callbacks of issue 9 beyond the reference scenarios: prediction writer, device stats, spike detection, pruning
and weight-averaging configuration, and the tuner callbacks used directly in a Trainer."""
import json
import sys

import pytest
import torch
from torch.utils.data import DataLoader

import lightning as L
from lightning.pytorch.callbacks import (BasePredictionWriter, BatchSizeFinder, DeviceStatsMonitor,
                                         EMAWeightAveraging, LearningRateFinder, ModelPruning, SpikeDetection,
                                         ThroughputMonitor, WeightAveraging)
from lightning.pytorch.callbacks.prediction_writer import WriteInterval
from lightning.pytorch.callbacks.spike import TrainingSpikeException
from lightning.pytorch.demos.boring_classes import BoringModel, RandomDataset
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.utilities.exceptions import MisconfigurationException


def _trainer(tmp_path, **kwargs):
    options = dict(logger=False, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                   default_root_dir=tmp_path)
    options.update(kwargs)
    return L.Trainer(**options)


class Writer(BasePredictionWriter):
    def __init__(self, interval):
        super().__init__(interval)
        self.batches, self.epochs = [], []

    def write_on_batch_end(self, trainer, pl_module, prediction, batch_indices, batch, batch_idx, dataloader_idx):
        self.batches.append((batch_idx, list(batch_indices), tuple(prediction.shape)))

    def write_on_epoch_end(self, trainer, pl_module, predictions, batch_indices):
        self.epochs.append((len(predictions), batch_indices))


@pytest.mark.parametrize(("interval", "batches", "epochs"), [("batch", 3, 0), ("epoch", 0, 1),
                                                             ("batch_and_epoch", 3, 1)])
def test_prediction_writer_intervals(tmp_path, interval, batches, epochs):
    writer = Writer(interval)
    trainer = _trainer(tmp_path, limit_predict_batches=3, callbacks=[writer])
    trainer.predict(BoringModel(), return_predictions=False)
    assert len(writer.batches) == batches and len(writer.epochs) == epochs
    if batches:
        assert [b[0] for b in writer.batches] == [0, 1, 2] and writer.batches[1][2] == (1, 2)
    assert WriteInterval(interval).on_batch == bool(batches)


def test_prediction_writer_rejects_unknown_interval():
    with pytest.raises(MisconfigurationException, match="write_interval"):
        Writer("step")


def test_base_prediction_writer_methods_must_be_implemented(tmp_path):
    trainer = _trainer(tmp_path, limit_predict_batches=1, callbacks=[BasePredictionWriter()])
    with pytest.raises(NotImplementedError):
        trainer.predict(BoringModel())


def test_device_stats_monitor_needs_a_logger(tmp_path):
    trainer = _trainer(tmp_path, max_steps=1, callbacks=[DeviceStatsMonitor(cpu_stats=False)])
    with pytest.raises(MisconfigurationException, match="logger=False"):
        trainer.fit(BoringModel())


def test_device_stats_monitor_without_psutil_explains(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psutil", None)
    monkeypatch.setattr("lightning.pytorch.callbacks.device_stats_monitor._psutil_available", lambda: False)
    trainer = _trainer(tmp_path, max_steps=1, logger=CSVLogger(tmp_path), callbacks=[DeviceStatsMonitor()])
    with pytest.raises(ModuleNotFoundError, match="psutil"):
        trainer.fit(BoringModel())


def test_device_stats_monitor_logs_accelerator_stats(tmp_path, monkeypatch):
    from lightning.pytorch.accelerators.cpu import CPUAccelerator

    monkeypatch.setattr(CPUAccelerator, "get_device_stats", lambda self, device: {"mem": 1.5})
    logger = CSVLogger(tmp_path)
    trainer = _trainer(tmp_path, max_steps=2, limit_val_batches=0, log_every_n_steps=1, logger=logger,
                       callbacks=[DeviceStatsMonitor(cpu_stats=True)])
    trainer.fit(BoringModel())
    header = open(logger.experiment.metrics_file_path).readline().strip().split(",")
    assert "DeviceStatsMonitor.on_train_batch_start/mem" in header
    assert "DeviceStatsMonitor.on_train_batch_end/mem" in header


def test_spike_detection_non_finite_loss_and_bad_outputs(tmp_path):
    class NaNAt2(BoringModel):
        def training_step(self, batch, batch_idx):
            loss = super().training_step(batch, batch_idx)["loss"]
            return loss * float("nan") if batch_idx == 2 else loss

    path = tmp_path / "bad.json"
    torch.manual_seed(0)
    trainer = _trainer(tmp_path, max_steps=5, limit_val_batches=0,
                       callbacks=[SpikeDetection(exclude_batches_path=path, rtol=100.0)])
    with pytest.raises(TrainingSpikeException, match="batch 2"):
        trainer.fit(NaNAt2())
    assert json.loads(path.read_text()) == [1, 2]
    with pytest.raises(TypeError, match="outputs"):
        SpikeDetection().on_train_batch_end(trainer, None, [1.0], None, 0)
    with pytest.raises(ValueError, match="min or max"):
        SpikeDetection(mode="up")


def test_spike_detection_state_round_trip():
    spike = SpikeDetection(window=2)
    spike._update_stats(torch.tensor(1.0))
    spike._update_stats(torch.tensor(3.0))
    clone = SpikeDetection()
    clone.load_state_dict(spike.state_dict())
    assert clone.last_val == 3.0 and float(clone._running_mean()) == 2.0 and clone.window == 2


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"pruning_fn": "magic"}, "isn't available"),
    ({"pruning_fn": "ln_structured", "use_global_unstructured": False}, "pruning_dim"),
    ({"pruning_fn": "ln_structured", "use_global_unstructured": False, "pruning_dim": 0}, "pruning_norm"),
    ({"pruning_fn": "random_structured", "pruning_dim": 0}, "unstructured"),
    ({"pruning_fn": "l1_unstructured", "parameter_names": ["gamma"]}, "parameter_names"),
    ({"pruning_fn": "l1_unstructured", "amount": "half"}, "amount"),
    ({"pruning_fn": "l1_unstructured", "verbose": 3}, "verbose"),
    ({"pruning_fn": torch.nn.utils.prune.L1Unstructured(0.5)}, "pass the class"),
])
def test_model_pruning_configuration_errors(kwargs, match):
    with pytest.raises(MisconfigurationException, match=match):
        ModelPruning(**kwargs)


def test_model_pruning_checks_given_parameters(tmp_path):
    model = BoringModel()
    with pytest.raises(MisconfigurationException, match="missing parameters"):
        ModelPruning.sanitize_parameters_to_prune(model, [(model.layer, "gain")])
    with pytest.raises(MisconfigurationException, match="list of tuple"):
        ModelPruning.sanitize_parameters_to_prune(model, [model.layer])
    pairs = ModelPruning.sanitize_parameters_to_prune(model, parameter_names=["weight"])
    assert pairs == [(model.layer, "weight")]


def test_model_pruning_schedule_by_epoch(tmp_path):
    amounts = []

    def amount(epoch):
        amounts.append(epoch)
        return 0.5 if epoch == 1 else 0

    model = BoringModel()
    trainer = _trainer(tmp_path, max_epochs=2, limit_train_batches=2, limit_val_batches=0,
                       callbacks=[ModelPruning("random_unstructured", amount=amount,
                                               use_lottery_ticket_hypothesis=False)])
    trainer.fit(model)
    assert amounts == [0, 1]
    # global unstructured pruning (the default) takes half of all 66 parameters, split at random between weight and
    # bias; made permanent: no masks left
    layer = model.layer
    assert int((layer.weight == 0).sum()) + int((layer.bias == 0).sum()) == 33
    assert not hasattr(layer, "weight_mask") and not hasattr(layer, "bias_mask")


def test_ema_should_update_rules():
    ema = EMAWeightAveraging(update_every_n_steps=3, update_starting_at_step=6, update_starting_at_epoch=2)
    assert [s for s in range(12) if ema.should_update(step_idx=s)] == [6, 9]
    assert [e for e in range(4) if ema.should_update(epoch_idx=e)] == [2, 3]
    assert WeightAveraging().should_update(step_idx=0) and not WeightAveraging().should_update(epoch_idx=0)


def test_weight_averaging_resume_restores_average_and_current(tmp_path):
    torch.manual_seed(0)
    model = BoringModel()
    trainer = _trainer(tmp_path, max_steps=3, limit_val_batches=0, callbacks=[WeightAveraging()])
    trainer.fit(model)
    path = tmp_path / "avg.ckpt"
    trainer.save_checkpoint(path)
    checkpoint = torch.load(path, weights_only=False)
    resumed = BoringModel()
    trainer = _trainer(tmp_path, max_steps=4, limit_val_batches=0, callbacks=[WeightAveraging()])
    trainer.fit(resumed, ckpt_path=path)
    assert trainer.global_step == 4
    assert set(checkpoint["current_model_state"]) == set(checkpoint["state_dict"])


class TunableModel(BoringModel):
    def __init__(self, lr=0.1, batch_size=2):
        super().__init__()
        self.lr = lr
        self.batch_size = batch_size

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def train_dataloader(self):
        return DataLoader(RandomDataset(32, 64), batch_size=self.batch_size)


def test_lr_finder_needs_a_learning_rate_attribute(tmp_path):
    trainer = _trainer(tmp_path, max_epochs=1, limit_val_batches=0)
    from lightning.pytorch.tuner import Tuner

    with pytest.raises(AttributeError, match="lr_find\\(attr_name"):
        Tuner(trainer).lr_find(BoringModel())
    with pytest.raises(AttributeError, match="could not find"):
        Tuner(trainer).lr_find(BoringModel(), attr_name="rate")


def test_lr_finder_skipped_with_fast_dev_run(tmp_path):
    from lightning.pytorch.tuner import Tuner

    trainer = _trainer(tmp_path, fast_dev_run=True)
    with pytest.warns(UserWarning, match="fast_dev_run"):
        assert Tuner(trainer).lr_find(TunableModel()) is None


def test_batch_size_finder_configuration_errors(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        BatchSizeFinder(mode="linear")
    with pytest.raises(ValueError, match="margin"):
        BatchSizeFinder(margin=1.5)
    trainer = _trainer(tmp_path, max_steps=1, callbacks=[BatchSizeFinder()])
    with pytest.raises(MisconfigurationException, match="not found"):
        trainer.fit(BoringModel())
    trainer = _trainer(tmp_path, max_steps=1, callbacks=[BatchSizeFinder()])
    with pytest.raises(MisconfigurationException, match="passed directly"):
        trainer.fit(TunableModel(), train_dataloaders=DataLoader(RandomDataset(32, 8)))


def test_tuner_configuration_errors(tmp_path):
    from lightning.pytorch.tuner import Tuner

    trainer = _trainer(tmp_path, max_steps=1, callbacks=[LearningRateFinder()])
    tuner = Tuner(trainer)
    with pytest.raises(ValueError, match="already configured"):
        tuner.lr_find(TunableModel())
    with pytest.raises(MisconfigurationException, match="only valid"):
        tuner.lr_find(TunableModel(), method="test")
    with pytest.raises(ValueError, match="invalid"):
        tuner.scale_batch_size(TunableModel(), method="train")
    with pytest.raises(MisconfigurationException, match="`dataloaders` argument should be None"):
        tuner.scale_batch_size(TunableModel(), dataloaders=[])
    with pytest.raises(MisconfigurationException, match="should be None"):
        tuner.scale_batch_size(TunableModel(), method="test", train_dataloaders=[])


def test_throughput_monitor_warns_without_flops(tmp_path):
    monitor = ThroughputMonitor(batch_size_fn=lambda batch: batch.shape[0])
    trainer = _trainer(tmp_path, max_steps=2, limit_val_batches=0, logger=CSVLogger(tmp_path), callbacks=[monitor])
    with pytest.warns(UserWarning, match="flops_per_batch"):
        trainer.fit(BoringModel())


def test_a_failing_search_leaves_no_checkpoint_and_restores_callbacks(tmp_path):
    from lightning.pytorch.tuner import Tuner

    class Failing(TunableModel):
        def training_step(self, batch, batch_idx):
            if batch_idx == 3:
                raise RuntimeError("boom in step 3")
            return super().training_step(batch, batch_idx)

    trainer = _trainer(tmp_path, max_epochs=1, limit_val_batches=0)
    with pytest.raises(RuntimeError, match="boom"):
        Tuner(trainer).lr_find(Failing(), num_training=10)
    assert [f for f in tmp_path.iterdir() if f.suffix == ".ckpt"] == []
    assert not any(isinstance(c, LearningRateFinder) for c in trainer.callbacks)
