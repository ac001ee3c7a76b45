"""Fetch the whole lit-migrate corpus (fixtures/migrate_corpus/sources.json) into a folder, for measure.py.

    python tests/migrate/corpus/fetch.py DEST            # needs git and network access
    python tests/migrate/corpus/measure.py DEST

Only the sources marked `vendored` (their licences allow it) are committed, under fixtures/migrate_corpus/vendor/;
the others are fetched here at the recorded commit and stay out of the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[3] / "fixtures" / "migrate_corpus" / "sources.json"


def fetch(source: dict, dest: Path) -> None:
    target = dest / source["name"]
    if target.exists():
        print(f"{source['name']}: already there")
        return
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "--quiet", "--filter=blob:none", "--no-checkout",
                        f"https://github.com/{source['repo']}.git", str(clone)], check=True)
        archive = Path(tmp) / "paths.tar"
        subprocess.run(["git", "-C", str(clone), "archive", "-o", str(archive), source["commit"], *source["paths"]],
                       check=True)
        target.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")  # plain files only, nothing outside `target`
    print(f"{source['name']}: {source['repo']}@{source['commit']} ({source['licence']})")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    dest = Path(argv[0])
    for source in json.loads(SOURCES.read_text()):
        fetch(source, dest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
