"""Files cross the border both ways: real Lightning 2.6.6 / pytorch-lightning 1.9.5 files load and resume here, and
our files load and resume in the real Lightning 2.6.6 (run in its own interpreter when installed)."""
import json
import subprocess
import textwrap

import pytest
import torch

import lightning.pytorch as pl
import pytorch_lightning
from conftest import FIXTURES
from generate import _legacy_special_classes, _trainer, make_special_model
from tiny_model import make_tiny_model_class

INTEROP = json.loads((FIXTURES / "interop.json").read_text())["cases"]
TinyModel = make_tiny_model_class(pl)
REAL_FILES = ["lightning-2.6.6/epoch=1-step=8.ckpt", "pytorch_lightning-1.9.5/epoch=1-step=8.ckpt"]


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_load_like_in_real_2_6_6(name):
    expected = INTEROP[name]["load_from_checkpoint"]
    model = TinyModel.load_from_checkpoint(FIXTURES / name)
    saved = torch.load(FIXTURES / name)["state_dict"]
    assert all(torch.equal(model.state_dict()[k], v) for k, v in saved.items()) == expected["weights_equal"]
    assert dict(model.hparams) == expected["hparams"]
    assert model.training == expected["training"]


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_resume_like_in_real_2_6_6(name, tmp_path):
    expected = INTEROP[name]["fit(ckpt_path, max_epochs=3)"]
    pl.seed_everything(0)
    trainer = _trainer(pl, str(tmp_path), max_epochs=3, logger=False, enable_checkpointing=False)
    trainer.fit(TinyModel(), ckpt_path=str(FIXTURES / name))
    assert {"ok": True, "current_epoch": trainer.current_epoch, "global_step": trainer.global_step} == expected


def test_namespace_hparams_file_loads_without_unpickling():
    """Real 2.6.6 refuses this 1.9.5 file unless weights_only=False; a Namespace is plain data, so we load it."""
    name = "pytorch_lightning-1.9.5/namespace_hparams.ckpt"
    assert INTEROP[name]["load_from_checkpoint"]["ok"] is False
    NamespaceModel, _ = _legacy_special_classes(pl)
    model = NamespaceModel.load_from_checkpoint(FIXTURES / name)
    assert vars(model.hparams["args"]) == {"hidden": 8, "lr": 0.01}


def test_module_hparams_file_needs_explicit_opt_in(tmp_path):
    name = "pytorch_lightning-1.9.5/module_hparams.ckpt"
    _, ModuleModel = _legacy_special_classes(pl)
    with pytest.raises(Exception, match="weights_only=False") as err:
        ModuleModel.load_from_checkpoint(FIXTURES / name)
    assert "torch.nn.modules.linear.Linear" in str(err.value)
    model = ModuleModel.load_from_checkpoint(FIXTURES / name, weights_only=False)
    assert isinstance(model.hparams["backbone"], torch.nn.Linear)
    pl.seed_everything(0)
    trainer = _trainer(pl, str(tmp_path), max_epochs=3, logger=False, enable_checkpointing=False)
    trainer.fit(make_special_model(pl, "module_hparams"), ckpt_path=str(FIXTURES / name), weights_only=False)
    assert (trainer.current_epoch, trainer.global_step) == (3, 12)


@pytest.fixture(scope="module")
def our_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("ours")
    pl.seed_everything(0)
    trainer = _trainer(pl, str(root), max_epochs=2)
    model = TinyModel()
    trainer.fit(model)
    return trainer.checkpoint_callback.best_model_path


_REAL_SIDE = textwrap.dedent(
    """
    import json, sys, tempfile, warnings, logging
    warnings.simplefilter("ignore")
    import torch
    import lightning.pytorch as pl
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    from generate import _trainer
    from tiny_model import make_tiny_model_class
    TinyModel = make_tiny_model_class(pl)
    path = sys.argv[1]
    model = TinyModel.load_from_checkpoint(path)
    saved = torch.load(path)["state_dict"]
    out = {"weights_equal": all(torch.equal(model.state_dict()[k], v) for k, v in saved.items()),
           "hparams": dict(model.hparams)}
    with tempfile.TemporaryDirectory() as root:
        pl.seed_everything(0)
        trainer = _trainer(pl, root, max_epochs=3, logger=False, enable_checkpointing=False)
        trainer.fit(TinyModel(), ckpt_path=path)
        out["resumed"] = [trainer.current_epoch, trainer.global_step]
    print(json.dumps(out))
    """
)


def test_our_file_loads_and_resumes_in_real_2_6_6(our_file, subprocess_env, ref_l2_python):
    env = dict(subprocess_env, PYTHONPATH=str(FIXTURES))  # the real package, not ours
    proc = subprocess.run([str(ref_l2_python), "-c", _REAL_SIDE, our_file], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    real_side = json.loads(proc.stdout.strip().splitlines()[-1])
    assert real_side == {"weights_equal": True, "hparams": {"in_features": 4, "hidden": 8, "lr": 0.01, "gamma": 0.5},
                         "resumed": [3, 12]}


def test_one_file_every_door(our_file, tmp_path):
    """The same file through `pytorch_lightning`, `lightning` and plain torch.load: same weights, hparams, counters,
    and the same resumed result."""
    LegacyModel = make_tiny_model_class(pytorch_lightning)
    plain = torch.load(our_file)
    via_new = TinyModel.load_from_checkpoint(our_file)
    via_old = LegacyModel.load_from_checkpoint(our_file)
    for key, value in plain["state_dict"].items():
        assert torch.equal(via_new.state_dict()[key], value) and torch.equal(via_old.state_dict()[key], value)
    assert dict(via_new.hparams) == dict(via_old.hparams) == plain["hyper_parameters"]

    results = []
    for ns, cls in ((pl, TinyModel), (pytorch_lightning, LegacyModel)):
        ns.seed_everything(0)
        trainer = _trainer(ns, str(tmp_path / ns.__name__), max_epochs=3, logger=False, enable_checkpointing=False)
        model = cls()
        trainer.fit(model, ckpt_path=our_file)
        results.append((trainer.current_epoch, trainer.global_step, [v.clone() for v in model.state_dict().values()]))
    (e1, s1, w1), (e2, s2, w2) = results
    assert (e1, s1) == (e2, s2) == (3, 12)
    assert all(torch.equal(a, b) for a, b in zip(w1, w2))


def test_file_written_through_pytorch_lightning_loads_through_lightning(tmp_path):
    LegacyModel = make_tiny_model_class(pytorch_lightning)
    pytorch_lightning.seed_everything(0)
    trainer = _trainer(pytorch_lightning, str(tmp_path), max_epochs=1)
    trainer.fit(LegacyModel())
    path = tmp_path / "manual.ckpt"
    trainer.save_checkpoint(path)
    checkpoint = torch.load(path)
    assert checkpoint["pytorch-lightning_version"] == "2.6.6"
    model = TinyModel.load_from_checkpoint(path)
    assert all(torch.equal(model.state_dict()[k], v) for k, v in checkpoint["state_dict"].items())
