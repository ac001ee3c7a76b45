"""The README's main job runs end to end: primer model, checkpoint through every door, legacy script under the
shim, lit-migrate, migrated script with the same result."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_main_job_end_to_end(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "main_job.py"), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "same global_step and val_loss before and after migration: True" in proc.stdout
    assert "All steps passed" in proc.stdout
    migrated = (tmp_path / "out" / "migrated" / "legacy_train.py").read_text()
    assert "import pytorch_lightning" not in migrated and "from pytorch_lightning" not in migrated
    assert "import lightning.pytorch as pl" in migrated
