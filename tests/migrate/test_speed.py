"""What keeps lit-migrate close to bare libcst, checked structurally (timings live in `bench/`, not in tests)."""

from __future__ import annotations

import gc
import os
import time

import libcst as cst
import pytest

from lit_migrate import engine, workers

LEGACY = '''import pytorch_lightning as pl


def helper(values):
    total = 0
    for v in values:
        total += v * 2
    return total


class Model(pl.LightningModule):
    def forward(self, x):
        return x + 1

    def training_step(self, batch, batch_idx):
        return batch


trainer = pl.Trainer(gpus=0, max_epochs=1)
'''


def test_a_file_without_lightning_is_never_parsed(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(cst, "parse_module", refuse)
    monkeypatch.setattr(engine.ast, "parse", refuse)
    result = engine.migrate_source("import torch\nx = torch.ones(3)\n")
    assert result.skipped and not result.changed and result.error is None


def _walked(source: str, monkeypatch) -> list[cst.CSTNode]:
    seen: list[cst.CSTNode] = []
    original = engine._Dispatcher.on_visit

    def spy(self, node):
        walked = original(self, node)
        if walked:
            seen.append(node)
        return walked

    monkeypatch.setattr(engine._Dispatcher, "on_visit", spy)
    result = engine.migrate_source(source)
    assert result.changed and result.error is None
    return seen


def test_only_statements_that_can_need_a_rewrite_are_walked(monkeypatch):
    walked = _walked(LEGACY, monkeypatch)
    functions = {n.name.value for n in walked if isinstance(n, cst.FunctionDef)}
    assert functions == {"training_step"}  # helper() and forward() mention nothing a rule reacts to
    assert not any(isinstance(n, cst.For) for n in walked)
    # whitespace, punctuation, operators and numbers are never walked (libcst keeps them instead of rebuilding)
    assert not [n for n in walked if type(n) in engine._TRIVIA]
    assert any(isinstance(n, cst.Call) for n in walked)


def test_untouched_subtrees_are_the_parsed_objects(monkeypatch):
    kept = []
    original = engine._add_imports

    def spy(updated, ctx):
        kept.append(updated)
        return original(updated, ctx)

    parsed = []
    real_parse = cst.parse_module
    monkeypatch.setattr(engine, "_add_imports", spy)
    monkeypatch.setattr(cst, "parse_module", lambda text: parsed.append(real_parse(text)) or parsed[-1])
    engine.migrate_source(LEGACY)
    before, after = parsed[0].body, kept[0].body
    assert after[1] is before[1]  # helper(): not relevant, not rebuilt
    trainer_line = after[-1].body[0]
    assert trainer_line.value.args[-1].value is before[-1].body[0].value.args[-1].value  # max_epochs=1's `1`


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_collector_is_paused_per_file_and_restored(monkeypatch, enabled):
    states = []
    original = engine._migrate_source

    def spy(*args):
        states.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(engine, "_migrate_source", spy)
    (gc.enable if enabled else gc.disable)()
    try:
        engine.migrate_source(LEGACY)
        assert states == [False] and gc.isenabled() is enabled
    finally:
        gc.enable()


def test_rule_handlers_are_looked_up_once_per_rule_class():
    rules = engine.all_rules()
    engine._HANDLERS.clear()
    engine.migrate_source(LEGACY)
    first = dict(engine._HANDLERS)
    engine.migrate_source(LEGACY)
    assert set(first) == set(rules) and all(engine._HANDLERS[r] is first[r] for r in rules)


def _timed_job(path: str):
    from lit_migrate.report import FileResult

    start = time.monotonic()
    time.sleep(0.3)
    return FileResult(path=path, skipped=f"{os.getpid()} {start} {time.monotonic()}")


def test_jobs_run_at_the_same_time_in_as_many_workers():
    runs = {}
    for _, result in workers.run_isolated([f"f{i}" for i in range(6)], _timed_job, 3, timeout=None):
        pid, start, end = result.skipped.split()
        runs[result.path] = (int(pid), float(start), float(end))
    assert len({pid for pid, _, _ in runs.values()}) == 3
    spans = sorted((s, e) for _, s, e in runs.values())
    overlapping = sum(1 for (s1, e1), (s2, e2) in zip(spans, spans[1:]) if s2 < e1)
    assert overlapping >= 2  # files ran side by side, not one after another


def test_the_command_line_uses_every_core_this_process_may_use_by_default(tmp_path, monkeypatch):
    from lit_migrate import cli

    for i in range(3):
        (tmp_path / f"m{i}.py").write_text(LEGACY)
    asked = []
    real = cli.run_isolated

    def spy(paths, job, jobs, timeout):
        asked.append(jobs)
        return real(paths, job, jobs, timeout)

    monkeypatch.setattr(cli, "run_isolated", spy)
    cli.main([str(tmp_path), "--check", "-q"])
    cli.main([str(tmp_path), "--check", "-q", "-j", "2"])
    assert asked == [len(os.sched_getaffinity(0)), 2]
