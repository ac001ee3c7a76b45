"""Hyperparameter values of the standard library's and numpy's value types, and a model that saves them; imported by
the tests under our `lightning` and by the real 2.6.6 (which then gets the plain stored values)."""
import datetime
import decimal
import fractions

import numpy as np

from lightning.pytorch.demos.boring_classes import BoringModel


def value_kinds():
    return {
        "lr": np.float64(0.1), "width": np.int64(3), "flag": np.bool_(True), "half": np.float16(0.5),
        "name": np.str_("run"), "z": np.complex64(1 + 2j),
        "grid": np.arange(6, dtype=np.float32).reshape(2, 3), "empty": np.zeros((0, 3), dtype=np.int16),
        "labels": np.array(["cat", "dog"]),
        "day": datetime.date(2024, 1, 2),
        "start": datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        "at": datetime.time(1, 2, 3), "every": datetime.timedelta(days=1, seconds=3, microseconds=5),
        "price": decimal.Decimal("1.10"), "ratio": fractions.Fraction(1, 3), "window": slice(1, None, 2),
        "nested": {"scales": [np.float32(1.5), slice(None)], "when": (datetime.date(2020, 2, 29),)},
    }


class ValueKindsModel(BoringModel):
    def __init__(self, **kwargs):
        super().__init__()
        self.save_hyperparameters()
