"""Which paths of a tree `.gitignore` excludes, by git's rules.

Inside a git work tree git itself is asked, once per walk (`git ls-files --others --ignored --exclude-standard
--directory`), so nested `.gitignore` files, `.git/info/exclude` and the global excludes file all count, and
tracked files are never ignored. Outside a repository (or without git) the `.gitignore` files of the tree are
read and matched here with git's pattern rules (`**`, anchoring, `dir/`, `!negation`, character classes,
escapes).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


def git_ignored(root: Path) -> set[str] | None:
    """Paths under `root` (relative, posix, folders ending in `/`) that git ignores; None outside a work tree."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            capture_output=True, timeout=120, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:  # not a repository, git refused it (e.g. another user's), ...
        return None
    paths = {p.decode("utf-8", "surrogateescape") for p in proc.stdout.split(b"\0") if p}
    paths.discard("./")  # the folder the user named is processed even when git ignores it
    return paths


class GitIgnoreFile:
    """The patterns of one `.gitignore`, matched against paths below its folder."""

    def __init__(self, base: Path, lines: list[str]) -> None:
        self.base = base
        self.rules: list[tuple[re.Pattern[str], bool, bool, bool]] = []  # regex, negated, dir_only, anchored
        for line in lines:
            rule = _parse(line)
            if rule is not None:
                self.rules.append(rule)

    def ignored(self, path: Path, is_dir: bool) -> bool | None:
        """True/False when a pattern decides (the last one that matches wins), None when none matches."""
        rel = path.relative_to(self.base).as_posix()
        verdict = None
        for regex, negated, dir_only, anchored in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.fullmatch(rel if anchored else path.name):
                verdict = not negated
        return verdict


def _parse(line: str) -> tuple[re.Pattern[str], bool, bool, bool] | None:
    line = line.rstrip("\r\n")
    if not line or line.startswith("#"):
        return None
    line = _strip_trailing_spaces(line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line  # a slash at the start or in the middle ties the pattern to this folder
    line = line.lstrip("/") if anchored else line
    return re.compile(_translate(line), re.DOTALL), negated, dir_only, anchored


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces are dropped unless escaped with a backslash."""
    end = len(line)
    while end > 0 and line[end - 1] == " " and not (end > 1 and line[end - 2] == "\\"):
        end -= 1
    return line[:end]


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression over a posix relative path."""
    out, i, n = [], 0, len(pattern)
    if pattern.startswith("**/"):
        out.append("(?:.*/)?")  # leading **/: in any folder
        i = 3
    while i < n:
        if pattern.startswith("/**/", i):
            out.append("/(?:.*/)?")  # a/**/b: zero or more folders between
            i += 4
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("/.*")  # trailing /**: everything inside
            i += 3
        elif pattern[i] == "*":
            while i < n and pattern[i] == "*":
                i += 1
            out.append("[^/]*")
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = _class_end(pattern, i)
            if end < 0:
                out.append(re.escape("["))
                i += 1
            else:
                out.append(_char_class(pattern[i + 1:end]))
                i = end + 1
        elif pattern[i] == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """Index of the `]` closing the class opened at `start`, or -1."""
    i = start + 1
    if i < len(pattern) and pattern[i] in "!^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # a leading ] is a member
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return -1


def _char_class(body: str) -> str:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    members = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            members.append(re.escape(body[i + 1]))
            i += 2
        elif body[i] == "-" and members and i + 1 < len(body):
            members.append("-")
            i += 1
        else:
            members.append(re.escape(body[i]) if body[i] != "-" else "\\-")
            i += 1
    return ("[^/" if negate else "[") + "".join(members) + "]"
