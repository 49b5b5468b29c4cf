"""Settings: one object built at the entry point (CLI command, create_app) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_INDEX_DIR = Path.home() / ".local" / "share" / "pia" / "index"
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX_DIR
    # registry name, sentence-transformers model name, or local directory; None = the model the
    # index was built with (use-m3 for a new index)
    embedder: str | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    llm_url: str | None = None
    llm_model: str | None = None

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None, **overrides) -> "Settings":
        """Explicit arguments win over environment variables, which win over defaults."""
        settings = cls()
        env_index = os.environ.get("PIA_INDEX")
        if env_index:
            settings = replace(settings, index_dir=Path(env_index))
        if os.environ.get("PIA_EMBEDDER"):
            settings = replace(settings, embedder=os.environ["PIA_EMBEDDER"])
        if os.environ.get("PIA_LLM_URL"):
            settings = replace(settings, llm_url=os.environ["PIA_LLM_URL"])
        if os.environ.get("PIA_LLM_MODEL"):
            settings = replace(settings, llm_model=os.environ["PIA_LLM_MODEL"])
        if index_dir is not None:
            settings = replace(settings, index_dir=Path(index_dir))
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **overrides)

    @property
    def database_path(self) -> Path:
        return self.index_dir / "pia.sqlite"
