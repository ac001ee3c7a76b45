"""Section A of the migration table, one test per row, generated from lit_migrate.legacy_facts.

Each legacy ``Trainer`` argument maps onto its 2.x meaning with a DeprecationWarning that names it and lit-migrate
(or, with no 2.x equivalent, is a clear error); in strict mode it raises what the real Lightning 2.6.6 raises
(recorded by reference/generate_strict.py).
"""
import re
import warnings

import pytest
import torch

from tests.legacy.conftest import outcome
from lightning.pytorch import Trainer
from lightning.pytorch.utilities.exceptions import MisconfigurationException
from lightning.pytorch._legacy.usage import LegacyUsageWarning
from lit_migrate import legacy_facts as facts
from samples import MAPPED_CHECKS, NO_EQUIVALENT, TRAINER_SAMPLES

ROWS = sorted(facts.TRAINER_ARGS)


def build(tmp_path, **kwargs):
    return Trainer(logger=False, default_root_dir=str(tmp_path), **kwargs)


def test_every_row_has_a_sample():
    assert set(ROWS) == set(TRAINER_SAMPLES)


@pytest.mark.parametrize("name", ROWS)
def test_legacy_argument_maps(name, tmp_path):
    value = TRAINER_SAMPLES[name]
    if name in NO_EQUIVALENT:
        with pytest.raises((MisconfigurationException, ValueError, TypeError), match=NO_EQUIVALENT[name]):
            build(tmp_path, **{name: value})
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trainer = build(tmp_path, **{name: value})
    messages = [str(w.message) for w in caught if issubclass(w.category, LegacyUsageWarning)]
    assert any(name in m and "lit-migrate" in m for m in messages), messages
    assert all(issubclass(w.category, DeprecationWarning) for w in caught if "lit-migrate" in str(w.message))
    if name in MAPPED_CHECKS:
        assert MAPPED_CHECKS[name](trainer)


# Rows where our 2.x Trainer reacts differently from 2.6.6 itself (not the legacy layer): the core's business.
CORE_DIFFERS = {"accumulate_grad_batches": "2.6.6 accepts a dict at construction; our Trainer rejects it at once",
                "plugins": "2.6.6 rejects a string plugin at construction; our Trainer ignores it"}


@pytest.mark.parametrize("name", ROWS)
def test_strict_mode_raises_like_2_6_6(name, strict, reference, tmp_path):
    if name in CORE_DIFFERS:
        pytest.xfail(CORE_DIFFERS[name])
    got = outcome(lambda: build(tmp_path, **{name: TRAINER_SAMPLES[name]}))
    assert got == reference["trainer_args"][name]


# ------------------------------------------------------------------ A.3 gpus values
@pytest.mark.parametrize("value", facts.GPUS_CPU_VALUES, ids=repr)
def test_gpus_values_that_meant_cpu(value, tmp_path):
    with pytest.warns(DeprecationWarning, match="accelerator='cpu'"):
        trainer = build(tmp_path, gpus=value)
    assert type(trainer.accelerator).__name__ == "CPUAccelerator"


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error on a machine without CUDA")
@pytest.mark.parametrize("value", [1, -1, "-1", [0], "0,1", "2"], ids=repr)
def test_gpus_asked_without_a_gpu_is_a_clear_error(value, tmp_path):
    with pytest.raises(MisconfigurationException, match=r"CUDA GPUs.*gpus=0"):
        build(tmp_path, gpus=value)


def test_bare_trainer_keeps_the_2x_default_but_a_legacy_call_gets_the_1x_cpu_default(tmp_path, monkeypatch):
    from lightning.pytorch.accelerators.cuda import CUDAAccelerator

    monkeypatch.setattr(CUDAAccelerator, "is_available", staticmethod(lambda: True))
    monkeypatch.setattr(CUDAAccelerator, "auto_device_count", staticmethod(lambda: 1), raising=False)
    legacy = build(tmp_path, checkpoint_callback=False)  # a 1.x call that chose no device: CPU, as in 1.x
    assert type(legacy.accelerator).__name__ == "CPUAccelerator"


# ------------------------------------------------------------------ A.5 strategy names
@pytest.mark.parametrize("name", sorted(facts.STRATEGIES_REMOVED))
def test_removed_strategy_is_a_clear_error(name, tmp_path):
    with pytest.raises((MisconfigurationException, ValueError), match=re.escape(facts.STRATEGIES_REMOVED[name][:20])):
        build(tmp_path, strategy=name)


@pytest.mark.parametrize("name", sorted(n for n, new in facts.STRATEGY_RENAMES.items() if n != new))
def test_renamed_strategy_warns_with_the_2x_name(name, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            build(tmp_path, strategy=name)
        except (MisconfigurationException, ValueError, RuntimeError, ImportError):
            pass  # the 2.x strategy may need hardware or packages this machine lacks
    assert any(facts.STRATEGY_RENAMES[name] in str(w.message) for w in caught if issubclass(
        w.category, LegacyUsageWarning))


@pytest.mark.parametrize("value", ["ddp", "ddp_spawn", "ddp_cpu"])
def test_strategy_given_as_accelerator(value, tmp_path):
    with pytest.warns(DeprecationWarning, match="strategy="):
        trainer = build(tmp_path, accelerator=value)
    assert type(trainer.accelerator).__name__ == "CPUAccelerator"
    assert type(trainer.strategy).__name__ == "DDPStrategy"


# ------------------------------------------------------------------ A.6 precision
@pytest.mark.parametrize("value", sorted(facts.PRECISION_MAP, key=repr), ids=repr)
def test_legacy_precision_values(value, tmp_path):
    with pytest.warns(DeprecationWarning, match="precision="):
        trainer = build(tmp_path, precision=value)
    mapped = facts.map_precision(value)
    # on the CPU, 16-bit mixed precision falls back to bf16 (as in both 1.9.5 and 2.6.6)
    assert trainer.precision == mapped or (mapped == "16-mixed" and trainer.precision == "bf16-mixed")


# ------------------------------------------------------------------ bad input
def test_contradictory_legacy_and_new_device_arguments(tmp_path):
    with pytest.raises(ValueError, match=r"gpus=2, devices=4.*twice"):
        build(tmp_path, gpus=2, devices=4)


def test_two_kinds_of_devices(tmp_path):
    with pytest.raises(ValueError, match="two kinds of devices"):
        build(tmp_path, gpus=1, tpu_cores=8)


def test_unknown_argument_names_the_closest_one(tmp_path):
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'max_epoch'.*max_epochs"):
        build(tmp_path, max_epoch=3)


def test_unknown_argument_next_to_legacy_ones(tmp_path):
    with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
        build(tmp_path, gpus=0, nonsense=1)


def test_apex_is_a_clear_error(tmp_path):
    with pytest.raises(MisconfigurationException, match=r"amp_backend='apex'.*16-mixed"):
        build(tmp_path, amp_backend="apex")


def test_positional_arguments_follow_the_1x_order(tmp_path):
    with pytest.warns(DeprecationWarning, match="1.x order"):
        trainer = Trainer(False, False, default_root_dir=str(tmp_path))  # logger=False, checkpoint_callback=False
    assert trainer.loggers == [] and trainer.checkpoint_callback is None


def test_warning_points_at_the_user_line(tmp_path):
    with pytest.warns(DeprecationWarning) as record:
        build(tmp_path, gpus=0)
    assert record[0].filename == __file__


def test_signature_stays_2x():
    import inspect

    params = inspect.signature(Trainer.__init__).parameters
    assert "gpus" not in params and "accelerator" in params


def test_train_loader_mode_is_kept_and_checked(tmp_path):
    """1.9.5 ran min_size (test_side_by_side compares the run); an unknown mode is a clear error."""
    assert build(tmp_path, multiple_trainloader_mode="min_size")._legacy_settings.multiple_trainloader_mode == "min_size"
    with pytest.raises(MisconfigurationException, match="min_size"):
        build(tmp_path, multiple_trainloader_mode="sequential")
