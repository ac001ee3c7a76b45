"""The 1.x -> 2.x migration steps give the same dicts as the real ``migrate_checkpoint`` of Lightning 2.6.6."""
import json
from pathlib import Path

import pytest
import torch

import migration_scenarios
from conftest import FIXTURES, PL1_FIXTURES
from generate import describe
from lightning.pytorch.utilities.checkpoint_io import load_checkpoint_file
from lightning.pytorch.utilities.migration import migrate_checkpoint, pl_legacy_patch
from lightning.pytorch.utilities.migration.migration import _migration_index

REFERENCE = json.loads((Path(__file__).parent / "reference" / "migration-2.6.6.json").read_text())
INTEROP = json.loads((FIXTURES / "interop.json").read_text())["cases"]


@pytest.mark.parametrize("name", [k for k in REFERENCE if k != "generator"])
def test_synthetic_old_layouts_migrate_like_the_real_one(name):
    ours = migration_scenarios.run_all(None, migrate_checkpoint)[name]
    assert ours == REFERENCE[name]


def test_real_1_9_5_file_migrates_to_the_real_upgraded_tree():
    checkpoint = load_checkpoint_file(PL1_FIXTURES / "epoch=1-step=8.ckpt")
    migrated, applied = migrate_checkpoint(checkpoint)
    assert list(applied) == ["2.0.0"]
    assert describe(migrated) == INTEROP["pytorch_lightning-1.9.5/epoch=1-step=8.ckpt"]["upgrade_checkpoint"]["tree"]


def test_current_file_is_not_changed(fixture_copy):
    checkpoint = load_checkpoint_file(fixture_copy("lightning-2.6.6/epoch=1-step=8.ckpt"))
    before = describe(checkpoint)
    migrated, applied = migrate_checkpoint(checkpoint)
    assert applied == {}
    assert describe(migrated) == before
    assert "legacy_pytorch-lightning_version" not in migrated


def test_migration_is_idempotent():
    checkpoint = load_checkpoint_file(PL1_FIXTURES / "epoch=1-step=8.ckpt")
    once = describe(migrate_checkpoint(checkpoint)[0])
    again, applied = migrate_checkpoint(checkpoint)
    assert applied == {} and describe(again) == once
    assert again["legacy_pytorch-lightning_version"] == "1.9.5"


def test_target_version_stops_early():
    checkpoint = migration_scenarios.scenarios(None)["v1.5_no_loops_amp_and_old_state_key"]
    _, applied = migrate_checkpoint(checkpoint, target_version="1.6.0")
    assert list(applied) == ["1.6.0"]


def test_index_is_ordered_by_version():
    from packaging.version import Version

    versions = list(_migration_index())
    assert versions == sorted(versions, key=Version)


def test_dict_without_version_is_left_alone():
    checkpoint = {"w": torch.ones(1)}
    assert migrate_checkpoint(checkpoint) == (checkpoint, {})


def test_pl_legacy_patch_redirects_old_module_paths(monkeypatch):
    """Under the patch, a class pickled under an old root that no longer imports is found under the new root."""
    import io
    import pickle

    from lightning.pytorch.callbacks.early_stopping import EarlyStopping
    from lightning.pytorch.utilities.migration import utils

    monkeypatch.setattr(utils, "_MODULE_REDIRECTS", (("gone_root_xyz", "lightning.pytorch"),))
    raw = pickle.dumps({"cls": EarlyStopping}, protocol=0).replace(b"clightning.pytorch.", b"cgone_root_xyz.")
    with pytest.raises(ModuleNotFoundError):
        pickle.Unpickler(io.BytesIO(raw)).load()
    with pl_legacy_patch():
        assert pickle.Unpickler(io.BytesIO(raw)).load() == {"cls": EarlyStopping}
    with pytest.raises(ModuleNotFoundError):  # the patch is undone afterwards
        pickle.Unpickler(io.BytesIO(raw)).load()
