"""Snapshot harness over fixtures/migrate/<family>/<case>.input.py -> <case>.expected.py.

For every case: the output equals the expected file byte for byte, parses, a second run changes nothing, and
every rule that reports a change really changes something (turning it off gives a different output).
"""

from __future__ import annotations

import ast

import pytest
from update_expected import options_for

from lit_migrate.engine import Options, migrate_source

from .conftest import FIXTURES, cases, expected_path

CASES = cases()
IDS = [str(c.relative_to(FIXTURES)).replace(".input.py", "") for c in CASES]


def _run(case, options=None):
    source = case.read_bytes().decode("utf-8")
    return source, migrate_source(source, str(case), options or options_for(source))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_matches_expected(case):
    source, result = _run(case)
    assert result.error is None
    expected = expected_path(case).read_bytes().decode("utf-8")
    assert result.output == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_parses_and_second_run_changes_nothing(case):
    source, first = _run(case)
    ast.parse(first.output)
    second = migrate_source(first.output, str(case), options_for(source))
    assert second.error is None
    assert second.output == first.output
    assert second.changes == [], "a second run still reports changes"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_rule_that_claims_a_fix_changes_something(case):
    source, full = _run(case)
    base = options_for(source)
    for rule in sorted({c.rule for c in full.changes}):
        without = migrate_source(source, str(case), Options(keep_namespace=base.keep_namespace,
                                                            ignore=frozenset({rule})))
        assert without.output != full.output, f"rule {rule} reports changes but changes nothing"


def test_must_not_change_cases_are_untouched():
    unchanged = [c for c in CASES if c.parent.name == "nochange" or c.stem.startswith("already_2x")]
    assert unchanged
    for case in unchanged:
        source, result = _run(case)
        assert result.output == source and not result.changes and not result.notes, case


def test_line_endings_are_kept():
    source, result = _run(FIXTURES / "imports" / "crlf.input.py")
    assert "\r\n" in source
    assert result.output.count("\r\n") == source.count("\r\n")
    assert "\n" not in result.output.replace("\r\n", "")


def test_every_family_has_a_fixture():
    from lit_migrate.engine import all_rules

    families = {c.parent.name for c in CASES}
    covered = set()
    for case in CASES:
        _, result = _run(case)
        covered |= {c.rule for c in result.changes + result.notes}
    missing = {r.name for r in all_rules()} - covered
    assert not missing, f"rules without a fixture: {missing}"
    assert "nochange" in families
