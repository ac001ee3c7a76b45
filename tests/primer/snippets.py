"""The code snippets of the primer users learn from (shared/primer.md), typos fixed, in reading order.

Each snippet is kept as written (only the typos fixed: `batc` -> `batch`, `z` -> `x`, a keyword argument before
positional ones, the pseudo-code `training_step(batch, batch_idx)` of a step that takes only `batch`). `L` is bound
to `lightning` or to `pytorch_lightning` by the test, so every snippet runs in both namespaces. The only lines left
out are the torchvision dataset imports of the split example (no downloads here); its `random_split` runs on a
synthetic dataset instead.
"""

DEFINE_MODEL = '''
class LitAutoEncoder(L.LightningModule):
    def __init__(self, Net):
        super().__init__()
        self.Net = Net

    def forward(self, x):
        return self.Net(x)

    def criterion(self, x, y):
        return F.cross_entropy(x, y)

    # *结构化定义train loop
    def training_step(self, batch):
        x, y = batch
        x_hat = self.forward(x)
        loss = self.criterion(x_hat, y)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        return optimizer
'''

TRAIN = '''
# model
autoencoder = LitAutoEncoder(Net)

# train model
trainer = L.Trainer()
trainer.fit(model=autoencoder, train_dataloaders=train_loader)
'''

WHAT_FIT_DOES = '''
autoencoder = LitAutoEncoder(Net)
optimizer = autoencoder.configure_optimizers()

for batch_idx, batch in enumerate(train_loader):
    loss = autoencoder.training_step(batch)

    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
'''

TEST_VALID_LOOP = '''
class LitAutoEncoder(LitAutoEncoder):
    def test_step(self, batch):
        x, y = batch
        x_hat = self.Net(x)
        test_loss = self.criterion(x_hat, y)

    def validation_step(self, batch):
        x, y = batch
        x_hat = self.Net(x)
        val_loss = self.criterion(x_hat, y)
'''

TEST = '''
autoencoder = LitAutoEncoder(Net)
trainer = L.Trainer()

trainer.test(model = autoencoder, dataloader = test_dataloader)
'''

SPLIT = '''
import torch.utils.data as data

# use 20% of training data for validation
train_set_size = int(len(train_set) * 0.8)
valid_set_size = len(train_set) - train_set_size

# split the train set into two
seed = torch.Generator().manual_seed(42)
train_set, valid_set = data.random_split(train_set, [train_set_size, valid_set_size], generator=seed)
'''

VALIDATE = '''
trainer.fit(autoencoder, train_loader, valid_loader)
'''

SAVE = '''
# saves checkpoints to 'some/path/' at every epoch end
trainer = Trainer(default_root_dir="some/path/")
'''

LOAD = '''
model = autoencoder.load_from_checkpoint("/path/to/checkpoint.ckpt")

# disable randomness, dropout, etc...
model.eval()

# predict with the model
y_hat = model(x)
'''

RESUME = '''
model = LitModel()
trainer = Trainer()

# automatically restores model, epoch, step, LR schedulers, etc...
trainer.fit(model, ckpt_path="some/path/to/my_checkpoint.ckpt")
'''

LOGGING = '''
class LitAutoEncoder(LitAutoEncoder):
    def training_step(self, batch):
        x, y = batch
        x = x.type(torch.float32)
        y = y.type(torch.float32)
        x_hat = self.forward(x)
        loss = F.cross_entropy(x_hat, y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, val_batch):
        x, y = val_batch
        x = x.type(torch.float32)
        y = y.type(torch.float32)
        x_hat = self.forward(x)
        loss = F.cross_entropy(x_hat, y)
        self.log('val_loss', loss)
'''
