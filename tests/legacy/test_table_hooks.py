"""Section C of the migration table, one test per row, generated from lit_migrate.legacy_facts.

For every hook row (``HOOKS``) a module or callback defines the hook with its 1.x signature; the run must call it with
the 1.x arguments where 1.x did, or (for hooks nothing replaces) warn that 2.x never calls it. The epoch-end and
step-end hooks, ``on_epoch_start/end``, the 1.x ``self.log`` keywords and the module attributes have their own rows.
"""
import warnings

import pytest
import torch

from pytorch_lightning import Callback  # 1.x code: its 1.x hooks get their 1.x meaning
from lightning.pytorch._legacy.usage import LegacyUsageWarning
from lit_migrate import legacy_facts as facts
from models import Tiny, loader, quiet_trainer

# (owner, hook) -> (1.x parameters, body, how to run, what to expect). "called": the hook ran with its 1.x
# arguments; "warned": 2.x has no place for it, the legacy layer says so.
SPECS = {
    ("module", "backward"): ("self, loss, optimizer, optimizer_idx", "loss.backward()", "fit", "called"),
    ("module", "configure_gradient_clipping"): (
        "self, optimizer, optimizer_idx, gradient_clip_val=None, gradient_clip_algorithm=None", "", "fit", "called"),
    ("module", "configure_sharded_model"): ("self", "", "fit", "called"),
    ("module", "lr_scheduler_step"): ("self, scheduler, optimizer_idx, metric", "scheduler.step()", "fit", "called"),
    ("module", "on_before_optimizer_step"): ("self, optimizer, optimizer_idx", "", "fit", "called"),
    ("module", "on_hpc_load"): ("self, checkpoint", "", "fit", "warned"),
    ("module", "on_hpc_save"): ("self, checkpoint", "", "fit", "warned"),
    ("module", "on_predict_batch_end"): ("self, outputs, batch, batch_idx, dataloader_idx", "", "predict", "called"),
    ("module", "on_predict_batch_start"): ("self, batch, batch_idx, dataloader_idx", "", "predict", "called"),
    ("module", "on_predict_epoch_end"): ("self, results", "", "predict", "called"),
    ("module", "on_pretrain_routine_end"): ("self", "", "fit", "called"),
    ("module", "on_pretrain_routine_start"): ("self", "", "fit", "called"),
    ("module", "on_test_batch_end"): ("self, outputs, batch, batch_idx, dataloader_idx", "", "test", "called"),
    ("module", "on_test_batch_start"): ("self, batch, batch_idx, dataloader_idx", "", "test", "called"),
    ("module", "on_train_batch_end"): ("self, outputs, batch, batch_idx, dataloader_idx", "", "fit", "called"),
    ("module", "on_train_batch_start"): ("self, batch, batch_idx, dataloader_idx", "", "fit", "called"),
    ("module", "on_train_epoch_end"): ("self, outputs", "", "fit", "called"),
    ("module", "on_validation_batch_end"): ("self, outputs, batch, batch_idx, dataloader_idx", "", "validate",
                                            "called"),
    ("module", "on_validation_batch_start"): ("self, batch, batch_idx, dataloader_idx", "", "validate", "called"),
    ("module", "optimizer_step"): (
        "self, epoch, batch_idx, optimizer, optimizer_idx, optimizer_closure, on_tpu=False, using_native_amp=False, "
        "using_lbfgs=False", "optimizer.step(closure=optimizer_closure)", "fit", "called"),
    ("module", "optimizer_zero_grad"): ("self, epoch, batch_idx, optimizer, optimizer_idx", "optimizer.zero_grad()",
                                        "fit", "called"),
    ("module", "test_step"): ("self, batch, batch_idx, dataloader_idx", "return batch[0].sum()", "test", "called"),
    ("module", "validation_step"): ("self, batch, batch_idx, dataloader_idx", "return batch[0].sum()", "validate",
                                    "called"),
    ("module", "transfer_batch_to_device"): ("self, batch, device", "return batch", "fit", "called"),
    ("callback", "on_batch_end"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_batch_start"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_before_accelerator_backend_setup"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_before_optimizer_step"): ("self, trainer, pl_module, optimizer, opt_idx", "", "fit", "called"),
    ("callback", "on_configure_sharded_model"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_init_end"): ("self, trainer", "", "fit", "called"),
    ("callback", "on_init_start"): ("self, trainer", "", "fit", "called"),
    ("callback", "on_keyboard_interrupt"): ("self, trainer, pl_module", "", "interrupt", "called"),
    ("callback", "on_predict_batch_end"): ("self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx", "",
                                           "predict", "called"),
    ("callback", "on_predict_batch_start"): ("self, trainer, pl_module, batch, batch_idx, dataloader_idx", "",
                                             "predict", "called"),
    ("callback", "on_predict_epoch_end"): ("self, trainer, pl_module, outputs", "", "predict", "called"),
    ("callback", "on_pretrain_routine_end"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_pretrain_routine_start"): ("self, trainer, pl_module", "", "fit", "called"),
    ("callback", "on_test_batch_end"): ("self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx", "",
                                        "test", "called"),
    ("callback", "on_test_batch_start"): ("self, trainer, pl_module, batch, batch_idx, dataloader_idx", "", "test",
                                          "called"),
    ("callback", "on_train_batch_end"): ("self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx", "",
                                         "fit", "called"),
    ("callback", "on_train_batch_start"): ("self, trainer, pl_module, batch, batch_idx, dataloader_idx", "", "fit",
                                           "called"),
    ("callback", "on_train_epoch_end"): ("self, trainer, pl_module, outputs", "", "fit", "called"),
    ("callback", "on_validation_batch_end"): (
        "self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx", "", "validate", "called"),
    ("callback", "on_validation_batch_start"): ("self, trainer, pl_module, batch, batch_idx, dataloader_idx", "",
                                                "validate", "called"),
}
for _name in ("add_to_queue", "get_from_queue", "on_post_move_to_device", "get_progress_bar_dict", "log_grad_norm",
              "on_train_dataloader", "on_val_dataloader", "on_test_dataloader", "on_predict_dataloader"):
    SPECS[("module", _name)] = ("self, *args", "", "fit", "warned")
SPECS[("module", "tbptt_split_batch")] = ("self, batch, split_size", "", "fit", "warned")
# BaseFinetuning calls finetune_function itself with the 2.x arguments; a 1.x override with opt_idx is not adapted.
NOT_ADAPTED = {("callback", "finetune_function"): "BaseFinetuning calls finetune_function(pl_module, epoch, "
                                                  "optimizer) itself; the callbacks owner would have to adapt it"}


def test_every_hook_row_has_a_scenario():
    assert set(SPECS) | set(NOT_ADAPTED) == set(facts.HOOKS)


def _method(name, params, body):
    source = f"def {name}({params}):\n    _record(self, {name!r}, locals())\n    {body or 'return None'}\n"
    namespace = {"_record": _record}
    exec(source, namespace)  # noqa: S102 - builds the hook with its exact 1.x signature
    return namespace[name]


def _record(owner, name, values):
    owner.calls.setdefault(name, []).append({k: v for k, v in values.items() if k != "self"})


class _Scheduled(Tiny):
    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.1)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 1)]


class _Interrupting(Tiny):
    def training_step(self, batch, batch_idx):
        raise KeyboardInterrupt


def _run(owner, name, params, body, how, tmp_path):
    base = _Interrupting if how == "interrupt" else _Scheduled
    method = _method(name, params, body)
    if owner == "module":
        model = type("Legacy", (base,), {name: method})()
        callbacks = []
    else:
        model = base()
        callbacks = [type("LegacyCallback", (Callback,), {name: method})()]
    holder = model if owner == "module" else callbacks[0]
    holder.calls = {}
    trainer = quiet_trainer(tmp_path, max_steps=2, callbacks=callbacks, limit_val_batches=1, num_sanity_val_steps=0)
    if how in ("fit", "interrupt"):
        try:
            trainer.fit(model, loader(), loader())
        except SystemExit:
            assert how == "interrupt"
    elif how == "predict":
        trainer.predict(model, loader())
    else:
        getattr(trainer, how)(model, loader())
    return holder.calls


@pytest.mark.parametrize("owner,name", sorted(SPECS))
def test_hook_row(owner, name, tmp_path):
    params, body, how, expect = SPECS[(owner, name)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calls = _run(owner, name, params, body, how, tmp_path)
    legacy = [str(w.message) for w in caught if issubclass(w.category, LegacyUsageWarning)]
    assert any(name in m for m in legacy), legacy
    if expect == "warned":
        assert name not in calls
        return
    assert calls.get(name), f"{name} was not called"
    first = calls[name][0]
    for index_name in ("optimizer_idx", "opt_idx", "dataloader_idx"):
        if index_name in first:
            assert first[index_name] == 0
    for list_name in ("outputs", "results"):
        if list_name in first and name.endswith("epoch_end"):
            assert isinstance(first[list_name], list)


@pytest.mark.parametrize("owner,name", sorted(NOT_ADAPTED))
def test_hook_rows_not_adapted(owner, name):
    pytest.xfail(NOT_ADAPTED[(owner, name)])


# ------------------------------------------------------------------ epoch-end and step-end hooks
class _EpochEnd(Tiny):
    def __init__(self):
        super().__init__()
        self.seen = {}

    def training_step(self, batch, batch_idx):
        loss = super().training_step(batch, batch_idx)
        return {"loss": loss, "extra": batch_idx}

    def training_step_end(self, out):
        self.seen.setdefault("training_step_end", []).append(out["extra"])
        return out

    def validation_step_end(self, out):
        self.seen.setdefault("validation_step_end", []).append(out)
        return out * 0 + 7

    def training_epoch_end(self, outputs):
        self.seen.setdefault("training_epoch_end", []).append(outputs)

    def validation_epoch_end(self, outputs):
        self.seen.setdefault("validation_epoch_end", []).append(outputs)
        self.log("val_from_epoch_end", torch.stack(outputs).sum())

    def test_epoch_end(self, outputs):
        self.seen.setdefault("test_epoch_end", []).append(outputs)


def test_epoch_end_and_step_end_hooks(tmp_path):
    model = _EpochEnd()
    trainer = quiet_trainer(tmp_path, num_sanity_val_steps=0)
    with pytest.warns(LegacyUsageWarning):
        trainer.fit(model, loader(8, 4), loader(8, 4))
    assert float(trainer.callback_metrics["val_from_epoch_end"]) == 14.0
    trainer.test(model, loader(8, 4))
    train_outputs = model.seen["training_epoch_end"][0]
    assert [o["extra"] for o in train_outputs] == [0, 1] and not train_outputs[0]["loss"].requires_grad
    assert model.seen["training_step_end"] == [0, 1]
    assert [float(o) for o in model.seen["validation_epoch_end"][0]] == [7.0, 7.0]  # after validation_step_end
    assert len(model.seen["test_epoch_end"][0]) == 2


def test_validation_epoch_end_with_two_loaders_gets_a_list_per_loader(tmp_path):
    class TwoLoaders(_EpochEnd):
        def validation_step(self, batch, batch_idx, dataloader_idx=0):
            return super().validation_step(batch, batch_idx)

        validation_step_end = None

        def validation_epoch_end(self, outputs):
            self.seen.setdefault("validation_epoch_end", []).append(outputs)

    model = TwoLoaders()
    quiet_trainer(tmp_path).validate(model, [loader(8, 4), loader(4, 4)])
    outputs = model.seen["validation_epoch_end"][0]
    assert [len(o) for o in outputs] == [2, 1]


@pytest.mark.parametrize("old", sorted(facts.EPOCH_END_HOOKS))
def test_epoch_end_hooks_raise_in_strict_mode(old, strict, tmp_path):
    model = type("Legacy", (Tiny,), {old: lambda self, outputs: None})()
    trainer = quiet_trainer(tmp_path)
    run = {"training_epoch_end": lambda: trainer.fit(model, loader()),
           "validation_epoch_end": lambda: trainer.validate(model, loader()),
           "test_epoch_end": lambda: trainer.test(model, loader())}[old]
    with pytest.raises(NotImplementedError, match=f"Support for `{old}` has been removed in v2.0.0"):
        run()


@pytest.mark.parametrize("old,expansions", sorted(facts.EPOCH_HOOK_EXPANSIONS.items()))
def test_on_epoch_hooks_run_around_every_epoch(old, expansions, tmp_path):
    model = type("Legacy", (Tiny,), {old: lambda self: self.count.append(self.trainer.state.stage)})()
    model.count = []
    with pytest.warns(LegacyUsageWarning, match=old):
        trainer = quiet_trainer(tmp_path, max_epochs=2, num_sanity_val_steps=0)
        trainer.fit(model, loader(), loader())
    assert len(model.count) == 4  # two train and two validation epochs


def test_step_end_is_silent_in_strict_mode(strict, tmp_path):
    model = type("Legacy", (Tiny,), {"training_step_end": lambda self, out: 1 / 0})()
    quiet_trainer(tmp_path, max_steps=1).fit(model, loader())  # 2.x never calls it


def test_old_optimizer_step_signature_in_strict_mode_fails_like_2x(strict, tmp_path):
    method = _method("optimizer_step", SPECS[("module", "optimizer_step")][0], "optimizer.step(closure=optimizer_closure)")
    model = type("Legacy", (Tiny,), {"optimizer_step": method})()
    model.calls = {}
    with pytest.raises(Exception, match="closure"):
        quiet_trainer(tmp_path, max_steps=1).fit(model, loader())


# ------------------------------------------------------------------ several optimizers (the GAN pattern)
class _Gan(Tiny):
    def __init__(self, frequencies=None):
        super().__init__()
        self.other = torch.nn.Linear(3, 1)
        self.frequencies = frequencies
        self.order = []

    def training_step(self, batch, batch_idx, optimizer_idx):
        self.order.append(optimizer_idx)
        layer = self.layer if optimizer_idx == 0 else self.other
        frozen = self.other if optimizer_idx == 0 else self.layer
        assert all(not p.requires_grad for p in frozen.parameters())  # toggled as in 1.x
        x, y = batch
        return torch.nn.functional.mse_loss(layer(x), y)

    def configure_optimizers(self):
        a = torch.optim.SGD(self.layer.parameters(), lr=0.1)
        b = torch.optim.SGD(self.other.parameters(), lr=0.1)
        if self.frequencies:
            return [{"optimizer": a, "frequency": self.frequencies[0]},
                    {"optimizer": b, "frequency": self.frequencies[1]}]
        return [a, b]


def test_several_optimizers_with_optimizer_idx(tmp_path):
    model = _Gan()
    trainer = quiet_trainer(tmp_path)
    with pytest.warns(LegacyUsageWarning, match="optimizer_idx"):
        trainer.fit(model, loader(8, 4))
    assert model.order == [0, 1, 0, 1] and trainer.global_step == 4


def test_optimizer_frequencies(tmp_path):
    model = _Gan(frequencies=(1, 2))
    trainer = quiet_trainer(tmp_path)
    trainer.fit(model, loader(24, 4))
    assert model.order == [0, 1, 1, 0, 1, 1] and trainer.global_step == 6


def test_several_optimizers_raise_in_strict_mode(strict, tmp_path):
    with pytest.raises(RuntimeError, match="manual optimization"):
        quiet_trainer(tmp_path).fit(_Gan(), loader())


# ------------------------------------------------------------------ C.3 self.log keywords and module attributes
@pytest.mark.parametrize("old,new", sorted(facts.LOG_KWARG_RENAMES.items()))
def test_log_keyword_rename(old, new, tmp_path):
    class Logs(Tiny):
        def training_step(self, batch, batch_idx):
            loss = super().training_step(batch, batch_idx)
            self.log("summed", torch.tensor(1.0), on_epoch=True, on_step=False, **{old: "sum"})
            return loss

    trainer = quiet_trainer(tmp_path)
    with pytest.warns(LegacyUsageWarning, match=f"{old}=.*{new}="):
        trainer.fit(Logs(), loader(8, 4))
    assert float(trainer.callback_metrics["summed"]) == 2.0  # summed over the two batches, not averaged


@pytest.mark.parametrize("old", sorted(facts.LOG_KWARG_RENAMES) + sorted(facts.LOG_KWARGS_REMOVED))
def test_log_keyword_in_strict_mode(old, strict, tmp_path):
    class Logs(Tiny):
        def training_step(self, batch, batch_idx):
            self.log("x", torch.tensor(1.0), **{old: "sum"})
            return super().training_step(batch, batch_idx)

    with pytest.raises(TypeError, match=f"unexpected keyword argument '{old}'"):
        quiet_trainer(tmp_path, max_steps=1).fit(Logs(), loader())


@pytest.mark.parametrize("old", sorted(facts.LOG_KWARGS_REMOVED))
def test_removed_log_keyword_is_dropped(old, tmp_path):
    class Logs(Tiny):
        def training_step(self, batch, batch_idx):
            self.log("x", torch.tensor(1.0), **{old: 0})
            return super().training_step(batch, batch_idx)

    with pytest.warns(LegacyUsageWarning, match=old):
        quiet_trainer(tmp_path, max_steps=1).fit(Logs(), loader())


def test_log_signature_stays_2x():
    import inspect

    import lightning.pytorch as lp

    assert "sync_dist_op" not in inspect.signature(lp.LightningModule.log).parameters
    assert list(inspect.signature(lp.LightningModule.log).parameters)[:3] == ["self", "name", "value"]


@pytest.mark.parametrize("name", sorted(facts.MODULE_ATTRIBUTES))
def test_module_attribute(name, tmp_path):
    model = Tiny()
    trainer = quiet_trainer(tmp_path, max_steps=1)
    trainer.fit(model, loader())
    if name == "loaded_optimizer_states_dict":
        pytest.skip("removed in 1.6 with no replacement: stays an AttributeError")
    with pytest.warns(LegacyUsageWarning, match=f"self.{name}"):
        value = getattr(model, name)
    assert value == {"datamodule": None, "use_amp": False}[name]


def test_hparams_assignment_is_saved(tmp_path):
    from argparse import Namespace

    class Old(Tiny):
        def __init__(self, hparams):
            super().__init__()
            self.hparams = hparams

    with pytest.warns(LegacyUsageWarning, match="save_hyperparameters"):
        model = Old(Namespace(lr=0.5))
    assert model.hparams.lr == 0.5


def test_toggle_optimizer_with_an_index(tmp_path):
    model = _Gan()
    trainer = quiet_trainer(tmp_path, max_steps=1)
    trainer.fit(model, loader())
    with pytest.warns(LegacyUsageWarning, match="toggle_optimizer"):
        model.toggle_optimizer(trainer.optimizers[0], 0)
    assert not any(p.requires_grad for p in model.other.parameters())
    model.untoggle_optimizer(0)
    assert all(p.requires_grad for p in model.other.parameters())
