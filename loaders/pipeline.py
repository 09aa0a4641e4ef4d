"""A load: read every source, resolve them together, validate, and write once, all or nothing."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graph.allocation import no_cycle_collection
from graph.cypher.generated import Node
from graph.cypher.reads import PROJECTS_BY_NAME, PROJECTS_NAMING_PROJECTS
from graph.model import GraphBatch, collected
from graph.store import GraphStore, WriteReport
from graph.text import fold
from loaders import DATA_DIR
from loaders.errors import LoadError, Problem
from loaders.files import Document, read_structured
from loaders.page import read_page
from loaders.normalise import repair_transcript
from loaders.privacy import redact, without_contacts
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
    # Facts of the graph that this load gives another value — a node's property or an edge's (a
    # participation's amount): the load's value wins (docs/data-format.md, "Conflicts"), and each is
    # reported, by --dry-run too. Found by the store's write plan, which reads what it holds anyway.
    replaced: list[str] = field(default_factory=list)


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


def _without_contacts(documents: list[Document]) -> tuple[list[Document], list[str]]:
    """Every document's free text without personal contact details (loaders/privacy.py)."""
    out, warnings = [], []
    for doc in documents:
        dataset, found = without_contacts(doc.dataset)
        out.append(Document(doc.source, dataset, doc.warnings, doc.text))
        if found:
            warnings.append(f"{doc.source.file}: {found} personal contact detail(s) (e-mail, phone, a name after "
                            "'Kontakt') left out of the published text; KPSS_PUBLISH_CONTACTS=true keeps them")
    return out, warnings


async def load_paths(
    store: GraphStore, paths: list[Path], *, dry_run: bool = False, csv_options: CsvOptions | None = None,
    publish_contacts: bool = False,
) -> LoadReport:
    """Loads files and folders (with the reference data) into the store; raises LoadError,
    having written nothing, when any input is bad."""
    with no_cycle_collection():
        return await _load(store, paths, dry_run=dry_run, csv_options=csv_options, publish_contacts=publish_contacts)


async def _load(
    store: GraphStore, paths: list[Path], *, dry_run: bool, csv_options: CsvOptions | None, publish_contacts: bool,
) -> LoadReport:
    resolved = await _resolve(store, paths, csv_options, publish_contacts)
    report = await store.write(resolved.batch, dry_run=dry_run)
    report.unchanged += resolved.kept
    return LoadReport(resolved.files, report, resolved.warnings, resolved.merges + report.merges, report.replaced)


@dataclass
class _Resolved:
    """What a load writes, and what it reports from reading and resolving."""

    batch: GraphBatch
    files: list[str]
    warnings: list[str]
    merges: list[str]
    kept: Counter  # the territory's facts left as they are


async def _resolve(
    store: GraphStore, paths: list[Path], csv_options: CsvOptions | None, publish_contacts: bool,
) -> _Resolved:
    """Every source read and resolved into one batch. Its own function so that the documents and the
    resolution's indexes are freed before the write plans the batch: a load's peak memory."""
    documents = read_all(paths, csv_options)
    hidden: list[str] = []
    if not publish_contacts:
        documents, hidden = _without_contacts(documents)
    loaded = {p.registration_number for d in documents for p in d.dataset.projects if p.registration_number}
    named = {row.registration_number for d in documents for rows in (d.dataset.participations, d.dataset.funding)
             for row in rows}
    stored = (named - loaded) - await store.missing("Project", named - loaded)
    links = {row["id"]: row["names_projects"] for row in await store.read(PROJECTS_NAMING_PROJECTS)}
    resolution = resolve([*reference_documents(), *documents], aliases(), stored, await _stored_names(store, documents),
                         links)
    facts = resolution.facts
    if not publish_contacts:
        _quotes_without_contacts(facts)
    warnings = hidden + [w for d in documents for w in d.warnings] + resolution.warnings
    warnings += await _drop_links_to_unknown_projects(store, facts)
    territory, kept = await _territory_to_write(store, resolution.territory)
    batch = GraphBatch([*territory.nodes, *facts.nodes], [*territory.rels, *facts.rels])
    return _Resolved(batch, [d.source.uri for d in documents], warnings, resolution.merges, kept)


async def _territory_to_write(store: GraphStore, territory: GraphBatch) -> tuple[GraphBatch, Counter]:
    """The territorial reference data's facts, some 40,000, come with every load: none are written
    when the store holds what this version derives from the same data (its document's facts_sha256),
    so that a load writes what its own documents bring. Also: how many facts are left as they are."""
    doc = next(rec for rec in territory.nodes if rec.label == "SourceDocument")  # with facts_sha256 (territory_facts)
    stored = await store.read(Node("SourceDocument").fetch, ids=[doc.id])
    if not stored or stored[0]["facts_sha256"] != doc.props["facts_sha256"]:
        return territory, Counter()
    if doc.props["facts_sha256"] not in _TERRITORY_COUNTS:
        kept = Counter(label for label, _ in {(n.label, n.id) for n in territory.nodes})
        kept.update(t for t, *_ in {(r.type, r.from_label, r.to_label, *r.identity()) for r in territory.rels})
        _TERRITORY_COUNTS[doc.props["facts_sha256"]] = kept
    return GraphBatch(), _TERRITORY_COUNTS[doc.props["facts_sha256"]]


# The territory's facts by label and type, by their digest: counted once a process, not at every
# load (a fifth of a second each).
_TERRITORY_COUNTS: dict[str, Counter] = {}


async def _stored_names(store: GraphStore, documents: list[Document]) -> dict[str, str]:
    """The graph's projects that pages of this load name as earlier or later, by folded name (a
    name two projects share decides nothing)."""
    names = sorted({fold(repair_transcript(n)) for d in documents for p in d.dataset.projects
                    for n in (*p.follows, *p.followed_by)})
    ids: dict[str, set[str]] = defaultdict(set)
    for row in await store.read(PROJECTS_BY_NAME, names=names) if names else []:
        ids[row["name"]].add(row["id"])
    return {name: found.pop() for name, found in ids.items() if len(found) == 1}


def _quotes_without_contacts(batch: GraphBatch) -> None:
    """A quoted span is published text too: no contact details in it (loaders/privacy.py)."""
    for rec in batch.nodes:
        if rec.label == "SourceDocument" and rec.props.get("quotes"):
            rec.props["quotes"] = collected(redact(quote)[0] for quote in json.loads(rec.props["quotes"]))


async def _drop_links_to_unknown_projects(store: GraphStore, batch: GraphBatch) -> list[str]:
    """A project may name one that is neither in this load nor in the store: the link waits in the
    naming project's ``names_projects`` until that project is loaded."""
    loaded = {n.id for n in batch.nodes if n.label == "Project"}
    named = {end for r in batch.rels if r.type == "FOLLOWS" for end in (r.from_id, r.to_id)} - loaded
    unknown = await store.missing("Project", named)
    batch.rels = [r for r in batch.rels if not (r.type == "FOLLOWS" and {r.from_id, r.to_id} & unknown)]
    return [f"project {pid} is named as an earlier or later project but is not in the graph yet; linked when it is "
            "loaded" for pid in sorted(unknown)]
