"""Every form of ``configure_optimizers`` the real Lightning accepts, scheduler configuration, and bad returns."""
import pytest
import torch

from lightning.pytorch.utilities.exceptions import MisconfigurationException
from tests.trainer.helpers import Regressor, loader, trainer


def sgd(m):
    return torch.optim.SGD(m.parameters(), lr=0.1)


def step_lr(opt, **kw):
    return torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5, **kw)


def _fit(optim, epochs=2, **kwargs):
    model = Regressor(optim=optim)
    t = trainer(max_epochs=epochs, **kwargs)
    t.fit(model, loader(), loader(8))
    return t, model


def _lr(t):
    return t.optimizers[0].param_groups[0]["lr"]


def test_single_optimizer():
    t, _ = _fit(sgd)
    assert len(t.optimizers) == 1 and t.lr_scheduler_configs == [] and _lr(t) == 0.1


def test_list_of_one_optimizer():
    t, _ = _fit(lambda m: [sgd(m)])
    assert len(t.optimizers) == 1


def test_two_lists_epoch_scheduler_steps_each_epoch():
    def conf(m):
        opt = sgd(m)
        return [opt], [step_lr(opt)]

    t, _ = _fit(conf, epochs=3)
    assert t.lr_scheduler_configs[0].interval == "epoch"
    assert _lr(t) == pytest.approx(0.1 * 0.5**3)


def test_dict_with_step_interval_and_frequency():
    def conf(m):
        opt = sgd(m)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": step_lr(opt), "interval": "step", "frequency": 4,
                                                    "name": "my-lr"}}

    t, _ = _fit(conf, epochs=1)
    config = t.lr_scheduler_configs[0]
    assert (config.interval, config.frequency, config.name) == ("step", 4, "my-lr")
    assert _lr(t) == pytest.approx(0.1 * 0.5**2)  # 8 steps / frequency 4


def test_reduce_on_plateau_with_monitor():
    def conf(m):
        opt = sgd(m)
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
        return {"optimizer": opt, "lr_scheduler": sch, "monitor": "val_loss"}

    t, _ = _fit(conf, epochs=3)
    config = t.lr_scheduler_configs[0]
    assert config.reduce_on_plateau and config.monitor == "val_loss"
    assert t.lr_scheduler_configs[0].scheduler.last_epoch == 3  # stepped once per epoch with the metric


def test_reduce_on_plateau_without_monitor_is_an_error():
    def conf(m):
        opt = sgd(m)
        return [opt], [torch.optim.lr_scheduler.ReduceLROnPlateau(opt)]

    with pytest.raises(MisconfigurationException, match="monitor"):
        _fit(conf)


def test_plateau_monitoring_a_missing_metric_strict_and_lenient():
    def conf(strict):
        def inner(m):
            opt = sgd(m)
            sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
            return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "monitor": "nope", "strict": strict}}

        return inner

    with pytest.raises(MisconfigurationException, match="nope"):
        _fit(conf(True))
    with pytest.warns(RuntimeWarning, match="nope"):
        _fit(conf(False))


def test_none_trains_without_an_optimizer():
    model = Regressor(optim=lambda m: None)
    before = [p.clone() for p in model.parameters()]
    with pytest.warns(UserWarning, match="without an optimizer"):
        trainer(max_epochs=1).fit(model, loader())
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


@pytest.mark.parametrize("junk", [42, "adam", {"lr_scheduler": None}, [1, 2]])
def test_junk_is_a_clear_error_before_training(junk):
    model = Regressor(optim=lambda m: junk)
    with pytest.raises(MisconfigurationException, match="configure_optimizers|optimizer"):
        trainer().fit(model, loader())
    assert model.global_step == 0


def test_bad_interval_and_missing_scheduler_key():
    def bad_interval(m):
        opt = sgd(m)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": step_lr(opt), "interval": "batch"}}

    with pytest.raises(MisconfigurationException, match="interval"):
        _fit(bad_interval)
    with pytest.raises(MisconfigurationException, match='"scheduler"'):
        _fit(lambda m: {"optimizer": sgd(m), "lr_scheduler": {"interval": "step"}})


def test_multiple_optimizers_need_manual_optimization():
    with pytest.raises(Exception, match="manual optimization"):
        _fit(lambda m: [sgd(m), sgd(m)])
