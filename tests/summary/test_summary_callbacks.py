"""ModelSummary / RichModelSummary callbacks print what the real lightning 2.6.6 prints at fit start."""
import io
import logging

import pytest
import rich

import lightning.pytorch as pl
from lightning.pytorch.callbacks.model_summary import ModelSummary
from lightning.pytorch.callbacks.rich_model_summary import RichModelSummary
from .reference import extra
from summary_models import make_models


class _RankZero:
    is_global_zero = True


def test_model_summary_callback_logs_reference_table(caplog):
    model = make_models(pl)["frozen"]()
    with caplog.at_level(logging.INFO, logger="lightning.pytorch.callbacks.model_summary"):
        ModelSummary(max_depth=2).on_fit_start(_RankZero(), model)
    assert [r.getMessage() for r in caplog.records] == extra()["callbacks"]["model_summary_log"]


def test_rich_model_summary_prints_reference_table():
    buffer = io.StringIO()
    rich.reconfigure(file=buffer, width=120, color_system=None, force_terminal=False)
    try:
        RichModelSummary(max_depth=2).on_fit_start(_RankZero(), make_models(pl)["frozen"]())
    finally:
        rich.reconfigure()
    assert buffer.getvalue() == extra()["callbacks"]["rich_model_summary"]


def test_max_depth_zero_prints_nothing(caplog):
    with caplog.at_level(logging.INFO):
        ModelSummary(max_depth=0).on_fit_start(_RankZero(), make_models(pl)["frozen"]())
    assert not caplog.records


def test_only_global_rank_zero_prints(caplog):
    class OtherRank:
        is_global_zero = False

    with caplog.at_level(logging.INFO):
        ModelSummary().on_fit_start(OtherRank(), make_models(pl)["plain"]())
    assert not caplog.records


def test_rich_model_summary_without_rich_names_the_install(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rich" else real_find_spec(name, *a))
    with pytest.raises(ModuleNotFoundError, match="pip install rich"):
        RichModelSummary()
