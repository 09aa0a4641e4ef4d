"""The page form read: beneficiaries and partners as labelled or under headings, in running lists, tables
of organisations and sentences ("Projekt realizovala X", "Partnery projektu byli …").
"""

from __future__ import annotations

import re

from graph.model import Role
from graph.text import fold
from loaders import records as r
from loaders.normalise import name_key
from loaders.page import vocabulary as v
from loaders.page.reference import reference, region_code
from loaders.page.structure import ADDRESS, ITEM_MARK, LABEL_LINE, URL, Fact, Page, Span, kind_of


def organisations(page: Page) -> tuple[list[r.Participant], list[dict]]:
    participants: list[r.Participant] = []
    organisations: list[dict] = []
    seen: set[tuple[Role, str]] = set()  # a role and a name stated twice is one participation
    for fact in page.facts:
        if fact.kind in v.ROLE_FIELDS:
            items = page.items(*fact.span)
            if not items:
                continue
            name, span = clean_name(*items[0])
            if not name:
                continue
            role = v.ROLE_FIELDS[fact.kind]
            if (role, name) in seen:
                continue
            seen.add((role, name))
            org = _seat(page, name, fact) if role == Role.BENEFICIARY else None
            stated = label_text(fact.label) if page.is_label(fact.line) else fact.label.split()[0]
            participants.append(r.Participant(name=name, role=role, role_stated=stated, span=span,
                                              ico=org.get("ico") if org else None))
            if org and len(org) > 1:
                organisations.append(org)
        elif fact.kind in ("partners", "partners_abroad") and not _above_the_name(page, fact):
            abroad = fact.kind == "partners_abroad"
            for name, span in split_names(page, fact.span):
                name, country = country_of(name, abroad)
                if country == "CZ" and len(seat := stated_seat(page.text[slice(*span)], name, span[0])) > 1:
                    organisations.append(seat)
                participants.append(r.Participant(
                    name=name, role=Role.PARTNER, role_stated=label_text(fact.label), span=span, country=country))
    named = {q.name for q in participants}
    participants += [p for p in _table_rows(page) if p.name not in named]
    if not any(p.role == Role.BENEFICIARY for p in participants):
        participants[:0] = _implementer(page) or _kraj_of_individual_project(page) or _own_body(page)
    if not any(p.role == Role.PARTNER for p in participants):
        beneficiaries = {name_key(p.name) for p in participants if p.role == Role.BENEFICIARY}
        for found in _prose_partners(page):
            if name_key(found.name) not in beneficiaries | {name_key(p.name) for p in participants}:
                participants.append(found)
    if not any(p.role == Role.PARTNER for p in participants):
        participants += _cooperating(page) + _municipalities_taking_part(page) + _organisations_taking_part(page)
    if not any(p.role == Role.PARTNER for p in participants):
        for m in v.PROSE_PARTNERS.finditer(page.text):
            for name, span in split_names(page, m.span("list")):
                name, country = country_of(name, abroad=bool(re.search(r"zahranič|mezinárod", m[0], re.I)))
                participants.append(r.Participant(name=name, role=Role.PARTNER, role_stated="partner", span=span,
                                                  country=country))
    return participants, organisations


def _seat(page: Page, name: str, fact: Fact) -> dict:
    """The organisation block under a beneficiary heading: IČO, address, website; its span is the
    line that states the seat (the town), else the IČO's, else the beneficiary's field."""
    values: dict[str, str] = {}
    lines: dict[str, Span] = {}
    block = page.line_range(*fact.span)
    first, last = block.start, block.stop
    # The block, and the detail lines right under it ("IČO: …" after the name and address).
    while last < min(len(page.lines), last + 5) and not page.lines[last].blank and not page.starts_project_field(last):
        last += 1
    for line in page.lines[first:last]:
        m = LABEL_LINE.match(line.text)
        if m and (kind := kind_of(m["label"], v.LABELS)) in ("ico", "street", "house_number", "town", "seat_region", "postcode"):
            values.setdefault(kind, m["value"].strip())
            lines.setdefault(kind, (line.start, line.end))
        elif (url := URL.search(line.text)) and "website" not in values:
            values["website"] = url[0]
    inline = re.search(r"\bIČO?:?\s*(\d[\d ]{6,9}\d)", fact.value)
    if inline and "ico" not in values:
        values["ico"] = inline[1]
    org: dict = {"name": name, "span": lines.get("town") or lines.get("ico") or fact.span}
    if "ico" in values:
        org["ico"] = re.sub(r"\s", "", values["ico"])
    if "town" in values:
        org["seat"] = values["town"]
        street = " ".join(v for v in (values.get("street"), values.get("house_number")) if v)
        code = re.sub(r"\s", "", values.get("postcode", ""))
        postcode = f"{code[:3]} {code[3:]}" if len(code) == 5 else code
        org["address"] = ", ".join(p for p in (street, f"{postcode} {values['town']}".strip()) if p)
    if "seat_region" in values:
        regions = reference().regions
        org["seat_region"] = region_code(regions.get(fold(values["seat_region"])))
    if "website" in values:
        org["website"] = values["website"]
    found = {k: v for k, v in org.items() if v}
    return found if found.keys() - {"name", "span"} else {"name": name}  # only a name: nothing to list


# What a list states after an organisation's name: "…, IČO 12345678", "…, se sídlem v Uherském
# Hradišti", "…, se sídlem Zlín", "…, Masarykovo nám. 100, 688 01 Uherský Brod".
_STATED_ICO = re.compile(r"\bIČO?:?\s*(\d[\d ]{6,9}\d)")
_SE_SIDLEM = re.compile(rf"\bse\s+sídlem\s+(?:(?:v|ve)\s+)?(?P<town>{v.PLACE_NAME})(?:\s*[,.;]|\s*$)")
_POSTCODE_TOWN = re.compile(rf"(?:,\s*(?P<street>[^,]*?\d+(?:/\d+)?\w?)\s*)?,\s*(?P<code>\d{{3}})\s?(?P<code2>\d{{2}})\s+(?P<town>{v.PLACE_NAME})")


def stated_seat(text: str, name: str, at: int = 0) -> dict:
    """The organisation ``name`` with the IČO, seat and address a list states after it; its span
    (``text`` stands at ``at`` of the page) the words that state the seat, else the IČO."""
    org: dict = {"name": name}
    if ico := _STATED_ICO.search(text):
        org["ico"] = re.sub(r"\s", "", ico[1])
        org["span"] = (at + ico.start(), at + ico.end())
    if m := _POSTCODE_TOWN.search(text):
        org["seat"] = m["town"].strip()
        org["address"] = ", ".join(p for p in ((m["street"] or "").strip(), f"{m['code']} {m['code2']} {m['town'].strip()}") if p)
    elif m := _SE_SIDLEM.search(text):
        org["seat"] = m["town"].strip()  # in the locative after "v": the gazetteer knows its forms
    if m:
        org["span"] = (at + m.start(), at + m.end())
    return org


def _implementer(page: Page) -> list[r.Participant]:
    """The beneficiary named in a sentence ("Projekt realizovala Kroměřížská nemocnice, a.s.",
    "Příjemcem dotace je Město Hulín", "Realizátorem projektu je město X", "X od ledna 2018 realizuje
    … projekt", "X zahájilo realizaci projektu", "Město X podalo … žádost", "je realizován X a Y"),
    or the agent of a passive "byl městem Otrokovice … realizován projekt". The others a passive
    names with it ("realizován X a Městem Y") are its partners."""
    if m := v.PROSE_BENEFICIARY.search(page.text):
        name, span = clean_name(m["name"], m.span("name"))
        if name:
            stated = m["verb"] or ("příjemce" if m["verb2"] else "realizátor")
            return [r.Participant(name=name[0].upper() + name[1:], role=Role.BENEFICIARY, role_stated=stated, span=span)]
    for stated, pattern in v.PROSE_ROLES_BENEFICIARY:
        for m in pattern.finditer(page.text):
            if not (found := _named_in_sentence(page, m.start("name"), m.end("name") if len(m["name"]) > 2 else None)):
                continue
            out = [r.Participant(name=found[0], role=Role.BENEFICIARY, role_stated=stated, span=found[1])]
            if stated == "realizován" and (more := re.match(r"\s*,?\s+a\s+", page.text[found[1][1]:])):
                if other := _named_in_sentence(page, found[1][1] + more.end()):
                    out.append(r.Participant(name=other[0], role=Role.PARTNER, role_stated=stated, span=other[1]))
            return out
    for m in re.finditer(r"[^.\n]*realizov[aá]n[^.\n]*", page.text):
        agent = v.MUNICIPAL.search(m[0])
        if agent and (word := v.MUNICIPAL_WORDS.get(fold(agent["word"]))) and fold(agent["word"]).endswith("em"):
            span = (m.start() + agent.start(), m.start() + agent.end())
            return [r.Participant(name=f"{word} {agent['place']}", role=Role.BENEFICIARY, role_stated="realizátor", span=span)]
    return []


def _above_the_name(page: Page, fact: Fact) -> bool:
    """A list of partners above where the page names its project (not by a label) stands in the
    site's header or menus: the site's partners, not the project's."""
    name = page.spans.get("name")
    return bool(name and fact.span[1] < name[0] and not any(f.kind == "name" for f in page.facts))


def _kraj_of_individual_project(page: Page) -> list[r.Participant]:
    """A kraj's individual project ("… na území kraje Vysočina - individuální projekt"): only a
    kraj carries one, so the kraj its name names is the beneficiary."""
    name = page.spans.get("name")
    folded = page.folded[slice(*name)] if name else ""
    if name is None or "individualni projekt" not in folded:
        return []
    hits = [(m.start(), region) for form, region in reference().regions.items() for m in re.finditer(rf"\b{re.escape(form)}\b", folded)]
    if not hits:
        return []
    at, region = min(hits)
    return [r.Participant(name=region, role=Role.BENEFICIARY, role_stated="individuální projekt", span=(name[0] + at, name[1]))]


def _prose_partners(page: Page) -> list[r.Participant]:
    """Partners named one by one in sentences (``vocabulary.PROSE_ROLES_PARTNER``)."""
    out = []
    for pattern in v.PROSE_ROLES_PARTNER:
        for m in pattern.finditer(page.text):
            if found := _named_in_sentence(page, m.start("name"), m.end("name") if len(m["name"]) > 7 else None):
                out.append(r.Participant(name=found[0], role=Role.PARTNER, role_stated="partner", span=found[1]))
    return out


def _cooperating(page: Page) -> list[r.Participant]:
    """The organisations a sentence says the project's implementer works with: a list split at
    commas and "a", a town in any case as its body, and a group named in words with its members in
    brackets ("poskytovateli služeb (Charita X, KAPA, o.p.s.)") as those members."""
    out = []
    for m in v.COOPERATES_WITH.finditer(page.text):
        text, at = m["list"], m.start("list")
        members = re.search(r"\(([^)]*)\)", text)
        pieces = [(at + p.start(), p[0]) for p in re.finditer(r"[^,()]+(?:,\s*(?:" + v.FORMS + r"))?", text[:members.start() if members else len(text)])]
        pieces += [(at + members.start(1) + p.start(), p[0]) for p in re.finditer(r"[^,]+(?:,\s*(?:" + v.FORMS + r"))?", members[1])] if members else []
        for start, piece in pieces:
            for part in re.split(r"\s+a\s+", piece):
                offset = start + piece.index(part) + len(part) - len(part.lstrip())
                if part.strip()[:1].isupper() and (found := _named_in_sentence(page, offset, offset + len(part.strip()))):
                    out.append(r.Participant(name=found[0], role=Role.PARTNER, role_stated="spolupracuje", span=found[1]))
    return out


def _municipalities_taking_part(page: Page) -> list[r.Participant]:
    """A transcript's list of the municipalities that took part, their names run together: the
    municipalities of the reference data it names, in the order named."""
    m = v.MUNICIPALITIES_TAKING_PART.search(page.folded)
    if not m:
        return []
    window = page.folded[m.end():m.end() + 400]
    window = window[:(after.start() if (after := v.SECTION_AFTER.search(window)) else len(window))]
    found = sorted((hit.start(), name) for name in reference().municipalities
                   for hit in re.finditer(rf"\b{re.escape(fold(name))}\b", window))
    return [r.Participant(name=f"Obec {name}", role=Role.PARTNER, role_stated="obce podílející se na realizaci projektu",
                          span=(m.end() + at, m.end() + at + len(name))) for at, name in found]


def _organisations_taking_part(page: Page) -> list[r.Participant]:
    """A transcript's list of the organisations that took part, their names run together without
    separators: a new name starts at a word in capitals or at a word Czech organisations' names
    start with (``ORGANISATION_HEADS``); a heading run in among them parts two names; the project's
    name, when the list's heading is followed by it, is not one of them."""
    m = v.ORGANISATIONS_TAKING_PART.search(page.folded)
    if not m:
        return []
    at = m.end()
    name = page.spans.get("name")
    titled = fold(page.text[slice(*name)]) if name else None
    if titled and page.folded[at:].lstrip().startswith(titled):
        at = page.folded.index(titled, at) + len(titled)
    end = v.SECTION_END.search(page.folded, at)
    window = (at, end.start() if end else min(len(page.text), at + 600))
    pieces: list[list[int]] = []
    for word in re.finditer(r"\S+", page.text[slice(*window)]):
        lo, hi = window[0] + word.start(), window[0] + word.end()
        if v.RUN_IN_HEADING.match(page.folded, lo):
            pieces.append([-1, -1])  # a heading: the name before it ends, the next starts after it
            continue
        letters = word[0].strip(",.")
        starts = letters[:1].isupper() and (fold(letters) in v.ORGANISATION_HEADS or (len(letters) >= 3 and letters.isupper()))
        if starts or not pieces or (pieces[-1][0] < 0 and letters[:1].isupper()):
            pieces.append([lo, hi])
        elif pieces[-1][0] >= 0:
            pieces[-1][1] = hi
    out = []
    for lo, hi in pieces:
        found, span = clean_name(page.text[lo:hi], (lo, hi)) if lo >= 0 else (None, (lo, hi))
        if found:
            out.append(r.Participant(name=found, role=Role.PARTNER, role_stated="organizace podílející se na realizaci projektu", span=span))
    return out


def _own_body(page: Page) -> list[r.Participant]:
    """The town or kraj whose project it is when no sentence or label says who carries it: the
    project's name names it ("pro město Hlučín", "… obcí Královéhradeckého kraje", "v Pardubicích"
    with "Statutární město Pardubice" named on the page) and the page speaks of it by the bare word
    as its own (``BARE_BODY``: "Kraj tím zlepšuje …", "partnery pro město", "z rozpočtu města")."""
    name = page.spans.get("name")
    bare = {fold(m["subject"] or m["owner"])[:3]: m[0].strip() for m in v.BARE_BODY.finditer(page.text)}
    if not name or not bare:
        return []
    titled = page.folded[slice(*name)]
    if "kra" in bare:
        hits = sorted((titled.find(form), region) for form, region in reference().regions.items()
                      if re.search(rf"\b{re.escape(form)}\b", titled))
        if hits:
            return [r.Participant(name=hits[0][1], role=Role.BENEFICIARY, role_stated=bare["kra"],
                                  span=(name[0] + hits[0][0], name[1]))]
    stated = bare.get("mes") or bare.get("obc") or bare.get("obe")
    for m in v.MUNICIPAL.finditer(page.text) if stated else ():
        word = v.MUNICIPAL_WORDS.get(fold(m["word"]))
        stems = [fold(w)[:max(4, len(w) - 3)] for w in m["place"].split()]  # the place in any case
        if word and all(re.search(rf"\b{re.escape(stem)}", titled) for stem in stems):
            return [r.Participant(name=f"{word} {m['place']}", role=Role.BENEFICIARY, role_stated=stated, span=m.span())]
    return []


def _named_in_sentence(page: Page, at: int, end: int | None = None) -> tuple[str, Span] | None:
    """The organisation named from ``at`` on in a sentence: a town in any case as its body ("s
    městem Klatovy" -> "Město Klatovy"), else the words up to where the name ends (``NAME_STOP``)."""
    if (m := v.MUNICIPAL.match(page.text, at)) and (word := v.MUNICIPAL_WORDS.get(fold(m["word"]))):
        return f"{word} {m['place']}", m.span()
    stop = v.NAME_STOP.search(page.text, at, end or len(page.text))
    name, span = clean_name(page.text[at:stop.start() if stop else end or len(page.text)], (at, stop.start() if stop else end or len(page.text)))
    return (name, span) if name and len(name) > 2 else None


def split_names(page: Page, span: Span) -> list[tuple[str, Span]]:
    """A list of organisations, split at commas and semicolons (and list items) but not inside
    names: a piece that starts in lower case ("příspěvková organizace", "krajská organizace
    Zlín", "o.s.") belongs to the name before it."""
    pieces: list[list[int]] = []
    lines = page.items(*span)
    bulleted = any(ITEM_MARK.match(page.lines[i].text) for i in page.line_range(*span) if page.lines[i].start >= span[0])
    if not bulleted and not _one_per_line(lines):
        lines = [(page.text[lines[0][1][0]:span[1]], (lines[0][1][0], span[1]))] if lines else []
    lines = [(item, at) for item, at in lines if "\t" not in item]  # table rows: read as a table
    for item, (a, _) in lines:
        # A list item is one organisation, commas and all; a running list splits at them.
        for m in re.finditer(r"[^;]+" if bulleted else r"[^,;]+", item):
            text = m[0].strip()
            if not text:
                continue
            lo = a + m.start() + (len(m[0]) - len(m[0].lstrip()))
            hi = a + m.end() - (len(m[0]) - len(m[0].rstrip()))
            # A lower-case piece continues a name; an IČO, a country ("…, Slovensko") or an
            # address ("Tovární 1059/1", "790 01 Jeseník" and the town after it) belongs to it.
            address = ADDRESS.match(text) or (pieces and pieces[-1][2] and len(text.split()) <= 3)
            if pieces and (text[0].islower() or re.match(r"(IČO?|IČ)\b", text) or fold(text) in reference().countries
                           or address):
                pieces[-1][1:] = [hi, bool(address)] if address else [hi, pieces[-1][2]]
            else:
                pieces.append([lo, hi, False])
    if pieces and not bulleted:  # "…, Město Šternberk a Obec Hlubočky": the last "a" parts two names
        lo, hi, _ = pieces[-1]
        joins = list(re.finditer(rf"\s+a\s+(?=[{v.UPPER}]|{v.LEGAL_FORM_WORDS})", page.text[lo:hi]))
        # Two names joined by "a" alone: only when both read as names of two words or more.
        two = joins and all(len(part.split()) >= 2 for part in (page.text[lo:lo + joins[-1].start()], page.text[lo + joins[-1].end():hi]))
        if joins and (len(pieces) > 1 or two):
            pieces[-1:] = [[lo, lo + joins[-1].start(), False], [lo + joins[-1].end(), hi, False]]
    out = []
    for lo, hi, _ in pieces:
        name, nspan = clean_name(page.text[lo:hi], (lo, hi))
        if name:
            out.append((name, nspan))
    return out


def _table_rows(page: Page) -> list[r.Participant]:
    """A table of organisations (tab-separated, as HTML tables are laid out): a header with an
    organisation column, maybe a country and a role column ("Organizace | Země | Role")."""
    out = []
    i = 0
    while i < len(page.lines):
        header = [fold(c).strip() for c in page.lines[i].text.split("\t")]
        i += 1
        org = next((k for k, c in enumerate(header) if len(c) <= 20 and re.search(r"organizac|nazev|subjekt|partner", c)), None)
        if len(header) < 3 or org is None:
            continue
        country = next((k for k, c in enumerate(header) if re.search(r"\b(zeme|stat)\b", c)), None)
        role = next((k for k, c in enumerate(header) if re.search(r"\b(role|typ|postaveni)\b", c)), None)
        while i < len(page.lines) and len(cells := page.lines[i].text.split("\t")) == len(header):
            row, i = page.lines[i], i + 1
            name = cells[org].strip()
            code = reference().countries.get(fold(cells[country])) if country is not None else "CZ"
            part = fold(cells[role]) if role is not None else "partner"
            kind = (Role.BENEFICIARY if re.search(r"prijemce|zadatel|realizator|vedouci", part)
                    else Role.CO_FUNDER if "spolufin" in part else Role.PARTNER)
            at = row.start + row.text.index(name) if name else row.start
            out.append(r.Participant(name=name, role=kind, role_stated=cells[role].strip() if role is not None else None,
                                     country=code, span=(at, at + len(name))))
    return [p for p in out if p.name]



def _one_per_line(lines: list[tuple[str, Span]]) -> bool:
    """Names one per line (a <br> list, a PDF's column): several short lines, none ending in a
    comma. Text wrapped mid-name runs in lines as long as a page is wide."""
    short = sum(len(text) < 60 for text, _ in lines)
    return len(lines) > 1 and 2 * short >= len(lines) and not any(text.rstrip().endswith(",") for text, _ in lines)


def clean_name(text: str, span: Span) -> tuple[str | None, Span]:
    """A name without bullets, web addresses, IČO and a sentence's full stop."""
    text = URL.sub("", text)
    text = re.sub(r",?\s*IČO?:?\s*\d[\d ]*", "", text)
    # An address after the name: ", se sídlem …", ", Masarykovo nám. 100, 688 01 …".
    text = re.split(r",\s*(?:se sídlem|sídlo\b|[^,]*\s\d+(?:/\d+)?\w?\s*(?:,|$)|\d{3}\s?\d{2}\s)", text)[0]
    text = re.sub(r"\s*\((?!\s*[A-Z]{2}\s*\))[a-zěščřžýáíéůú][^)]*\)\s*$", "", text)  # "(partner s finančním příspěvkem)"
    text = re.sub(rf"^(.*?,?\s*(?:{v.FORMS}))\s*,\s*[{v.UPPER}].*$", r"\1", text)  # "…, o.s., Frýdlant nad Ostravicí"
    text = " ".join(text.split()).strip(" ,;:")
    # A legal form written out before the name goes after it, abbreviated, as names are written.
    if written := re.match(v.LEGAL_FORM_WORDS, text):
        text = f"{text[written.end():]}, {v.WRITTEN_FORMS[written[0].strip()]}"
    if text.endswith(".") and not re.search(r"(?:^|\s)(?:\w{1,3}\.)+$", text):
        text = text[:-1]
    return (text or None), span


def country_of(name: str, abroad: bool) -> tuple[str, str | None]:
    """(name, country): a country the page states after the name ("Mesto Púchov (Slovensko)",
    "Gmina Cieszyn (PL)") is taken out of it; else, in a list of foreign partners, the
    reference data or the language of the name decides; else the partner is Czech."""
    ref = reference()
    stated = re.fullmatch(r"(.+?)\s*[(,]\s*([^(),]+?)\s*\)?", name)
    if stated and (code := ref.countries.get(fold(stated[2]))):
        return stated[1], code
    if not abroad:
        return name, "CZ"
    cue = next((code for pattern, code in v.FOREIGN_CUES if pattern.search(name)), None)
    return name, ref.homes.get(name_key(name)) or ref.homes.get(fold(name)) or cue

# --- money -----------------------------------------------------------------------------


def label_text(label: str) -> str:
    return " ".join(label.split()).rstrip(":")
