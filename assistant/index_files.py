"""Files of an on-disk index, written so that a crash never leaves a half-written index behind.

Every build writes a new *generation* of data files (``keyword-<generation>.postings.npy``,
``vectors-<generation>.faiss``...), each to a temporary name first and then moved into place with
``os.replace``. The JSON manifest names the generation and is replaced last: it is the commit point.
Until it is replaced, readers (and a restart after a crash) keep using the previous generation;
after it is replaced, the previous generation's files are deleted.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.errors import IndexMismatchError, StoreError

REINDEX_HINT = "rebuild with `pia ingest --reindex`"


def new_generation() -> str:
    return uuid.uuid4().hex[:12]


def data_path(directory: Path, prefix: str, generation: str, part: str) -> Path:
    """data_path(d, 'keyword', 'ab12', 'terms.npy') -> d / 'keyword-ab12.terms.npy'"""
    return Path(directory) / f"{prefix}-{generation}.{part}"


def write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)``, then move the finished file to ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(str(temporary))
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def save_array(path: Path, array: np.ndarray) -> None:
    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            np.save(handle, np.ascontiguousarray(array), allow_pickle=False)

    write_atomic(path, write)


def load_array(path: Path, mmap: bool = False) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)
    except (OSError, ValueError) as error:
        raise StoreError(f"cannot read index file {path}: {error}; {REINDEX_HINT}") from error


def write_manifest(path: Path, data: dict) -> None:
    """Commit a generation: the manifest is the last file written."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())

    write_atomic(path, write)


def read_manifest(path: Path, kind: str, version: int) -> dict:
    """Read a manifest and refuse one written by another format version."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no {kind} index in {path.parent}; build it with `pia ingest`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StoreError(f"cannot read {path}: {error}; {REINDEX_HINT}") from error
    found = data.get("version")
    if found != version:
        raise IndexMismatchError(
            f"the {kind} index in {path.parent} has format version {found}, this pia reads "
            f"version {version}; {REINDEX_HINT}"
        )
    return data


def remove_other_generations(directory: Path, prefix: str, keep: str) -> None:
    """Delete data files and leftover temporaries of every generation but ``keep``."""
    for path in Path(directory).glob(f"{prefix}-*"):
        generation = path.name[len(prefix) + 1 :].split(".", 1)[0]
        if generation != keep:
            path.unlink(missing_ok=True)
