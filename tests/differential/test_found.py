"""Divergences the harness found, each pinned as the smallest scenario that showed it and run side by side with
the real package (one process per package for all of them)."""
from __future__ import annotations

import pytest

from tests.reference import L2_PYTHON, PL1_PYTHON, require

from .harness import Harness, report
from .scenarios import OFF, normalize

FOUND = {
    # a sanity check's last validation batch left `is_last_batch` set in every checkpoint of the epoch
    "sanity_check_resets_is_last_batch": {"checkpoint": "every_n_steps"},
    # resuming a fit skips the sanity check, which would disturb the restored loop state
    "resume_skips_sanity_check": {"interrupt_at": 2},
    # manual optimization counts its optimizer steps over the whole fit, not per epoch
    "manual_step_count_spans_epochs": {"manual": True, "checkpoint": "every_n_steps", "max_epochs": 3},
    # a checkpoint saved in on_train_batch_start: the batch it was about to train runs again after the resume
    "resume_from_batch_start": {"interrupt_at": 2, "interrupt_hook": "batch_start"},
    "resume_from_last_batch_start": {"train_batches": 5, "interrupt_at": 4, "interrupt_hook": "batch_start"},
    # ... and at an epoch's first batch: the shuffled order is drawn on the first pull, from the epoch-start RNG
    "resume_from_first_batch_start_shuffled": {"shuffle": "plain", "interrupt_at": 4, "interrupt_hook": "batch_start"},
    # 1.x code: CSVLogger writes hparams.yaml even without hyperparameters, as 1.9.5 did (2.x code: it does not)
    "csv_hparams_file_1x": {"api": "1.x", "logger": "csv"},
    "csv_hparams_file_2x": {"logger": "csv"},
    # 1.x code: LearningRateMonitor sends the rates to the loggers only, not into callback_metrics as 2.x does
    "lr_monitor_metrics_1x": {"api": "1.x", "logger": "csv", "lr_monitor": True},
    "lr_monitor_metrics_2x": {"logger": "csv", "lr_monitor": True},
}


def test_found_divergences_stay_fixed():
    require(L2_PYTHON), require(PL1_PYTHON)
    names = sorted(FOUND)
    scenarios = [normalize({"seed": 1, "api": "2.x", **OFF, **FOUND[name]}) for name in names]
    for name, s in zip(names, scenarios):  # normalize must not have switched the pinned feature off
        assert all(s[k] == v for k, v in FOUND[name].items()), name
    with Harness() as harness:
        results = harness.run(scenarios)
    failed = [f"{name}:\n{report(r)}" for name, r in zip(names, results) if r.diffs]
    if failed:
        pytest.fail("\n".join(failed), pytrace=False)
