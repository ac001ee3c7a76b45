"""``ModelCheckpoint`` made by 1.x code (the ``pytorch_lightning`` namespace) writes the files pytorch-lightning 1.9.5
writes; made by 2.x code, the files of Lightning 2.6.6 (tests/checkpointing/test_layout_and_names.py).

Reference data: fixtures/checkpoints/pytorch_lightning-1.9.5/filenames.json, made by fixtures/checkpoints/generate.py
with the real 1.9.5 for the same CONFIGS; our runs use that generator's own ``run_config``.
"""
import importlib.util
import json

import pytest

import lightning.pytorch as pl2
import pytorch_lightning as pl1
from conftest import L2_FIXTURES, PL1_FIXTURES
from generate import CONFIGS, run_config
from lightning.pytorch.callbacks import ModelCheckpoint

REAL_1X = json.loads((PL1_FIXTURES / "filenames.json").read_text())["configs"]
REAL_2X = json.loads((L2_FIXTURES / "filenames.json").read_text())["configs"]
# 1.9.5 knew only save_last=True/False: it took the 2.x-only value "link" for True and wrote copies. Code that asks
# for "link" is 2.x code whatever namespace it imports, so it gets the 2.6.6 symbolic link.
TWO_X_ONLY = {"last_as_link": "save_last='link' does not exist in 1.9.5"}


def _expected(table: dict, name: str) -> dict:
    return {k: v for k, v in table[name].items() if k not in ("checkpoint_kwargs", "trainer_overrides")}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_files_equal_real_1_9_5_through_pytorch_lightning(name, tmp_path):
    ours = run_config(pl1, name, str(tmp_path))
    if name in TWO_X_ONLY:
        assert _expected(REAL_1X, name) != _expected(REAL_2X, name)  # a real difference, decided for 2.x
        assert ours == _expected(REAL_2X, name), TWO_X_ONLY[name]
    else:
        assert ours == _expected(REAL_1X, name)


def test_the_configurations_where_1x_and_2x_differ_are_the_ones_the_1x_rules_cover():
    differ = {name for name in CONFIGS if _expected(REAL_1X, name) != _expected(REAL_2X, name)}
    assert differ == {"fixed_name_version_counter", "last_only", "last_as_link"}


def test_strict_mode_behaves_like_real_2x(tmp_path, monkeypatch):
    monkeypatch.setenv("LIGHTNING_COMPAT_STRICT", "1")
    assert run_config(pl1, "fixed_name_version_counter", str(tmp_path)) == _expected(
        REAL_2X, "fixed_name_version_counter"
    )


def _make(namespace):
    return namespace.callbacks.ModelCheckpoint()


class _Subclass(ModelCheckpoint):
    pass


def test_which_code_counts_as_1x():
    assert _make(pl1)._1x_file_rules  # the caller's local names hold the pytorch_lightning package
    assert not _make(pl2)._1x_file_rules  # ... or only lightning.pytorch
    assert ModelCheckpoint()._1x_file_rules  # no module in the locals: this module imports pytorch_lightning

    scope = {"_Subclass": _Subclass, "__name__": "user_code", "L": pl2}
    exec("def build():\n    return _Subclass()\n", scope)
    assert not scope["build"]()._1x_file_rules  # a module that uses only the 2.x namespace
    scope["pl"] = pl1.callbacks  # an overlay module of the 1.x namespace
    assert scope["build"]()._1x_file_rules
    del scope["pl"], scope["L"]
    assert not scope["build"]()._1x_file_rules  # no namespace module at all: the 2.x rules


@pytest.mark.parametrize("import_line, is_1x", [
    ("from pytorch_lightning.callbacks import ModelCheckpoint", True),
    ("from lightning.pytorch.callbacks import ModelCheckpoint", False),
])
def test_a_module_with_only_from_imports_is_judged_by_its_source(tmp_path, import_line, is_1x):
    # no namespace module object in the caller's scope: its source file's import lines decide
    source = tmp_path / f"user_code_{is_1x}.py"
    source.write_text(f"{import_line}\n\n\ndef build():\n    return ModelCheckpoint()\n")
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build()._1x_file_rules is is_1x
