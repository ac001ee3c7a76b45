"""LightningCLI behaviour beyond the recorded command lines: the missing-dependency error, helpers, the callbacks the
CLI adds, its hand-off to load_from_checkpoint, and misuse that must fail with a clear message."""
import subprocess
import sys

import pytest
import torch

from lightning.pytorch import Trainer
from lightning.pytorch.callbacks import EarlyStopping
from lightning.pytorch.cli import (
    LightningArgumentParser,
    LightningCLI,
    ReduceLROnPlateau,
    SaveConfigCallback,
    instantiate_class,
)
from lightning.pytorch.utilities.exceptions import MisconfigurationException

QUIET = ["--trainer.enable_progress_bar=false", "--trainer.enable_model_summary=false", "--seed_everything=0"]


def test_import_works_without_jsonargparse_and_building_says_how_to_install():
    code = (
        "import sys; sys.modules['jsonargparse'] = None\n"
        "import lightning.pytorch.cli as cli\n"
        "try:\n    cli.LightningCLI(args=['fit'])\n"
        "except ModuleNotFoundError as err:\n    print('ERR', err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "ERR" in out.stdout and 'pip install "lightning-compat[cli]"' in out.stdout


def test_instantiate_class_builds_from_class_path():
    params = [torch.nn.Parameter(torch.zeros(2))]
    opt = instantiate_class(params, {"class_path": "torch.optim.SGD", "init_args": {"lr": 0.3, "momentum": 0.5}})
    assert isinstance(opt, torch.optim.SGD) and opt.defaults["lr"] == 0.3 and opt.defaults["momentum"] == 0.5
    sched = instantiate_class((opt,), {"class_path": "lightning.pytorch.cli.ReduceLROnPlateau",
                                       "init_args": {"monitor": "val_loss"}})
    assert isinstance(sched, ReduceLROnPlateau) and sched.monitor == "val_loss"
    with pytest.raises(ValueError, match="dotted path"):
        instantiate_class(params, {"class_path": "SGD"})


def test_add_lightning_class_args_rejects_other_classes():
    parser = LightningArgumentParser()
    with pytest.raises(MisconfigurationException, match="Trainer, LightningModule, LightningDataModule or Callback"):
        parser.add_lightning_class_args(torch.nn.Linear, "net")
    assert parser.add_lightning_class_args(EarlyStopping, "early")  # returns the argument names
    assert parser.callback_keys == ["early"]


def test_optimizer_and_scheduler_groups_check_their_classes():
    parser = LightningArgumentParser()
    with pytest.raises(ValueError, match="torch.optim.Optimizer"):
        parser.add_optimizer_args(torch.nn.Linear)
    with pytest.raises(ValueError, match="LRScheduler"):
        parser.add_lr_scheduler_args(torch.optim.SGD)
    parser.add_optimizer_args(torch.optim.Adam, nested_key="gen_opt", link_to="model.opt_config")
    assert parser._optimizers == {"gen_opt": (torch.optim.Adam, "model.opt_config")}


def test_save_config_callback_without_log_dir_needs_a_subclass():
    with pytest.raises(ValueError, match="save_config"):
        SaveConfigCallback(LightningArgumentParser(), None, save_to_log_dir=False)

    class ToLogger(SaveConfigCallback):
        def save_config(self, trainer, pl_module, stage):
            self.saved = stage

    assert ToLogger(LightningArgumentParser(), None, save_to_log_dir=False).save_to_log_dir is False


def test_custom_save_config_runs_once_per_cli(cli_app, tmp_path):
    class Recording(SaveConfigCallback):
        calls: list = []

        def save_config(self, trainer, pl_module, stage):
            Recording.calls.append(stage)

    cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, save_config_callback=Recording, run=False,
                       args=["--trainer.max_epochs=1", *QUIET])
    cli.trainer.fit(cli.model, datamodule=cli.datamodule)
    cli.trainer.validate(cli.model, datamodule=cli.datamodule)
    assert Recording.calls == ["fit"]
    assert (tmp_path / "lightning_logs/version_0/config.yaml").is_file()


def test_checkpoint_of_a_cli_run_loads_with_its_config(cli_app, tmp_path):
    LightningCLI(cli_app.InjectedRegressor, cli_app.RandomData, args=[
        "fit", "--trainer.max_epochs=1", *QUIET, "--model.hidden=5", "--model.optimizer=Adam",
        "--model.optimizer.lr=0.02"])
    ckpt = next((tmp_path / "lightning_logs/version_0/checkpoints").glob("*.ckpt"))
    model = cli_app.InjectedRegressor.load_from_checkpoint(ckpt)
    optimizer = model.configure_optimizers()
    assert model.net[0].out_features == 5
    assert isinstance(optimizer, torch.optim.Adam) and optimizer.defaults["lr"] == 0.02
    assert torch.load(ckpt, weights_only=True)["hyper_parameters"]["_instantiator"] == \
        "lightning.pytorch.cli.instantiate_module"


def test_untrusted_instantiator_in_a_checkpoint_is_refused(cli_app, tmp_path):
    LightningCLI(cli_app.Regressor, cli_app.RandomData, args=["fit", "--trainer.max_epochs=1", *QUIET])
    ckpt = next((tmp_path / "lightning_logs/version_0/checkpoints").glob("*.ckpt"))
    data = torch.load(ckpt, weights_only=True)
    data["hyper_parameters"]["_instantiator"] = "os.system"
    torch.save(data, tmp_path / "evil.ckpt")
    with pytest.raises(ValueError, match="not a trusted one"):
        cli_app.Regressor.load_from_checkpoint(tmp_path / "evil.ckpt")


def test_validate_from_checkpoint_takes_the_saved_model_config(cli_app, tmp_path):
    LightningCLI(cli_app.Regressor, cli_app.RandomData, args=["fit", "--trainer.max_epochs=1", *QUIET,
                                                              "--model.hidden=7"])
    ckpt = next((tmp_path / "lightning_logs/version_0/checkpoints").glob("*.ckpt"))
    cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, args=["validate", *QUIET, f"--ckpt_path={ckpt}"])
    assert cli.model.hparams.hidden == 7 and cli.config.validate.model.hidden == 7
    assert "val_loss" in cli.trainer.callback_metrics


def test_model_configure_optimizers_is_replaced_with_a_warning(cli_app):
    with pytest.warns(UserWarning, match="configure_optimizers` is replaced"):
        cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, run=False,
                           args=["--optimizer=Adam", "--lr_scheduler=ReduceLROnPlateau",
                                 "--lr_scheduler.monitor=val_loss", *QUIET])
    configured = cli.model.configure_optimizers()
    assert isinstance(configured["optimizer"], torch.optim.Adam)
    assert configured["lr_scheduler"]["monitor"] == "val_loss"


def test_two_automatic_optimizers_are_refused(cli_app):
    class TwoOptimizers(LightningCLI):
        def add_arguments_to_parser(self, parser):
            parser.add_optimizer_args(torch.optim.Adam, nested_key="opt1")
            parser.add_optimizer_args(torch.optim.SGD, nested_key="opt2")

    with pytest.raises(MisconfigurationException, match="one AUTOMATIC optimizer"):
        TwoOptimizers(cli_app.Regressor, cli_app.RandomData, run=False, args=["--opt2.lr=0.1", *QUIET])


def test_linked_optimizer_reaches_the_model_as_a_config(cli_app):
    class ConfiguredRegressor(cli_app.Regressor):
        def __init__(self, optimizer_init: dict, hidden: int = 4):
            super().__init__(hidden=hidden)
            self.optimizer_init = optimizer_init

        def configure_optimizers(self):
            return instantiate_class(self.parameters(), self.optimizer_init)

    class Linked(LightningCLI):
        def add_arguments_to_parser(self, parser):
            parser.add_optimizer_args(torch.optim.Adam, link_to="model.optimizer_init")

    cli = Linked(ConfiguredRegressor, cli_app.RandomData, run=False, args=["--optimizer.lr=0.07", *QUIET])
    assert cli.model.optimizer_init["class_path"] == "torch.optim.adam.Adam"
    optimizer = cli.model.configure_optimizers()  # the model's own method: nothing was replaced
    assert isinstance(optimizer, torch.optim.Adam) and optimizer.defaults["lr"] == 0.07


def test_trainer_defaults_callbacks_are_always_added(cli_app):
    fixed = EarlyStopping(monitor="val_loss")
    cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, run=False, args=QUIET,
                       trainer_defaults={"callbacks": fixed, "max_epochs": 3})
    assert fixed in cli.trainer.callbacks and cli.trainer.max_epochs == 3
    assert any(isinstance(c, SaveConfigCallback) for c in cli.trainer.callbacks)


def test_trainer_class_without_callbacks_warns(cli_app):
    def make_trainer(max_epochs: int = 1) -> Trainer:
        return Trainer(max_epochs=max_epochs, logger=False, enable_progress_bar=False)

    with pytest.warns(UserWarning, match="has no `callbacks` argument"):
        cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, trainer_class=make_trainer, run=False,
                           args=["--trainer.max_epochs=2", "--seed_everything=0"])
    assert isinstance(cli.trainer, Trainer) and cli.trainer.max_epochs == 2


def test_args_and_command_line_together_warn(cli_app, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["prog", "--trainer.max_epochs=9"])
    with pytest.warns(UserWarning, match="only `args` is parsed"):
        cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, run=False, args=QUIET)
    assert cli.trainer.max_epochs != 9


def test_subcommand_parser_kwargs_reach_their_parser(cli_app, capsys):
    kwargs = {"description": "my tool", "fit": {"description": "train the regressor"}}
    with pytest.raises(SystemExit) as exit_:
        LightningCLI(cli_app.Regressor, cli_app.RandomData, parser_kwargs=kwargs, args=["--help"])
    assert exit_.value.code == 0 and "my tool" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        LightningCLI(cli_app.Regressor, cli_app.RandomData, parser_kwargs=kwargs, args=["fit", "--help"])
    assert "train the regressor" in capsys.readouterr().out


def test_1x_constructor_keywords_are_translated_or_refused_in_strict_mode(cli_app, monkeypatch):
    with pytest.warns(DeprecationWarning, match="auto_registry"):
        cli = LightningCLI(cli_app.Regressor, cli_app.RandomData, run=False, auto_registry=True,
                           seed_everything_default=None, args=["--trainer.max_epochs=1"])
    assert cli.seed_everything_default is False and cli.config.seed_everything is False
    monkeypatch.setenv("LIGHTNING_COMPAT_STRICT", "1")
    with pytest.raises(TypeError, match="auto_registry"):
        LightningCLI(cli_app.Regressor, cli_app.RandomData, run=False, auto_registry=True, args=[])
