"""Fabric's API on one process: one implementation with the Trainer, the wrappers, loss scaling, LightningModule
integration, callbacks, launching, the ``fabric run`` arguments and the errors for misuse."""
import argparse
import os

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler

import lightning as L
from lightning.fabric.wrappers import _FabricDataLoader, _FabricModule, is_wrapped
from tests.fabric.helpers import Net, dataset, make_net


@pytest.fixture
def fabric():
    return L.Fabric(accelerator="cpu", devices=1)


# ---------------------------------------------------------------- the engine and the Trainer built on it
def test_trainer_strategies_are_built_on_fabrics():
    import lightning.fabric.strategies as fabric_strategies
    import lightning.pytorch.strategies as trainer_strategies

    # the engine's classes are Fabric's; each Trainer class subclasses the one of the same kind (the Trainer side
    # first), so isinstance answers for a Trainer's strategy hold against both; Fabric builds its own classes
    for name in ("Strategy", "SingleDeviceStrategy", "ParallelStrategy", "DDPStrategy", "FSDPStrategy"):
        assert issubclass(getattr(trainer_strategies, name), getattr(fabric_strategies, name))
        assert not issubclass(getattr(fabric_strategies, name), trainer_strategies.Strategy)
    assert "ddp" in fabric_strategies.STRATEGY_REGISTRY.available_strategies()
    assert fabric_strategies.STRATEGY_REGISTRY["ddp_spawn"]["strategy"] is fabric_strategies.DDPStrategy
    assert trainer_strategies.StrategyRegistry["ddp_spawn"]["strategy"] is trainer_strategies.DDPStrategy

    fabric = L.Fabric(accelerator="cpu", precision="bf16-mixed")
    trainer = L.Trainer(accelerator="cpu", precision="bf16-mixed", logger=False)
    assert type(fabric.strategy) is fabric_strategies.SingleDeviceStrategy
    assert type(trainer.strategy) is trainer_strategies.SingleDeviceStrategy
    assert type(fabric.accelerator).__name__ == type(trainer.accelerator).__name__ == "CPUAccelerator"
    assert fabric.strategy.precision.precision == trainer.precision_plugin.precision == "bf16-mixed"
    ddp = L.Fabric(accelerator="cpu", devices=2, strategy="ddp_spawn").strategy
    assert type(ddp) is fabric_strategies.DDPStrategy and ddp.num_processes == 2 and ddp._start_method == "spawn"
    assert type(ddp.launcher).__module__ == "lightning.fabric.strategies.launchers.multiprocessing"


def test_fabric_strategies_have_fabrics_api_and_the_trainers_keep_theirs():
    import inspect

    import lightning.fabric.strategies as fabric_strategies
    import lightning.pytorch.strategies as trainer_strategies

    def params(cls, name):
        return list(inspect.signature(getattr(cls, name)).parameters)

    fabric_ddp, trainer_ddp = fabric_strategies.DDPStrategy, trainer_strategies.DDPStrategy
    assert params(fabric_ddp, "backward")[:3] == ["self", "tensor", "module"]
    assert params(trainer_ddp, "backward")[:3] == ["self", "closure_loss", "optimizer"]
    assert params(fabric_ddp, "save_checkpoint")[:3] == ["self", "path", "state"]
    assert params(trainer_ddp, "save_checkpoint")[:3] == ["self", "checkpoint", "filepath"]
    assert params(fabric_ddp, "load_checkpoint")[:4] == ["self", "path", "state", "strict"]
    assert "closure" not in params(fabric_ddp, "optimizer_step") and "closure" in params(trainer_ddp, "optimizer_step")


def test_a_trainer_strategy_is_refused_by_fabric():
    from lightning.pytorch.strategies import SingleDeviceStrategy

    # (2.6.6 refuses it too: the Trainer's strategies are no Fabric strategies there)
    with pytest.raises(ValueError, match="You selected an invalid strategy name"):
        L.Fabric(accelerator="cpu", strategy=SingleDeviceStrategy(device="cpu"))


def test_plugin_objects_are_accepted_as_given():
    from lightning.fabric.plugins.precision import DoublePrecision
    from lightning.fabric.strategies import SingleDeviceStrategy

    plugin = DoublePrecision()
    strategy = SingleDeviceStrategy(device="cpu")
    fabric = L.Fabric(accelerator="cpu", strategy=strategy, plugins=plugin)
    assert fabric.strategy is strategy and fabric.strategy.precision is plugin


def test_bad_arguments_name_fabric_in_the_error():
    from lightning.fabric.utilities.exceptions import MisconfigurationException

    with pytest.raises(MisconfigurationException, match=r"`Fabric\(devices=0\)`"):
        L.Fabric(accelerator="cpu", devices=0)
    with pytest.raises(MisconfigurationException, match=r"`Fabric\(accelerator=...\)`"):
        L.Fabric(accelerator="cuda" if not torch.cuda.is_available() else "mps")


def test_fsdp_sharded_checkpoints_are_refused_with_a_clear_error():
    from lightning.fabric.strategies import FSDPStrategy

    assert isinstance(L.Fabric(accelerator="cpu", devices=2, strategy="fsdp").strategy, FSDPStrategy)
    with pytest.raises(NotImplementedError, match="state_dict_type='full'"):
        L.Fabric(accelerator="cpu", devices=2, strategy=FSDPStrategy(state_dict_type="sharded"))


def test_ddp_needs_two_processes_before_setup():
    fabric = L.Fabric(accelerator="cpu", devices=2, strategy="ddp")
    assert type(fabric.strategy).__name__ == "DDPStrategy"
    for call in (lambda: fabric.setup(nn.Linear(1, 1)), lambda: fabric.setup_dataloaders(DataLoader(dataset())),
                 fabric.barrier, lambda: fabric.all_reduce(1)):
        with pytest.raises(RuntimeError, match=r"fabric.launch\(\)"):
            call()


# ---------------------------------------------------------------- wrappers
def test_module_wrapper_passes_attributes_through(fabric):
    net = make_net()
    model = fabric.setup(net)
    assert isinstance(model, _FabricModule) and model.module is net
    assert model.body is net.body and model.hparams.lr == 0.05
    model.new_attribute = 3  # set on the user's module, read back through the wrapper
    assert net.new_attribute == 3 and model.new_attribute == 3
    assert model.device == torch.device("cpu") and model.dtype == torch.float32
    assert list(model.state_dict()) == list(net.state_dict())


def test_step_methods_go_through_the_strategy_wrapper(fabric):
    """With a strategy wrapper (like DDP) around the module, `model.training_step(...)` runs inside the wrapper's
    forward, so that the wrapper sees the step; `mark_forward_method` adds other methods."""
    calls = []

    class Wrapper(nn.Module):
        def __init__(self, module):
            super().__init__()
            self.module = module

        def forward(self, *args, **kwargs):
            calls.append("wrapper")
            return self.module(*args, **kwargs)

    class WithExtra(Net):
        def extra(self, x):
            return self.body(x) * 2

    net = WithExtra()
    fabric.strategy.setup_module = Wrapper  # what DDPStrategy provides
    model = fabric.setup(net)
    x, y = dataset().tensors
    loss = model.training_step((x, y), 0)
    assert calls == ["wrapper"] and loss.requires_grad
    assert "forward" not in net.__dict__  # the module's own forward is back in place
    torch.testing.assert_close(model(x), net.body(x))
    model.mark_forward_method("extra")
    calls.clear()
    torch.testing.assert_close(model.extra(x), net.body(x) * 2)
    assert calls == ["wrapper"]


def test_optimizer_wrapper_is_an_optimizer(fabric):
    net = make_net()
    sgd = torch.optim.SGD(net.parameters(), lr=1.0)
    model, optimizer = fabric.setup(net, sgd)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    assert isinstance(optimizer, torch.optim.Optimizer) and optimizer.optimizer is sgd
    assert optimizer.param_groups is sgd.param_groups and optimizer.state is sgd.state
    model(torch.ones(1, 5)).sum().backward()
    optimizer.step()
    scheduler.step()
    assert sgd.param_groups[0]["lr"] == 0.5
    optimizer.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    assert optimizer.state_dict()["param_groups"] == sgd.state_dict()["param_groups"]


def test_dataloader_wrapper_moves_batches_and_advances_the_sampler_epoch(fabric):
    sampler = DistributedSampler(dataset(), num_replicas=2, rank=0, shuffle=True, seed=1)
    loader = fabric.setup_dataloaders(DataLoader(dataset(), batch_size=4, sampler=sampler))
    assert isinstance(loader, _FabricDataLoader) and loader.device == torch.device("cpu")
    assert len(loader) == 4 and loader.batch_size == 4 and loader.sampler is sampler
    first = [b[0] for b in loader]
    assert sampler.epoch == 0
    second = [b[0] for b in loader]
    assert sampler.epoch == 1
    assert not all(torch.equal(a, b) for a, b in zip(first, second))  # a new shuffle each pass
    assert fabric.setup_dataloaders(DataLoader(dataset()), move_to_device=False).device is None


def test_seed_everything_seeds_dataloader_workers(fabric, monkeypatch):
    monkeypatch.delenv("PL_SEED_WORKERS", raising=False)
    monkeypatch.delenv("PL_GLOBAL_SEED", raising=False)
    assert fabric.seed_everything(5) == 5
    assert os.environ["PL_SEED_WORKERS"] == "1"  # Fabric turns worker seeding on by default
    loader = fabric.setup_dataloaders(DataLoader(dataset(), num_workers=0))
    assert loader.worker_init_fn is not None
    assert L.Fabric.seed_everything(5, workers=False) == 5 and os.environ["PL_SEED_WORKERS"] == "0"


def test_to_device_and_init_contexts(fabric):
    module = nn.Linear(2, 2)
    assert fabric.to_device(module) is module
    moved = fabric.to_device({"a": torch.ones(1), "b": [torch.zeros(1)]})
    assert moved["a"].device == fabric.device and moved["b"][0].device == fabric.device
    with fabric.init_module():
        created = nn.Linear(2, 2)
    assert created.weight.device == fabric.device
    with pytest.warns(DeprecationWarning, match="init_module"):
        with fabric.sharded_model():
            pass


# ---------------------------------------------------------------- precision
@pytest.mark.parametrize("package", ["lightning.fabric", "lightning.pytorch"])
def test_float16_loss_scaling_needs_fabric_backward(package):
    """With a GradScaler (16-mixed), a bare `loss.backward()` is an error; `fabric.backward` scales the loss, and
    clipping unscales first (returning the true norm). A Trainer plugin given to Fabric steps the same way (without
    the Trainer hooks its own backward would fire)."""
    import importlib

    MixedPrecision = importlib.import_module(f"{package}.plugins.precision").MixedPrecision
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0)
    fabric = L.Fabric(accelerator="cpu", plugins=MixedPrecision("16-mixed", "cpu", scaler=scaler))
    net = nn.Linear(4, 1)
    model, optimizer = fabric.setup(net, torch.optim.SGD(net.parameters(), lr=0.1))
    x = torch.randn(8, 4)
    with pytest.raises(RuntimeError, match=r"fabric.backward\(loss\)"):
        model(x).pow(2).mean().backward()
    optimizer.zero_grad()
    fabric.backward(model(x).pow(2).mean())
    reference = nn.Linear(4, 1)
    reference.load_state_dict(net.state_dict())
    with torch.autocast("cpu", dtype=torch.float16):
        reference(x).pow(2).mean().backward()
    torch.testing.assert_close(net.weight.grad, reference.weight.grad * 8.0, rtol=1e-3, atol=1e-3)
    norm = fabric.clip_gradients(model, optimizer, max_norm=1e-3)
    true_norm = torch.cat([reference.weight.grad.flatten(), reference.bias.grad]).norm()
    torch.testing.assert_close(norm, true_norm, rtol=1e-3, atol=1e-3)
    before = net.weight.detach().clone()
    optimizer.step()
    assert not torch.equal(before, net.weight)


# ---------------------------------------------------------------- LightningModule integration
def test_lightning_module_logs_and_steps_through_fabric(fabric):
    class Recorder:
        def __init__(self):
            self.rows = []

        def log_metrics(self, metrics, step=None):
            self.rows.append(metrics)

    recorder = Recorder()
    fabric = L.Fabric(accelerator="cpu", devices=1, loggers=recorder)
    net = make_net()
    model, optimizer = fabric.setup(net, net.configure_optimizers())
    assert net.fabric is fabric and net.optimizers() is optimizer
    loss = model.training_step(dataset()[:4], 0)
    assert recorder.rows == [{"train_loss": loss.item()}]
    net.manual_backward(loss)  # goes to fabric.backward
    assert all(p.grad is not None for p in net.parameters())
    assert net in fabric._callbacks  # the module's hooks are reachable with fabric.call


def test_callbacks_see_setup_and_optimizer_steps():
    seen = []

    class Callback:
        def on_after_setup(self, fabric, module):
            seen.append(("setup", is_wrapped(module)))

        def on_after_optimizer_step(self, strategy, optimizer):
            seen.append(("step", type(strategy).__name__, type(optimizer).__name__))

    fabric = L.Fabric(accelerator="cpu", devices=1, callbacks=Callback())
    net = nn.Linear(2, 1)
    model, optimizer = fabric.setup(net, torch.optim.SGD(net.parameters(), lr=0.1))
    model(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    assert seen == [("setup", True), ("step", "SingleDeviceStrategy", "SGD")]


def test_print_only_on_local_rank_zero(fabric, capsys, monkeypatch):
    fabric.print("hello", 1)
    assert capsys.readouterr().out == "hello 1\n"
    monkeypatch.setattr(type(fabric.strategy), "local_rank", property(lambda self: 1))
    fabric.print("hidden")
    assert capsys.readouterr().out == ""


def test_rank_zero_first_and_no_backward_sync_on_one_process(fabric):
    order = []
    with fabric.rank_zero_first():
        order.append("body")
    assert order == ["body"]
    model = fabric.setup(nn.Linear(2, 1))
    with fabric.no_backward_sync(model):
        model(torch.ones(1, 2)).sum().backward()
    assert model.module.weight.grad is not None


# ---------------------------------------------------------------- launching and the CLI
def test_run_override_is_launched_and_cli_launch_is_refused(monkeypatch):
    class Job(L.Fabric):
        def run(self, x):
            return self._launched, x + 1

    assert Job(accelerator="cpu").run(1) == (True, 2)
    with pytest.raises(NotImplementedError, match="override"):
        L.Fabric(accelerator="cpu").run()
    monkeypatch.setenv("LT_CLI_USED", "1")
    fabric = L.Fabric(accelerator="cpu")
    assert fabric._launched  # `fabric run` already created the processes
    with pytest.raises(RuntimeError, match="fabric run"):
        fabric.launch()
    with pytest.raises(TypeError, match="fabric run"):
        Job(accelerator="cpu")


def test_cli_choices_reach_fabric_and_conflicts_are_errors(monkeypatch):
    monkeypatch.setenv("LT_CLI_USED", "1")
    monkeypatch.setenv("LT_ACCELERATOR", "cpu")
    monkeypatch.setenv("LT_DEVICES", "1")
    monkeypatch.setenv("LT_NUM_NODES", "1")
    monkeypatch.setenv("LT_PRECISION", "bf16-mixed")
    fabric = L.Fabric()
    assert fabric.strategy.precision.precision == "bf16-mixed" and fabric.device.type == "cpu"
    assert L.Fabric(precision="bf16-mixed").strategy.precision.precision == "bf16-mixed"
    with pytest.raises(ValueError, match="--precision=bf16-mixed"):
        L.Fabric(precision="64-true")


def test_cli_parses_arguments_and_counts_processes(tmp_path, monkeypatch):
    from lightning.fabric import cli

    script = tmp_path / "script.py"
    script.write_text("print('hi')\n")
    args = cli._parser().parse_args(["run", "--accelerator", "cpu", "--devices", "2", "--strategy", "ddp",
                                     "--precision", "bf16-mixed", str(script), "--lr", "0.1"])
    assert (args.accelerator, args.devices, args.strategy, args.script_args) == ("cpu", "2", "ddp", ["--lr", "0.1"])
    assert cli._get_num_processes("cpu", "2") == 2 and cli._get_num_processes("cpu", "auto") == 1
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the variables are for child processes: keep them here
    cli._set_env_variables(args)
    assert os.environ["LT_CLI_USED"] == "1" and os.environ["LT_DEVICES"] == "2"
    assert os.environ["LT_STRATEGY"] == "ddp" and os.environ["LT_PRECISION"] == "bf16-mixed"
    assert "ddp_spawn" not in cli._supported_strategies() and "ddp" in cli._supported_strategies()
    bad = argparse.Namespace(**{**vars(args), "strategy": "ddp_spawn"})
    with pytest.raises(ValueError, match="ddp_spawn"):
        cli._validate(bad)
    with pytest.raises(ValueError, match="does not exist"):
        cli._validate(argparse.Namespace(**{**vars(args), "script": str(tmp_path / "missing.py")}))
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["run", "--precision", "17", str(script)])


def test_utilities_that_user_code_imports():
    from lightning.fabric.utilities import (  # noqa: F401
        AttributeDict,
        Throughput,
        ThroughputMonitor,
        measure_flops,
        rank_zero_deprecation,
        rank_zero_info,
        rank_zero_only,
        rank_zero_warn,
        seed_everything,
    )
    from lightning.fabric.utilities.exceptions import MisconfigurationException  # noqa: F401
    from lightning.fabric.utilities.warnings import PossibleUserWarning  # noqa: F401

    assert seed_everything is L.seed_everything is L.fabric.seed_everything
    model = nn.Linear(4, 3, bias=False)
    x = torch.randn(2, 4)
    assert measure_flops(model, lambda: model(x)) == 2 * 2 * 4 * 3  # multiply-adds of one forward, counted as 2
