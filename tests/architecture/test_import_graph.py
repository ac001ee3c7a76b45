"""The import graph of compat/ reads bottom to top (docs/architecture.md): no circle of more than two modules, no
arrow from a lower layer up to a higher one, and lightning.fabric stands without lightning.pytorch, both in its
source and in a fresh interpreter that runs Fabric."""
import json
import subprocess
import sys
import textwrap

import pytest

from tests.architecture import import_graph
from tests.architecture.import_graph import LAYERS, build_graph, layer_of, strongly_connected, upward_arrows

GRAPH = build_graph()


def _describe(arrows) -> str:
    return "\n".join(f"{src} ({LAYERS[layer_of(src)][0]}) -> {dst} ({LAYERS[layer_of(dst)][0]})"
                     for src, dst in arrows)


def test_every_module_has_a_layer():
    for module in GRAPH:
        layer_of(module)  # raises, naming the module, when a new package is missing from LAYERS


def test_no_circle_of_more_than_two_modules():
    big = [circle for circle in strongly_connected(GRAPH) if len(circle) > 2]
    assert not big, "import circles:\n" + "\n".join(" ".join(circle) for circle in big)


def test_no_arrow_points_up_a_layer():
    arrows = upward_arrows(GRAPH)
    assert not arrows, "imports from a lower layer up:\n" + _describe(arrows)


def test_fabric_imports_nothing_from_lightning_pytorch():
    arrows = sorted((src, dst) for src, targets in GRAPH.items() if src.startswith("lightning.fabric")
                    for dst in targets if dst.startswith("lightning.pytorch"))
    assert not arrows, "\n".join(f"{src} -> {dst}" for src, dst in arrows)


_FABRIC_RUN = """
import json, sys
import torch
import lightning.fabric
from lightning.fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = fabric.setup_dataloaders(torch.utils.data.DataLoader(torch.randn(8, 4), batch_size=4))
for batch in loader:
    loss = model(batch).pow(2).mean()
    fabric.backward(loss)
    optimizer.step()
    optimizer.zero_grad()
print(json.dumps(sorted(name for name in sys.modules if name.startswith("lightning.pytorch"))))
"""


def test_a_fabric_run_loads_no_lightning_pytorch_module():
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(_FABRIC_RUN)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_lightning_names_load_on_first_use():
    """``import lightning`` (which ``import lightning.fabric`` runs first) loads no trainer; its names and the
    ``L.pytorch`` / ``L.fabric`` namespaces come on first use."""
    code = textwrap.dedent("""
        import json, sys
        import lightning as L
        before = sorted(name for name in sys.modules if name.startswith("lightning.pytorch"))
        from lightning import Trainer
        import lightning.pytorch as pl
        print(json.dumps({"before": before, "same": [L.Trainer is Trainer is pl.Trainer,
                          L.LightningModule is pl.LightningModule, L.Callback is pl.Callback,
                          L.LightningDataModule is pl.LightningDataModule,
                          L.pytorch.callbacks.ModelCheckpoint is pl.callbacks.ModelCheckpoint,
                          L.Fabric is L.fabric.Fabric], "dir": sorted(set(L.__all__) - set(dir(L)))}))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"before": [], "same": [True] * 6, "dir": []}


def test_the_graph_follows_the_counting_rules(tmp_path):
    """The rules the figures rest on: an import inside a function counts, an ``if TYPE_CHECKING:`` one does not,
    ``from pkg import submodule`` points at the submodule and ``from pkg import name`` at pkg, ``import a.b.name``
    at a.b, a literal ``importlib.import_module`` counts; and a circle and an upward arrow are found."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("NAME = 1\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "low.py").write_text(textwrap.dedent("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from pkg import high
        def late():
            from pkg import high
    """))
    (pkg / "high.py").write_text(textwrap.dedent("""
        import importlib
        from pkg.sub import low
        from pkg import NAME
        import pkg.sub.low.late
        importlib.import_module("pkg.other")
    """))
    (pkg / "other.py").write_text("from . import high\n")
    graph = build_graph(tmp_path)
    assert graph["pkg.sub.low"] == {"pkg.high"}
    assert graph["pkg.high"] == {"pkg.sub.low", "pkg", "pkg.other"}
    assert graph["pkg.other"] == {"pkg.high"}
    assert strongly_connected(graph) == [["pkg.high", "pkg.other", "pkg.sub.low"]]


def test_the_report_names_circles_and_upward_arrows(monkeypatch, capsys):
    graph = {"lightning.pytorch.utilities.a": {"lightning.pytorch.trainer.b"},
             "lightning.pytorch.trainer.b": {"lightning.pytorch.utilities.a"}}
    monkeypatch.setattr(import_graph, "build_graph", lambda: graph)
    assert import_graph.main([]) == 1
    out = capsys.readouterr().out
    assert "circle of 2: lightning.pytorch.trainer.b lightning.pytorch.utilities.a" in out
    assert "up: lightning.pytorch.utilities.a (utilities) -> lightning.pytorch.trainer.b (trainer)" in out
    assert import_graph.main(["--dot"]) == 0
    dot = capsys.readouterr().out
    assert '"lightning.pytorch.utilities" -> "lightning.pytorch.trainer" [color=red' in dot


def test_lower_layers_recognise_higher_classes_without_importing_them():
    """utilities and core.saving tell a LightningModule / LightningDataModule / Callback / HyperparametersMixin
    apart through ``imported_class`` (no import): the answers are the ones isinstance gives, a plain object is
    refused as before, and a module that is not imported gives None."""
    code = textwrap.dedent("""
        import json
        import torch
        from lightning.pytorch.utilities.model_helpers import imported_class, is_overridden
        from lightning.pytorch.utilities.compile import to_uncompiled
        early = [imported_class("lightning.pytorch.core.nothing_here", "LightningModule")]
        try:
            is_overridden("training_step", object())
        except ValueError as err:
            early.append(str(err))
        try:
            to_uncompiled(torch.nn.Linear(1, 1))
        except ValueError as err:
            early.append("refused")
        from lightning.pytorch import Callback, LightningDataModule, LightningModule
        from lightning.pytorch.core.saving import _is_datamodule

        class Module(LightningModule):
            def training_step(self, batch, batch_idx):
                return None

        class Data(LightningDataModule):
            pass

        class Hook(Callback):
            def on_fit_start(self, trainer, pl_module):
                pass

        late = [is_overridden("training_step", Module()), is_overridden("setup", Data()),
                is_overridden("on_fit_start", Hook()), is_overridden("on_fit_end", Hook()),
                _is_datamodule(Data), _is_datamodule(Module)]
        try:
            to_uncompiled(Module())
        except ValueError as err:
            late.append(str(err))
        print(json.dumps({"early": early, "late": late}))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["early"] == [None, "Expected a parent", "refused"]
    assert result["late"][:6] == [True, False, True, False, True, False]
    assert "non-compiled LightningModule" in result["late"][6]  # recognised as a LightningModule, not compiled
