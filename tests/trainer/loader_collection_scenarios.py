"""How Lightning reads a collection of dataloaders (run under 2.6.6 and under this project by
``test_loader_collections.py``): which batches ``test_step`` receives for each collection passed to
``trainer.test``, and what ``CombinedLoader`` yields in each mode. Prints one JSON object."""
import json
import warnings

COLLECTIONS = {
    "one_value": [0],
    "values": [0, 1],
    "one_list": [[0, 1]],
    "two_lists": [[1, 2], [3]],
    "dict_of_lists": {"a": [1, 2], "b": [3, 4, 5]},
    "tuple_of_strings": ("x", "y"),
    "empty_list_and_list": [[], [7]],
}


def steps(loaders):
    from lightning.pytorch import LightningModule, Trainer

    seen = []

    class Model(LightningModule):
        def test_step(self, *args):
            seen.append([a if isinstance(a, (int, str, type(None))) else repr(a) for a in args])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            Trainer(barebones=True).test(Model(), loaders)
        except Exception as err:  # noqa: BLE001 - the error type is part of the result
            return type(err).__name__
    return seen


def combined(loaders, mode):
    from lightning.pytorch.utilities import CombinedLoader

    loader = CombinedLoader(loaders, mode)
    try:
        return [repr(item) for item in loader]
    except Exception as err:  # noqa: BLE001
        return type(err).__name__


if __name__ == "__main__":
    result = {f"test/{name}": steps(value) for name, value in COLLECTIONS.items()}
    for name, value in COLLECTIONS.items():
        for mode in ("min_size", "max_size_cycle", "max_size", "sequential"):
            result[f"combined/{name}/{mode}"] = combined(value, mode)
    print(json.dumps(result))
