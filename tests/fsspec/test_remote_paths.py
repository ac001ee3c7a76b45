"""Paths with a protocol (``memory://``, ``s3://`` ...) go through fsspec everywhere the Trainer, its loggers and its
checkpoint I/O touch files; plain paths and ``file://`` stay on the local fast path. The Trainer run is compared side
by side with the real lightning 2.6.6 (probe.py, read back through fsspec in the same process)."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

fsspec = pytest.importorskip("fsspec")

from lightning.fabric.loggers import CSVLogger as FabricCSVLogger  # noqa: E402
from lightning.fabric.loggers import TensorBoardLogger as FabricTensorBoardLogger  # noqa: E402
from lightning.fabric.plugins.io import TorchCheckpointIO  # noqa: E402
from lightning.fabric.utilities import cloud_io  # noqa: E402
from lightning.pytorch.loggers import CSVLogger  # noqa: E402

from tests.differential.compare import differences  # noqa: E402
from tests.reference import L2_PYTHON, require  # noqa: E402

PROBE = Path(__file__).with_name("probe.py")
MEMORY = fsspec.filesystem("memory")


@pytest.fixture(autouse=True)
def empty_memory_fs():
    MEMORY.store.clear()
    MEMORY.pseudo_dirs[:] = [""]
    yield
    MEMORY.store.clear()
    MEMORY.pseudo_dirs[:] = [""]


def _probe(python, cwd):
    result = subprocess.run([str(python), str(PROBE)], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out["resume.metrics.csv"] = [
        {key: float(value) if value else None for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(out["resume.metrics.csv"]))
    ]
    return out


def test_a_run_on_memory_urls_matches_2_6_6(tmp_path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "ours").mkdir()
    real = _probe(require(L2_PYTHON), tmp_path / "ref")
    ours = _probe(sys.executable, tmp_path / "ours")
    # what the comparison relies on, as 2.6.6 does it
    assert real["fit.log_dir"] == "memory://fit/lightning_logs/version_0"
    assert real["fit.files"] == [
        "/lightning_logs/version_0/checkpoints/epoch=2-step=12.ckpt",
        "/lightning_logs/version_0/checkpoints/epoch=3-step=16.ckpt",
        "/lightning_logs/version_0/checkpoints/last.ckpt",
        "/lightning_logs/version_0/events.out.tfevents.*",
        "/lightning_logs/version_0/hparams.yaml",
    ]
    assert real["cwd"] == []  # nothing local, e.g. no folder named "memory:"
    assert differences(ours, real) == []


def test_file_urls_are_local_folders(tmp_path, monkeypatch):
    import lightning as L
    from lightning.pytorch.callbacks import ModelCheckpoint
    from lightning.pytorch.demos.boring_classes import BoringModel

    monkeypatch.chdir(tmp_path)
    root = f"file://{tmp_path}/run"
    checkpoint = ModelCheckpoint(dirpath=f"{root}/ckpts", monitor="step", mode="max", save_top_k=1, save_last=True)
    trainer = L.Trainer(default_root_dir=root, logger=CSVLogger(root), callbacks=[checkpoint], max_epochs=2,
                        limit_train_batches=2, limit_val_batches=1, enable_progress_bar=False,
                        enable_model_summary=False)
    trainer.fit(BoringModel())
    assert trainer.default_root_dir == str(tmp_path / "run")
    assert sorted(p.name for p in (tmp_path / "run" / "ckpts").iterdir()) == ["epoch=1-step=4.ckpt", "last.ckpt"]
    assert (tmp_path / "run" / "lightning_logs" / "version_0").is_dir()
    assert trainer.log_dir == f"{root}/lightning_logs/version_0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no folder named "file:"
    loaded = BoringModel.load_from_checkpoint(f"file://{checkpoint.best_model_path}")
    assert torch.equal(loaded.layer.weight, trainer.lightning_module.layer.weight)


def test_remote_save_is_one_write_and_a_failed_save_keeps_the_previous_file(monkeypatch):
    io_plugin = TorchCheckpointIO()
    url = "memory://bucket/run/model.ckpt"
    io_plugin.save_checkpoint({"weights": torch.ones(2)}, url)
    writes = []
    real_pipe = type(MEMORY).pipe_file
    monkeypatch.setattr(type(MEMORY), "pipe_file", lambda self, *a, **k: writes.append(a[1]) or real_pipe(self, *a, **k))
    io_plugin.save_checkpoint({"weights": torch.zeros(2)}, url)
    assert len(writes) == 1 and writes[0] == MEMORY.cat_file(url)  # the whole file in one write
    with pytest.raises(Exception):  # noqa: PT011 - torch's error for an unpicklable object
        io_plugin.save_checkpoint({"weights": torch.full((2,), 5.0), "bad": lambda: None}, url)
    assert len(writes) == 1
    monkeypatch.undo()
    assert torch.equal(io_plugin.load_checkpoint(url)["weights"], torch.zeros(2))
    assert torch.equal(torch.load(io.BytesIO(MEMORY.cat_file(url)), weights_only=True)["weights"], torch.zeros(2))
    io_plugin.remove_checkpoint(url)
    assert not MEMORY.exists(url)
    io_plugin.remove_checkpoint(url)  # already gone: nothing to do


def test_missing_remote_checkpoint_names_the_url():
    with pytest.raises(FileNotFoundError, match="memory://nowhere/x.ckpt"):
        TorchCheckpointIO().load_checkpoint("memory://nowhere/x.ckpt")
    MEMORY.makedirs("/folder", exist_ok=True)
    MEMORY.pipe_file("/folder/inner", b"x")
    with pytest.raises(IsADirectoryError, match="memory://folder"):
        TorchCheckpointIO().load_checkpoint("memory://folder")


def test_save_last_link_copies_where_the_filesystem_has_no_links(tmp_path, monkeypatch):
    import lightning as L
    from lightning.pytorch.callbacks import ModelCheckpoint
    from lightning.pytorch.demos.boring_classes import BoringModel

    monkeypatch.chdir(tmp_path)
    checkpoint = ModelCheckpoint(dirpath="memory://linked", save_last="link")
    trainer = L.Trainer(default_root_dir=tmp_path, logger=False, callbacks=[checkpoint], max_epochs=2,
                        limit_train_batches=2, limit_val_batches=1, enable_progress_bar=False,
                        enable_model_summary=False)
    trainer.fit(BoringModel())
    assert sorted(MEMORY.ls("/linked", detail=False)) == ["/linked/epoch=1-step=4.ckpt", "/linked/last.ckpt"]
    assert MEMORY.cat_file("/linked/last.ckpt") == MEMORY.cat_file("/linked/epoch=1-step=4.ckpt")
    assert list(tmp_path.iterdir()) == []


def test_csv_logger_versions_are_found_by_listing_the_remote_folder():
    MEMORY.makedirs("/logs/exp/version_3", exist_ok=True)
    MEMORY.pipe_file("/logs/exp/version_7", b"a file, not a version folder")
    logger = CSVLogger("memory://logs", name="exp")
    assert logger.version == 4
    logger.log_hyperparams({"lr": 0.1})
    logger.log_metrics({"loss": torch.tensor(0.5)}, step=0)
    logger.log_metrics({"acc": 1.0}, step=1)  # a new column: the remote file is rewritten with the wider header
    logger.finalize("success")
    assert MEMORY.cat_file("/logs/exp/version_4/metrics.csv").decode().splitlines() == [
        "acc,loss,step", ",0.5,0", "1.0,,1"]
    assert MEMORY.cat_file("/logs/exp/version_4/hparams.yaml") == b"lr: 0.1\n"
    again = CSVLogger("memory://logs", name="exp", version=4)
    with pytest.warns(UserWarning, match="Experiment logs directory .* exists and is not empty"):
        again.experiment
    assert not MEMORY.exists("/logs/exp/version_4/metrics.csv")


def test_fabric_loggers_write_to_urls():
    csv_logger = FabricCSVLogger("memory://fabric", name="csv")
    csv_logger.log_metrics({"loss": 1.0}, step=0)
    csv_logger.finalize("success")
    assert csv_logger.log_dir == "memory://fabric/csv/version_0"
    assert MEMORY.cat_file("/fabric/csv/version_0/metrics.csv").decode().splitlines() == ["loss,step", "1.0,0"]
    tb_logger = FabricTensorBoardLogger("memory://fabric", name="tb")
    tb_logger.log_hyperparams({"lr": 0.1})
    tb_logger.log_metrics({"loss": 1.0}, step=0)
    tb_logger.finalize("success")
    assert [p.rsplit("/", 1)[1].startswith("events.out.tfevents.") for p in MEMORY.find("/fabric/tb")] == [True]


def test_plain_paths_do_not_import_fsspec(tmp_path):
    # (TensorBoard's file layer imports fsspec by itself when it is installed: the run logs to CSV)
    code = (
        "import sys, lightning as L\n"
        "from lightning.pytorch.demos.boring_classes import BoringModel\n"
        "from lightning.pytorch.loggers import CSVLogger\n"
        f"t = L.Trainer(default_root_dir={str(tmp_path)!r}, logger=CSVLogger({str(tmp_path)!r}), max_steps=2,"
        " limit_val_batches=1,"
        " enable_progress_bar=False, enable_model_summary=False)\n"
        "t.fit(BoringModel())\n"
        "BoringModel.load_from_checkpoint(t.checkpoint_callback.best_model_path)\n"
        "print('fsspec' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_url_helpers_leave_local_paths_to_os(tmp_path):
    assert not cloud_io._is_remote(tmp_path) and not cloud_io._is_remote(f"file://{tmp_path}")
    assert cloud_io._is_remote("s3://bucket/x") and cloud_io._is_remote("memory://x")
    assert cloud_io._listdir(tmp_path / "missing") == [] and cloud_io._listdir("memory://missing") == []
    cloud_io._makedirs(f"file://{tmp_path}/a/b")
    assert (tmp_path / "a" / "b").is_dir()


def test_resume_from_last_and_logger_uploads_see_remote_checkpoints(tmp_path, monkeypatch):
    import lightning as L
    from lightning.pytorch.callbacks import ModelCheckpoint
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.loggers.utilities import _scan_checkpoints

    monkeypatch.chdir(tmp_path)

    def run(max_epochs, ckpt_path=None):
        checkpoint = ModelCheckpoint(dirpath="memory://resumed/ckpts", save_last=True)
        trainer = L.Trainer(default_root_dir=tmp_path, logger=False, callbacks=[checkpoint], max_epochs=max_epochs,
                            limit_train_batches=2, limit_val_batches=1, enable_progress_bar=False,
                            enable_model_summary=False)
        trainer.fit(BoringModel(), ckpt_path=ckpt_path)
        return trainer, checkpoint

    run(1)
    trainer, checkpoint = run(2, ckpt_path="last")
    assert trainer.ckpt_path == "memory://resumed/ckpts/last.ckpt" and trainer.global_step == 4
    found = [(path, tag) for _, path, _, tag in _scan_checkpoints(checkpoint, {})]
    assert sorted(found) == [("memory://resumed/ckpts/epoch=1-step=4.ckpt", "best"),
                             ("memory://resumed/ckpts/last.ckpt", "latest")]
    assert list(tmp_path.iterdir()) == []


def test_fabric_save_and_load_at_a_url():
    from lightning.fabric import Fabric

    fabric = Fabric(accelerator="cpu", devices=1)
    model, restored = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    fabric.save("memory://fabric/state.ckpt", {"model": model, "step": 3})
    assert MEMORY.ls("/fabric", detail=False) == ["/fabric/state.ckpt"]
    assert fabric.load("memory://fabric/state.ckpt", {"model": restored}) == {"step": 3}
    assert torch.equal(model.weight, restored.weight)


def test_remote_metrics_csv_is_appended_and_rewritten_when_the_header_grows():
    logger = CSVLogger("memory://append", flush_logs_every_n_steps=1)
    for step, metrics in enumerate([{"a": 1.0}, {"a": 2.0}, {"b": 3.0}, {"a": 4.0}]):
        logger.log_metrics(metrics, step)
    assert MEMORY.cat_file("/append/lightning_logs/version_0/metrics.csv").decode().splitlines() == [
        "a,b,step", "1.0,,0", "2.0,,1", ",3.0,2", "4.0,,3"]


_ROOT_DIRS = r'''
import json
import lightning as L
out = {}
for root in ("~/x/../y", "s3://bucket/x/../y", "memory://r", "a/./b", "gs://b/"):
    trainer = L.Trainer(default_root_dir=root, logger=False, enable_progress_bar=False)
    out[root] = trainer.default_root_dir
print(json.dumps(out))
'''


def test_default_root_dir_spellings_as_in_2_6_6(tmp_path):
    def answers(python):
        result = subprocess.run([str(python), "-c", _ROOT_DIRS], cwd=tmp_path, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    real = answers(require(L2_PYTHON))
    assert real["s3://bucket/x/../y"] == "s3://bucket/x/../y"  # a URL is kept as given
    assert answers(sys.executable) == real
