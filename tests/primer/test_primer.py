"""Every snippet of the primer (shared/primer.md) runs on this project, in both namespaces.

`L` is `lightning` or `pytorch_lightning`; placeholders in the snippets (`/path/to/checkpoint.ckpt`,
`some/path/`) are pointed at a temporary folder. Each test checks what the snippet's comment promises.
"""
import importlib
import os
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tests.primer import snippets

NAMESPACES = ["lightning", "pytorch_lightning"]
N_CLASSES = 3


def _data(n: int, seed: int, one_hot: bool = False) -> TensorDataset:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=g)
    y = x[:, :N_CLASSES].argmax(1)
    return TensorDataset(x, F.one_hot(y, N_CLASSES).float() if one_hot else y)


@pytest.fixture(params=NAMESPACES)
def env(request, tmp_path, monkeypatch):
    """The names the primer's snippets assume, for one namespace."""
    pytest.importorskip(request.param)
    monkeypatch.chdir(tmp_path)
    L = importlib.import_module(request.param)
    torch.manual_seed(0)
    Net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, N_CLASSES))
    env = {
        "L": L, "torch": torch, "F": F, "nn": nn, "Net": Net, "Trainer": L.Trainer,
        "train_loader": DataLoader(_data(16, 1), batch_size=16),
        "valid_loader": DataLoader(_data(8, 2), batch_size=8),
        "test_dataloader": DataLoader(_data(8, 3), batch_size=8),
        "train_set": _data(20, 4),
        "x": _data(4, 5).tensors[0],
    }
    run(env, snippets.DEFINE_MODEL)

    class LitModel(env["LitAutoEncoder"]):
        """The primer's `LitModel()`: the model with its own data, as the resume snippet assumes."""

        def __init__(self):
            super().__init__(env["Net"])

        def train_dataloader(self):
            return env["train_loader"]

    env["LitModel"] = LitModel
    return env


def run(env: dict, code: str, **paths: str) -> dict:
    for placeholder, path in paths.items():
        code = code.replace(placeholder, path)
    exec(compile(code, "<primer>", "exec"), env)
    return env


def _weights(module: nn.Module) -> list:
    return [p.detach().clone() for p in module.parameters()]


def test_define_and_train(env):
    before = _weights(env["Net"])
    run(env, snippets.TRAIN)
    trainer, model = env["trainer"], env["autoencoder"]
    # the bare Trainer() trains 1000 epochs (Lightning's default when nothing bounds the run)
    assert trainer.current_epoch == 1000 and trainer.global_step == 1000
    assert any(not torch.equal(a, b) for a, b in zip(before, _weights(model)))
    assert model.device.type == "cpu"  # no .to(device) written by the user
    ckpts = os.listdir(os.path.join("lightning_logs", "version_0", "checkpoints"))
    assert ckpts == ["epoch=999-step=1000.ckpt"]  # one checkpoint per epoch, keeping the latest


def test_what_fit_does_by_hand(env):
    before = _weights(env["Net"])
    run(env, snippets.WHAT_FIT_DOES)
    assert torch.isfinite(env["loss"])
    assert any(not torch.equal(a, b) for a, b in zip(before, _weights(env["Net"])))


def test_test_loop_with_the_1x_dataloader_keyword(env):
    run(env, snippets.TEST_VALID_LOOP)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(env, snippets.TEST)
    assert env["trainer"].state.finished and env["trainer"].num_test_batches == [1]
    assert any("dataloaders" in str(w.message) for w in caught)  # told the 2.x spelling


def test_split_and_validate(env):
    run(env, snippets.TEST_VALID_LOOP)
    run(env, snippets.SPLIT)
    assert (len(env["train_set"]), len(env["valid_set"])) == (16, 4)
    env["autoencoder"] = env["LitAutoEncoder"](env["Net"])
    validations = []

    class CountValidations(env["L"].Callback):
        def on_validation_epoch_end(self, trainer, pl_module):
            validations.append(trainer.sanity_checking)

    env["trainer"] = env["L"].Trainer(max_epochs=2, enable_progress_bar=False, callbacks=[CountValidations()])
    run(env, snippets.VALIDATE)
    assert env["trainer"].num_val_batches == [1]
    assert validations == [True, False, False]  # the sanity check, then once per epoch


def test_save_load_resume_and_plain_torch_load(env, tmp_path):
    run(env, snippets.SAVE)
    trainer = env["trainer"]
    assert trainer.default_root_dir == os.path.normpath("some/path/")
    autoencoder = env["LitModel"]()
    trainer.fit_loop.max_epochs = 2
    trainer.fit(autoencoder, env["train_loader"])
    ckpt_dir = os.path.join("some", "path", "lightning_logs", "version_0", "checkpoints")
    (ckpt,) = os.listdir(ckpt_dir)
    path = os.path.join(ckpt_dir, ckpt)

    env["autoencoder"] = autoencoder
    run(env, snippets.LOAD, **{"/path/to/checkpoint.ckpt": path})
    model = env["model"]
    assert model is not autoencoder and not model.training
    for a, b in zip(_weights(model), _weights(autoencoder)):
        assert torch.equal(a, b)
    assert env["y_hat"].shape == (4, N_CLASSES)

    plain = torch.load(path)  # checkpoints are plain PyTorch (weights_only=True)
    assert set(plain["state_dict"]) == set(autoencoder.state_dict())

    run(env, snippets.RESUME, **{"some/path/to/my_checkpoint.ckpt": path})
    resumed = env["trainer"]
    assert resumed.current_epoch == 1000 and resumed.global_step == 1000  # continued from epoch 2 to the default 1000


def test_logging_then_tensorboard_files(env):
    run(env, snippets.LOGGING)
    env["train_loader"] = DataLoader(_data(16, 1, one_hot=True), batch_size=4)
    env["valid_loader"] = DataLoader(_data(8, 2, one_hot=True), batch_size=4)
    model = env["LitAutoEncoder"](env["Net"])
    trainer = env["L"].Trainer(max_epochs=1, log_every_n_steps=1, enable_progress_bar=False)
    trainer.fit(model, env["train_loader"], env["valid_loader"])
    assert {"train_loss", "val_loss"} <= set(trainer.callback_metrics)
    logdir = os.path.join("lightning_logs", "version_0")
    assert any(f.startswith("events.out.tfevents") for f in os.listdir(logdir))  # `tensorboard --logdir=lightning_logs/`
