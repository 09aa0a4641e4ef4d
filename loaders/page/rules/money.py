"""The page form read: every marked amount on its line, named by the words before it: the total cost and
the funding shares with their percentages; shares stated only as a percentage.
"""

from __future__ import annotations

import re
from decimal import Decimal

from graph.model import FundingSource, Role
from graph.text import fold
from loaders import czech
from loaders import records as r
from loaders.page import vocabulary as v
from loaders.page.reference import reference
from loaders.page.structure import Line, Page, Span


def money(page: Page) -> tuple[list[r.Funding], Decimal | None, list[r.Participant]]:
    """Every marked amount, named by the words before it on its line: the total cost and the
    funding shares, each with the percentage that follows it."""
    funding: list[r.Funding] = []
    co_funders: list[r.Participant] = []
    total: Decimal | None = None
    grant: tuple[Decimal, Span] | None = None
    for line in page.lines:
        # "Celkové náklady: 3 500 000" — a money label marks the bare number after it.
        # Only a label that is all about money: "Město Lhota, Lhota 12, IČO: 00283924" is an address.
        label, colon, _ = line.text.partition(":")
        bare_ok = bool(colon) and not re.search(r"\d|\bIČ", label) and money_kind(label.split(",")[-1]) is not None
        found = czech.find_money(line.text, require_marker=not bare_ok)
        funding += _percent_shares(page, line)
        prev = 0
        for k, money in enumerate(found):
            a, b = money.span
            label = money_label(line.text[prev:a])
            nxt = found[k + 1].span[0] if k + 1 < len(found) else len(line.text)
            prev_end, prev = prev, b
            span = (line.start + a, line.start + b)
            if v.APPROXIMATE.search(fold(line.text[max(prev_end, a - 20):a]).strip()):
                continue
            kind = money_kind(label)
            if kind == "grant":
                grant = grant or (money.value, span)
                continue
            if kind == "total":
                if total is None:
                    total = money.value
                    page.note("total_cost_czk", span)
                continue
            if not isinstance(kind, tuple):
                continue
            source, provider = kind
            percent = next(iter(czech.find_percent(line.text[b:nxt])), None) or next(
                iter(czech.find_percent(line.text[prev_end:a])), None)  # "ESF: 85 % … 4 090 497,93 Kč"
            funding.append(r.Funding(source=source, stated_as=label, amount_czk=money.value, provider=provider,
                                     percent=percent.value if percent else None, span=span))
            if provider:
                co_funders.append(r.Participant(name=provider, role=Role.CO_FUNDER, role_stated=label,
                                                amount_czk=money.value, span=span))
    if total is None and grant:  # "Celková výše podpory: 1 677 718,10 Kč" and no total cost
        total = grant[0]
        page.note("total_cost_czk", grant[1])
    if not funding:  # "financován z ESF prostřednictvím OP Z a ze státního rozpočtu ČR"
        funding = _sources_named(page)
    return funding, total, co_funders


def _sources_named(page: Page) -> list[r.Funding]:
    """The sources a sentence about the project's financing names, without amounts: each once,
    the European Social Fund not also counted as EU money."""
    out: dict[FundingSource, tuple[Span, r.Funding]] = {}
    for a, b in page.sentence_spans:
        folded = page.folded[a:b]
        if not v.FINANCING_SENTENCE.search(folded):
            continue
        esf = [m.span() for m in v.SOURCES[0][0].finditer(folded)]
        for pattern, source in v.SOURCES:
            for m in pattern.finditer(folded):
                near_esf = any(lo - 15 <= m.start() <= hi for lo, hi in esf)
                if source in out or (source == FundingSource.EU and near_esf) or source == FundingSource.MUNICIPALITY:
                    continue
                if source == FundingSource.REGION and not re.search(r"rozpoct\w*\s+(?:\w+\s+)?$", folded[:m.start()]):
                    continue  # a kraj as the place ("ve Zlínském kraji"), not the budget that pays
                stated = page.text[a + m.start():a + m.end()]
                provider = _provider(page.text[a + m.start():b], source) if source == FundingSource.REGION else None
                span = (a + m.start(), a + m.end())
                out[source] = span, r.Funding(source=source, stated_as=stated, provider=provider, span=span)
    return [share for _, share in sorted(out.values(), key=lambda item: item[0])]


def _percent_shares(page: Page, line: Line) -> list[r.Funding]:
    """Shares stated only as a percentage: "Příspěvek ESF: 85,00 %", "ESF 85 %, SR 15 %",
    "z toho ESF 75 % a státní rozpočet 25 %"."""
    shares = []
    for seg in re.finditer(r"(?:[^,;]|,(?=\S))+", line.text):  # a list comma, not a decimal one
        for part in re.finditer(r"(?:(?!\sa\s|\bz toho\b).)+", seg[0]):
            percent = next(iter(czech.find_percent(part[0])), None)
            if percent is None or czech.find_money(part[0]):
                continue  # no percentage, or one that goes with an amount
            at = seg.start() + part.start()
            label = money_label(part[0][: percent.span[0]])
            kind = money_kind(label)
            if kind is None:  # the source after its share: "85 % pokryl Evropský sociální fond"
                label = " ".join(part[0][percent.span[1]:].split()).strip(" .")
                kind = money_kind(label)
            if isinstance(kind, tuple):
                shares.append(r.Funding(source=kind[0], stated_as=label, percent=percent.value, provider=kind[1],
                                        span=(line.start + at + percent.span[0], line.start + at + percent.span[1])))
    return shares

# --- lists and places ---------------------------------------------------------------------


def money_label(text: str) -> str:
    """The words that name an amount: the last non-empty part before it, without numbering."""
    text = czech.FOREIGN_AMOUNT.sub(" ", text)  # "Celkové výdaje: 28 500 EUR / 712 500,- Kč"
    text = re.sub(r"\d+(?:[,.]\d+)?\s*%|…|\.{2,}", " ", text)  # "příspěvek Unie (ESF): 85 % ... 4 090 497,93 Kč"
    parts = [p for p in re.split(r":", text) if p.strip(" \t•*-–/")]
    label = parts[-1] if parts else ""
    label = re.split(rf"(?<=[^\W\d]{{2}})\.\s+(?=[{v.UPPER}])", label)[-1]  # the sentence the amount is in
    label = re.sub(r"^[\s•*·-]*(?:\d{1,2}[.)]\s*)?", "", label)
    label = re.sub(r"\b(?:Kč|CZK|v Kč)\s*$", "", label.strip())
    return " ".join(label.split()).strip(" ,–-")


def money_kind(label: str) -> str | tuple[FundingSource, str | None] | None:
    folded = fold(label)
    if v.TOTAL.search(folded):
        return "total"
    # The source named nearest before the amount: "… z ESF …. Kraj Vysočina se podílí částkou".
    hits = [(m.end(), source) for pattern, source in v.SOURCES for m in pattern.finditer(folded)]
    if not hits:
        return "grant" if v.GRANT.search(folded) else None
    _, source = max(hits, key=lambda hit: hit[0])
    return source, _provider(label, source)


def _provider(label: str, source: FundingSource) -> str | None:
    """The organisation a regional or municipal share names, in the nominative."""
    if source == FundingSource.REGION:  # "Podíl Olomouckého kraje", "Kraj Vysočina"
        folded = fold(label)
        return next((name for form, name in reference().regions.items() if re.search(rf"\b{re.escape(form)}\b", folded)), None)
    if source == FundingSource.MUNICIPALITY:
        m = re.search(r"\b(Město|Obec|Městys|města|obce)\s+(.+)$", label)
        if m:
            word = {"města": "Město", "obce": "Obec"}.get(m[1], m[1])
            return f"{word} {m[2]}"
    return None
