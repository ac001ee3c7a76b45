"""lit-migrate on the committed sample of real public 1.x code (fixtures/migrate_corpus/vendor/, Apache-2.0):
no file damaged, none changed by a second run, at least 95% of the legacy uses rewritten (AST scan, review comments
invisible to it), and every use left carries a review note above it. The whole corpus (sources.json, fetched by
tests/migrate/corpus/fetch.py) is measured the same way by tests/migrate/corpus/measure.py."""

from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "migrate" / "corpus"))
import measure  # noqa: E402

VENDOR = ROOT / "fixtures" / "migrate_corpus" / "vendor"


@pytest.fixture(scope="module")
def report():
    return measure.measure(VENDOR)


def test_every_vendored_source_is_listed_with_its_licence():
    sources = {s["name"]: s for s in json.loads((VENDOR.parent / "sources.json").read_text())}
    vendored = {p.name for p in VENDOR.iterdir() if p.is_dir()}
    assert vendored == {name for name, s in sources.items() if s["vendored"]}
    for name in vendored:
        assert (VENDOR / name / "LICENSE").is_file(), f"{name}: its licence must travel with it"


def test_corpus_is_not_damaged_and_a_second_run_changes_nothing(report):
    assert report.files >= 20 and report.changed >= 15
    assert report.damaged == []
    assert report.unstable == []


def test_most_legacy_uses_are_rewritten_and_the_rest_explained(report):
    before = sum(report.before.values())
    assert before >= 50, report.before  # the sample really is 1.x code
    assert set(report.before) == set(measure.KINDS)
    assert report.rewritten_share >= 0.95, report.summary()
    assert report.unexplained == [], report.unexplained


def test_the_scan_sees_each_kind_of_legacy_use():
    source = '''
import pytorch_lightning as pl
from pytorch_lightning import Trainer

class M(pl.LightningModule):
    def training_step(self, batch, batch_idx):
        return self.layer(batch).sum()

    def training_epoch_end(self, outputs):
        pass

class Single(pl.LightningModule):
    def training_step(self, batch, batch_idx, optimizer_idx=0):
        return self.layer(batch).sum()

def main(args):
    kw = dict(progress_bar_refresh_rate=5)
    Trainer(**kw)
    parser = Trainer.add_argparse_args(None)
    return Trainer(gpus=1, max_epochs=2)
'''
    kinds = [u.kind for u in measure.legacy_uses(source)]
    assert sorted(kinds) == sorted(["imports", "imports", "hooks", "hooks", "trainer-kwargs", "trainer-kwargs",
                                    "argparse"])
    migrated = measure.migrate_source(source).output
    assert measure.legacy_uses(migrated) == []
