"""What users see costs nothing until used: loggers, bars and summaries import tensorboard / rich on first use."""
import subprocess
import sys

CHECK = """
import sys, tempfile
import lightning.pytorch.callbacks.progress as progress
from lightning.pytorch.loggers import TensorBoardLogger
import lightning.pytorch.utilities.model_summary
import lightning.pytorch.callbacks.model_summary
progress.TQDMProgressBar(); progress.RichProgressBar()
logger = TensorBoardLogger(tempfile.mkdtemp())
assert not {"rich", "tensorboard"} & set(sys.modules), {"rich", "tensorboard"} & set(sys.modules)
logger.log_metrics({"a": 1.0}, 0)
assert "tensorboard" in sys.modules
"""


def test_optional_packages_are_imported_on_first_use():
    subprocess.run([sys.executable, "-c", CHECK], check=True, timeout=180)
