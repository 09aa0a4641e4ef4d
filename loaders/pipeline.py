"""A load: read every source, resolve them together, validate, and write once, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.model import GraphBatch
from graph.store import GraphStore, WriteReport
from kpss.settings import DATA_DIR
from loaders.errors import LoadError, Problem
from loaders.files import Document, read_structured
from loaders.page import read_page
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve
from loaders.tables import CsvOptions, read_csv

BUNDLED_DIR = DATA_DIR / "bundled"
READERS = {
    ".yaml": read_structured, ".yml": read_structured, ".json": read_structured,
    ".txt": read_page, ".html": read_page, ".htm": read_page, ".csv": read_csv,
}


@dataclass
class LoadReport:
    files: list[str]
    write: WriteReport
    warnings: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)


def bundled_paths() -> list[Path]:
    return [BUNDLED_DIR]


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the readable files inside folders named, in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS and not p.name.startswith("."))
        elif path.exists():
            out.append(path)
        else:
            raise LoadError([Problem(str(path), None, None, "no such file or folder")])
    return out


def read_all(paths: list[Path], csv_options: CsvOptions | None = None) -> list[Document]:
    """Every file read, every problem of every file reported together."""
    documents, problems = [], []
    for path in expand(paths):
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(Problem(str(path), None, None, f"unsupported file type {path.suffix or '(none)'}; "
                                    f"supported: {', '.join(sorted(READERS))}"))
            continue
        try:
            documents.append(read_csv(path, csv_options) if reader is read_csv else reader(path))
        except LoadError as exc:
            problems += exc.problems
    if problems:
        raise LoadError(problems)
    return documents


async def load_paths(
    store: GraphStore, paths: list[Path], *, dry_run: bool = False, csv_options: CsvOptions | None = None
) -> LoadReport:
    """Loads files and folders (with the reference data) into the store; raises LoadError,
    having written nothing, when any input is bad."""
    documents = read_all(paths, csv_options)
    loaded = {p.registration_number for d in documents for p in d.dataset.projects if p.registration_number}
    named = {row.registration_number for d in documents for row in (*d.dataset.participations, *d.dataset.funding)}
    stored = (named - loaded) - await store.missing("Project", named - loaded)
    resolution = resolve([*reference_documents(), *documents], aliases(), stored)
    warnings = [w for d in documents for w in d.warnings] + resolution.warnings
    warnings += await _drop_links_to_unknown_projects(store, resolution.batch)
    report = await store.write(resolution.batch, dry_run=dry_run)
    return LoadReport([d.source.uri for d in documents], report, warnings, resolution.merges)


async def _drop_links_to_unknown_projects(store: GraphStore, batch: GraphBatch) -> list[str]:
    """A project may name one that is neither in this load nor in the store: keep the rest."""
    loaded = {n.id for n in batch.nodes if n.label == "Project"}
    named = {r.to_id for r in batch.rels if r.type == "FOLLOWS"} - loaded
    unknown = await store.missing("Project", named)
    batch.rels = [r for r in batch.rels if not (r.type == "FOLLOWS" and r.to_id in unknown)]
    return [f"project {pid} is named as an earlier project but is not in the graph; link left out" for pid in sorted(unknown)]
