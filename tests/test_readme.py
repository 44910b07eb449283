"""The README a new user reads in two screens (issue 24): what it is, the two commands on the first screen,
what you get, where next; its Chinese twin README.zh.md says the same; the guide holds the rest."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREEN = 40  # lines of a terminal or a laptop's browser window


def _code(text: str) -> str:
    return "\n".join(re.findall(r"```(?:bash)?\n(.*?)```", text, flags=re.S))


def test_the_first_screen_holds_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    first = "\n".join(lines[:SCREEN])
    assert re.search(r"^make baseline\b", _code(first), flags=re.M)
    assert re.search(r"^make test\b", _code(first), flags=re.M)
    assert len(lines) <= 2 * SCREEN + 10  # two screens, not the 357 lines it once was


def test_the_chinese_readme_exists_with_the_same_commands_and_they_link_each_other():
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    zh = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    first = "\n".join(zh.splitlines()[:SCREEN])
    assert "make baseline" in _code(first) and "make test" in _code(first)
    assert "(README.zh.md)" in en and "(README.md)" in zh
    assert "返贫" in zh and "建档口径" in zh and "预警口径" in zh  # Chinese, with the measures' names


def test_every_local_link_of_both_readmes_exists():
    for name in ("README.md", "README.zh.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)\)", text):
            assert (ROOT / target).exists(), f"{name}: {target}"
