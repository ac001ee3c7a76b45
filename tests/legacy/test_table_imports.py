"""Section D of the migration table, one test per row, generated from lit_migrate.legacy_facts.

Every 1.x import path resolves to the very object ``lightning.pytorch`` has (identity, not a copy) with a
DeprecationWarning naming the 2.x path, or fails with the table's advice when 2.x removed it; in strict mode each
reacts as the real pytorch_lightning 2.6.6 does (recorded by reference/generate_strict.py).
"""
import importlib
import subprocess
import sys
import warnings

import pytest

from tests.legacy.conftest import outcome
from lit_migrate import legacy_facts as facts
from pytorch_lightning._aliases import _own_file, resolve_dotted

NAME_ROWS = sorted(facts.NAME_MOVES)
MODULE_ROWS = sorted(facts.MODULE_MOVES)


def import_name(dotted):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _forget(prefix):
    for key in [k for k in sys.modules if k == prefix or k.startswith(prefix + ".")]:
        del sys.modules[key]


def _target(new):
    try:
        return resolve_dotted(new)
    except ImportError:
        return None


@pytest.mark.parametrize("old", NAME_ROWS)
def test_moved_name(old):
    move = facts.NAME_MOVES[old]
    if move.new is None:
        with pytest.raises((ImportError, AttributeError), match="removed"):
            import_name(old)
        return
    target = _target(move.new)
    if target is None:
        pytest.skip(f"{move.new} is not part of this installation")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = import_name(old)
    assert got is target
    assert any("lit-migrate" in str(w.message) and issubclass(w.category, DeprecationWarning) for w in caught)


@pytest.mark.parametrize("old", MODULE_ROWS)
def test_moved_module(old):
    resolved = facts.resolve_import(old)
    if _own_file(old):  # a 1.x-only module this package still ships (e.g. core.decorators)
        assert importlib.import_module(old).__name__ == old
        return
    if resolved.new is None:
        with pytest.raises(ModuleNotFoundError, match="removed"):
            importlib.import_module(old)
        return
    if _target(resolved.new) is None:
        pytest.skip(f"{resolved.new} is not part of this installation")
    module = importlib.import_module(old)
    assert module.__name__ == old


@pytest.mark.parametrize("old", NAME_ROWS)
def test_moved_name_in_strict_mode(old, strict, reference):
    swapped = "lightning.pytorch" + old[len("pytorch_lightning"):]
    if (reference["name_imports"][old] == "ok") != (_target(swapped) is not None):
        pytest.xfail(f"2.6.6 and our lightning.pytorch disagree on whether {swapped} exists (surface, not the "
                     "legacy layer)")
    _forget(old.rpartition(".")[0])
    try:
        assert outcome(lambda: import_name(old)) == reference["name_imports"][old]
    finally:
        _forget(old.rpartition(".")[0])


@pytest.mark.parametrize("old", MODULE_ROWS)
def test_moved_module_in_strict_mode(old, strict, reference):
    _forget(old)
    try:
        assert outcome(lambda: importlib.import_module(old)) == reference["module_imports"][old]
    finally:
        _forget(old)


# ------------------------------------------------------------------ one module tree
def test_identity_of_the_main_classes():
    import lightning as L
    import pytorch_lightning as pl
    from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint
    from pytorch_lightning.loggers import CSVLogger

    import lightning.pytorch.callbacks as new_callbacks
    import lightning.pytorch.loggers as new_loggers

    assert pl.LightningModule is L.LightningModule and pl.Trainer is L.Trainer
    assert pl.LightningDataModule is L.LightningDataModule and pl.Callback is L.Callback
    assert pl.seed_everything is L.seed_everything
    assert ModelCheckpoint is new_callbacks.ModelCheckpoint and EarlyStopping is new_callbacks.EarlyStopping
    assert CSVLogger is new_loggers.CSVLogger


def test_submodules_are_the_same_module_objects():
    import lightning.pytorch.callbacks.model_checkpoint as new
    import pytorch_lightning.callbacks.model_checkpoint as old

    assert old is new


def test_lightning_pytorch_is_not_polluted_by_1x_only_modules():
    import lightning.pytorch.trainer as new_trainer
    import pytorch_lightning.trainer.supporters  # noqa: F401  (a 1.x-only module)

    assert not hasattr(new_trainer, "supporters")


def test_progress_bar_keeps_its_1x_meaning_and_strict_mode_the_2x_one(monkeypatch):
    from lightning.pytorch.callbacks import ProgressBar, TQDMProgressBar

    assert import_name("pytorch_lightning.callbacks.ProgressBar") is TQDMProgressBar
    monkeypatch.setenv("LIGHTNING_COMPAT_STRICT", "1")
    assert import_name("pytorch_lightning.callbacks.ProgressBar") is ProgressBar


def test_unknown_module_is_module_not_found():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("pytorch_lightning.no_such_module")


def test_import_is_cheap():
    code = "import sys, pytorch_lightning; print('torch' in sys.modules, 'lightning' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_old_checkpoint_pickles_resolve_through_the_alias():
    """A 1.x checkpoint pickled `pytorch_lightning.utilities.parsing.AttributeDict`; it unpickles to ours."""
    import pickle

    from lightning.pytorch.utilities.parsing import AttributeDict

    payload = pickle.dumps(AttributeDict(a=1)).replace(b"lightning.pytorch.utilities.parsing",
                                                        b"pytorch_lightning.utilities.parsing")
    restored = pickle.loads(payload)
    assert type(restored) is AttributeDict and restored.a == 1


def test_auto_move_data_moves_arguments_to_the_module_device():
    import torch

    from lightning.pytorch import LightningModule

    with pytest.warns(DeprecationWarning, match="core.decorators"):
        _forget("pytorch_lightning.core.decorators")
        from pytorch_lightning.core.decorators import auto_move_data

    class M(LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 1).double()

        @auto_move_data
        def forward(self, x):
            return x

    model = M()
    model.to(torch.float64)
    assert model(torch.zeros(2)).device == model.device


def test_1x_utilities_namespace():
    from lightning.pytorch.utilities.parsing import AttributeDict
    from lightning.pytorch.utilities.rank_zero import rank_zero_only
    from pytorch_lightning.utilities import AttributeDict as OldDict
    from pytorch_lightning.utilities import rank_zero_only as old_rank_zero_only

    assert OldDict is AttributeDict and old_rank_zero_only is rank_zero_only
