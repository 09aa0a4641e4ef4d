"""Personal contact details kept out of the published graph.

Project pages often end with whom to call: "Kontakt: Ing. Jan Novák, jan.novak@example.cz,
tel. +420 777 123 456". A person's e-mail address, phone number and name are not facts about the
project; they are recognised in the free text of every record (whatever source it was read from)
and replaced by a marker, once, in the load pipeline. ``KPSS_PUBLISH_CONTACTS=true`` keeps them.
"""

from __future__ import annotations

import functools
import re

from loaders.records import Dataset

MARKER = "[osobní údaj vynechán]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_PHONE = r"(?:(?:\+|00)\s?420[\s-]?)?[1-9]\d{2}[\s-]?\d{3}[\s-]?\d{3}\b"
# A number written with the international prefix is a phone number wherever it stands…
_INTERNATIONAL = re.compile(r"(?:\+|00)\s?420[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{3}\b")
# …a plain nine-digit one only after a label: amounts are written in groups of three digits too.
_LABELLED = re.compile(rf"(?i:\b(?:tel|telefon|mobil|mob|fax)\b\.?(?:\s*č\.)?\s*:?\s*)({_PHONE}(?:\s*(?:,|/|;|nebo)\s*{_PHONE})*)")
_TITLE = r"(?:Ing|Mgr|Bc|BcA|MgA|PhDr|MUDr|JUDr|RNDr|PaedDr|ThDr|Dr|doc|prof|DiS|Ph\.\s?D)\."
_WORD = r"[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][a-záčďéěíňóřšťúůýž]+"
# Words that begin an organisation's or an office's name, not a person's.
_NOT_NAMES = ("Město", "Městský", "Městys", "Obec", "Obecní", "Svazek", "Mikroregion", "Kraj", "Krajský", "Úřad",
              "Centrum", "Charita", "Diakonie", "Sdružení", "Spolek", "Místní", "Sekretariát", "Odbor", "Oddělení",
              "Ministerstvo", "Kancelář", "Informace", "Adresa", "Sídlo", "Ulice", "Telefon", "Tel", "Email")
_NAMED = re.compile(
    rf"(?i:\bkontakt(?:ní\s+osob[ay]|ní\s+údaje|y)?\b\s*:?\s*)"
    rf"((?:{_TITLE}\s*)*(?!(?:{'|'.join(_NOT_NAMES)})\b){_WORD}(?:[ \t]+{_WORD}){{1,2}}(?:,?\s*{_TITLE})*)"
)


def redact(text: str) -> tuple[str, int]:
    """The text with every contact detail replaced by the marker, and how many there were."""
    found = 0

    def hide(match: re.Match, group: int = 0) -> str:
        nonlocal found
        found += 1
        start, end = match.span(group)
        return match[0][: start - match.start()] + MARKER + match[0][end - match.start():]

    for pattern, group in ((_EMAIL, 0), (_LABELLED, 1), (_INTERNATIONAL, 0), (_NAMED, 1)):
        text = pattern.sub(functools.partial(hide, group=group), text)
    return text, found


_FREE_TEXT = {"projects": ("name", "description", "call_name", "priority_axis_name"),
              "organisations": ("address",)}
_FREE_TEXT_LISTS = {"projects": ("target_groups", "working_groups")}


def without_contacts(dataset: Dataset) -> tuple[Dataset, int]:
    """The dataset with the contact details in its free text replaced, and how many there were."""
    total = 0

    def clean(value: str | None) -> str | None:
        nonlocal total
        if value is None:
            return None
        text, found = redact(value)
        total += found
        return text

    update = {}
    for kind in _FREE_TEXT.keys() | _FREE_TEXT_LISTS.keys():
        update[kind] = [
            record.model_copy(update={f: clean(getattr(record, f)) for f in _FREE_TEXT.get(kind, ())}
                              | {f: [clean(v) for v in getattr(record, f)] for f in _FREE_TEXT_LISTS.get(kind, ())})
            for record in getattr(dataset, kind)
        ]
    return (dataset.model_copy(update=update) if total else dataset), total
