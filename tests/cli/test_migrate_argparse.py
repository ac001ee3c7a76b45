"""lit-migrate on the argparse-helper patterns of real 1.x code (fixtures/migrate_cli/): the project template, the
bolts-style `add_model_specific_args` + `**vars(args)`, latent-diffusion's `nondefault_trainer_args`.

Each migrated script runs (in this process, as `__main__`) on our `lightning` and must report the values real
pytorch-lightning 1.9.5 reported for the original (expected/<name>.json). Strict mode (`LIGHTNING_COMPAT_STRICT=1`,
where the 1.x helpers raise as in real 2.x) proves the migration complete: lit-migrate rewrites every helper of these
scripts (rules/argparse_helpers.py), so no review note about them may remain. `target_2x/` holds a hand-written
migration of each script, which must pass strictly too.
"""
import ast
import json
import re
import runpy
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from lit_migrate import cli as lit_migrate
from lit_migrate.engine import migrate_source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "migrate_cli"
SCRIPTS = ("template_project", "bolts_model_specific_args", "latent_diffusion_nondefault")


def _run(script: Path, strict: bool, monkeypatch, capsys) -> dict:
    """Run the script as `__main__` in this process (its folder as cwd and first on sys.path); return its RESULT."""
    with monkeypatch.context() as patch:
        patch.setenv("LIGHTNING_COMPAT_STRICT", "1" if strict else "0")
        patch.chdir(script.parent)
        patch.syspath_prepend(str(script.parent))
        patch.setattr(sys, "argv", [script.name])
        patch.delitem(sys.modules, "argparse_result", raising=False)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(str(script), run_name="__main__")
        lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("RESULT ")]
    assert lines, f"{script.name} reported nothing"
    return json.loads(lines[-1][len("RESULT "):])


def _expected(name: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{name}.json").read_text())


def _workdir(tmp_path: Path, script: Path) -> Path:
    shutil.copy(script, tmp_path / script.name)
    shutil.copy(FIXTURES / "argparse_result.py", tmp_path / "argparse_result.py")
    return tmp_path / script.name


def _migrate(target: Path) -> list[str]:
    report = target.parent / "report.json"
    assert lit_migrate.main([str(target), "-j", "1", "-q", "--report", str(report)]) == lit_migrate.EXIT_OK
    data = json.loads(report.read_text())
    return [f"{n['line']}: {n['message']}" for f in data["files"] for n in f["review_notes"]]


@pytest.mark.parametrize("name", SCRIPTS)
def test_complete_migration_runs_strictly_with_the_1x_values(name, tmp_path, monkeypatch, capsys):
    script = _workdir(tmp_path, FIXTURES / "target_2x" / f"{name}.py")
    assert "argparse_args" not in script.read_text()
    assert _run(script, True, monkeypatch, capsys) == _expected(name)


@pytest.mark.parametrize("name", SCRIPTS)
def test_lit_migrate_output_keeps_the_parsed_values(name, tmp_path, monkeypatch, capsys):
    script = _workdir(tmp_path, FIXTURES / f"{name}.py")
    notes = _migrate(script)
    migrated = script.read_text()
    assert not re.search(r"^\s*(from|import) pytorch_lightning\b", migrated, re.M)
    compile(migrated, str(script), "exec")
    # with the legacy helpers still available (non-strict), nothing the codemod changed alters a parsed value
    assert _run(script, False, monkeypatch, capsys) == _expected(name)
    helpers_left = [n.attr for n in ast.walk(ast.parse(migrated)) if isinstance(n, ast.Attribute)
                    and n.attr in ("add_argparse_args", "from_argparse_args")]
    assert not helpers_left
    assert not [n for n in notes if "argparse" in n]
    assert _run(script, True, monkeypatch, capsys) == _expected(name)


def test_declared_trainer_flags_parse_values_as_1x_did():
    """The explicit add_argument lines parse each kind of Trainer flag as real 1.9.5's add_argparse_args did
    (fixtures/migrate/argparse_helpers/parsing_1x.json, recorded by generate_parsing_1x.py)."""
    recorded = json.loads((ROOT / "fixtures" / "migrate" / "argparse_helpers" / "parsing_1x.json").read_text())
    cases = recorded["cases"]
    flags = sorted({case["argv"][0] for case in cases})
    source = ("from argparse import ArgumentParser\nimport pytorch_lightning as pl\n"
              f"FLAGS = {flags!r}\nparser = pl.Trainer.add_argparse_args(ArgumentParser())\n")
    result = migrate_source(source)
    assert ".add_argparse_args(" not in result.output and not result.notes, result.output
    namespace: dict = {}
    exec(compile(result.output, "<migrated>", "exec"), namespace)
    for case in cases:
        parsed = vars(namespace["parser"].parse_args(case["argv"]))[case["argv"][0][2:]]
        assert (parsed, type(parsed).__name__) == (case["value"], case["type"]), case["argv"]
