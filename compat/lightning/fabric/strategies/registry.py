"""``STRATEGY_REGISTRY``: the strategy names ``Fabric(strategy=...)`` accepts, read live from the Trainer's registry
(one registry for both front doors; distributed strategies add their names when imported)."""


class _StrategyNames:
    def available_strategies(self) -> list:
        from lightning.pytorch.strategies.registry import strategy_factories

        return list(strategy_factories())

    def __contains__(self, name: object) -> bool:
        return name in self.available_strategies()

    def __iter__(self):
        return iter(self.available_strategies())

    def __repr__(self) -> str:
        return f"STRATEGY_REGISTRY({self.available_strategies()})"


STRATEGY_REGISTRY = _StrategyNames()
