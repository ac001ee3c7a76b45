"""The shortcuts taken for speed give the answers of the slow paths they replace."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from lit_migrate.cstutil import code, expr, statements
from lit_migrate.engine import migrate_source
from lit_migrate.rules.hooks import _Return, _rewrite_returns
from lit_migrate.values import literal_value


@pytest.mark.parametrize("source", ["0", "1_000", "0x1F", "0o17", "0b101", "00", "1.5", "1e-3", ".5", "1_0.0_1",
                                    '"a"', "'b'", '"""c\nd"""', "''''''", '""', 'r"\\d"', '"x\\ny"', "u'z'",
                                    "'don\"t'", '"\\u00e9"'])
def test_literal_value_reads_literals_as_python_does(source):
    assert literal_value(cst.parse_expression(source)) == ast.literal_eval(source)


def test_crlf_inside_a_triple_quoted_string_reads_as_lf():
    node = cst.parse_module('x = """a\r\nb"""\r\n').body[0].body[0].value
    assert literal_value(node) == "a\nb"


def test_cached_snippets_are_fresh_lists_and_reusable_in_several_trees():
    first, second = statements(["x = 1", "y = 2"]), statements(["x = 1", "y = 2"])
    assert first is not second and first == second
    first.append(None)
    assert len(statements(["x = 1", "y = 2"])) == 2
    tree = cst.Module(body=[*second, *statements(["x = 1", "y = 2"])])
    assert tree.code == "x = 1\ny = 2\nx = 1\ny = 2\n"
    assert code(expr('"16-mixed"')) == '"16-mixed"'


FUNCTION = '''def step(self, batch):
    if batch:
        return 1
    elif batch is None:
        for x in batch:
            return 2
        else:
            return 3
    try:
        return 4
    except ValueError:
        return 5
    finally:
        pass
    with open("f") as f:
        return 6
    while True: return 7
    match batch:
        case 1:
            return 8
    def inner():
        return 9
    class Inner:
        def m(self):
            return 10
    fn = lambda: 11
    return 12
'''


def test_return_rewriter_reaches_every_block_and_skips_nested_scopes():
    fn = cst.parse_module(FUNCTION).body[0]
    seen = []

    def plan(value):
        seen.append(code(value))
        return _Return([f"record({code(value)})"], code(value))

    new, count = _rewrite_returns(fn, plan)
    assert seen == [str(k) for k in (1, 2, 3, 4, 5, 6, 7, 8, 12)] and count == 9
    text = cst.Module(body=[new]).code
    ast.parse(text)
    assert text.count("record(") == 9 and "return 9" in text and "return 10" in text
    assert "while True:\n        record(7)\n        return 7" in text
    untouched, none = _rewrite_returns(fn, lambda value: None)
    assert untouched is fn and none == 0


def test_migrating_twice_in_one_process_gives_the_same_output():
    source = ("import pytorch_lightning as pl\n\n\nclass M(pl.LightningModule):\n    def training_step(self, b, i):\n"
              "        return b\n\n    def training_epoch_end(self, outputs):\n        print(outputs)\n")
    first, second = migrate_source(source), migrate_source(source)
    assert first.output == second.output and "self.training_step_outputs = []" in first.output


def test_every_rule_runs_even_when_one_rule_module_was_imported_first():
    import subprocess
    import sys

    probe = ("import lit_migrate.rules.hooks\nfrom lit_migrate.engine import all_rules\n"
             "print(len({r.family for r in all_rules()}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    from lit_migrate.engine import families

    assert int(out) == len(families()) > 1
