"""Which classes are 1.x code (docs/legacy.md "Which code is 1.x code"): the module defining the class decides."""
import sys
import types

import pytest

from lightning.pytorch._legacy.hooks import written_for_1x


@pytest.fixture
def make_module(tmp_path):
    made = []

    def make(name, source):
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        module = types.ModuleType(name)
        module.__file__ = str(path)
        sys.modules[name] = module
        made.append(name)
        exec(compile(source, str(path), "exec"), module.__dict__)
        return module

    yield make
    for name in made:
        sys.modules.pop(name, None)


def test_the_namespace_module_in_the_globals_decides(make_module):
    old = make_module("uses_pl", "import pytorch_lightning as pl\nclass M(pl.LightningModule):\n    pass\n")
    new = make_module("uses_l", "import lightning as L\nclass M(L.LightningModule):\n    pass\n")
    both = make_module("uses_both", "import lightning as L\nimport pytorch_lightning as pl\n"
                                    "class M(L.LightningModule):\n    pass\n")
    assert written_for_1x(old.M()) and written_for_1x(both.M())
    assert not written_for_1x(new.M())


def test_import_lines_decide_when_no_module_is_in_sight(make_module):
    old = make_module("from_pl", "from pytorch_lightning import Callback\nclass C(Callback):\n    pass\n")
    new = make_module("from_l", "from lightning.pytorch import Callback\nclass C(Callback):\n    pass\n")
    assert written_for_1x(old.C())
    assert not written_for_1x(new.C())


def test_a_silent_subclass_inherits_the_verdict_of_its_user_base(make_module):
    make_module("base_pl", "import pytorch_lightning as pl\nclass Base(pl.LightningModule):\n    pass\n")
    sub = make_module("sub_silent", "from base_pl import Base\nclass Sub(Base):\n    pass\n")
    other = make_module("sub_2x", "import lightning\nfrom base_pl import Base\nclass Sub(Base):\n    pass\n")
    assert written_for_1x(sub.Sub())
    assert not written_for_1x(other.Sub())  # the most derived class that tells wins


def test_our_own_classes_are_2x_code():
    from lightning.pytorch.callbacks import ModelCheckpoint

    assert not written_for_1x(ModelCheckpoint())


def test_none_device_arguments_are_1x_defaults_only_in_1x_code(make_module, tmp_path):
    """1.9.5 took accelerator/devices/strategy=None as "not given"; 2.6.6 rejects None (the side-by-side run of the
    1.x case is test_side_by_side.py::...[defaults_written_out])."""
    source = "def build(root):\n    return {ns}.Trainer(accelerator=None, devices=None, strategy=None, logger=False, " \
             "default_root_dir=root)\n"
    old = make_module("build_pl", "import pytorch_lightning as pl\n" + source.format(ns="pl"))
    new = make_module("build_l", "import lightning as L\n" + source.format(ns="L"))
    assert type(old.build(str(tmp_path)).accelerator).__name__ == "CPUAccelerator"
    with pytest.raises(Exception, match="None"):
        new.build(str(tmp_path))
