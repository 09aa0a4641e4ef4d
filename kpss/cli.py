"""The ``kpss`` command line: load, extract, stats, serve, export."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.store import GraphStore, StoreError, open_store
from kpss.settings import Settings

app = typer.Typer(help="kpss-graph: the knowledge graph of community planning of social services.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

Backend = Annotated[
    Optional[str], typer.Option("--backend", help="embedded or neo4j (default: KPSS_BACKEND, else embedded).")
]


def _settings(backend: str | None) -> Settings:
    settings = Settings()  # read afresh: the environment is the user's to set per command
    if backend:
        if backend not in ("embedded", "neo4j"):
            raise typer.BadParameter("choose embedded or neo4j", param_hint="--backend")
        settings = settings.model_copy(update={"backend": backend})
    return settings


def _with_store(settings: Settings, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Runs ``work`` on an open store; a store that cannot be reached is a clear error, not a trace."""

    async def run() -> T:
        store = await open_store(settings.store_config())
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except StoreError as exc:
        err.print(f"[red]Graph store ({settings.backend}):[/red] {exc}")
        raise typer.Exit(2) from exc


def _spinner(description: str) -> Progress:
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True)
    progress.add_task(description, total=None)
    return progress


@app.command()
def load(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders; none loads the bundled dataset.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Load only into an empty store (first start).")] = False,
    encoding: Annotated[Optional[str], typer.Option(help="CSV encoding: utf-8 or cp1250 (default: detected).")] = None,
    delimiter: Annotated[Optional[str], typer.Option(help="CSV delimiter: ',' or ';' (default: detected).")] = None,
    backend: Backend = None,
) -> None:
    """Load projects, organisations, places and programmes into the graph, all or nothing."""
    from loaders.errors import LoadError
    from loaders.pipeline import bundled_paths, load_paths
    from loaders.tables import CsvOptions

    settings = _settings(backend)
    if encoding and encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "cp1250", "windows1250"):
        raise typer.BadParameter("choose utf-8 or cp1250", param_hint="--encoding")
    if delimiter and delimiter not in (",", ";"):
        raise typer.BadParameter("choose ',' or ';'", param_hint="--delimiter")
    csv_options = CsvOptions(encoding, delimiter)

    async def work(store: GraphStore):
        if if_empty and (await store.counts()).get("Project", 0):
            return None
        with _spinner("Reading, resolving and writing…"):
            return await load_paths(store, paths or bundled_paths(), dry_run=dry_run, csv_options=csv_options,
                                    publish_contacts=settings.publish_contacts)

    try:
        report = _with_store(settings, work)
    except LoadError as exc:
        err.print(f"[red]Nothing was loaded: {len(exc.problems)} problem(s) in the input.[/red]")
        for problem in exc.problems:
            err.print(f"  • {problem}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    if report is None:
        out.print("The store already holds projects; nothing loaded (--if-empty).")
        return
    for merge in report.merges if dry_run else report.write.merges:  # nodes of the graph merged: always said
        out.print(f"merged: {merge}", markup=False, highlight=False, soft_wrap=True)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    for fact in report.replaced:
        out.print(f"[cyan]{'would replace' if dry_run else 'replaced'}:[/cyan] {fact}", highlight=False, soft_wrap=True)
    table = Table(title=("Dry run — would change" if dry_run else "Loaded") + f" ({len(report.files)} files)")
    for column in ("", "created", "updated", "unchanged"):
        table.add_column(column, justify="right" if column else "left")
    w = report.write
    for kind in sorted(set(w.created) | set(w.updated) | set(w.unchanged)):
        table.add_row(kind, str(w.created[kind]), str(w.updated[kind]), str(w.unchanged[kind]))
    out.print(table)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Czech project pages, plain text or HTML.")],
) -> None:
    """Print, as JSON, what the page extractor finds in each page, before resolution."""
    import json

    from loaders.errors import LoadError, Problem
    from loaders.page import extract as extract_page
    from loaders.page import extraction_json, page_text

    documents, failed = [], False
    for path in files:
        try:
            if not path.is_file():
                raise LoadError([Problem(str(path), None, None, "no such file")])
            text, _ = page_text(path, path.read_bytes())
            found = extract_page(text, str(path))
        except LoadError as exc:
            found = None
            documents.append({"source": str(path), "project": None, "problems": [str(p) for p in exc.problems]})
        if found is not None:
            documents.append(extraction_json(found))
        failed = failed or bool(documents[-1]["problems"])
    typer.echo(json.dumps({"documents": documents}, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


@app.command()
def stats(backend: Backend = None) -> None:
    """Counts of nodes per label and edges per relationship type."""

    async def work(store: GraphStore) -> dict[str, int]:
        return await store.counts()

    counts = _with_store(_settings(backend), work)
    table = Table(title="Graph")
    table.add_column("label / type")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Bind address (default KPSS_HOST, 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default KPSS_PORT, 8000).")] = None,
    backend: Backend = None,
) -> None:
    """Serve GraphQL (with the GraphiQL explorer), linked data, SPARQL and health probes over HTTP."""
    import uvicorn

    from server.app import create_app

    settings = _settings(backend)
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port, log_level="info")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, jsonld or rdf (RDF/XML).")] = "ttl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write; default standard output.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Only projects in this NUTS region (e.g. CZ072), with what they link to.")] = None,
    programme: Annotated[Optional[str], typer.Option(help="Only projects under this programme (e.g. CZ.1.04), with what they link to.")] = None,
    backend: Backend = None,
) -> None:
    """Export the graph as linked open data (RDF), streamed page by page."""
    import sys

    from rdf.export import stream, subset_problem
    from rdf.serialize import FORMATS

    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if problem := subset_problem(region, programme):
        raise typer.BadParameter(problem[1], param_hint=f"--{problem[0]}")
    settings = _settings(backend)

    async def work(store: GraphStore) -> None:
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            async for chunk in stream(store, format, settings.base_iri, region=region, programme=programme):
                sink.write(chunk)
        finally:
            if output:
                sink.close()

    _with_store(settings, work)
    if output:
        err.print(f"Wrote {output} ({FORMATS[format].label}).")
