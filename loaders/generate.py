"""A synthetic national-scale dataset in the loaders' own formats (`kpss generate`).

At scale 1 it has about the projects of one 2007–2013 operational programme: 12,000 projects,
40,000 organisations and 150,000 participations. Everything real that the repository holds is used
as it is: the kraje of the reference data, the municipalities of the territorial data (seats drawn
in proportion to the population), the programmes, and the calls of the bundled projects (new serial
numbers in each). The rest is drawn from Czech word lists, skewed
like the real data: hub organisations (the kraje, the big towns, the labour offices, the managing
authority) take part in hundreds of projects, most organisations in one or two. Organisations
carry legal forms and, on part of them, a valid IČO; a share of projects states no registration
number (a JSON document, the only form that allows it). Every count is proportional to the scale and
the output depends on the seed alone.
"""

from __future__ import annotations

import bisect
import csv
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from graph.text import fold
from loaders.files import read_structured
from loaders.pipeline import BUNDLED_DIR, expand
from loaders.reference import reference_documents, territory

PROJECTS, ORGANISATIONS, PARTICIPATIONS = 12_000, 40_000, 150_000  # at scale 1
UNNUMBERED = 0.03  # share of projects whose source states no registration number
WITH_ICO = 0.6  # share of organisations whose IČO the sources give

# Kinds of organisation: the words their names are made of and their legal forms.
_KINDS = {
    "association": (["Spolek", "Sdružení", "Klub", "Rodinné centrum", "Nízkoprahový klub", "Svaz"],
                    ["z.s.", "z. s.", "o.s."]),
    "public_benefit_company": (["Centrum sociálních služeb", "Poradna", "Denní stacionář", "Chráněné bydlení",
                                "Pečovatelská služba", "Komunitní centrum"], ["o.p.s.", "z.ú."]),
    "contributory_organisation": (["Domov pro seniory", "Domov se zvláštním režimem", "Sociální služby",
                                   "Dětský domov", "Azylový dům"], ["příspěvková organizace", "p.o."]),
    "church_charity": (["Oblastní charita", "Farní charita", "Diakonie ČCE – středisko", "Slezská diakonie – středisko"],
                       [""]),
    "company": (["Agentura", "Vzdělávací institut", "Poradenská společnost", "Personální agentura"],
                ["s.r.o.", "a.s."]),
}
_WORDS = ("Naděje Slunce Jasmín Most Domov Klíček Krok Prostor Cesta Šance Úsměv Vlaštovka Kopretina Mozaika "
          "Pohoda Jablíčko Rozmarýn Světluška Zvonek Paprsek Duha Oáza Přístav Maják Kotva Sněženka Bobr Čtyřlístek "
          "Růže Srdce Včelka Javor Lípa Dub Jeřabina Studánka Pramen Útočiště Perla Kormidlo").split()
_TOPICS = ("Komunitní plánování sociálních služeb", "Podpora sociálního začleňování", "Rozvoj sítě sociálních služeb",
           "Zvyšování kvality sociálních služeb", "Střednědobý plán rozvoje sociálních služeb",
           "Podpora rodin s dětmi", "Služby pro seniory", "Aktivizace osob ohrožených sociálním vyloučením",
           "Koordinace sociálních služeb", "Partnerství pro sociální služby")
_TARGET_GROUPS = ("senioři", "osoby se zdravotním postižením", "rodiny s dětmi", "osoby ohrožené sociálním vyloučením",
                  "osoby bez přístřeší", "příslušníci romských komunit", "osoby pečující o osobu blízkou",
                  "děti a mládež ohrožené rizikovým chováním", "osoby s duševním onemocněním", "oběti trestných činů")
_WORKING_GROUPS = ("Senioři", "Osoby se zdravotním postižením", "Rodina, děti a mládež", "Osoby ohrožené sociálním vyloučením",
                   "Zaměstnanost", "Bydlení")
# Hubs, with the kraj and its labour office (Praha's body is its kraj's).
_BIG_TOWNS = ("statutární město",)
_PROGRAMME_WEIGHT = {"CZ.1.04": 0.72, "CZ.03": 0.25, "CZ.04.1.05": 0.03}  # at scale 1: mostly one 2007–2013 programme


@dataclass
class _Org:
    name: str
    kind: str
    region: str  # NUTS 3 of the seat
    seat: str
    ico: str = ""
    legal_form: str = ""
    governs: str = ""


@dataclass
class _Template:
    """A real call (from a bundled project): new projects get its prefix and new serial numbers."""

    prefix: str
    width: int
    fields: dict
    used: set = field(default_factory=set)


def _icos(rnd: random.Random):
    """Distinct valid IČOs in a random order of the seed."""
    seen: set[str] = set()
    while True:
        body = f"{rnd.randrange(10**6, 10**7):07d}"
        check = (11 - sum(int(d) * w for d, w in zip(body, range(8, 1, -1))) % 11) % 10
        if body not in seen:
            seen.add(body)
            yield body + str(check)


def _templates() -> list[_Template]:
    out: dict[str, _Template] = {}
    for path in expand([BUNDLED_DIR]):
        for p in read_structured(path).dataset.projects:
            m = re.fullmatch(r"(.+[/.])(\d{4,})", p.registration_number or "")
            if m and p.programme in _PROGRAMME_WEIGHT:
                fields = {"programme": p.programme, "priority_axis": p.priority_axis, "area_of_support": p.area_of_support,
                          "call": p.call, "call_name": p.call_name, "priority_axis_name": p.priority_axis_name}
                out.setdefault(m.group(1), _Template(m.group(1), len(m.group(2)), fields,
                                                     {int(m.group(2))}))
    return sorted(out.values(), key=lambda t: t.prefix)


def _places():
    """(kraje by NUTS 3 code, Czech municipalities with a name of their own: (name, region, population,
    whether a statutory town)), from the territorial reference data."""
    regions = {r.code: r.name for d in reference_documents() for r in d.dataset.regions
               if r.nuts_level == 3 and r.country == "CZ"}
    communes = territory().municipalities
    names = Counter(fold(m.name) for m in communes)
    municipalities = [(m.name, m.region, m.population, m.status in _BIG_TOWNS) for m in communes if names[fold(m.name)] == 1]
    return regions, municipalities


class _Generator:
    def __init__(self, scale: float, seed: int) -> None:
        if scale <= 0:
            raise ValueError("the scale must be positive")
        self.rnd = random.Random(seed)
        self.scale = scale
        self.regions, self.municipalities = _places()
        self.templates = _templates()
        self.icos = _icos(self.rnd)
        self.known_icos = {fold(o.name): o.ico for d in reference_documents() for o in d.dataset.organisations if o.ico}
        self.authorities = {p.code: p.managing_authority for d in reference_documents() for p in d.dataset.programmes}
        self.names: set[str] = set()
        self.orgs: list[_Org] = []
        self.hubs: dict[str, list[_Org]] = {}  # per kraj: its own body, its big towns, its labour office

    def _unique(self, name: str) -> str:
        """Names are distinct without their legal forms (else they would be one organisation)."""
        base, n = name, 1
        while fold(name) in self.names:
            n += 1
            name = f"{base} {n}"
        self.names.add(fold(name))
        return name

    def _org(self, name: str, kind: str, region: str, seat: str, form: str = "", governs: str = "",
             ico: bool | None = None) -> _Org:
        with_ico = self.rnd.random() < WITH_ICO if ico is None else ico
        number = self.known_icos.get(fold(name)) or (next(self.icos) if with_ico else "")
        unique = self._unique(name)
        org = _Org(f"{unique}, {form}" if form else unique, kind, region, seat, number, form, governs)
        self.orgs.append(org)
        return org

    def organisations(self) -> None:
        towns_of: dict[str, list[tuple[str, int, bool]]] = {}
        for name, region, population, big in self.municipalities:
            towns_of.setdefault(region, []).append((name, population, big))
        for code, name in sorted(self.regions.items()):
            towns = sorted(towns_of.get(code, []), key=lambda t: -t[1])
            seat = towns[0][0] if towns else ""  # its largest town (Praha's kraj has no other)
            hubs = [self._org(name, "region", code, seat, governs=name, ico=True),
                    self._org(f"Úřad práce České republiky – krajská pobočka {seat or name}", "state_body", code, seat,
                              ico=True)]
            hubs += [self._org(f"Město {t}", "municipality", code, t, governs=t, ico=True) for t, _, big in towns if big]
            self.hubs[code] = hubs
        # Organisations are where people live: a seat is drawn in proportion to the population.
        seats = [(t, region) for t, region, _, _ in self.municipalities]
        weights = [population for _, _, population, _ in self.municipalities]
        kinds = sorted(_KINDS)
        for i in range(round(ORGANISATIONS * self.scale) - len(self.orgs)):
            kind = kinds[i % len(kinds)]
            words, forms = _KINDS[kind]
            town, region = self.rnd.choices(seats, weights)[0]
            form = self.rnd.choice(forms)
            name = f"{self.rnd.choice(words)} {self.rnd.choice(_WORDS)} {town}"
            self._org(name, kind, region, town, form)

    def projects(self) -> list[dict]:
        by_region: dict[str, tuple[list[_Org], list[float]]] = {}
        for org in self.orgs:
            # Heavy-tailed and the same at any scale: a few in hundreds of projects, most in one or two.
            w = min(self.rnd.paretovariate(1.0), 300)
            if org.kind not in ("region", "state_body") and not org.governs:
                members, cum = by_region.setdefault(org.region, ([], []))
                members.append(org)
                cum.append((cum[-1] if cum else 0) + w)
        regions = sorted(by_region)
        sizes = [len(by_region[code][0]) for code in regions]
        count = round(PROJECTS * self.scale)
        # Participants a project beyond its hubs, so that the participations come to about 150,000 at scale 1.
        per_project = PARTICIPATIONS / PROJECTS - 1.9
        out = []
        for i in range(count):
            region = self.rnd.choices(regions, sizes)[0]  # where more organisations are, more projects
            members, cum = by_region[region]
            template = self._template()
            year = {"CZ.1.04": 2008, "CZ.03": 2015, "CZ.04.1.05": 2004}[template.fields["programme"]] + self.rnd.randrange(5)
            n = max(1, min(len(members), round(self.rnd.expovariate(1 / per_project))))
            chosen: list[_Org] = []
            while len(chosen) < n:
                org = members[bisect.bisect(cum, self.rnd.random() * cum[-1])]
                if org not in chosen:
                    chosen.append(org)
            hubs = self.hubs.get(region, [])
            parts: list[tuple[_Org | str, str]] = [(chosen[0], "beneficiary"), *((o, "partner") for o in chosen[1:])]
            parts += [(h, "partner") for h in hubs if self.rnd.random() < 0.25]
            if authority := self.authorities.get(template.fields["programme"]):
                parts.append((authority, "managing_authority"))  # named as the reference data lists it
            total = Decimal(self.rnd.randrange(300_000, 12_000_000)) + Decimal(self.rnd.randrange(100)) / 100
            esf = (total * Decimal("0.85")).quantize(Decimal("0.01"))
            state = (total * Decimal("0.10")).quantize(Decimal("0.01"))
            funding = [{"source": "esf", "amount_czk": esf, "stated_as": "Evropský sociální fond"},
                       {"source": "state_budget", "amount_czk": state, "stated_as": "Státní rozpočet ČR"}]
            kraj = hubs[0] if hubs else None
            funding.append({"source": "region", "amount_czk": total - esf - state, "percent": "5",
                            "provider": kraj.name if kraj else ""} if kraj else
                           {"source": "own", "amount_czk": total - esf - state})
            beneficiary = chosen[0]
            out.append({
                "registration_number": self._number(template) if self.rnd.random() >= UNNUMBERED else None,
                "name": f"{self.rnd.choice(_TOPICS)} – {beneficiary.seat} {i + 1}",
                "start": f"{year}-{self.rnd.randrange(1, 13):02d}",
                "end": f"{year + 2}-{self.rnd.randrange(1, 13):02d}-{self.rnd.randrange(1, 29):02d}",
                "total_cost_czk": total,
                **{k: v for k, v in template.fields.items() if v},
                "target_groups": sorted(self.rnd.sample(_TARGET_GROUPS, self.rnd.randrange(1, 4))),
                "working_groups": sorted(self.rnd.sample(_WORKING_GROUPS, self.rnd.randrange(0, 3))),
                "places": [f"municipality:{beneficiary.seat}"] + ([f"region:{self.regions[region]}"]
                                                                 if self.rnd.random() < 0.3 else []),
                "participants": [(o, role) for o, role in parts],
                "funding": funding,
            })
        return out

    def _template(self) -> _Template:
        while True:
            programme = self.rnd.choices(list(_PROGRAMME_WEIGHT), list(_PROGRAMME_WEIGHT.values()))[0]
            candidates = [t for t in self.templates if t.fields["programme"] == programme and len(t.used) < 10**t.width - 1]
            if candidates:
                return self.rnd.choice(candidates)
            if not any(len(t.used) < 10**t.width - 1 for t in self.templates):
                raise ValueError("the scale needs more registration numbers than the calls hold")

    def _number(self, template: _Template) -> str:
        while True:
            serial = self.rnd.randrange(1, 10**template.width)
            if serial not in template.used:
                template.used.add(serial)
                return f"{template.prefix}{serial:0{template.width}d}"


def _participant(org: _Org | str, role: str) -> dict:
    if isinstance(org, str):
        return {"name": org, "role": role}
    return {"name": org.name, "role": role, **({"ico": org.ico} if org.ico else {})}


def generate(scale: float, seed: int, out_dir: Path) -> dict[str, int]:
    """Writes organisations.csv, projects.csv, participations.csv, funding.csv and
    unnumbered-projects.json into ``out_dir``; returns the counts written."""
    g = _Generator(scale, seed)
    g.organisations()
    projects = g.projects()
    out_dir.mkdir(parents=True, exist_ok=True)
    _table(out_dir / "organisations.csv", ["name", "ico", "kind", "legal_form", "country", "seat", "seat_region", "governs"],
           ([o.name, o.ico, o.kind, o.legal_form, "CZ", o.seat, o.region, o.governs] for o in g.orgs))
    numbered = [p for p in projects if p["registration_number"]]
    columns = ["registration_number", "name", "start", "end", "total_cost_czk", "programme", "priority_axis",
               "priority_axis_name", "area_of_support", "call", "call_name", "target_groups", "working_groups", "places"]
    _table(out_dir / "projects.csv", columns,
           ([_cell(p.get(c)) for c in columns] for p in numbered))
    _table(out_dir / "participations.csv", ["registration_number", "name", "role", "ico"],
           ([p["registration_number"], part["name"], part["role"], part.get("ico", "")]
            for p in numbered for part in (_participant(o, role) for o, role in p["participants"])))
    _table(out_dir / "funding.csv", ["registration_number", "source", "stated_as", "amount_czk", "percent", "provider"],
           ([p["registration_number"], *(_cell(f.get(c)) for c in ("source", "stated_as", "amount_czk", "percent", "provider"))]
            for p in numbered for f in p["funding"]))
    unnumbered = [{k: v for k, v in p.items() if k != "registration_number" and v not in (None, [])}
                  | {"participants": [_participant(o, role) for o, role in p["participants"]],
                     "places": [{"kind": s.split(":")[0], "name": s.split(":", 1)[1]} for s in p["places"]]}
                  for p in projects if not p["registration_number"]]
    (out_dir / "unnumbered-projects.json").write_text(
        json.dumps({"title": "Projects their sources list without a registration number", "projects": unnumbered},
                   ensure_ascii=False, default=str, indent=1), encoding="utf-8")
    parts = sum(len(p["participants"]) for p in projects)
    return {"organisations": len(g.orgs), "projects": len(projects), "unnumbered": len(unnumbered),
            "participations": parts, "funding": sum(len(p["funding"]) for p in projects)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


def _table(path: Path, columns: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        out.writerows(rows)

