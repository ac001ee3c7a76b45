"""Report line numbers (computed cheaply from Python's own parser) agree with libcst's PositionProvider."""

from __future__ import annotations

import pytest
from libcst.metadata import MetadataWrapper, PositionProvider
from update_expected import options_for

from lit_migrate import engine

from .conftest import FIXTURES, cases

CASES = cases()


def _reference_lines(module, nodes, ctx):
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    wanted = {id(n) for n in nodes}
    return {id(node): pos.start.line for node, pos in positions.items() if id(node) in wanted}


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_lines_match_position_provider(case, monkeypatch):
    source = case.read_bytes().decode("utf-8")
    fast = engine.migrate_source(source, str(case), options_for(source))
    monkeypatch.setattr(engine, "_lines", _reference_lines)
    slow = engine.migrate_source(source, str(case), options_for(source))
    assert [(c.line, c.message) for c in fast.changes + fast.notes + fast.caveats] == \
        [(c.line, c.message) for c in slow.changes + slow.notes + slow.caveats]
