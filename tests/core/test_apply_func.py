"""Moving batches: tensors in nested collections, and custom batch objects that define ``.to()``."""
import torch

from lightning.fabric.utilities.apply_func import move_data_to_device


class CustomBatch:
    def __init__(self, x):
        self.x = x

    def to(self, device):
        self.x = self.x.to(device)
        self.moved_to = device
        return self


def test_custom_batch_with_to_is_moved():
    batch = CustomBatch(torch.zeros(2))
    out = move_data_to_device({"a": [batch, torch.ones(1)], "b": "text"}, torch.device("cpu"))
    assert out["a"][0].moved_to == torch.device("cpu") and out["b"] == "text"
    assert isinstance(out["a"][1], torch.Tensor)
