"""Notebooks are read the way IPython runs their cells: indented cells, magics, shell and help lines, cell magics,
nbformat 3; a cell that does not parse is reported with its cell and line."""

from __future__ import annotations

import json

from lit_migrate import cli
from lit_migrate.engine import Options
from lit_migrate.notebooks import migrate_notebook


def _code(source) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def _nb4(*cells: dict, language: str = "python") -> dict:
    return {"cells": list(cells), "metadata": {"kernelspec": {"language": language, "name": "k"}},
            "nbformat": 4, "nbformat_minor": 5}


def _run(notebook: dict) -> tuple[dict, object]:
    text = json.dumps(notebook, indent=1) + "\n"
    result = migrate_notebook(text, "nb.ipynb", Options())
    return json.loads(result.output), result


IPYTHON_CELL = [
    "files = !ls\n",
    "%matplotlib inline\n",
    "pl.Trainer?\n",
    "?pl.Trainer\n",
    "if True:\n",
    "    !pip install lightning \\\n",
    "        torchmetrics\n",
    "value = (3\n",
    "    % 2)\n",
    "ok = 1 != 2\n",
    "t = pl.Trainer(gpus=0)\n",
    "%time t.fit(m)",
]


def test_ipython_cells_are_migrated_and_their_ipython_lines_kept():
    notebook = _nb4(
        _code(["  import pytorch_lightning as pl\n", "  from pytorch_lightning import Trainer"]),
        _code(IPYTHON_CELL),
        _code(["%%time\n", "trainer = Trainer(gpus=0)"]),
        _code(["%%bash\n", "echo pytorch_lightning Trainer(gpus=0)"]),
        {"cell_type": "markdown", "metadata": {}, "source": ["Trainer(gpus=0) in pytorch_lightning"]},
        _code("x = Trainer(gpus=0)\n%load_ext foo"),
    )
    out, result = _run(notebook)
    assert result.error is None
    cells = out["cells"]
    # IPython dedents a cell indented as a whole; the migrated cell is written dedented (same meaning)
    assert cells[0]["source"] == ["import lightning.pytorch as pl\n", "from lightning.pytorch import Trainer"]
    expected = list(IPYTHON_CELL)
    expected[10] = 't = pl.Trainer(accelerator="cpu")\n'
    assert cells[1]["source"] == expected
    assert cells[2]["source"] == ["%%time\n", 'trainer = Trainer(accelerator="cpu")']
    assert cells[3] == notebook["cells"][3] and cells[4] == notebook["cells"][4]
    assert cells[5]["source"] == 'x = Trainer(accelerator="cpu")\n%load_ext foo'
    where = sorted((c.cell, c.line, c.rule) for c in result.changes)
    assert where == [(1, 1, "imports"), (1, 2, "imports"), (2, 11, "trainer-args"), (3, 2, "trainer-args"),
                     (6, 1, "trainer-args")]
    again = migrate_notebook(result.output, "nb.ipynb", Options())
    assert again.error is None and again.output == result.output  # a second run changes nothing


def test_untouched_cells_keep_their_exact_text():
    notebook = _nb4(_code(["  import pytorch_lightning as pl\n", "  x = 1"]), _code(["   y = 2  \n", "   z = 3"]))
    out, result = _run(notebook)
    assert out["cells"][1] == notebook["cells"][1]
    assert [(c.cell, c.line) for c in result.changes] == [(1, 1)]


def test_a_cell_that_does_not_parse_is_reported_by_cell_and_line(tmp_path, capsys):
    notebook = _nb4(_code(["import pytorch_lightning as pl\n"]),
                    {"cell_type": "markdown", "metadata": {}, "source": ["text"]},
                    _code(["x = 1\n", "def broken(:\n", "    pass"]))
    text = json.dumps(notebook, indent=1) + "\n"
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    assert cli.main([str(path), "-j", "1"]) == cli.EXIT_ERRORS
    assert "error: cell 3, line 2: invalid syntax; notebook left untouched" in capsys.readouterr().err
    assert path.read_text() == text


def test_nbformat_3_is_migrated_and_unknown_formats_are_errors(tmp_path, capsys):
    nb3 = {"metadata": {"name": ""}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["pytorch_lightning"]},
        {"cell_type": "code", "collapsed": False, "language": "python", "metadata": {}, "outputs": [],
         "input": ["import pytorch_lightning as pl\n", "t = pl.Trainer(gpus=0)"]}]}]}
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(nb3, indent=1) + "\n")
    assert cli.main(["--check", str(path)]) == cli.EXIT_WOULD_CHANGE
    assert cli.main([str(path), "-q"]) == cli.EXIT_OK
    cell = json.loads(path.read_text())["worksheets"][0]["cells"][1]
    assert cell["input"] == ["import lightning.pytorch as pl\n", 't = pl.Trainer(accelerator="cpu")']
    assert "cell 2, line 2: [trainer-args]" in capsys.readouterr().err
    future = tmp_path / "future.ipynb"
    future.write_text(json.dumps({"nbformat": 9, "cells": [_code("import pytorch_lightning")]}))
    assert cli.main(["--check", str(future)]) == cli.EXIT_ERRORS
    assert "nbformat 9 is not one this tool knows" in capsys.readouterr().err


def test_a_notebook_of_another_language_is_skipped_with_a_report_line(tmp_path, capsys):
    path = tmp_path / "r.ipynb"
    text = json.dumps(_nb4(_code("library(pytorch_lightning)"), language="R"))
    path.write_text(text)
    assert cli.main([str(path), "--check"]) == cli.EXIT_OK
    assert "skipped: not a Python notebook (kernel language 'R')" in capsys.readouterr().err
    assert path.read_text() == text


def test_report_json_gives_the_cell():
    _, result = _run(_nb4(_code("x = 1"), _code("import pytorch_lightning as pl")))
    assert result.changes[0].as_dict() == {"cell": 2, "line": 1, "rule": "imports",
                                           "message": "import pytorch_lightning -> import lightning.pytorch"}
