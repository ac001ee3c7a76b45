"""The table validate/test print equals the real lightning 2.6.6's, with rich and in plain text."""
import contextlib
import io
import re

import pytest
import rich
import torch

from lightning.pytorch.loops import results_table
from lightning.pytorch.loops.results_table import print_results_table
from .reference import trainer_runs


def _printed_values(text: str) -> list[float]:
    """The numbers in the printed table (the fixture's returned dicts are rounded; the table shows full floats)."""
    return [float(v) for v in re.findall(r"\d+\.\d+", text)]


def _results_with_printed_precision(case: dict) -> list[dict]:
    """The returned metric dicts as float32 tensors (as the loop hands them over), exact to the printed digits."""
    exact = iter(sorted(set(_printed_values(case["printed"]))))
    by_rounded = {round(v, 6): v for v in exact}
    return [{k: torch.tensor(by_rounded.get(v, v)) for k, v in result.items()} for result in case["returned"]]


def _print(results, stage, printer, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(results_table, "_rich_available", lambda: printer == "rich")
    buffer = io.StringIO()
    rich.reconfigure(file=buffer, width=120, color_system=None, force_terminal=False)
    try:
        with contextlib.redirect_stdout(buffer):
            print_results_table(results, stage)
    finally:
        rich.reconfigure()
    return buffer.getvalue()


@pytest.mark.parametrize("printer", ["plain", "rich"])
@pytest.mark.parametrize("stage", ["validate", "test"])
def test_table_matches_reference(printer, stage, monkeypatch):
    case = trainer_runs()["results_tables"][printer][stage]
    assert _print(_results_with_printed_precision(case), stage, printer, monkeypatch) == case["printed"]


def test_no_metrics_prints_nothing(monkeypatch):
    assert _print([{}], "test", "plain", monkeypatch) == ""
    assert _print([], "validate", "rich", monkeypatch) == ""


def test_missing_metric_in_one_dataloader_leaves_a_blank_cell(monkeypatch):
    text = _print([{"a": 1.0, "b": 2.0}, {"a/dataloader_idx_1": 3.0}], "test", "plain", monkeypatch)
    lines = [line for line in text.splitlines() if line.strip().startswith(("a", "b"))]
    assert lines[0].split() == ["a", "1.0", "3.0"]
    assert lines[1].split() == ["b", "2.0"]


def test_nested_dict_metrics_are_joined_with_colons(monkeypatch):
    text = _print([{"outer": {"inner": 4}}], "validate", "plain", monkeypatch)
    assert "outer:inner" in text and "4" in text


def test_many_dataloaders_split_into_several_tables(monkeypatch):
    text = _print([{"m": float(i)} for i in range(6)], "test", "plain", monkeypatch)
    assert text.count("Test metric") == 2  # 120 columns hold the name column and 3 loaders of width 25


def test_long_metric_name_wraps_in_plain_text(monkeypatch):
    name = "x" * 70
    text = _print([{name: 1.0}], "test", "plain", monkeypatch)
    assert "x" * 60 in text and "1.0" in text
