"""No door unpickles arbitrary objects unless asked to with ``weights_only=False``: sharded FSDP folders (``meta.pt``,
``.metadata``, non-tensor entries) through ``FSDPStrategy.load_checkpoint``, ``Trainer(strategy=FSDPStrategy())
.fit(ckpt_path=)`` and ``consolidate_checkpoint`` (function and ``python -m``), and ``cloud_io._load`` of a URL. Each
hostile file would create a marker folder when unpickled; the refusal names the file, what it references and how to
opt in; the opt-in still loads."""
import functools
import http.server
import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch

from lightning.fabric.utilities.cloud_io import _load
from lightning.pytorch.strategies import FSDPStrategy
from lightning.pytorch.utilities import consolidate_checkpoint
from tests.security.hostile_files import Payload, sharded_folder

HERE = Path(__file__).resolve().parent
OPT_IN = "weights_only=False"
PLACES = ["meta.pt", ".metadata", "entry"]


@pytest.fixture
def hostile(tmp_path):
    def make(place):
        marker = tmp_path / f"marker-{place}"
        return sharded_folder(tmp_path / f"folder{place}", marker, place), marker
    return make


@pytest.mark.parametrize("place", ["meta.pt", ".metadata"])
def test_fsdp_strategy_load_checkpoint_refuses_pickles(hostile, place):
    folder, marker = hostile(place)
    with pytest.raises(pickle.UnpicklingError, match="refuses to unpickle") as err:
        FSDPStrategy().load_checkpoint(folder)
    assert not marker.exists()
    assert place in str(err.value) and "os.makedirs" in str(err.value) and OPT_IN in str(err.value)


def test_fsdp_strategy_load_checkpoint_opt_in_unpickles(hostile):
    folder, marker = hostile("meta.pt")
    FSDPStrategy().load_checkpoint(folder, weights_only=False)
    assert marker.is_dir()  # the caller trusted the folder: it was fully unpickled


@pytest.mark.parametrize("place", PLACES)
def test_consolidate_refuses_pickles_and_writes_nothing(hostile, tmp_path, place):
    folder, marker = hostile(place)
    with pytest.raises(pickle.UnpicklingError, match="refuses to unpickle") as err:
        consolidate_checkpoint.main([str(folder), "--output_file", str(tmp_path / "out.ckpt")])
    assert not marker.exists() and not (tmp_path / "out.ckpt").exists()
    assert ("model.extra" if place == "entry" else place) in str(err.value)


def test_consolidate_clean_folder_and_opt_in(hostile, tmp_path):
    folder, marker = hostile("entry")
    consolidate_checkpoint.main([str(folder), "--output_file", str(tmp_path / "out.ckpt"), "--allow-pickle"])
    assert marker.is_dir()
    clean = sharded_folder(tmp_path / "clean", tmp_path / "unused", "none")
    consolidate_checkpoint.main([str(clean), "--output_file", str(tmp_path / "clean.ckpt")])
    merged = torch.load(tmp_path / "clean.ckpt")  # weights_only=True
    assert torch.equal(merged["state_dict"]["layer.weight"], torch.ones(2, 32)) and merged["global_step"] == 2


def test_consolidate_command_line_says_how_to_opt_in(hostile, tmp_path):
    folder, marker = hostile("meta.pt")
    run = subprocess.run([sys.executable, "-m", "lightning.pytorch.utilities.consolidate_checkpoint", str(folder)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and not marker.exists()
    assert "refuses to unpickle" in run.stderr and "--allow-pickle" in run.stderr and "Traceback" not in run.stderr
    assert not Path(f"{folder}.consolidated").exists()


def test_trainer_fsdp_resume_refuses_pickles_and_still_resumes_a_clean_folder(tmp_path):
    run = subprocess.run([sys.executable, str(HERE / "fsdp_resume_door.py"), str(tmp_path)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.splitlines()[-1])
    assert result.pop("good") == "resumed at step 4"
    assert set(result) == set(PLACES)
    for place, outcome in result.items():
        assert outcome.startswith("UnpicklingError") and "refuses to unpickle" in outcome and OPT_IN in outcome
        assert not (tmp_path / f"marker-{place}").exists()
    assert "optimizer_0.param_groups.0.lr" in result["entry"]


@pytest.fixture
def served(tmp_path):
    """An http server on localhost serving ``tmp_path/www``; torch.hub's download cache inside ``tmp_path``."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hub_dir = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield www, f"http://127.0.0.1:{server.server_address[1]}"
    torch.hub.set_dir(hub_dir)
    server.shutdown()
    server.server_close()


def test_cloud_io_load_of_a_url_is_weights_only_by_default(served, tmp_path):
    www, url = served
    torch.save({"w": torch.ones(3), "evil": Payload(tmp_path / "marker-url")}, www / "evil.ckpt")
    torch.save({"w": torch.ones(3), "lr": 0.1}, www / "good.ckpt")
    with pytest.raises(pickle.UnpicklingError, match="refuses to unpickle") as err:
        _load(f"{url}/evil.ckpt")
    assert not (tmp_path / "marker-url").exists()
    assert "evil.ckpt" in str(err.value) and OPT_IN in str(err.value)
    assert _load(f"{url}/good.ckpt")["lr"] == 0.1
    _load(f"{url}/evil.ckpt", weights_only=False)  # the caller's explicit trust
    assert (tmp_path / "marker-url").is_dir()


@pytest.mark.parametrize("reference", [("enum", "Enum"), ("torch.distributed.checkpoint.metadata", "Enum"),
                                       ("builtins", "eval"), ("torch", "load"), ("pathlib", "Path")])
def test_metadata_reader_builds_only_checkpoint_descriptions(tmp_path, reference):
    """`.metadata` may name torch's description classes and dtypes; anything else is refused before torch reads it,
    including names that are merely imported into the metadata module."""
    from lightning.pytorch.utilities.sharded_checkpoint import check_metadata

    folder = sharded_folder(tmp_path / "f", tmp_path / "unused", "none")
    check_metadata(folder)  # what torch wrote passes
    module, name = reference
    (folder / ".metadata").write_bytes(f"c{module}\n{name}\n(tR.".encode())  # GLOBAL, empty tuple, REDUCE
    with pytest.raises(pickle.UnpicklingError, match=f"references `{module}.{name}`"):
        check_metadata(folder)


@pytest.mark.parametrize("relative", ["../outside.distcp", "/etc/hostname"])
def test_metadata_pointing_a_shard_outside_the_folder_is_refused(tmp_path, relative):
    folder = sharded_folder(tmp_path / "f", tmp_path / "unused", "none")
    metadata = pickle.loads((folder / ".metadata").read_bytes())  # torch's own file, written above
    for info in metadata.storage_data.values():
        info.relative_path = relative
    (folder / ".metadata").write_bytes(pickle.dumps(metadata))
    with pytest.raises(ValueError, match="points a shard outside its folder"):
        FSDPStrategy().load_checkpoint(folder)
