"""Table E constructor keywords through ``accepts_legacy_constructor_arguments`` (_legacy.trainer_args).

The decorator is applied here to the real callback classes (their owners decorate ``__init__`` in place); with it,
the two ModelCheckpoint fixture scripts end like the real 1.9.5 under the table's mapping.
"""

import pytest

from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
from lightning.pytorch._legacy.trainer_args import accepts_legacy_constructor_arguments
from lightning.pytorch._legacy.usage import LegacyUsageWarning
from lit_migrate import legacy_facts as facts
from test_fixture_scripts import close_to, expected, run_script


@pytest.fixture
def decorated(monkeypatch):
    for cls in (ModelCheckpoint, EarlyStopping):
        if not hasattr(cls.__init__, "__wrapped__"):
            monkeypatch.setattr(cls, "__init__", accepts_legacy_constructor_arguments(cls.__name__)(cls.__init__))


def test_period_is_every_n_epochs(decorated):
    with pytest.warns(LegacyUsageWarning, match="every_n_epochs=2"):
        assert ModelCheckpoint(period=2)._every_n_epochs == 2


def test_filepath_is_split(decorated, tmp_path):
    with pytest.warns(LegacyUsageWarning, match="filepath"):
        checkpoint = ModelCheckpoint(filepath=str(tmp_path / "ckpts" / "{epoch}"))
    assert checkpoint.dirpath == str(tmp_path / "ckpts") and checkpoint.filename == "{epoch}"


def test_filepath_of_an_existing_directory_is_the_dirpath(decorated, tmp_path):
    with pytest.warns(LegacyUsageWarning):
        assert ModelCheckpoint(filepath=str(tmp_path)).dirpath == str(tmp_path)


@pytest.mark.parametrize("monitor,mode", [("val_acc", "max"), ("val_loss", "min")])
def test_mode_auto(decorated, monitor, mode):
    with pytest.warns(LegacyUsageWarning, match="mode"):
        assert ModelCheckpoint(monitor=monitor, mode="auto").mode == mode


def test_2x_call_is_untouched(decorated, recwarn):
    ModelCheckpoint(every_n_epochs=2, mode="max")
    assert not [w for w in recwarn if issubclass(w.category, LegacyUsageWarning)]


def test_strict_mode_raises_like_2x(decorated, strict):
    with pytest.raises(TypeError, match="unexpected keyword argument 'period'"):
        ModelCheckpoint(period=2)


def test_every_constructor_row_names_a_mapping():
    for (cls_name, name), fact in facts.CTOR_ARGS.items():
        assert fact.rename_to or fact.mapper, (cls_name, name)


@pytest.mark.parametrize("name", ["model_checkpoint_filepath", "model_checkpoint_period"])
def test_fixture_scripts_with_the_decorator(name, decorated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    close_to(run_script(name, str(tmp_path / "out")), expected(name))
