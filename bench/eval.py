"""`make eval` (`python -m bench.eval`): the page extractor over the corpus of real pages, against
the facts checked by hand for each page (`data/bundled/corpus/page-*.yaml`, the first project of a file
being the page's own). Prints per-field accuracy and partner precision, recall and F1, and writes
them into BENCHMARKS.md.

The corpus is `../shared/corpus` beside the repository (`KPSS_CORPUS_DIR` overrides it): pages
whose first line is `SOURCE: <address>`, the address the hand-checked file names as its source.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from graph.model import Role
from graph.text import fold
from kpss.settings import DATA_DIR
from loaders import records as r
from loaders.files import read_structured
from loaders.normalise import name_key
from loaders.page import extract, page_text
from loaders.reference import aliases, reference_documents

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("registration_number", "name", "beneficiary", "start", "end", "total_cost", "programme", "call")
BEGIN, END = "<!-- eval:begin -->", "<!-- eval:end -->"


def corpus_dir() -> Path:
    return Path(os.environ.get("KPSS_CORPUS_DIR") or ROOT.parent / "shared" / "corpus")


def checked_facts() -> dict[str, r.Project]:
    """Page address -> the page's project as checked by hand."""
    out = {}
    for path in sorted((DATA_DIR / "bundled" / "corpus").glob("page-*.yaml")):
        doc = read_structured(path)
        out[doc.dataset.source] = doc.dataset.projects[0]
    return out


def page_address(path: Path) -> str | None:
    m = re.match(r"\s*SOURCE:\s*(\S+)", path.read_text(encoding="utf-8"))
    return m[1] if m else None


class _Keys:
    """How two statements of a fact are compared: names by their key after the alias dictionary,
    programmes by code (a stated name looked up in the reference programmes)."""

    def __init__(self) -> None:
        self.aliases = {name_key(k): v for k, v in aliases().items()}
        self.aliases |= {name_key(a): o.name for d in reference_documents() for o in d.dataset.organisations
                         for a in o.aliases}
        self.programmes = {fold(n): p.code for d in reference_documents() for p in d.dataset.programmes
                           for n in (p.name, *p.aliases, p.code)}

    def org(self, name: str | None) -> str | None:
        return name and name_key(self.aliases.get(name_key(name), name))

    def programme(self, p: r.Project) -> str | None:
        return p.programme or (p.programme_stated and self.programmes.get(fold(p.programme_stated)))

    def values(self, p: r.Project | None) -> dict[str, object]:
        if p is None:
            return dict.fromkeys(FIELDS)
        beneficiary = next((x.name for x in p.participants if x.role == Role.BENEFICIARY), None)
        return {
            "registration_number": p.registration_number, "name": fold(p.name), "beneficiary": self.org(beneficiary),
            "start": p.start, "end": p.end,
            "total_cost": p.total_cost_czk.normalize() if isinstance(p.total_cost_czk, Decimal) else None,
            "programme": self.programme(p), "call": p.call,
        }

    def partners(self, p: r.Project | None) -> set[str]:
        return {self.org(x.name) for x in p.participants if x.role == Role.PARTNER} if p else set()


@dataclass
class Score:
    pages: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    partners_found: int = 0
    partners_stated: int = 0
    partners_right: int = 0
    misses: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.pages if self.pages else 0.0

    @property
    def precision(self) -> float:
        return self.partners_right / self.partners_found if self.partners_found else 1.0

    @property
    def recall(self) -> float:
        return self.partners_right / self.partners_stated if self.partners_stated else 1.0

    @property
    def f1(self) -> float:
        p, q = self.precision, self.recall
        return 2 * p * q / (p + q) if p + q else 0.0


def evaluate(pages: Path) -> Score:
    keys, facts, score = _Keys(), checked_facts(), Score()
    for path in sorted(pages.glob("*.txt")):
        checked = facts.get(page_address(path))
        if checked is None:
            continue  # a page with no project of its own
        found = extract(page_text(path, path.read_bytes())[0], path.name).project
        want, got = keys.values(checked), keys.values(found)
        score.pages += 1
        for name in FIELDS:
            if want[name] == got[name]:
                score.right[name] += 1
            else:
                score.misses.append(f"{path.name} {name}: checked {want[name]!r}, extracted {got[name]!r}")
        stated, extracted = keys.partners(checked), keys.partners(found)
        score.partners_stated += len(stated)
        score.partners_found += len(extracted)
        score.partners_right += len(stated & extracted)
        score.misses += [f"{path.name} partner missed: {n}" for n in sorted(stated - extracted)]
        score.misses += [f"{path.name} partner not stated: {n}" for n in sorted(extracted - stated)]
    return score


def table(score: Score) -> str:
    rows = [f"| {name.replace('_', ' ')} | {score.accuracy(name):.2f} |" for name in FIELDS]
    return "\n".join([
        f"{score.pages} pages with hand-checked facts, measured {date.today().isoformat()}.", "",
        "| field | accuracy |", "|---|---|", *rows, "",
        "| partners | precision | recall | F1 |", "|---|---|---|---|",
        f"| {score.partners_stated} stated, {score.partners_found} extracted | {score.precision:.2f} | "
        f"{score.recall:.2f} | {score.f1:.2f} |",
    ])


def write_benchmarks(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    doc = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
    path.write_text(doc, encoding="utf-8")


def main() -> None:
    pages = corpus_dir() / "pages"
    if not pages.is_dir():
        sys.exit(f"no corpus at {pages} (set KPSS_CORPUS_DIR)")
    score = evaluate(pages)
    for miss in score.misses:
        print(miss)
    text = table(score)
    print(text)
    write_benchmarks(text)


if __name__ == "__main__":
    main()
