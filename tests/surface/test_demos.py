"""Demo models and data: the download-free pieces run here on tiny inputs; downloads are never triggered."""
import torch

import lightning as L
from lightning.pytorch import demos
from lightning.pytorch.demos.boring_classes import BoringModel, DemoModel, Net, RandomIterableDatasetWithLen
from lightning.pytorch.demos.lstm import LightningLSTM, SequenceSampler, SimpleLSTM
from lightning.pytorch.demos.mnist_datamodule import MNIST, MNISTDataModule
from lightning.pytorch.demos.transformer import (Dictionary, LightningTransformer, PositionalEncoding, Transformer,
                                                 WikiText2, tokenize)

TEXT = "the cat sat\non the mat\n"


def _trainer(tmp_path, **kwargs):
    return L.Trainer(logger=False, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                     default_root_dir=tmp_path, **kwargs)


def test_package_exports():
    assert demos.BoringModel is BoringModel and demos.DemoModel is DemoModel
    assert {"LightningLSTM", "LightningTransformer", "WikiText2", "SequenceSampler"} <= set(demos.__all__)


def test_tokenize_and_dictionary(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT)
    ids, dictionary = tokenize(path)
    assert dictionary.idx2word == ["the", "cat", "sat", "<eos>", "on", "mat"]
    assert ids.tolist() == [0, 1, 2, 3, 4, 0, 5, 3]
    assert len(Dictionary()) == 0


def test_wikitext2_reads_a_local_file_without_downloading(tmp_path):
    (tmp_path / "wikitext-2.txt").write_text(TEXT * 10)
    dataset = WikiText2(data_dir=tmp_path, block_size=4, download=False)
    assert dataset.vocab_size == 6
    assert len(dataset) == 80 // 4 - 1
    inputs, target = dataset[1]
    assert torch.equal(inputs[1:], target[:-1])  # the target is the input shifted by one word


def test_wikitext2_download_failure_says_what_to_do(tmp_path, monkeypatch):
    import urllib.request

    def offline(*args, **kwargs):
        raise OSError("offline")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    try:
        WikiText2(data_dir=tmp_path / "nowhere")
    except RuntimeError as err:
        assert "download=False" in str(err) and "offline" in str(err)
    else:
        raise AssertionError("expected RuntimeError")
    assert not (tmp_path / "nowhere" / "wikitext-2.txt").exists()


def test_wikitext2_missing_file_error_says_what_to_do(tmp_path):
    try:
        WikiText2(data_dir=tmp_path, download=False)
    except FileNotFoundError as err:
        assert "download=True" in str(err)
    else:
        raise AssertionError("expected FileNotFoundError")


def test_sequence_sampler_keeps_rows_contiguous():
    batches = list(SequenceSampler(list(range(10)), batch_size=3))
    assert batches == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert len(SequenceSampler(list(range(10)), batch_size=3)) == 3


def test_lstm_and_transformer_shapes():
    lstm = SimpleLSTM(vocab_size=11, ninp=8, nhid=8, nlayers=2)
    out, hidden = lstm(torch.zeros(2, 5, dtype=torch.long), lstm.init_hidden(2))
    assert out.shape == (10, 11) and hidden[0].shape == (2, 2, 8)
    model = Transformer(vocab_size=13, ninp=8, nhead=2, nhid=16, nlayers=1)
    tokens = torch.randint(0, 13, (2, 6))
    assert model(tokens, tokens).shape == (12, 13)
    assert PositionalEncoding(8)(torch.zeros(1, 3, 8)).shape == (1, 3, 8)
    mask = model.generate_square_subsequent_mask(3)
    assert mask[0, 1] == float("-inf") and mask[1, 0] == 0


def test_lightning_lstm_trains_with_truncated_backprop(tmp_path):
    (tmp_path / "wikitext-2.txt").write_text(TEXT * 20)
    dataset = WikiText2(data_dir=tmp_path, block_size=3, download=False)

    class TinyLSTM(LightningLSTM):
        def prepare_data(self):  # the demo's own prepare_data downloads WikiText-2
            pass

        def train_dataloader(self):
            return torch.utils.data.DataLoader(dataset, batch_sampler=SequenceSampler(dataset, batch_size=2))

    torch.manual_seed(0)
    model = TinyLSTM(vocab_size=dataset.vocab_size)
    model.model = SimpleLSTM(vocab_size=dataset.vocab_size, ninp=4, nhid=4, nlayers=1, dropout=0.0)
    trainer = _trainer(tmp_path, max_epochs=1, limit_train_batches=3)
    trainer.fit(model)
    assert trainer.global_step == 3
    assert torch.isfinite(trainer.callback_metrics["train_loss"])
    assert model.hidden is None  # reset at the end of the epoch


def test_lightning_transformer_step_gives_a_finite_loss():
    torch.manual_seed(0)
    model = LightningTransformer(vocab_size=7)
    batch = (torch.randint(0, 7, (2, 4)), torch.randint(0, 7, (2, 4)))
    loss = model.training_step(batch, 0)
    assert loss.ndim == 0 and torch.isfinite(loss)
    assert isinstance(model.configure_optimizers(), torch.optim.SGD)


def test_demo_model_and_net_shapes():
    assert DemoModel()(torch.zeros(3, 32)).shape == (3, 10)
    assert Net()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert len(RandomIterableDatasetWithLen(4, 5)) == 5


def test_mnist_datamodule_on_local_tensors(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_USE_MOCKED_MNIST", "1")
    folder = tmp_path / "MNIST" / "complete"
    folder.mkdir(parents=True)
    torch.save((torch.randint(0, 255, (20, 28, 28), dtype=torch.uint8), torch.randint(0, 10, (20,))),
               folder / "training.pt")
    torch.save((torch.randint(0, 255, (8, 28, 28), dtype=torch.uint8), torch.randint(0, 10, (8,))),
               folder / "test.pt")
    image, label = MNIST(str(tmp_path), train=True, download=False)[0]
    assert image.shape == (1, 28, 28) and 0 <= label < 10
    dm = MNISTDataModule(str(tmp_path), val_split=4, num_workers=0, batch_size=4)
    dm.setup("fit")
    assert (len(dm.train_dataloader()), len(dm.val_dataloader()), len(dm.test_dataloader())) == (4, 1, 2)
    assert dm.num_classes == 10


def test_mnist_without_files_explains(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_USE_MOCKED_MNIST", "1")
    try:
        MNIST(str(tmp_path), download=False)
    except RuntimeError as err:
        assert "download=True" in str(err)
    else:
        raise AssertionError("expected RuntimeError")
