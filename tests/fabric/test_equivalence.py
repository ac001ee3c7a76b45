"""The same training, three front doors: a Fabric loop ends with exactly the weights of a plain PyTorch loop and of
``Trainer.fit``; checkpoints move between Fabric and the Trainer in both directions."""
import pytest
import torch

import lightning as L
from tests.fabric.helpers import Net, fabric_loop, loader, make_net, plain_loop, trainer


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0)


@pytest.mark.filterwarnings("ignore:.*not attached to a `Trainer`")  # the plain loop calls `self.log` bare
def test_fabric_loop_equals_plain_loop_and_trainer():
    plain = plain_loop(make_net(), epochs=2).state_dict()
    fabric_model, _ = fabric_loop(L.Fabric(accelerator="cpu", devices=1), make_net(), epochs=2)
    net = make_net()
    trainer().fit(net, loader())
    _assert_same(fabric_model.state_dict(), plain)
    _assert_same(net.state_dict(), plain)


def test_trainer_checkpoint_continues_in_fabric_like_in_the_trainer(tmp_path):
    """Train one epoch with the Trainer, then finish the second epoch in Fabric from its checkpoint: the weights
    equal a Trainer that resumed from the same checkpoint (model and optimizer momentum restored)."""
    net = make_net()
    first = trainer(max_epochs=1)
    first.fit(net, loader())
    path = tmp_path / "trainer.ckpt"
    first.save_checkpoint(path)

    resumed = make_net(seed=1)
    trainer(max_epochs=2).fit(resumed, loader(), ckpt_path=path)

    fabric = L.Fabric(accelerator="cpu", devices=1)
    model = make_net(seed=1)
    optimizer = model.configure_optimizers()
    model, optimizer = fabric.setup(model, optimizer)
    remainder = fabric.load(path, {"state_dict": model})
    optimizer.load_state_dict(remainder["optimizer_states"][0])
    assert remainder["epoch"] == 1 and remainder["global_step"] == 8  # the Trainer's counters come back as data
    data = fabric.setup_dataloaders(loader())
    for batch_idx, batch in enumerate(data):
        loss = model.training_step(batch, batch_idx)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    _assert_same(model.state_dict(), resumed.state_dict())


def test_fabric_checkpoint_in_trainer_layout_loads_in_the_trainer(tmp_path):
    fabric = L.Fabric(accelerator="cpu", devices=1)
    model, optimizer = fabric_loop(fabric, make_net(), epochs=1)
    path = tmp_path / "fabric.ckpt"
    # only top-level objects become state dicts (as in Lightning): a list holds the optimizer's state, not the object
    fabric.save(path, {"state_dict": model, "optimizer_states": [optimizer.state_dict()], "epoch": 0, "global_step": 8,
                       "hyper_parameters": dict(model.hparams)})

    restored = Net.load_from_checkpoint(path)
    _assert_same(restored.state_dict(), model.state_dict())
    assert restored.hparams.lr == 0.05

    results = trainer().validate(make_net(seed=5), loader(), ckpt_path=path, verbose=False)
    expected = torch.nn.functional.mse_loss(model(loader().dataset.tensors[0]), loader().dataset.tensors[1])
    torch.testing.assert_close(torch.tensor(results[0]["val_loss"]), expected.detach(), rtol=1e-5, atol=1e-6)
