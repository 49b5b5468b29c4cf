"""The README's set-up commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _code_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```\n(.*?)```", text, flags=re.S)]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    set_up = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = [block for block in _code_blocks(set_up) if "pip install" in block]
    assert len(commands) == 2, "the README has exactly two set-up commands"
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in ci
    main_command = next(c for c in commands if "pytest" not in c)
    assert "pia ingest data/samples" in main_command and "pia ask" in main_command
