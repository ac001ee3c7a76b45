"""Section B of the migration table, one test per row, generated from lit_migrate.legacy_facts.

Removed Trainer attributes still read (with a DeprecationWarning naming the 2.x spelling), removed methods still work
where they have a meaning (tune, argparse helpers, get_model) and the 1.x keywords of fit/validate/test/predict are
accepted; in strict mode each raises what the real Lightning 2.6.6 raises.
"""
import argparse
import warnings

import pytest

from tests.legacy.conftest import outcome
from lightning.pytorch import Trainer
from lightning.pytorch._legacy.usage import LegacyUsageWarning
from lit_migrate import legacy_facts as facts
from models import Tiny, loader, quiet_trainer

ATTRIBUTES = sorted(facts.TRAINER_ATTRIBUTES)
METHODS = sorted(facts.TRAINER_METHODS_REMOVED)
# Removed methods that the legacy layer gives their 1.x behaviour; the rest stay removed (AttributeError).
IMPLEMENTED = {"tune", "get_model", "add_argparse_args", "from_argparse_args", "parse_argparser",
               "default_attributes", "match_env_arguments"}
# What a fitted CPU trainer (legacy-built, gpus=0) reads for attributes whose value is knowable here.
EXPECTED = {
    "running_sanity_check": False, "disable_validation": False, "use_amp": False, "num_gpus": 0, "gpus": 0,
    "root_gpu": None, "tpu_cores": None, "ipus": 0, "num_processes": 1, "should_rank_save_checkpoint": True,
    "amp_level": None, "using_native_amp": False, "amp_backend": None, "data_parallel": False,
    "optimizer_frequencies": [], "data_parallel_device_ids": [0],
}


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = quiet_trainer(tmp_path_factory.mktemp("b"), gpus=0)
        trainer.fit(Tiny(), loader(), loader())
    return trainer


@pytest.mark.parametrize("name", ATTRIBUTES)
def test_removed_attribute_reads_with_a_warning(name, fitted):
    with pytest.warns(LegacyUsageWarning, match=f"trainer.{name}") as record:
        value = getattr(fitted, name)
    assert "lit-migrate" in str(record[0].message)
    if name in EXPECTED:
        assert value == EXPECTED[name]


@pytest.mark.parametrize("name", ATTRIBUTES)
def test_removed_attribute_in_strict_mode(name, fitted, strict, reference):
    assert outcome(lambda: getattr(fitted, name)) == reference["trainer_attributes"][name]


def test_template_attributes_equal_their_2x_spelling(fitted):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fitted.train_loop is fitted.fit_loop
        assert fitted.training_type_plugin is fitted.strategy
        assert fitted.accelerator_backend is fitted.accelerator
        assert fitted.lr_schedulers == []
        assert fitted.lightning_optimizers[0]._optimizer is fitted.optimizers[0]


@pytest.mark.parametrize("name", METHODS)
def test_removed_method(name, reference):
    if name in IMPLEMENTED:
        assert callable(getattr(Trainer, name))
    else:
        with pytest.raises(AttributeError):
            getattr(Trainer, name)


@pytest.mark.parametrize("name", sorted(IMPLEMENTED))
def test_removed_method_in_strict_mode(name, strict, reference, tmp_path):
    trainer = quiet_trainer(tmp_path)
    calls = {
        "tune": lambda: trainer.tune(Tiny()), "get_model": lambda: trainer.get_model(),
        "add_argparse_args": lambda: Trainer.add_argparse_args(argparse.ArgumentParser()),
        "from_argparse_args": lambda: Trainer.from_argparse_args(argparse.Namespace()),
        "parse_argparser": lambda: Trainer.parse_argparser(argparse.Namespace()),
        "default_attributes": lambda: Trainer.default_attributes(),
        "match_env_arguments": lambda: Trainer.match_env_arguments(),
    }
    assert outcome(calls[name]) == reference["trainer_methods"][name]


# ------------------------------------------------------------------ keyword renames of the entry points
RENAMES = sorted((method, old, new) for method, renames in facts.TRAINER_METHOD_KWARG_RENAMES.items()
                 for old, new in renames.items())


def _call(trainer, method, keyword):
    model = Tiny()
    if method == "fit":
        return trainer.fit(model, **{keyword: loader()})
    return getattr(trainer, method)(model, **{keyword: loader()})


@pytest.mark.parametrize("method,old,new", RENAMES)
def test_entry_point_keyword_rename(method, old, new, tmp_path):
    trainer = quiet_trainer(tmp_path, max_steps=1)
    with pytest.warns(LegacyUsageWarning, match=f"{method}\\({old}=.*{new}="):
        _call(trainer, method, old)


@pytest.mark.parametrize("method,old,new", RENAMES)
def test_entry_point_keyword_rename_in_strict_mode(method, old, new, strict, tmp_path):
    trainer = quiet_trainer(tmp_path, max_steps=1)
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{old}'"):
        _call(trainer, method, old)


def test_both_keywords_is_an_error(tmp_path):
    trainer = quiet_trainer(tmp_path)
    with pytest.raises(TypeError, match="both"):
        trainer.test(Tiny(), dataloaders=loader(), test_dataloaders=loader())


def test_resume_from_checkpoint_feeds_fit(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = quiet_trainer(tmp_path, gpus=0, max_epochs=1)
        first.fit(Tiny(), loader())
        first.save_checkpoint(tmp_path / "a.ckpt")
        second = quiet_trainer(tmp_path, max_epochs=2, resume_from_checkpoint=str(tmp_path / "a.ckpt"))
        second.fit(Tiny(), loader())
    assert second.ckpt_path == str(tmp_path / "a.ckpt")
    assert second.current_epoch == 2 and second.global_step == 4


def test_val_dataloaders_is_a_list_for_a_1x_trainer_only(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        legacy = quiet_trainer(tmp_path, gpus=0, max_steps=1)
        legacy.fit(Tiny(), loader(), loader())
    modern = quiet_trainer(tmp_path, max_steps=1)
    modern.fit(Tiny(), loader(), loader())
    assert isinstance(legacy.val_dataloaders, list) and len(legacy.val_dataloaders[0]) == 2
    assert not isinstance(modern.val_dataloaders, list)


# ------------------------------------------------------------------ argparse helpers
def test_argparse_round_trip(tmp_path):
    parser = Trainer.add_argparse_args(argparse.ArgumentParser())
    args = parser.parse_args(["--gpus", "0", "--max_epochs", "2", "--enable_progress_bar", "false",
                              "--limit_train_batches", "0.5", "--fast_dev_run"])
    assert (args.gpus, args.max_epochs, args.enable_progress_bar, args.limit_train_batches, args.fast_dev_run) == (
        0, 2, False, 0.5, True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = Trainer.from_argparse_args(args, default_root_dir=str(tmp_path), logger=False)
    assert trainer.max_epochs == 1 and trainer.fast_dev_run == 1  # fast_dev_run overrides max_epochs
    assert type(trainer.accelerator).__name__ == "CPUAccelerator"


def test_default_attributes_are_the_1_9_defaults():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        defaults = Trainer.default_attributes()
    assert defaults["gpus"] is None and defaults["precision"] == 32 and defaults["max_steps"] == -1


def test_match_env_arguments(monkeypatch):
    monkeypatch.setenv("PL_TRAINER_MAX_EPOCHS", "7")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert Trainer.match_env_arguments().max_epochs == 7
