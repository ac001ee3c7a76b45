"""CSVLogger and TensorBoardLogger leave the same files as the real lightning 2.6.6 for the same calls
(fixtures/loggers_extra/logger_scenarios.py run by both)."""
import pytest

import lightning.pytorch as pl

from .reference import extra
from logger_scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_reference(name, tmp_path):
    ours = SCENARIOS[name](pl, str(tmp_path))
    expected = extra()["loggers"][name]
    assert ours.keys() == expected.keys()
    for key in expected:
        assert ours[key] == expected[key], key
