"""The page form read: sentences that link projects ("navazuje na projekt …", "Na tento projekt navazuje …").
"""

from __future__ import annotations

import re

from loaders import czech
from loaders.page import vocabulary as v
from loaders.page.structure import Page


def links(page: Page) -> tuple[list[str], list[str]]:
    """Projects this one continues ("navazuje na … projekt X") and those that continue it
    ("… tímto projektem, představuje projekt X"), by registration number or name."""
    follows, followed_by = [], []
    for a, b in page.sentence_spans:
        sentence, folded = page.text[a:b], page.folded[a:b]
        if "timto projektem" in folded or re.search(r"\bna (?:tento |nas )?projekt\w* navaz", folded):
            followed_by += _projects_named(sentence)
        elif verb := re.search(r"\bnavazuje\b|\bnavazal[aoi]?\b|\bpokracovani\b|\bnavazuj\w*\b", folded):
            follows += _projects_named(sentence[verb.end():])
    return list(dict.fromkeys(follows)), list(dict.fromkeys(followed_by))


def _projects_named(text: str) -> list[str]:
    """Registration numbers in a text, else the names after "projekt" ("projekt „X“", "projektu X")."""
    numbers = czech.REGISTRATION_NUMBER.findall(text)
    if numbers:
        return numbers
    names = re.findall(rf"\bprojekt(?:u|em)?\s+[„\"“]?([{v.UPPER}][^,.(“”\"]*)", text)
    return [" ".join(n.split()) for n in names if not re.fullmatch(r"[A-Z]{2,6}", n.strip())]
