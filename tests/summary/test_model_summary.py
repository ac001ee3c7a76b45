"""ModelSummary tables, columns and totals equal what the real lightning 2.6.6 prints for the same modules."""
import logging

import pytest
import torch
from torch import nn

import lightning.pytorch as pl
from lightning.pytorch.utilities.model_summary import (
    UNKNOWN_SIZE,
    LayerSummary,
    ModelSummary,
    get_formatted_model_size,
    get_human_readable_count,
    summarize,
)
from .reference import extra
from summary_models import MAX_DEPTHS, make_models

MODELS = make_models(pl)
CASES = [(name, depth) for name in MODELS for depth in MAX_DEPTHS]


@pytest.mark.parametrize(("name", "depth"), CASES, ids=[f"{n}-{d}" for n, d in CASES])
def test_table_matches_reference(name, depth):
    expected = extra()["summaries"][f"{name}/{depth}"]
    summary = summarize(MODELS[name](), max_depth=depth)
    assert str(summary) == expected["table"]
    assert [list(column) for column in summary._get_summary_data()] == expected["columns"]
    assert summary.total_parameters == expected["total_parameters"]
    assert summary.trainable_parameters == expected["trainable_parameters"]
    assert summary.model_size == pytest.approx(expected["model_size"])
    assert summary.total_training_modes == expected["total_training_modes"]
    assert summary.total_flops == expected["total_flops"]


def test_human_readable_count_matches_reference():
    for number, text in extra()["human_readable_count"]:
        assert get_human_readable_count(number) == text, number


def test_human_readable_count_rejects_negative():
    with pytest.raises(ValueError, match=">= 0"):
        get_human_readable_count(-1)


@pytest.mark.parametrize("depth", [-2, 1.5, "1"])
def test_bad_max_depth_is_a_clear_error(depth):
    with pytest.raises(ValueError, match="max_depth"):
        ModelSummary(MODELS["plain"](), max_depth=depth)


def test_summary_restores_train_and_eval_modes():
    model = MODELS["frozen"]()
    modes = {name: m.training for name, m in model.named_modules()}
    summarize(model, max_depth=-1)
    assert {name: m.training for name, m in model.named_modules()} == modes


def test_layer_summary_records_shapes_of_first_call_only():
    layer = nn.Linear(3, 2)
    summary = LayerSummary(layer)
    assert summary.in_size == UNKNOWN_SIZE and summary.out_size == UNKNOWN_SIZE
    layer(torch.zeros(4, 3))
    layer(torch.zeros(5, 3))
    assert (summary.in_size, summary.out_size) == ([4, 3], [4, 2])
    assert (summary.layer_type, summary.num_parameters, summary.training) == ("Linear", 8, True)


def test_lazy_parameters_warn_and_are_not_counted():
    class Lazy(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = nn.LazyLinear(4)

    with pytest.warns(UserWarning, match="lazy"):
        assert summarize(Lazy()).total_parameters == 0


def test_size_in_megabytes_follows_trainer_precision():
    model = MODELS["big"]()

    class FakeTrainer:
        precision = "16-true"

    model._trainer = FakeTrainer()
    assert summarize(model).model_size == pytest.approx(summarize(MODELS["big"]()).model_size / 2)
    FakeTrainer.precision = "transformer-engine"
    with pytest.warns(UserWarning, match="32 bits"):
        assert summarize(model).model_size == pytest.approx(summarize(MODELS["big"]()).model_size)


def test_formatted_model_size():
    assert get_formatted_model_size(1234.56789) == "1,234.568"
