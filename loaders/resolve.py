"""Resolution: canonical records from many documents -> one set of graph nodes and edges.

The same organisation named in several sources becomes one node: an IČO decides first, then the
alias dictionary and the known organisations, then the name without legal-form words plus the
country. A municipality as a place and as a legal person are two nodes linked by GOVERNS.
Homonymous municipalities are told apart by the project's other places and partners; what the
context does not decide is reported as a warning and left unlinked, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from graph import keys
from graph.model import GraphBatch, OrganisationKind, Role, collected, display_name, money_to_minor
from graph.text import fold, shorten
from graph.values import period_bounds
from loaders import records as r
from loaders.czech import RegistrationNumber, locative_forms
from loaders.errors import LoadError, Problem
from loaders.files import Document, Source
from loaders.reference import Commune, Territory, reference_documents, target_group_name, target_groups, territory
from loaders.normalise import infer_kind, legal_form, name_key, repair_transcript, strip_municipality_prefix

Ref = tuple[str, str]  # (label, id)


def _anchors(p: r.Project) -> list[str]:
    """What tells a project from another of the same name: its beneficiaries, then its places."""
    beneficiaries = [name_key(x.name) for x in p.participants if x.role == Role.BENEFICIARY]
    return beneficiaries + [fold(place.name) for place in p.places]


def _same_name(a: str, b: str) -> bool:
    """Two statements of one project's name, but for case, diacritics and a transcript's slips."""
    return fold(repair_transcript(a)) == fold(repair_transcript(b))


def project_keys(p: r.Project) -> list[str]:
    """Every ``name:`` key sources may give a project (one per beneficiary or place): a later load
    that states its number meets the project an earlier one knew by name (graph.model key rules)."""
    name = repair_transcript(p.name)
    return [keys.project_by_name(name, anchor) for anchor in _anchors(p)] or [keys.project_by_name(name)]


def project_key(p: r.Project) -> str:
    """A project's id (graph.model's key rule): its registration number; without one, what the
    source states: ``name:`` + the name's slug + ``@`` + the beneficiary's (else the first
    place's) slug, so that two sources stating the same name and beneficiary or place meet."""
    if p.registration_number:
        return keys.code(p.registration_number)
    anchors = _anchors(p)
    return keys.project_by_name(repair_transcript(p.name), anchors[0] if anchors else None)


_PROJECT_FACTS = ("name", "description", "start", "end", "total_cost_czk", "programme", "priority_axis",
                  "area_of_support", "call", "call_name")


# An area named after its town, in the cases pages use: Holicko, na území Holicka, na Holicku.
_AREA_ENDINGS = {f"{stem}{case}" for stem in ("sk", "ck", "k") for case in "oau"}


def _row(doc: Document, kind: str, i: int) -> str:
    """Where the i-th record of a list is: its row in a CSV file (after the header), else its index."""
    return f"row {i + 2}" if doc.source.media_type == "text/csv" else f"{kind}[{i}]"


def _where(span: r.Span | None) -> str | None:
    return f"characters {span[0]}–{span[1]}" if span else None


def _span(span: r.Span | None) -> str | None:
    return f"{span[0]}-{span[1]}" if span else None


QUOTE_LIMIT = 160  # characters of a span's text a fact quotes


def quote(text: str, span: str) -> str:
    """The first line of a span's text, at most QUOTE_LIMIT characters."""
    start, end = (int(x) for x in span.split("-"))
    line = text[start:end].strip().split("\n")[0].strip()
    return line if len(line) <= QUOTE_LIMIT else line[: QUOTE_LIMIT - 1] + "…"


def minor(amount: Decimal | None) -> int | None:
    return None if amount is None else money_to_minor(amount)


@dataclass
class _Org:
    """An organisation as resolution knows it: the merged facts of all its mentions."""

    id: str
    names: list[str]
    ico: str | None = None
    kind: OrganisationKind | None = None
    country: str | None = "CZ"
    seat: Ref | None = None
    governs: Ref | None = None
    address: str | None = None
    website: str | None = None
    mentions: set[tuple[str, str | None]] = field(default_factory=set)  # (document, span of the name) of each mention
    seat_sources: set[tuple[str, str | None]] = field(default_factory=set)  # (document, span) stating or implying its seat
    known_name: str | None = None  # a listed organisation's name (the reference data's first)

    @property
    def name(self) -> str:
        """Whatever the order of mentions: the listed name, else the fullest municipal form, else
        graph.model.display_name's choice."""
        prefixed = [n for n in self.names if strip_municipality_prefix(n)]
        return self.known_name or display_name(prefixed or self.names)

    @property
    def kind_of_names(self) -> OrganisationKind:
        """The kind stated, else the first its names mark, in display order."""
        inferred = [infer_kind(n, self.country or "XX") for n in sorted(self.names, key=lambda n: n != self.name)]
        return self.kind or next((k for k in inferred if k != OrganisationKind.OTHER), inferred[0])


@dataclass
class Resolution:
    facts: GraphBatch = field(default_factory=GraphBatch)  # the documents' facts
    # The territorial reference data's facts, apart: every load brings them, and a load whose store
    # holds them already leaves them out (loaders/pipeline.py).
    territory: GraphBatch = field(default_factory=GraphBatch)
    warnings: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)  # names resolved to one organisation
    problems: list[Problem] = field(default_factory=list)

    @property
    def batch(self) -> GraphBatch:
        """Every fact of the load, the territory's first."""
        return GraphBatch([*self.territory.nodes, *self.facts.nodes], [*self.territory.rels, *self.facts.rels])


class Gazetteer:
    """Places, programmes and known organisations from the reference data and the documents."""

    def __init__(self, documents: list[Document], aliases: dict[str, str]) -> None:
        self.regions: dict[str, r.Region] = {}
        self.region_by_name: dict[str, str] = {}
        self.countries: dict[str, r.Country] = {}
        self.municipalities: dict[str, list[tuple[str, Commune | r.Municipality]]] = defaultdict(list)  # Czech, abroad
        self.microregions: dict[str, tuple[str, r.Microregion]] = {}
        self.programmes: dict[str, r.Programme] = {}
        self.known_orgs: dict[str, r.Organisation] = {}  # by IČO and by name key
        self.listed_in: dict[int, str] = {}  # id() of a listed organisation -> its document
        self.aliases = {name_key(k): v for k, v in aliases.items()}
        self.territory = territory()
        self.orps = {u.code: u for u in self.territory.orps}
        self.orp_by_name = {fold(u.name): u.code for u in self.territory.orps}
        self.okresy = {u.code: u for u in self.territory.okresy}
        self.communes = {m.code: m for m in self.territory.municipalities}
        self.municipalities.update((name, list(entries)) for name, entries in _communes_by_name().items())
        self.locatives = _locatives()
        for doc in documents:
            ds = doc.dataset
            self.countries |= {c.code: c for c in ds.countries}
            for reg in ds.regions:
                self.regions[reg.code] = reg
                self.region_by_name[fold(reg.name)] = reg.code
            for mun in ds.municipalities:
                if mun.country == "CZ":  # every Czech municipality is in the territorial reference data
                    continue
                mid = keys.municipality_abroad(mun.region or mun.country, mun.name)
                entries = self.municipalities[fold(mun.name)]
                if all(existing != mid for existing, _ in entries):
                    entries.append((mid, mun))
            for mr in ds.microregions:
                for name in (mr.name, *mr.aliases):
                    self.microregions[fold(name)] = (keys.microregion(mr.name), mr)
            for programme in ds.programmes:  # the first listed, the reference data's, decides
                self.programmes.setdefault(programme.code, programme)
            for org in ds.organisations:
                self.listed_in[id(org)] = doc.source.id
                for key in self._org_keys(org):  # the first listed, the reference data's, decides
                    self.known_orgs.setdefault(key, org)

    @staticmethod
    def _org_keys(org: r.Organisation) -> list[str]:
        by_name = [f"{org.country}:{name_key(n)}" for n in (org.name, *org.aliases)]
        return by_name + ([keys.organisation_by_ico(org.ico)] if org.ico else [])

    def known_org(self, name: str, country: str | None, ico: str | None) -> r.Organisation | None:
        if ico and keys.organisation_by_ico(ico) in self.known_orgs:
            return self.known_orgs[keys.organisation_by_ico(ico)]
        canonical = self.aliases.get(name_key(name), name)
        return self.known_orgs.get(f"{country}:{name_key(canonical)}")

    def municipality(self, name: str, context: set[str]) -> tuple[str | None, list[str]]:
        """(id, candidates): the id when the name and the context decide it. The context holds
        codes of ORP districts, okresy and kraje (NUTS 3); the most precise that matches decides."""
        entries = self.municipalities.get(fold(name)) or [(c, self.communes[c]) for c in self.locatives.get(fold(name), ())]
        candidates = [mid for mid, _ in entries]
        if len(candidates) > 1 and context:
            for level in ("orp", "okres", "region"):
                narrowed = [mid for mid, mun in entries if getattr(mun, level, None) in context]
                if narrowed:
                    candidates = narrowed
                    break
        return (candidates[0] if len(candidates) == 1 else None), [self.describe(mid) for mid, _ in entries]

    def orps_named(self, name: str) -> list[str]:
        """The ORP districts a name means: the ORP's own name ("ORP Luhačovice"), or the area named
        after its seat, the town's name with -sko / -cko / -ko for its last vowel, in any case
        (Kroměřížsko, na území Holicka, na Otrokovicku)."""
        folded = fold(name)
        if folded in self.orp_by_name:
            return [self.orp_by_name[folded]]
        found = []
        for orp_name, code in self.orp_by_name.items():
            stem = orp_name[:-1] if orp_name[-1] in "aeiyo" else orp_name
            if " " not in orp_name and folded.startswith(stem) and folded[len(stem):] in _AREA_ENDINGS:
                found.append(code)
        return sorted(found)

    def describe(self, mid: str) -> str:
        """A municipality as a report names it: 585858 Tlumačov (okres Zlín, ORP Otrokovice, CZ072)."""
        mun = self.communes.get(mid)
        if mun is None:
            return mid
        return f"{mid} {mun.name} (okres {self.okresy[mun.okres].name}, ORP {self.orps[mun.orp].name}, {mun.region})"

    def reference_code(self, mun: r.Municipality) -> str | None:
        """The code of a Czech municipality a document names, where its name, kraj and ORP decide it."""
        found = [m for _, m in self.municipalities.get(fold(mun.name), []) if isinstance(m, Commune)
                 and (not mun.region or m.region == mun.region)
                 and (not mun.orp or fold(self.orps[m.orp].name) == fold(mun.orp))]
        return found[0].code if len(found) == 1 else None

    def region_code(self, name: str) -> str | None:
        folded = fold(name)
        return self.region_by_name.get(folded) or (name if name in self.regions else None)

    def programme_of(self, registration_number: str) -> str | None:
        """The longest known programme code that starts the registration number."""
        head = registration_number.split("/")[0]
        parts = head.split(".")
        for n in range(len(parts), 1, -1):
            if ".".join(parts[:n]) in self.programmes:
                return ".".join(parts[:n])
        return None


@lru_cache(maxsize=1)
def _communes_by_name() -> dict[str, tuple[tuple[str, Commune], ...]]:
    """Czech municipalities by their folded names (6,258 names: folded once a process, not per load)."""
    out: dict[str, list[tuple[str, Commune]]] = defaultdict(list)
    for commune in territory().municipalities:
        out[fold(commune.name)].append((commune.code, commune))
    return {name: tuple(entries) for name, entries in out.items()}


@lru_cache(maxsize=1)
def _locatives() -> dict[str, list[str]]:
    """Czech municipalities' codes by the folded forms their names take after "v" / "ve"."""
    out: dict[str, list[str]] = defaultdict(list)
    for mun in territory().municipalities:
        for form in locative_forms(mun.name):
            out[form].append(mun.code)
    return dict(out)


# Names that state where an organisation sits: "Úřad práce ve Zlíně" (a body named by its seat in the
# locative), a branch of an association named by its town ("krajská organizace Zlín", "Oblastní spolek
# Českého červeného kříže Zlín") and a Catholic charity named by its town ("Charita Hlučín", "Oblastní
# charita Uherské Hradiště", "Charita Sv. Anežky Otrokovice"): the town ends the name.
_SEAT_IN_NAME = re.compile(r"\s(?:v|ve)\s+(?P<place>[^,]+)$")
_BRANCH = re.compile(r"(?:\b(?:místní|krajská|okresní|oblastní|městská)\s+organizace|^Oblastní\s+spolek|"
                     r"^(?:Oblastní\s+|Farní\s+|Městská\s+)?[Cc]harita)\s(?P<rest>.+)$")


class Resolver:
    """Turns the documents of one load into a GraphBatch."""

    def __init__(self, documents: list[Document], aliases: dict[str, str], stored_projects: Collection[str] = frozenset(),
                 stored_names: dict[str, str] | None = None, stored_links: dict[str, str] | None = None) -> None:
        self.stored_names = stored_names or {}  # folded name -> id of a project in the graph
        self.stored_links = stored_links or {}  # id of a project in the graph -> its names_projects
        self.documents = documents
        # The reference data's sources: it decides code lists and the names of known organisations.
        self.reference_ids = frozenset(d.source.id for d in reference_documents())
        self.code_lists: dict[tuple[str, str], tuple[r.Record, Source]] = {}
        self.project_facts: dict[str, tuple[dict, str, str]] = {}  # project -> its facts, file, where
        self.gaz = Gazetteer(documents, aliases)
        self.out = Resolution()
        self.orgs: dict[str, _Org] = {}
        self.stored_projects = stored_projects
        self.totals: dict[str, tuple[Decimal | None, str, str]] = {}  # project -> total cost, file, where
        self.regions: dict[str, set[str]] = {}  # project -> the regions its context places it in
        self.shares: dict[str, tuple[str, Decimal | None, str, str]] = {}  # share -> project, amount, file, where

    # --- entry point -------------------------------------------------------------------------

    def run(self) -> Resolution:
        self._check_icos()
        self._territory()
        for doc in self.documents:
            self._source(doc.source)
            self._places(doc)
            self._programmes(doc)
        for doc in self.documents:
            for org in doc.dataset.organisations:
                self._known_organisation(org, doc.source.id)
        self.ids = self._project_ids()
        self.project_names = self.stored_names | {fold(repair_transcript(p.name)): self.ids[id(p)]
                                                  for d in self.documents for p in d.dataset.projects}
        for doc in self.documents:
            for i, project in enumerate(doc.dataset.projects):
                where = _where(project.spans.get("registration_number")) or f"projects[{i}]"
                self._project(project, doc.source, where)
        self._links_from_the_graph()
        for doc in self.documents:
            self._rows(doc)
        self._check_totals()
        self._write_orgs()
        self._quotes()
        if self.out.problems:
            raise LoadError(self.out.problems)
        return self.out

    def _project_ids(self) -> dict[int, str]:
        """Each project's id. One without a registration number is the numbered project of this
        load with the same name when their beneficiaries or places agree (a merge, reported)."""
        numbered: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
        for d in self.documents:
            for p in d.dataset.projects:
                if p.registration_number:
                    numbered[fold(repair_transcript(p.name))].append((p.registration_number, set(_anchors(p))))
        ids = {}
        for d in self.documents:
            for p in d.dataset.projects:
                ids[id(p)] = project_key(p)
                if p.registration_number:
                    continue
                anchors = set(_anchors(p))
                same = [number for number, theirs in numbered.get(fold(repair_transcript(p.name)), [])
                        if anchors & theirs or not anchors]
                if len(same) == 1:
                    ids[id(p)] = same[0]
                    self.out.merges.append(f"project “{p.name}” of {d.source.uri} (no registration number) is "
                                           f"{same[0]}: the same name and beneficiary or place")
        return ids

    def _quotes(self) -> None:
        """Each source document holds the text of the spans its facts cite: at most the first line
        of a span, shortened, so that a fact can be checked against its words."""
        texts = {d.source.id: d.text for d in self.documents if d.text}
        cited: dict[str, set[str]] = defaultdict(set)
        for rel in self.out.facts.rels:
            source, span = rel.props.get("source"), rel.props.get("span")
            if span and source in texts:
                cited[source].add(span)
            if rel.type == "DESCRIBED_BY" and rel.to_id in texts and rel.props.get("spans"):
                cited[rel.to_id] |= {s for s in json.loads(rel.props["spans"]).values() if s}
        for rec in self.out.facts.nodes:
            if rec.label == "SourceDocument" and rec.id in cited:
                rec.props["quotes"] = collected(f"{span}\t{quote(texts[rec.id], span)}" for span in cited[rec.id])

    # --- nodes of reference data -------------------------------------------------------------

    def _source(self, src: Source) -> None:
        _source_node(self.out.facts, src)

    def _describe(self, ref: Ref, source: str, spans: dict[str, r.Span] | None = None) -> Ref:
        return _described(self.out.facts, ref, source, spans)

    def _code_list_entry(self, label: str, key: str, record: r.Record, src: Source) -> bool:
        """Whether to write a code list's entry (a programme, region, country, municipality) from this
        source. The reference data decides: an entry a document gives again is left out, and where
        it differs from the reference data's, that is reported."""
        first, first_src = self.code_lists.setdefault((label, key), (record, src))
        if first_src is src or first_src.id not in self.reference_ids or src.id in self.reference_ids:
            return True
        differing = [f for f, v in record if v not in (None, [], {}) and v != getattr(first, f)]
        if differing:
            self.out.warnings.append(
                f"{src.file}: {label} {key} differs from the reference data ({', '.join(differing)}); "
                "the reference data's is kept")
        return False

    def _territory(self) -> None:
        """Every municipality, okres, ORP and POU district, keyed by code, from the territorial reference
        data, into ``Resolution.territory``."""
        self.out.territory.extend(territory_facts(self.gaz.territory))

    def _places(self, doc: Document) -> None:
        b, src, ds = self.out.facts, doc.source.id, doc.dataset
        for c in ds.countries:
            if not self._code_list_entry("Country", c.code, c, doc.source):
                continue
            b.node("Country", c.code, name=c.name, name_en=c.name_en, alpha3=c.alpha3)
            self._describe(("Country", c.code), src)
        for reg in ds.regions:
            if not self._code_list_entry("Region", reg.code, reg, doc.source):
                continue
            b.node("Region", reg.code, name=reg.name, name_en=reg.name_en, nuts_level=reg.nuts_level, country_code=reg.country)
            self._describe(("Region", reg.code), src)
            b.rel("IN_COUNTRY", ("Region", reg.code), ("Country", reg.country), source=src, span=_span(reg.span))
            if reg.parent:
                b.rel("PART_OF", ("Region", reg.code), ("Region", reg.parent), source=src, span=_span(reg.span))
        for mr in ds.microregions:
            mid = keys.microregion(mr.name)
            b.node("Microregion", mid, name=mr.name, kind=mr.kind.value)
            self._describe(("Microregion", mid), src)
            if mr.region:
                b.rel("IN_REGION", ("Microregion", mid), ("Region", mr.region), source=src, span=_span(mr.span))
        for mun in ds.municipalities:
            if mun.country == "CZ":  # the territorial reference data holds it: here only its microregions
                self._czech_municipality(mun, src, doc.source.file)
                continue
            mid = keys.municipality_abroad(mun.region or mun.country, mun.name)
            if not self._code_list_entry("Municipality", mid, mun, doc.source):
                continue
            b.node(
                "Municipality", mid, name=mun.name, country_code=mun.country, lau_code=mun.lau_code, orp=mun.orp,
                is_orp=mun.is_orp,
            )
            self._describe(("Municipality", mid), src)
            if mun.region:
                b.rel("IN_REGION", ("Municipality", mid), ("Region", mun.region), source=src, span=_span(mun.span))
            else:
                b.rel("IN_COUNTRY", ("Municipality", mid), ("Country", mun.country), source=src, span=_span(mun.span))
            for name in mun.microregions:
                mr_id, _ = self.gaz.microregions[fold(name)]
                b.rel("PART_OF", ("Municipality", mid), ("Microregion", mr_id), source=src, span=_span(mun.span))

    def _czech_municipality(self, mun: r.Municipality, src: str, file: str) -> None:
        code = self.gaz.reference_code(mun)
        if code is None:
            _, candidates = self.gaz.municipality(mun.name, {mun.region} if mun.region else set())
            self.out.warnings.append(
                f"{file}: municipality {mun.name} "
                + (f"is one of {'; '.join(candidates)} — give its region and ORP" if candidates
                   else "is not a Czech municipality of the territorial reference data")
                + "; left out")
            return
        for name in mun.microregions:
            mr_id, _ = self.gaz.microregions[fold(name)]
            self.out.facts.rel("PART_OF", ("Municipality", code), ("Microregion", mr_id), source=src, span=_span(mun.span))

    def _programmes(self, doc: Document) -> None:
        b, src = self.out.facts, doc.source.id
        for p in doc.dataset.programmes:
            if not self._code_list_entry("Programme", p.code, p, doc.source):
                continue
            b.node(
                "Programme", p.code, code=p.code, name=p.name, name_en=p.name_en, abbreviation=p.abbreviation,
                period_start=p.period_start, period_end=p.period_end, fund=p.fund,
            )
            self._describe(("Programme", p.code), src)
            for axis in p.axes:
                self._axis(p.code, axis.code, axis.name, src, _span(axis.span))
            if p.managing_authority:
                span = _span(p.span)
                if ma := self._org_ref(p.managing_authority, "CZ", None, None, src, regions=set(), span=span):
                    b.rel("MANAGES", ma, ("Programme", p.code), source=src, span=span)

    def _axis(self, programme: str, code: str, name: str | None, src: str, span: str | None) -> Ref:
        ref = ("PriorityAxis", keys.priority_axis(programme, code))
        self.out.facts.node(*ref, code=code, name=name)
        self._describe(ref, src)
        self.out.facts.rel("OF", ref, ("Programme", programme), source=src, span=span)
        return ref

    # --- organisations -----------------------------------------------------------------------

    def _check_icos(self) -> None:
        """Two organisations listed with one IČO under names that are not aliases of each other: in
        the load's own files an error naming both rows, never a silent rename; against the reference
        data, whose name stays, reported."""
        reference: dict[str, r.Organisation] = {}
        declared: dict[str, tuple[r.Organisation, Source, str]] = {}

        def names(org: r.Organisation) -> set[str]:
            return {name_key(self.gaz.aliases.get(name_key(n), n)) for n in (org.name, *org.aliases)}

        for doc in self.documents:
            for i, org in enumerate(doc.dataset.organisations):
                if not org.ico:
                    continue
                if doc.source.id in self.reference_ids:
                    reference.setdefault(org.ico, org)
                    continue
                where = _row(doc, "organisations", i)
                first, src, at = declared.setdefault(org.ico, (org, doc.source, where))
                if not names(org) & names(first):
                    self.out.problems.append(Problem(
                        doc.source.file, where, "ico", f"IČO {org.ico} is given to “{shorten(org.name)}” here and to "
                        f"“{shorten(first.name)}” in {src.file}, {at}: one IČO is one organisation — correct the "
                        "number, or list the other name under aliases"))
                elif org.ico in reference and not names(org) & names(reference[org.ico]):
                    self.out.warnings.append(
                        f"{doc.source.file}, {where}: IČO {org.ico} is “{reference[org.ico].name}” in the reference "
                        f"data, which keeps its name; “{shorten(org.name)}” becomes another name of it")

    def _known_organisation(self, org: r.Organisation, src: str) -> None:
        """An organisation a list states: a list stating the seat the organisation has is a source of it."""
        regions = {org.seat_region} if org.seat_region else set()
        ref = self._org_ref(org.name, org.country, org.ico, org.kind, src, regions=regions, span=_span(org.span))
        if ref and org.seat and (known := self.orgs[ref[1]]).seat == self._seat_ref(org, regions)[0]:
            known.seat_sources.add((src, _span(org.span)))

    def _org_ref(
        self, name: str, country: str | None, ico: str | None, kind: OrganisationKind | None, src: str, *,
        regions: set[str], span: str | None = None,
    ) -> Ref | None:
        """The organisation node a mention (``span``: where the source names it) resolves to (created
        or merged); None for a municipality the context does not tell from its namesakes (reported,
        and no node is left behind)."""
        known = self.gaz.known_org(name, country, ico)
        if known:
            ico = ico or known.ico
            kind = kind or known.kind
            country = known.country
        if kind is None and not known and fold(name) in self.gaz.municipalities:
            kind = OrganisationKind.MUNICIPALITY  # a partner named just "Bělov" is the municipality
        stated = kind
        kind = kind or infer_kind(name, country)
        governs = self._governed(known, name, kind, country, regions)
        town = strip_municipality_prefix(name) or name
        if (not ico and not governs and kind == OrganisationKind.MUNICIPALITY
                and len(self.gaz.municipalities.get(fold(town), [])) > 1):
            return None
        if ico:
            oid = keys.organisation_by_ico(ico)
        elif governs and kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION):
            oid = keys.organisation_governing(governs[1])
        else:
            canonical = known.name if known else self.gaz.aliases.get(name_key(name), name)
            oid = keys.organisation_by_name(country, name_key(canonical))
        org = self.orgs.get(oid)
        if org is None:
            org = self.orgs[oid] = _Org(oid, [], ico=ico, kind=stated, country=country)
            if known:
                org.names.append(known.name)
                org.known_name = known.name
                org.address, org.website = known.address, known.website
                if known.seat:
                    org.seat = self._seat(known, regions)
            elif (aliased := self.gaz.aliases.get(name_key(name))) and aliased != name:
                org.names.append(aliased)  # the name the alias dictionary says it is known as, whoever names it first
        org.kind = org.kind or stated
        org.mentions.add((src, span))
        if country == "CZ":  # a mention whose body or name places it is a source of the seat
            implied = self._seat_of(name, kind, governs, regions, warn=org.seat is None)
            org.seat = org.seat or implied
            if implied and implied == org.seat:
                org.seat_sources.add((src, span))
        if name not in org.names:
            org.names.append(name)
            if not country:
                self.out.warnings.append(f"{name}: the source does not say which country it is from")
        org.governs = org.governs or governs
        return ("Organisation", oid)

    def _seat_of(self, name: str, kind: OrganisationKind, governs: Ref | None, regions: set[str], *,
                 warn: bool = True) -> Ref | None:
        """The seat a public body has by what it is (a municipality's body sits in the municipality)
        or a name states (``_SEAT_IN_NAME``, ``_BRANCH``); a town the context does not decide is
        reported, not guessed."""
        if kind == OrganisationKind.MUNICIPALITY and governs and governs[0] == "Municipality":
            return governs
        if m := _SEAT_IN_NAME.search(name):
            places = [m["place"].strip()]
        elif m := _BRANCH.search(name):
            words = m["rest"].split()
            places = [" ".join(words[i:]) for i in range(len(words)) if words[i][:1].isupper()]
        else:
            return None
        for place in places:
            mid, candidates = self.gaz.municipality(place, regions)
            if mid:
                return ("Municipality", mid)
            if candidates:
                if warn:
                    self.out.warnings.append(f"{name}: its name places it in {place}, one of {'; '.join(candidates)}; "
                                             "the context does not tell which, so it is given no seat")
                return None
        return None

    def _seat_ref(self, org: r.Organisation, regions: set[str]) -> tuple[Ref | None, bool, list[str]]:
        """The municipality a listed seat names and whether it is new to the graph (abroad, given the
        seat's region), else the namesakes it may be."""
        assert org.seat, "only an organisation whose seat is stated has one"
        seat, candidates = self.gaz.municipality(org.seat, {org.seat_region} if org.seat_region else regions)
        if seat:
            return ("Municipality", seat), False, []
        if org.country != "CZ" and org.seat_region and org.seat_region in self.gaz.regions:
            return ("Municipality", keys.municipality_abroad(org.seat_region, org.seat)), True, []
        return None, False, candidates

    def _seat(self, org: r.Organisation, regions: set[str]) -> Ref | None:
        """The municipality of an organisation's seat: from the reference data, or — abroad, when the
        seat's region is given — a municipality new to the graph; otherwise reported, not guessed."""
        ref, new, candidates = self._seat_ref(org, regions)
        if ref and new:
            src = self.gaz.listed_in[id(org)]
            assert org.seat_region, "a seat abroad is new to the graph only with its region"
            self.out.facts.node(*ref, name=org.seat, country_code=org.country)
            self.out.facts.rel("IN_REGION", ref, ("Region", org.seat_region), source=src, span=_span(org.span))
            return self._describe(ref, src)
        if ref:
            return ref
        self.out.warnings.append(
            f"{org.name}: its seat {org.seat} is "
            + (f"one of {'; '.join(candidates)}" if candidates else "not in the reference data")
            + "; give seat_region (its NUTS 3 code) to place it"
        )
        return None

    def _governed(
        self, known: r.Organisation | None, name: str, kind: OrganisationKind, country: str | None, regions: set[str]
    ) -> Ref | None:
        """The territory a municipality, region or union of municipalities is the legal person of."""
        place = known.governs if known and known.governs else None
        if kind == OrganisationKind.REGION:
            code = self.gaz.region_code(place or name)
            return ("Region", code) if code else None
        if kind == OrganisationKind.UNION_OF_MUNICIPALITIES and place:
            entry = self.gaz.microregions.get(fold(place))
            return ("Microregion", entry[0]) if entry else None
        if kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.FOREIGN_PUBLIC_BODY):
            place = place or strip_municipality_prefix(name) or (name if kind == OrganisationKind.MUNICIPALITY else None)
            if not place:
                return None
            mid, candidates = self.gaz.municipality(place, regions)
            if mid:
                return ("Municipality", mid)
            if candidates:
                self.out.warnings.append(
                    f"{name}: {len(candidates)} municipalities are called {place} ({'; '.join(candidates)}) and the "
                    "context does not tell which; left unlinked — settle it in data/reference/aliases.yaml"
                )
            elif country == "CZ":
                self.out.warnings.append(f"{name}: the municipality {place} is not in the reference data")
        return None

    def _write_orgs(self) -> None:
        b = self.out.facts
        for org in self.orgs.values():
            ref = ("Organisation", org.id)
            if len(org.names) > 1:
                others = ", ".join(f"“{n}”" for n in org.names if n != org.name)
                self.out.merges.append(f"{org.name} [{org.id}] also named {others}")
            form, _ = legal_form(org.name)
            org_keys = {org.id, *(keys.organisation_by_name(org.country, name_key(self.gaz.aliases.get(name_key(n), n)))
                                  for n in org.names)}
            b.node(
                *ref, name=org.name, ico=org.ico, kind=org.kind_of_names.value, legal_form=form,
                country_code=org.country, address=org.address, website=org.website,
                aliases=collected(org.names), keys=collected(org_keys),
            )
            b.nodes[-1].named_by_reference = org.known_name is not None
            for source in sorted({source for source, _ in org.mentions}):  # whatever their order
                self._describe(ref, source)
            # Each fact cites where it is stated: a mention names the organisation, its country and
            # what it governs; its seat, a list that states it or a mention whose body or name places it.
            for source, span in sorted(org.mentions, key=str):
                if org.country:
                    b.rel("IN_COUNTRY", ref, ("Country", org.country), source=source, span=span)
                if org.governs:
                    b.rel("GOVERNS", ref, org.governs, source=source, span=span)
            if org.seat:
                for source, span in sorted(org.seat_sources, key=str):
                    b.rel("SEATED_IN", ref, org.seat, source=source, span=span)

    # --- projects ----------------------------------------------------------------------------

    def _context_regions(self, p: r.Project) -> set[str]:
        """Regions a project's places and municipal partners place it in, where unambiguous."""
        regions: set[str] = set()
        for place in p.places:
            if place.region:
                regions.add(place.region)
            elif place.kind == "region" and (code := self.gaz.region_code(place.name)):
                regions.add(code)
            elif (entry := self.gaz.microregions.get(fold(place.name))) and entry[1].region:
                regions.add(entry[1].region)
            elif place.kind in ("microregion", "orp_district") and len(orps := self.gaz.orps_named(place.name)) == 1:
                regions |= {orps[0], self.gaz.orps[orps[0]].region}
        for part in p.participants:
            town = strip_municipality_prefix(part.name)
            entries = self.gaz.municipalities.get(fold(town), []) if town else []
            if len(entries) == 1 and entries[0][1].region:
                regions.add(entries[0][1].region)
        return regions

    def _agrees(self, p: r.Project, pid: str, src: Source, where: str) -> None:
        """The same project from two sources of one load: every fact both state must be the same."""
        facts = {f: v for f, v in p if f in _PROJECT_FACTS and v is not None}
        first = self.project_facts.setdefault(pid, (facts, src.file, where))
        before, file, at = first
        for name in sorted(facts.keys() & before.keys()):
            if facts[name] != before[name] and not (name == "name" and _same_name(facts[name], before[name])):
                self.out.problems.append(Problem(
                    src.file, where, name, f"{pid} has {name} {shorten(str(facts[name]))!r} here but "
                    f"{shorten(str(before[name]))!r} in {file}, {at}: one load must agree — correct one, or load them "
                    "one after the other (a later load replaces the graph's value and reports it)"))

    def _project(self, p: r.Project, src: Source, where: str) -> None:
        b, sid = self.out.facts, src.id
        pid = self.ids[id(p)]
        self._agrees(p, pid, src, where)
        ref = ("Project", pid)
        start_date, end_date = period_bounds(p.start, p.end)
        named = [("follows", n, _span(p.spans.get(f"follows[{i}]"))) for i, n in enumerate(p.follows)]
        named += [("followed_by", n, _span(p.spans.get(f"followed_by[{i}]"))) for i, n in enumerate(p.followed_by)]
        b.node(
            *ref, registration_number=p.registration_number, name=p.name if pid == project_key(p) else None,
            keys=collected([pid, *project_keys(p)]), description=p.description, period_start=p.start,
            period_end=p.end, period_start_date=start_date, period_end_date=end_date,
            total_cost_minor=minor(p.total_cost_czk), currency="CZK", area_of_support=p.area_of_support,
            programme_stated=p.programme_stated,
            names_projects=collected(f"{d}\t{n}\t{sid}@{span or ''}" for d, n, span in named),
        )
        self._describe(ref, sid, p.spans)
        self._funded_under(p, ref, src, where)
        regions = self._context_regions(p)

        for part in p.participants:
            self._participate(part, ref, src, where, regions)
        self.totals[pid] = (p.total_cost_czk, src.file, where)
        self.regions[pid] = regions
        for share in p.funding:
            self._share(share, pid, src, where, regions)
        for i, tg in enumerate(p.target_groups):
            name = target_group_name(tg)
            tid = keys.target_group(name)
            b.node("TargetGroup", tid, name=name, aliases=collected([tg]))
            b.nodes[-1].named_by_reference = any(name == known for known, _ in target_groups())  # the vocabulary's
            span = _span(p.spans.get(f"target_groups[{i}]"))
            b.rel("TARGETS", ref, self._describe(("TargetGroup", tid), sid), source=sid, span=span)
        for i, wg in enumerate(p.working_groups):
            wid = keys.working_group(pid, wg)
            b.node("WorkingGroup", wid, name=wg)
            span = _span(p.spans.get(f"working_groups[{i}]"))
            b.rel("HAS_WORKING_GROUP", ref, self._describe(("WorkingGroup", wid), sid), source=sid, span=span)
        for out in p.outputs:
            oid = keys.output(repair_transcript(out.name), out.start, out.end, pid)
            b.node("Output", oid, name=repair_transcript(out.name), kind=out.kind.value, period_start=out.start,
                   period_end=out.end)
            b.rel("PRODUCED", ref, self._describe(("Output", oid), sid), source=sid, span=_span(out.span))
        for place in p.places:
            if target := self._place(place, regions, sid):
                b.rel("COVERS", ref, target, source=sid, span=_span(place.span))
        for direction, name, span in named:
            self._follows(pid, direction, self._project_id(name), sid, span)

    def _follows(self, pid: str, direction: str, other: str, sid: str, span: str | None) -> None:
        ends = (("Project", pid), ("Project", other))
        self.out.facts.rel("FOLLOWS", *(ends if direction == "follows" else ends[::-1]), source=sid, span=span)

    def _links_from_the_graph(self) -> None:
        """The projects of the graph that name a project of this load as earlier or later: the
        link is made now, with the source and span that named it, as if both came in one load."""
        loaded = set(self.ids.values())
        for pid, names in sorted(self.stored_links.items()):
            for entry in json.loads(names):
                direction, name, where = entry.split("\t")
                sid, _, span = where.rpartition("@")
                if (other := self._project_id(name)) in loaded and other != pid:
                    self._follows(pid, direction, other, sid, span or None)

    def _project_id(self, named: str) -> str:
        """A registration number as given, or the one of the project in this load with that name."""
        return self.project_names.get(fold(repair_transcript(named)), named)

    def _funded_under(self, p: r.Project, ref: Ref, src: Source, where: str) -> None:
        b, sid = self.out.facts, src.id
        number = p.registration_number or ""
        parsed = RegistrationNumber.parse(number)
        of_number = parsed.programme if parsed else None  # a number's form can name a programme (OP Z+)
        code = p.programme or (of_number if of_number in self.gaz.programmes else self.gaz.programme_of(number)) or of_number
        if code is None:
            if ref[1] == project_key(p):  # else merged into a numbered project, which names its own
                self.out.warnings.append(f"{ref[1]}: no programme stated or known from a registration number; "
                                         "not linked to one")
            return
        if code not in self.gaz.programmes:
            self.out.problems.append(
                Problem(src.file, where, "programme", f"unknown programme code {code} (known: {', '.join(sorted(self.gaz.programmes))})")
            )
            return
        target: Ref = ("Programme", code)
        if p.priority_axis:
            axis = next((a for a in self.gaz.programmes[code].axes if a.code == p.priority_axis), None)
            if axis is None:  # an axis no programme list names: as the source states it
                target = self._axis(code, p.priority_axis, p.priority_axis_name, sid,
                                    _span(p.spans.get("priority_axis") or p.spans.get("registration_number")))
            else:  # the programme list (reference data) decides its name and its place
                target = ("PriorityAxis", keys.priority_axis(code, axis.code))
                if p.priority_axis_name and fold(p.priority_axis_name) != fold(axis.name):
                    self.out.warnings.append(
                        f"{src.file}: {ref[1]} names priority axis {code}/{axis.code} "
                        f"“{p.priority_axis_name}”; the reference data's name “{axis.name}” is kept")
            if p.call and number:
                cid = keys.call(number)
                b.node("Call", cid, code=p.call, name=p.call_name, area_of_support=p.area_of_support)
                self._describe(("Call", cid), sid)
                b.rel("OF", ("Call", cid), target, source=sid, span=_span(p.spans.get("registration_number")))
                target = ("Call", cid)
        # Programme, axis and call are read from the registration number (else the programme as stated): its span is theirs.
        stated = next((p.spans[f] for f in ("registration_number", "programme", "programme_stated") if f in p.spans), None)
        b.rel("FUNDED_UNDER", ref, target, source=sid, span=_span(stated))

    def _participate(self, part: r.Participant, ref: Ref, src: Source, where: str, regions: set[str]) -> None:
        org = self._org_ref(part.name, part.country, part.ico, part.kind, src.id, regions=regions, span=_span(part.span))
        if org is None:
            return
        self.out.facts.rel(
            "PARTICIPATES_IN", org, ref, role=part.role.value, role_stated=part.role_stated,
            amount_minor=minor(part.amount_czk), source=src.id, span=_span(part.span),
        )

    def _share(self, f: r.Funding, pid: str, src: Source, where: str, regions: set[str]) -> None:
        b, sid = self.out.facts, src.id
        fid = keys.funding_share(pid, f.source.value, name_key(f.provider) if f.provider else None)
        if fid in self.shares:
            self.out.problems.append(Problem(src.file, where, "funding", f"the source {f.source.value} of {pid} is listed twice"))
            return
        self.shares[fid] = (pid, f.amount_czk, src.file, where)
        b.node(
            "FundingShare", fid, source=f.source.value, stated_as=f.stated_as, amount_minor=minor(f.amount_czk),
            percent=None if f.percent is None else str(f.percent), currency="CZK",
        )
        share = self._describe(("FundingShare", fid), sid)
        b.rel("HAS_FUNDING", ("Project", pid), share, source=sid, span=_span(f.span))
        if f.provider:
            if provider := self._org_ref(f.provider, "CZ", None, None, sid, regions=regions, span=_span(f.span)):
                b.rel("PROVIDED_BY", share, provider, source=sid, span=_span(f.span))

    def _rows(self, doc: Document) -> None:
        """Participations and funding shares listed apart from their projects."""
        for i, row in enumerate(doc.dataset.participations):
            where = _row(doc, "participations", i)
            if self._known_project(row.registration_number, doc.source, where):
                part = r.Participant.model_validate(row.model_dump(exclude={"registration_number"}))
                regions = self.regions.get(row.registration_number, set())
                self._participate(part, ("Project", row.registration_number), doc.source, where, regions)
        for i, funding_row in enumerate(doc.dataset.funding):
            where = _row(doc, "funding", i)
            if self._known_project(funding_row.registration_number, doc.source, where):
                share = r.Funding.model_validate(funding_row.model_dump(exclude={"registration_number"}))
                regions = self.regions.get(funding_row.registration_number, set())
                self._share(share, funding_row.registration_number, doc.source, where, regions)

    def _known_project(self, pid: str, src: Source, where: str) -> bool:
        if pid in self.totals or pid in self.stored_projects:
            return True
        self.out.problems.append(Problem(src.file, where, "registration_number", f"no project {pid} in this load or in the graph"))
        return False

    def _check_totals(self) -> None:
        """Funding shares may not add up to more than the project's total cost: reported where
        the share that goes over it is stated."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for pid, amount, _, _ in self.shares.values():
            sums[pid] += amount or 0
        running: dict[str, Decimal] = defaultdict(Decimal)
        for pid, amount, file, where in self.shares.values():
            total = self.totals.get(pid, (None,))[0]
            before, running[pid] = running[pid], running[pid] + (amount or 0)
            if total is not None and running[pid] > total >= before:
                self.out.problems.append(Problem(
                    file, where, "funding", f"the funding shares of {pid} add up to {sums[pid]} CZK, more than its "
                    f"total cost {total} CZK"))

    def _place(self, place: r.Place, regions: set[str], sid: str) -> Ref | None:
        if place.kind == "region":
            code = self.gaz.region_code(place.name)
            if code:
                return ("Region", code)
            self.out.warnings.append(f"region {place.name} is not in the reference data; not linked")
            return None
        if place.kind in ("microregion", "orp_district"):
            entry = self.gaz.microregions.get(fold(place.name))
            if entry:
                return ("Microregion", entry[0])
            orps = self.gaz.orps_named(place.name)
            if len(orps) == 1:
                return ("Orp", orps[0])
            if orps:
                self.out.warnings.append(f"place {place.name}: ambiguous between the ORP districts "
                                         f"{'; '.join(f'{c} {self.gaz.orps[c].name}' for c in orps)}; not linked")
                return None
            mr_id = keys.microregion(place.name)
            self.out.facts.node("Microregion", mr_id, name=place.name, kind=place.kind)
            return self._describe(("Microregion", mr_id), sid)
        mid, candidates = self.gaz.municipality(place.name, {place.region} if place.region else regions)
        if mid:
            return ("Municipality", mid)
        self.out.warnings.append(
            f"place {place.name}: "
            + (f"ambiguous between {'; '.join(candidates)}" if candidates else "not in the reference data")
            + "; not linked"
        )
        return None


def _source_node(b: GraphBatch, src: Source) -> None:
    b.node("SourceDocument", src.id, title=src.title, uri=src.uri, sha256=src.sha256, media_type=src.media_type)


def _described(b: GraphBatch, ref: Ref, source: str, spans: dict[str, r.Span] | None = None) -> Ref:
    b.node(*ref)
    where = json.dumps({k: _span(v) for k, v in sorted(spans.items())}) if spans else None
    b.rel("DESCRIBED_BY", ref, ("SourceDocument", source), spans=where)
    return ref


_TERRITORY_FACTS: dict[str, GraphBatch] = {}  # by the territory's source document (its files' digest)


def territory_facts(t: Territory) -> GraphBatch:
    """The facts of every municipality, okres, ORP and POU district (some 40,000), the same for
    every load of the same files: made once a process. Their source document carries their digest
    (``facts_sha256``), by which a load sees that the store holds them already. The records are
    shared by the loads: nothing changes them once made."""
    if t.source.id not in _TERRITORY_FACTS:
        b, src = GraphBatch(), t.source.id
        _source_node(b, t.source)
        for label, units in (("Okres", t.okresy), ("Orp", t.orps), ("Pou", t.pous)):
            for u in units:
                b.node(label, u.code, code=u.code, ruian_code=u.ruian_code, name=u.name)
                _described(b, (label, u.code), src)
                b.rel("IN_REGION", (label, u.code), ("Region", u.region), source=src, span=u.span)
                if u.orp:  # a POU district lies in one ORP district
                    b.rel("IN_ORP", (label, u.code), ("Orp", u.orp), source=src, span=u.span)
        orps = {u.code: u.name for u in t.orps}
        seats = {u.seat for u in t.orps}
        for m in t.municipalities:
            ref = ("Municipality", m.code)
            b.node(*ref, name=m.name, country_code="CZ", lau_code=m.code, orp=orps[m.orp], is_orp=m.code in seats,
                   status=m.status, population=m.population, lat=m.lat, lon=m.lon)
            _described(b, ref, src)
            b.rel("IN_REGION", ref, ("Region", m.region), source=src, span=m.span)
            b.rel("IN_OKRES", ref, ("Okres", m.okres), source=src, span=m.span)
            b.rel("IN_ORP", ref, ("Orp", m.orp), source=src, span=m.span)
            b.rel("IN_POU", ref, ("Pou", m.pou), source=src, span=m.span)
        digest = hashlib.sha256()
        for rec in (*b.nodes, *b.rels):
            digest.update(repr(rec).encode())
        b.nodes[0].props["facts_sha256"] = digest.hexdigest()
        _TERRITORY_FACTS[t.source.id] = b
    return _TERRITORY_FACTS[t.source.id]


def resolve(documents: list[Document], aliases: dict[str, str], stored_projects: Collection[str] = frozenset(),
            stored_names: dict[str, str] | None = None, stored_links: dict[str, str] | None = None) -> Resolution:
    """``stored_projects``: projects already in the graph that rows of this load may name;
    ``stored_names``: the graph's projects by folded name, that a page may name as earlier or later;
    ``stored_links``: the graph's projects that name others so, with what they name (so that a link
    does not depend on whether both came in one load, nor on which came first)."""
    return Resolver(documents, aliases, stored_projects, stored_names, stored_links).run()

