"""The Trainer computes exactly what a hand-written PyTorch loop computes."""
import torch
from torch import nn

from tests.trainer.helpers import Regressor, loader, trainer


def _hand_loop(epochs: int, accumulate: int = 1, clip: float = None) -> dict:
    torch.manual_seed(0)
    model = Regressor()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    data = loader()
    for _ in range(epochs):
        for i, (x, y) in enumerate(data):
            loss = nn.functional.mse_loss(model(x), y) / accumulate
            loss.backward()
            if (i + 1) % accumulate == 0 or i + 1 == len(data):
                if clip:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                opt.step()
                opt.zero_grad()
    return model.state_dict()


def _trainer_run(epochs: int, **kwargs) -> tuple:
    torch.manual_seed(0)
    model = Regressor()
    t = trainer(max_epochs=epochs, **kwargs)
    t.fit(model, loader())
    return model.state_dict(), t


def test_same_weights_as_a_plain_loop():
    expected = _hand_loop(3)
    got, t = _trainer_run(3)
    assert t.global_step == 24 and t.current_epoch == 3
    for k in expected:
        torch.testing.assert_close(got[k], expected[k], rtol=0, atol=0)


def test_gradient_accumulation_and_clipping_match_the_plain_loop():
    expected = _hand_loop(2, accumulate=3, clip=0.05)
    got, t = _trainer_run(2, accumulate_grad_batches=3, gradient_clip_val=0.05)
    assert t.global_step == 2 * 3  # ceil(8 / 3) optimizer steps per epoch
    for k in expected:
        torch.testing.assert_close(got[k], expected[k], rtol=0, atol=1e-7)


def test_estimated_stepping_batches():
    t = trainer(max_epochs=3, accumulate_grad_batches=3)
    t.fit(Regressor(), loader())
    assert t.estimated_stepping_batches == 3 * 3
    assert trainer(max_epochs=-1, max_steps=7).estimated_stepping_batches == 7
