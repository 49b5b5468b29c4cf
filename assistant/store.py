"""The SQLite store of parsed assessments: documents, sections, fields and chunks, schema-versioned.

Writes of one document happen in one transaction, so a failure leaves the store as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import StoreError
from assistant.types import Assessment, Chunk, DocumentInfo, Field, Section

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL,
    organization TEXT NOT NULL, city TEXT NOT NULL, number TEXT NOT NULL, title TEXT NOT NULL,
    jimu TEXT NOT NULL, kind TEXT NOT NULL, published TEXT, text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);
CREATE TABLE IF NOT EXISTS fields (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, label TEXT NOT NULL,
    value TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
    options TEXT NOT NULL, checked TEXT NOT NULL, unchecked TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, city TEXT NOT NULL, jimu TEXT NOT NULL, kind TEXT NOT NULL,
    section_path TEXT NOT NULL, field TEXT NOT NULL, text TEXT NOT NULL, body TEXT NOT NULL,
    is_history INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id, ordinal);
"""

_DOCUMENT_COLUMNS = "doc_id, source, city, organization, title, jimu, kind, published"
_CHUNK_COLUMNS = "chunk_id, doc_id, ordinal, city, jimu, kind, section_path, field, text, body, is_history"
# Section paths are stored joined with a character that cannot occur in form text.
_PATH_JOIN = "\x1f"


class Store:
    """Open (and create) ``pia.sqlite`` in an index directory."""

    def __init__(self, path: Path, create: bool = True):
        self.path = Path(path)
        if not self.path.exists() and not create:
            raise StoreError(f"no index at {self.path.parent}: run `pia ingest PATH` first")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the store {self.path}: {error}") from None

    def _migrate(self) -> None:
        with self._db:
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
            elif int(row[0]) != SCHEMA_VERSION:
                raise StoreError(
                    f"the store {self.path} has schema version {row[0]}, this pia needs {SCHEMA_VERSION}: "
                    "ingest into a new --index directory"
                )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def sha256_of(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def put(self, assessment: Assessment, chunks: Iterable[Chunk]) -> None:
        """Insert or replace one document with its sections, fields and chunks, atomically."""
        a = assessment
        try:
            with self._db:
                self._db.execute("DELETE FROM documents WHERE doc_id = ?", (a.doc_id,))
                self._db.execute(
                    "INSERT INTO documents (doc_id, source, sha256, organization, city, number, title,"
                    " jimu, kind, published, text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (a.doc_id, a.source, a.sha256, a.organization, a.city, a.number, a.title, a.jimu,
                     a.kind, a.published, a.text),
                )
                self._db.executemany(
                    "INSERT INTO sections (doc_id, ordinal, path) VALUES (?,?,?)",
                    [(a.doc_id, s.ordinal, _PATH_JOIN.join(s.path)) for s in a.sections],
                )
                self._db.executemany(
                    "INSERT INTO fields VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [
                        (a.doc_id, f.ordinal, _PATH_JOIN.join(f.section), f.label, f.value, f.text,
                         f.kind, json.dumps(f.options, ensure_ascii=False),
                         json.dumps(f.checked, ensure_ascii=False),
                         json.dumps(f.unchecked, ensure_ascii=False))
                        for f in a.fields
                    ],
                )
                self._db.executemany(
                    f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (c.chunk_id, c.doc_id, c.ordinal, c.city, c.jimu, c.kind, c.section_path,
                         c.field, c.text, c.body, int(c.is_history))
                        for c in chunks
                    ],
                )
        except sqlite3.Error as error:
            raise StoreError(f"could not store {a.source}: {error}") from None

    def remove(self, doc_id: str) -> bool:
        with self._db:
            cursor = self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return cursor.rowcount > 0

    # --- reading -------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        rows = self._db.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY doc_id").fetchall()
        return [DocumentInfo(*row) for row in rows]

    def document_rows(self) -> list[dict]:
        """Documents with every metadata column, for `pia docs`."""
        cursor = self._db.execute(
            "SELECT d.doc_id, d.source, d.sha256, d.organization, d.city, d.number, d.title, d.jimu,"
            " d.kind, d.published, d.ingested_at,"
            " (SELECT COUNT(*) FROM fields f WHERE f.doc_id = d.doc_id),"
            " (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id)"
            " FROM documents d ORDER BY d.doc_id"
        )
        names = ["doc_id", "source", "sha256", "organization", "city", "number", "title", "jimu",
                 "kind", "published", "ingested_at", "fields", "chunks"]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks"
        params: tuple = ()
        if doc_id is not None:
            query += " WHERE doc_id = ?"
            params = (doc_id,)
        rows = self._db.execute(query + " ORDER BY doc_id, ordinal", params).fetchall()
        return [Chunk(*row[:10], is_history=bool(row[10])) for row in rows]

    def document_text(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def assessment(self, doc_id: str) -> Assessment | None:
        row = self._db.execute(
            "SELECT doc_id, source, sha256, organization, city, number, title, jimu, kind, published, text"
            " FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        sections = tuple(
            Section(path=tuple(path.split(_PATH_JOIN)), ordinal=ordinal)
            for ordinal, path in self._db.execute(
                "SELECT ordinal, path FROM sections WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
            )
        )
        return Assessment(*row[:10], sections=sections, fields=tuple(self.fields(doc_id)), text=row[10])

    def fields(self, doc_id: str | None = None) -> list[Field]:
        """Fields of one document (or of all, for corpus-wide questions) in document order."""
        query = ("SELECT doc_id, ordinal, section, label, value, text, kind, options, checked, unchecked"
                 " FROM fields")
        params: tuple = ()
        if doc_id is not None:
            query += " WHERE doc_id = ?"
            params = (doc_id,)
        rows = self._db.execute(query + " ORDER BY doc_id, ordinal", params).fetchall()
        return [_field_from_row(row) for row in rows]

    def fields_by_document(self) -> dict[str, list[Field]]:
        grouped: dict[str, list[Field]] = {}
        for row in self._db.execute(
            "SELECT doc_id, ordinal, section, label, value, text, kind, options, checked, unchecked"
            " FROM fields ORDER BY doc_id, ordinal"
        ):
            grouped.setdefault(row[0], []).append(_field_from_row(row))
        return grouped


def _field_from_row(row: tuple) -> Field:
    _doc_id, ordinal, section, label, value, text, kind, options, checked, unchecked = row
    return Field(
        section=tuple(section.split(_PATH_JOIN)) if section else (),
        label=label,
        value=value,
        text=text,
        ordinal=ordinal,
        kind=kind,
        options=tuple(json.loads(options)),
        checked=tuple(json.loads(checked)),
        unchecked=tuple(json.loads(unchecked)),
    )
