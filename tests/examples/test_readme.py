"""The README's minimal example runs as written, and its quick start names the commands that exist."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_minimal_example_runs():
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    trainer, model = namespace["trainer"], namespace["model"]
    assert trainer.current_epoch == 3 and trainer.global_step == 24
    assert model.hparams.lr == 0.1


def test_quick_start_commands_exist_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    commands = re.findall(r"^make (\w+)", README, re.M)
    assert commands == ["demo", "test"]
    for command in commands:
        assert re.search(rf"^{command}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
