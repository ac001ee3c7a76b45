"""Two-process DDP on CPU/gloo, launched the way users launch it: ``python train.py`` with ``strategy="ddp"``
(the script re-runs itself for rank 1), ``torchrun --nproc_per_node=2``, and two "nodes" on this machine.

One process training on the combined batches (batch size 8 = 2 ranks x 4) is the reference: DDP averages the
gradients of the two half-batches, which equals the gradient of the whole batch.
"""
import os

import pytest
import torch
from torch.utils.data import DataLoader

import lightning as L
from tests.distributed.runner import load_rank, single_process_fit


def _assert_same_weights(a: dict, b: dict, exact: bool = False) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if exact:
            assert torch.equal(a[key].reshape(-1), b[key].reshape(-1)), key
        else:
            torch.testing.assert_close(a[key].reshape(-1), b[key].reshape(-1), rtol=1e-5, atol=1e-6, msg=key)


@pytest.fixture(scope="module")
def ddp_run(ddp_launch):
    """``python train.py`` with strategy="ddp", devices=2: checkpoint/early-stopping callbacks, CSV logger, a final
    checkpoint saved with ``trainer.save_checkpoint`` and a ``trainer.validate`` after fit."""
    result = ddp_launch.result()
    return ddp_launch.out, result, [load_rank(ddp_launch.out, 0), load_rank(ddp_launch.out, 1)]


def test_ddp_ranks_end_with_the_same_weights_as_one_process_on_the_combined_batches(ddp_run, train_module, tmp_path):
    out, _, ranks = ddp_run
    assert [r["global_rank"] for r in ranks] == [0, 1]
    assert all(r["world_size"] == 2 and r["strategy"] == "DDPStrategy" for r in ranks)
    assert [r["environment"] for r in ranks] == ["LightningEnvironment"] * 2
    _assert_same_weights(ranks[0]["state_dict"], ranks[1]["state_dict"], exact=True)
    reference = single_process_fit(train_module, tmp_path, epochs=2)
    _assert_same_weights(ranks[0]["state_dict"], reference["state_dict"])
    # 32 samples / (2 ranks x 4) = 4 steps per epoch, like 32 / 8 in one process
    assert ranks[0]["global_step"] == ranks[1]["global_step"] == reference["global_step"] == 8


def test_distributed_sampler_gives_each_rank_its_own_half_of_the_data(ddp_run):
    _, _, ranks = ddp_run
    seen = [set(r["seen"]) for r in ranks]
    assert seen[0].isdisjoint(seen[1])
    assert seen[0] | seen[1] == set(range(32))
    assert len(ranks[0]["seen"]) == len(ranks[1]["seen"]) == 32  # 16 samples x 2 epochs each


def test_sync_dist_metrics_are_the_global_mean(ddp_run, train_module, tmp_path):
    _, _, ranks = ddp_run
    # each rank logs its own rank number: the synced epoch mean is (0 + 1) / 2 on both
    assert ranks[0]["metrics"]["rank_value"] == ranks[1]["metrics"]["rank_value"] == 0.5
    assert ranks[0]["metrics"] == ranks[1]["metrics"]
    reference = single_process_fit(train_module, tmp_path, epochs=2)
    # the synced validation loss over both halves equals the one-process loss over all samples
    assert ranks[0]["metrics"]["val_loss"] == pytest.approx(reference["metrics"]["val_loss"], rel=1e-5)


def test_validate_after_fit_in_the_same_processes(ddp_run, train_module, tmp_path):
    """A second entry point in the same script reuses the processes (no second launch) and syncs its metrics."""
    _, _, ranks = ddp_run
    assert ranks[0]["validated"] == ranks[1]["validated"]
    model = train_module.Regression()
    model.load_state_dict(ranks[0]["state_dict"])
    trainer = L.Trainer(accelerator="cpu", devices=1, logger=False, enable_progress_bar=False,
                        default_root_dir=str(tmp_path))
    expected = trainer.validate(model, DataLoader(train_module.IndexedData(), batch_size=8), verbose=False)
    assert ranks[0]["validated"][0]["val_loss"] == pytest.approx(expected[0]["val_loss"], rel=1e-5)


def test_collectives_and_rank_zero_only(ddp_run):
    _, _, ranks = ddp_run
    for rank in ranks:
        assert rank["gathered"] == [0, 1]  # LightningModule.all_gather
        assert rank["broadcasted"] == "from rank 0"  # strategy.broadcast sends rank 0's object
        assert rank["vote_all"] is False and rank["vote_any"] is True  # reduce_boolean_decision
        assert rank["rank_zero_only_rank"] == rank["global_rank"]
    assert [r["is_global_zero"] for r in ranks] == [True, False]


def test_checkpoints_and_logs_are_written_once(ddp_run):
    out, result, _ = ddp_run
    assert sorted(os.listdir(out / "ckpts")) == ["epoch=1-step=8.ckpt", "last.ckpt"]
    assert os.listdir(out / "csv") == ["version_0"]  # rank 1 did not create a second version
    # rank-zero-only printing: the distributed banner appears once
    assert result.stdout.count("All distributed processes registered") + \
        result.stderr.count("All distributed processes registered") == 1


def test_ddp_checkpoint_resumes_in_one_process(ddp_run, train_module, tmp_path):
    out, _, ranks = ddp_run
    checkpoint = torch.load(out / "ddp.ckpt", weights_only=True)
    assert checkpoint["global_step"] == 8
    assert set(checkpoint["state_dict"]) == {"layer.weight", "layer.bias"}  # no DDP "module." prefix
    _assert_same_weights(checkpoint["state_dict"], ranks[0]["state_dict"], exact=True)
    resumed = single_process_fit(train_module, tmp_path, epochs=3, resume=str(out / "ddp.ckpt"))
    straight = single_process_fit(train_module, tmp_path, epochs=3)
    assert resumed["global_step"] == straight["global_step"] == 12
    _assert_same_weights(resumed["state_dict"], straight["state_dict"])


def test_torchrun_resumes_a_single_process_checkpoint(torchrun_launch, train_module, tmp_path):
    """``torchrun --nproc_per_node=2``: TorchElasticEnvironment, no re-launch by Lightning; it resumes a checkpoint
    written by one process (after 1 epoch) and ends where one process would."""
    reference = single_process_fit(train_module, tmp_path, epochs=2, resume=str(torchrun_launch.single_checkpoint))
    torchrun_launch.result()
    out = torchrun_launch.out
    ranks = [load_rank(out, 0), load_rank(out, 1)]
    assert [r["environment"] for r in ranks] == ["TorchElasticEnvironment"] * 2
    assert [(r["global_rank"], r["local_rank"]) for r in ranks] == [(0, 0), (1, 1)]
    assert ranks[0]["global_step"] == reference["global_step"] == 8
    _assert_same_weights(ranks[0]["state_dict"], ranks[1]["state_dict"], exact=True)
    _assert_same_weights(ranks[0]["state_dict"], reference["state_dict"])


def test_two_nodes_on_one_machine(two_node_launches, ddp_run):
    """Two launches with ``num_nodes=2`` and ``NODE_RANK`` 0/1, one process each, meeting at a loopback
    ``MASTER_ADDR``: the same result as two processes on one node. Up to 4 epochs, but EarlyStopping on rank 1
    wants to stop after epoch 2 (its unsynced metric gets worse): both ranks must stop together, or the other
    one would wait forever in the next collective."""
    for launch in two_node_launches:
        launch.result()
    out = two_node_launches[0].out
    ranks = [load_rank(out, 0), load_rank(out, 1)]
    assert [(r["global_rank"], r["node_rank"], r["local_rank"]) for r in ranks] == [(0, 0, 0), (1, 1, 0)]
    assert all(r["world_size"] == 2 for r in ranks)
    assert [r["global_step"] for r in ranks] == [8, 8]  # both stopped after epoch 2 of 4
    _assert_same_weights(ranks[0]["state_dict"], ddp_run[2][0]["state_dict"], exact=True)
    assert ranks[0]["metrics"]["rank_value"] == 0.5
