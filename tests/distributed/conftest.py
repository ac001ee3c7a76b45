"""Fixtures for the distributed tests."""
import importlib.util

import pytest

from tests.distributed.runner import SCRIPT


@pytest.fixture(scope="module")
def train_module():
    """``scripts/train.py`` imported as a module, for single-process reference runs in this process."""
    spec = importlib.util.spec_from_file_location("dist_train_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
