"""A small transformer language model on WikiText-2 (a word-level demo, after PyTorch's word_language_model).

``WikiText2(download=True)`` fetches the training text once (about 10 MB) into ``data_dir``; with
``download=False`` it reads a file already there, so tests can feed it any small text file.
"""
import math
import os
import urllib.request
from pathlib import Path
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from lightning.pytorch.core.module import LightningModule

__all__ = ["Dictionary", "LightningTransformer", "PositionalEncoding", "Transformer", "WikiText2", "tokenize"]

_WIKITEXT2_URL = "https://raw.githubusercontent.com/pytorch/examples/main/word_language_model/data/wikitext-2/train.txt"


def _causal_mask(size: int) -> Tensor:
    """``-inf`` above the diagonal, 0 elsewhere: position i may attend to positions <= i only."""
    return torch.full((size, size), float("-inf")).triu(diagonal=1)


class Transformer(nn.Module):
    """Embedding + positional encoding + ``nn.Transformer`` + a linear decoder to log-probabilities."""

    def __init__(self, vocab_size: int = 33278, ninp: int = 200, nhead: int = 2, nhid: int = 200, nlayers: int = 2,
                 dropout: float = 0.2) -> None:
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers,
                                          num_decoder_layers=nlayers, dim_feedforward=nhid, dropout=dropout,
                                          batch_first=True)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size
        self.src_mask: Optional[Tensor] = None

    def generate_square_subsequent_mask(self, size: int) -> Tensor:
        return _causal_mask(size)

    def forward(self, inputs: Tensor, target: Tensor, mask: Optional[Tensor] = None) -> Tensor:
        length = inputs.shape[1]
        if self.src_mask is None or self.src_mask.size(0) != length:
            self.src_mask = _causal_mask(length).to(inputs.device)
        if mask is None:
            mask = _causal_mask(length).to(inputs.device)
        scale = math.sqrt(self.ninp)
        src = self.pos_encoder(self.embedding(inputs) * scale)
        tgt = self.pos_encoder(self.embedding(target) * scale)
        output = self.decoder(self.transformer(src, tgt, tgt_mask=mask))
        return F.log_softmax(output, dim=-1).view(-1, self.vocab_size)


class PositionalEncoding(nn.Module):
    """Adds the sinusoidal encoding (built lazily on the input's device) and applies dropout."""

    def __init__(self, dim: int, dropout: float = 0.1, max_len: int = 5000) -> None:
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        self.dim = dim
        self.max_len = max_len
        self.pe: Optional[Tensor] = None

    def forward(self, x: Tensor) -> Tensor:
        if self.pe is None:
            self.pe = self._init_pos_encoding(x.device)
        # Lightning's demo adds the encoding of position ``seq_len`` to every token; kept for identical numbers
        return self.dropout(x + self.pe[:, x.size(1)])

    def _init_pos_encoding(self, device: torch.device) -> Tensor:
        position = torch.arange(self.max_len, dtype=torch.float, device=device).unsqueeze(1)
        frequencies = torch.exp(torch.arange(0, self.dim, 2, device=device).float() * (-math.log(10000.0) / self.dim))
        pe = torch.zeros(self.max_len, self.dim, device=device)
        pe[:, 0::2] = torch.sin(position * frequencies)
        pe[:, 1::2] = torch.cos(position * frequencies)
        return pe.unsqueeze(0)


class Dictionary:
    """Word <-> index, in order of first appearance."""

    def __init__(self) -> None:
        self.word2idx: dict = {}
        self.idx2word: list = []

    def add_word(self, word: str) -> int:
        if word not in self.word2idx:
            self.word2idx[word] = len(self.idx2word)
            self.idx2word.append(word)
        return self.word2idx[word]

    def __len__(self) -> int:
        return len(self.idx2word)


def tokenize(path: Path) -> tuple:
    """Read a text file into one flat tensor of word ids (``<eos>`` after each line) and its ``Dictionary``."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"No text file at {str(path)!r}; pass `download=True` or put the file there.")
    dictionary = Dictionary()
    ids = []
    with open(path, encoding="utf8") as f:
        for line in f:
            ids.append(torch.tensor([dictionary.add_word(w) for w in line.split() + ["<eos>"]], dtype=torch.int64))
    return (torch.cat(ids) if ids else torch.empty(0, dtype=torch.int64)), dictionary


class WikiText2(Dataset):
    """Blocks of ``block_size`` word ids; each item is ``(inputs, inputs shifted by one word)``."""

    def __init__(self, data_dir: Path = Path("./data"), block_size: int = 35, download: bool = True) -> None:
        super().__init__()
        self.path = Path(data_dir) / "wikitext-2.txt"
        if download:
            self.download(self.path)
        self.data, self.dictionary = tokenize(self.path)
        self.block_size = block_size

    @property
    def vocab_size(self) -> int:
        return len(self.dictionary)

    def __len__(self) -> int:
        return len(self.data) // self.block_size - 1

    def __getitem__(self, index: int) -> tuple:
        start = index * self.block_size
        end = start + self.block_size
        return self.data[start:end], self.data[start + 1:end + 1]

    @staticmethod
    def download(destination: Path) -> None:
        destination = Path(destination)
        if destination.exists():
            return
        os.makedirs(destination.parent, exist_ok=True)
        try:
            with urllib.request.urlopen(_WIKITEXT2_URL, timeout=60) as response:
                text = response.read().decode("utf8")
        except OSError as err:
            raise RuntimeError(
                f"Could not download WikiText-2 from {_WIKITEXT2_URL} ({err}). Download it yourself to "
                f"{str(destination)!r} and pass `download=False`."
            ) from err
        tmp = destination.with_suffix(".part")
        tmp.write_text(text, encoding="utf8")
        os.replace(tmp, destination)


class LightningTransformer(LightningModule):
    """``Transformer`` trained with SGD(lr=0.1) on next-word prediction over WikiText-2."""

    def __init__(self, vocab_size: int = 33278) -> None:
        super().__init__()
        self.model = Transformer(vocab_size=vocab_size)

    def forward(self, inputs: Tensor, target: Tensor) -> Tensor:
        return self.model(inputs, target)

    def training_step(self, batch: tuple, batch_idx: int) -> Tensor:
        inputs, target = batch
        return F.nll_loss(self(inputs, target), target.view(-1))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.model.parameters(), lr=0.1)

    def prepare_data(self) -> None:
        WikiText2(download=True)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(WikiText2())
