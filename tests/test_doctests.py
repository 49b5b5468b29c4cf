"""The examples in the modules' docstrings hold (the modules whose own test file does not run them)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["assistant.facts", "assistant.fields", "assistant.intent", "assistant.mentions",
           "assistant.passages", "assistant.wording", "ingest.chunking", "ingest.readers"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
