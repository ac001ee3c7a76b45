"""YAML configs in the tree: 1.x Trainer arguments of a `trainer:` mapping, or of a top-level mapping of Trainer
arguments, rewritten line by line (comments and layout kept), idempotent, never damaging; side by side, the
rewritten mapping builds on the real lightning 2.6.6 the Trainer the original built on pytorch-lightning 1.9.5."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from lit_migrate import cli
from lit_migrate.engine import Options
from lit_migrate.yaml_configs import migrate_yaml

from .conftest import REAL_L2, REAL_PL1, require
from .test_runtime_args import CONFIGS, _PROBE

LIGHTNING_CLI = """\
# experiment
seed_everything: 7
trainer:
  gpus: 2            # two cards
  distributed_backend: ddp
  max_epochs: 10
  precision: 16
  progress_bar_refresh_rate: 0
  weights_summary: null
  resume_from_checkpoint: last.ckpt
  track_grad_norm: -1
model:
  lr: 0.1   # learning rate
"""

MIGRATED = """\
# experiment
seed_everything: 7
trainer:
  accelerator: cuda  # two cards
  devices: 2
  strategy: ddp
  max_epochs: 10
  precision: "16-mixed"
  enable_progress_bar: false
  enable_model_summary: false
  resume_from_checkpoint: last.ckpt
model:
  lr: 0.1   # learning rate
"""


def test_trainer_mapping_is_rewritten_in_place_with_comments_kept():
    result = migrate_yaml(LIGHTNING_CLI, "config.yaml", Options())
    assert result.output == MIGRATED
    assert [(c.line, c.message) for c in result.changes] == [
        (4, "gpus: 2, distributed_backend: ddp -> accelerator: cuda, devices: 2, strategy: ddp"),
        (7, 'precision: 16 -> precision: "16-mixed"'),
        (8, "progress_bar_refresh_rate: 0 -> enable_progress_bar: false"),
        (9, "weights_summary: null -> enable_model_summary: false"),
        (11, "track_grad_norm: -1 -> (dropped)")]
    assert [n.line for n in result.notes] == [10] and "ckpt_path" in result.notes[0].message
    again = migrate_yaml(result.output, "config.yaml", Options())
    assert again.output == result.output and not again.changes


def test_a_top_level_mapping_of_trainer_arguments_is_rewritten():
    result = migrate_yaml("gpus: 0\r\nmax_epochs: 3\r\nterminate_on_nan: true\r\n", "t.yml", Options())
    assert result.output == "accelerator: cpu\r\nmax_epochs: 3\r\ndetect_anomaly: true\r\n"
    assert result.caveats and "detect_anomaly" in result.caveats[0].message


@pytest.mark.parametrize("text", [
    "services:\n  web:\n    image: x\n",  # no Trainer arguments
    "gpus: 1\nimage: cuda\nreplicas: 2\n",  # a key that is no Trainer argument: not a Trainer config
    "trainer:\n  max_epochs: 3\n",  # nothing 1.x-only
    "trainer: {{ values.trainer }}\ngpus: [\n",  # a template, not YAML
    "a: 1\n---\ngpus: 1\nmax_epochs: 2\n",  # several documents
])
def test_other_yaml_files_are_left_alone(text):
    result = migrate_yaml(text, "x.yaml", Options())
    assert result.output == text and not result.changes and not result.notes and result.error is None


def test_entries_it_cannot_edit_on_one_line_get_a_note_and_stay():
    text = "trainer:\n  gpus:\n    - 0\n    - 1\n  max_epochs: 2\n  weights_summary: full\n"
    result = migrate_yaml(text, "x.yaml", Options())
    assert result.output == text
    assert [n.line for n in result.notes] == [2, 6]
    assert "several lines" in result.notes[0].message and "callback" in result.notes[1].message


def test_the_cli_walks_yaml_files_and_honours_check_and_select(tmp_path):
    (tmp_path / "conf").mkdir()
    config = tmp_path / "conf" / "train.yaml"
    config.write_text(LIGHTNING_CLI)
    assert cli.main([str(tmp_path), "--check", "-q"]) == 1
    assert cli.main([str(tmp_path), "-q", "--select", "imports"]) == cli.EXIT_OK
    assert config.read_text() == LIGHTNING_CLI
    assert cli.main([str(tmp_path), "-q"]) == cli.EXIT_OK
    assert config.read_text() == MIGRATED
    assert cli.main([str(tmp_path), "--check", "-q"]) == cli.EXIT_OK


def test_rewritten_configs_build_the_same_trainer_on_the_real_packages(tmp_path):
    legacy_python, new_python = require(REAL_PL1), require(REAL_L2)
    migrated = []
    for config in CONFIGS:
        text = yaml.safe_dump({"trainer": config}, sort_keys=False)
        result = migrate_yaml(text, "c.yaml", Options())
        assert not result.notes, result.notes
        migrated.append(yaml.safe_load(result.output)["trainer"])
    assert migrated != CONFIGS

    def probe(python, side, configs):
        identity = "def _trainer_args_2x(args):\n    return dict(args)\n"
        proc = subprocess.run([str(python), "-c", _PROBE, side, json.dumps(configs), identity], capture_output=True,
                              text=True, timeout=600, env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    for want, got, config in zip(probe(legacy_python, "legacy", CONFIGS), probe(new_python, "new", migrated),
                                 CONFIGS):
        want.pop("dtype"), got.pop("dtype")
        assert got == want, config
