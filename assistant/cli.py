"""The `pia` command line: a thin layer that builds Settings, calls the library and prints.

Errors of the library arrive as PiaError and leave as one line on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.config import Settings
from assistant.errors import PiaError
from assistant.store import Store


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False))


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(index_dir=getattr(args, "index", None),
                             embedder=getattr(args, "embedder", None))


def _open_store(settings: Settings) -> Store:
    return Store(settings.database_path, create=False)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.indexes import indexed_model, rebuild_indexes
    from ingest.pipeline import expand_paths, ingest_file

    settings = _settings(args)
    paths = list(expand_paths(args.paths))
    if not paths:
        raise PiaError("no files to ingest (give files or folders with .txt/.md/.pdf assessments)")
    results = []
    with Store(settings.database_path) as store:
        progress = tqdm(paths, unit="file", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)
        for path in progress:
            result = ingest_file(store, path, settings)
            results.append(result)
            tqdm.write(result.line(), file=sys.stdout)
        changed = any(r.status == "ok" for r in results)
        if changed or args.reindex or not _indexes_present(settings):
            count = rebuild_indexes(settings, store, progress=not args.quiet)
            print(f"index: {count} chunks ({indexed_model(settings.index_dir)}) in {settings.index_dir}")
        documents = len(store.documents())
    failed = sum(r.status == "failed" for r in results)
    ok = sum(r.status == "ok" for r in results)
    unchanged = sum(r.status == "unchanged" for r in results)
    print(f"{ok} ok, {unchanged} unchanged, {failed} failed; {documents} documents in the index")
    return 1 if failed and not ok and not unchanged else 0


def _indexes_present(settings: Settings) -> bool:
    from assistant.indexes import indexes_present

    return indexes_present(settings)


def cmd_remove(args: argparse.Namespace) -> int:
    from assistant.indexes import rebuild_indexes

    settings = _settings(args)
    with _open_store(settings) as store:
        if not store.remove(args.doc_id):
            raise PiaError(f"no document {args.doc_id!r} in the index (see `pia docs`)")
        rebuild_indexes(settings, store, progress=False)
    print(f"removed {args.doc_id}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    with _open_store(_settings(args)) as store:
        rows = store.document_rows()
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("(no documents: run `pia ingest PATH`)")
    for row in rows:
        print(f"{row['doc_id']}\t{row['city']}\t{row['kind']}\t{row['published'] or '-'}\t"
              f"{row['title']}\t{row['fields']} fields\t{row['chunks']} chunks")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from assistant.outline import outline_lines

    with _open_store(_settings(args)) as store:
        assessment = store.assessment(args.doc_id)
    if assessment is None:
        raise PiaError(f"no document {args.doc_id!r} in the index (see `pia docs`)")
    if args.json:
        from assistant.outline import assessment_json

        _print_json(assessment_json(assessment))
        return 0
    for line in outline_lines(assessment):
        print(line)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.indexes import open_searcher
    from assistant.types import SearchFilters

    settings = _settings(args)
    filters = SearchFilters(
        cities=tuple(args.city or ()), jimu=tuple(args.jimu or ()), kinds=tuple(args.kind or ()),
        families=tuple(args.family or ()), include_history=not args.no_history,
    )
    searcher = open_searcher(settings)
    queries = _batch_lines(args.batch) if args.batch else [args.query]
    if not queries or queries == [None]:
        raise PiaError("give a QUERY or --batch FILE")
    for query in queries:
        result = searcher.search(query, k=args.k, filters=filters)
        payload = {"query": query, "hits": [hit.to_json() for hit in result.hits]}
        if args.json or args.batch:
            _print_json(payload)
            continue
        for hit in result.hits:
            snippet = hit.text.split("\n", 1)[-1].replace("\n", " ")[:120]
            print(f"{hit.rank:>2}. [{hit.score:.3f}] {hit.city} {hit.title}\n"
                  f"    {hit.section_path} > {hit.field}\n    {snippet}")
    return 0


def _batch_lines(path: str) -> list[str]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PiaError(f"cannot read {path}: {error.strerror}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.answering import open_answerer

    answerer = open_answerer(_settings(args))
    questions = _batch_lines(args.batch) if args.batch else [args.question]
    if not questions or questions == [None]:
        raise PiaError("give a QUESTION or --batch FILE")
    for question in questions:
        answer = answerer.ask(question, persona=args.persona, city=args.city)
        if args.json or args.batch:
            _print_json(answer.to_json())
        else:
            from assistant.rendering import answer_text

            print(answer_text(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.answering import open_answerer
    from assistant.rendering import answer_text

    answerer = open_answerer(_settings(args))
    history: list[tuple[str, object]] = []
    print("pia chat — 質問を入力してください（終了: Ctrl-D または「終了」）")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return 0
        if question in {"終了", "exit", "quit"}:
            return 0
        if not question:
            continue
        answer = answerer.ask(question, history=tuple(history), persona=args.persona)
        history.append((question, answer))
        print(answer_text(answer))


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from web.app import create_app
    except ImportError:
        raise PiaError("the web chat (web/app.py) is not part of this version yet; use `pia ask` or `pia chat`") from None
    import uvicorn

    uvicorn.run(create_app(_settings(args)), host=args.host, port=args.port)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.runner import run_cli

    return run_cli(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pia", description="特定個人情報保護評価書 QA assistant (offline)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", metavar="DIR", help="index directory (default: $PIA_INDEX or "
                                                       "~/.local/share/pia/index)")
    common.add_argument("--embedder", help="embedding model: use-m3 (default for a new index), hash, or "
                                           "a sentence-transformers model name / local directory; "
                                           "default: the model the index was built with")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="parse, store and index assessment files")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--reindex", action="store_true", help="rebuild the search indexes")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", parents=[common], help="remove a document from the index")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("docs", parents=[common], help="list ingested documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("show", parents=[common], help="show a document's sections and fields")
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", parents=[common], help="search passages")
    p.add_argument("query", nargs="?")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--city", action="append")
    p.add_argument("--jimu", action="append")
    p.add_argument("--kind", action="append")
    p.add_argument("--family", action="append", help="section family, e.g. 委託, 開示請求・問合せ")
    p.add_argument("--no-history", action="store_true", help="exclude change-history passages")
    p.add_argument("--batch", metavar="FILE", help="one query per line ('-' for stdin); JSON lines out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    p.add_argument("question", nargs="?")
    p.add_argument("--city")
    p.add_argument("--persona", choices=["resident", "staff", "helpdesk"])
    p.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin); JSON lines out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="interactive questions in the terminal")
    p.add_argument("--persona", choices=["resident", "staff", "helpdesk"])
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", parents=[common], help="serve the web chat (not part of this version yet)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", parents=[common], help="score question sets")
    p.add_argument("qsets", nargs="+", metavar="QSET")
    p.add_argument("--out", metavar="DIR", default="eval-out")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-baselines", action="store_true", help="only the full pipeline")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PiaError as error:
        print(f"pia: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
