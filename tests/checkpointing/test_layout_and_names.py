"""Our checkpoints have the layout of real Lightning 2.6.6 files, and ModelCheckpoint names/keeps the same files.

Reference data: fixtures/checkpoints/lightning-2.6.6/ (made by fixtures/checkpoints/generate.py with the real
package); our runs use the same model, seed and helpers from that generator.
"""
import copy
import json

import pytest
import torch

import lightning.pytorch as pl
from conftest import L2_FIXTURES
from generate import CHECKPOINT_RUN, CONFIGS, _trainer, describe, run_config
from tiny_model import make_tiny_model_class

REAL_TREE = json.loads((L2_FIXTURES / "epoch=1-step=8.keys.json").read_text())["tree"]
REAL_NAMES = json.loads((L2_FIXTURES / "filenames.json").read_text())["configs"]
# ours adds only what bit-exact resume needs, inside the fit loop's own free-form slot (real Lightning ignores it)
OUR_EXTRAS = {"rng_epoch_start", "rng", "accumulated_grads"}


@pytest.fixture(scope="module")
def our_checkpoint(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("layout"))
    pl.seed_everything(0)
    trainer = _trainer(pl, root, **CHECKPOINT_RUN)
    trainer.fit(make_tiny_model_class(pl)())
    path = trainer.checkpoint_callback.best_model_path
    return path, describe(torch.load(path), root)


def _without_extras(tree):
    tree = copy.deepcopy(tree)
    extras = tree["loops"]["fit_loop"]["state_dict"]
    assert set(extras) <= OUR_EXTRAS, f"unexpected additions: {set(extras) - OUR_EXTRAS}"
    tree["loops"]["fit_loop"]["state_dict"] = {}
    return tree


def _keys(tree):
    if isinstance(tree, dict):
        return {k: _keys(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_keys(v) for v in tree]
    return None


def test_file_name_and_plain_torch_load(our_checkpoint):
    path, _ = our_checkpoint
    assert path.endswith("lightning_logs/version_0/checkpoints/epoch=1-step=8.ckpt")
    torch.load(path)  # weights_only=True: no pickled classes anywhere


def test_key_tree_equals_real_2_6_6(our_checkpoint):
    _, tree = our_checkpoint
    ours = _without_extras(tree)
    assert list(ours) == list(REAL_TREE)  # same top-level keys in the same order
    assert _keys(ours) == _keys(REAL_TREE)


def test_values_equal_real_2_6_6(our_checkpoint):
    """Counters, callback state, optimizer/scheduler state and hyperparameters match the real file value by value."""
    _, tree = our_checkpoint
    assert _without_extras(tree) == REAL_TREE


@pytest.mark.parametrize("name", list(CONFIGS))
def test_model_checkpoint_files_equal_real_2_6_6(name, tmp_path):
    """Same saves in the same order, same files kept, same best/kth/last bookkeeping and state_key."""
    ours = run_config(pl, name, str(tmp_path))
    real = {k: v for k, v in REAL_NAMES[name].items() if k not in ("checkpoint_kwargs", "trainer_overrides")}
    assert ours == real
