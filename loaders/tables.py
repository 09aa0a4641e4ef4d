"""CSV files in the canonical format, one file per kind, read as a stream.

The kind comes from the file name (``projects.csv``, ``2024-participations.csv``) or else from the
header. UTF-8 or Windows-1250, comma or semicolon: detected, or set by the caller. Amounts may use
a decimal comma and grouped thousands ("1 677 718,10"). Lists inside a cell are separated by "|".
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from loaders import czech
from loaders import records as r
from loaders.errors import LoadError, Problem
from loaders.files import Document, Source, validation_problems

MAX_PROBLEMS = 50  # per file: reading stops there, so a broken large file is not read to its end
MAX_LINE_CHARS = 1 << 20  # a line longer than this is refused as soon as it is seen, never read whole
MAX_HEADER_CHARS = 8192
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class CsvOptions:
    encoding: str | None = None  # None: UTF-8, else Windows-1250
    delimiter: str | None = None  # None: detected from the header line


@dataclass(frozen=True)
class Kind:
    """One kind of file: the record a row becomes, the list of the Dataset it goes to, its key."""

    name: str
    model: type[BaseModel]
    key: tuple[str, ...]
    lists: tuple[str, ...] = ()


KINDS = {
    kind.name: kind
    for kind in (
        Kind("projects", r.Project, ("registration_number",), ("target_groups", "working_groups", "follows", "followed_by", "places")),
        Kind("participations", r.ParticipationRow, ("registration_number", "name", "role")),
        Kind("funding", r.FundingRow, ("registration_number", "source", "provider")),
        Kind("organisations", r.Organisation, ("name", "country"), ("aliases",)),
        Kind("municipalities", r.Municipality, ("name", "region"), ("microregions",)),
        Kind("regions", r.Region, ("code",)),
        Kind("programmes", r.Programme, ("code",), ("aliases", "axes")),
    )
}
_AMOUNTS = {"total_cost_czk", "amount_czk", "percent"}
_MOJIBAKE = re.compile(r"Ă[\xad-\xbf]|Ä[\x8c-\x9b›]|Ĺ[™ˇ˝ľ]|Ă©|Ă˝|Ăˇ")


def kind_of(path: Path, header: list[str]) -> Kind | None:
    stem = path.stem.lower()
    for name, kind in KINDS.items():
        if stem == name or stem.endswith(("-" + name, "_" + name, "." + name)):
            return kind
    columns = set(header)
    required = {name: {f for f, info in k.model.model_fields.items() if info.is_required()} for name, k in KINDS.items()}
    matches = [KINDS[name] for name, cols in required.items() if cols <= columns and cols]
    return max(matches, key=lambda k: len(required[k.name])) if matches else None


def read_csv(path: Path, options: CsvOptions | None = None) -> Document:
    """A CSV file as a document; every problem found is reported, with its row and column."""
    options = options or CsvOptions()
    with path.open("rb") as raw:
        head = raw.read(4096)
    if not head.strip():
        raise LoadError([Problem(str(path), None, None, "the file is empty")])
    if b"\x00" in head:
        raise LoadError([Problem(str(path), None, None, "a binary file, not CSV text")])
    encoding = options.encoding or "utf-8"
    try:
        return _decoded(path, encoding, options)
    except _LineTooLong as exc:
        raise LoadError([Problem(str(path), f"row {exc.row}", None, f"a line longer than {MAX_LINE_CHARS:,} characters: "
                                 "is it a CSV file? (a cell holds at most "
                                 f"{csv.field_size_limit():,} characters)")]) from None
    except _Utf8Text:
        raise LoadError([Problem(str(path), None, None, _misread(encoding) + " (the whole file is UTF-8)")]) from None


def _decoded(path: Path, encoding: str, options: CsvOptions) -> Document:
    """Read as the encoding given, or else as UTF-8 and, failing that, as Windows-1250."""
    try:
        return _read(path, encoding, options)
    except _Undecodable as exc:
        if options.encoding is None:
            try:
                return _read(path, "cp1250", options)
            except _Undecodable:
                pass
        if options.encoding is None:
            message = "bytes that are neither UTF-8 nor Windows-1250 text: is it a CSV file?"
        elif encoding.lower().replace("-", "") == "utf8":
            message = "bytes that are not valid UTF-8 text — it may be Windows-1250: try --encoding cp1250"
        else:
            message = f"bytes that are not valid {encoding} text — try --encoding utf-8"
        raise LoadError([Problem(str(path), f"row {exc.row}", None, message)]) from None


def _misread(encoding: str) -> str:
    return f"the text looks like UTF-8 read as {encoding} (Ť as Ĺ¤); try --encoding utf-8"


class _Undecodable(Exception):
    def __init__(self, row: int) -> None:
        self.row = row


class _LineTooLong(Exception):
    def __init__(self, row: int) -> None:
        self.row = row


class _Utf8Text(Exception):
    """Text forced to be read as a single-byte encoding is valid UTF-8 with letters beyond ASCII."""


def _lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's text line by line, decoded incrementally: a large file is never read whole, and
    the time is linear in its size however long its lines (a line past the limit is refused)."""
    utf8 = encoding.lower().replace("-", "") in ("utf8", "utf8sig")
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else encoding)()
    # Read as another encoding, the same bytes are also tried as UTF-8: text that is UTF-8 is refused.
    as_utf8 = None if utf8 else codecs.getincrementaldecoder("utf-8")()
    beyond_ascii = False
    row, pending_size = 1, 0
    pending: list[str] = []
    with path.open("rb") as raw:
        for chunk in iter(lambda: raw.read(1 << 16), b""):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise _Undecodable(row + chunk[: max(exc.start, 0)].count(b"\n")) from None
            if as_utf8 is not None:
                try:
                    as_utf8.decode(chunk)
                    beyond_ascii = beyond_ascii or not chunk.isascii()
                except UnicodeDecodeError:
                    as_utf8 = None
            *complete, last = text.split("\n")
            if complete:
                complete[0] = "".join(pending) + complete[0]
                pending, pending_size = [], 0
            for line in complete:
                if len(line) > MAX_LINE_CHARS:
                    raise _LineTooLong(row)
                row += 1
                yield line + "\n"
            pending.append(last)
            pending_size += len(last)
            if pending_size > MAX_LINE_CHARS:
                raise _LineTooLong(row)
        try:
            pending.append(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise _Undecodable(row) from None
        if as_utf8 is not None and beyond_ascii:
            raise _Utf8Text()
        if tail := "".join(pending):
            yield tail


def _read(path: Path, encoding: str, options: CsvOptions) -> Document:
    lines = _lines(path, encoding)
    first = next(lines, "")
    file = str(path)
    if len(first) > MAX_HEADER_CHARS:
        raise LoadError([Problem(file, "row 1", None, f"the header row has {len(first):,} characters; a header of the "
                                 f"canonical format has at most {MAX_HEADER_CHARS:,}")])
    delimiter = options.delimiter or (";" if first.count(";") > first.count(",") else ",")
    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    if _MOJIBAKE.search(first):
        raise LoadError([Problem(file, "row 1", None, _misread(encoding))])
    kind = kind_of(path, header)
    if kind is None:
        raise LoadError([Problem(file, "row 1", None, "cannot tell what the file holds: name it projects.csv, "
                                 f"participations.csv, … ({', '.join(KINDS)}) or give the columns of one of them")])
    problems = _header_problems(file, header, kind)
    if problems:
        raise LoadError(problems)
    records: list[Any] = []
    seen: dict[tuple, tuple[int, int]] = {}  # key -> (row, hash of the row): memory for keys only

    def row_at(wanted: int) -> dict[str, str]:
        """An earlier row, read again: only needed to say how two rows with one key differ."""
        for m, cells in enumerate(csv.reader(_lines(path, encoding), delimiter=delimiter), start=1):
            if m == wanted:
                return {h: c.strip() for h, c in zip(header, cells) if c.strip() != ""}
        return {}

    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    n = 1  # the row last read: the header
    try:
        for n, cells in enumerate(reader, start=2):
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(file, f"row {n}", None, f"reading stopped after {MAX_PROBLEMS} problems"))
                break
            if not any(c.strip() for c in cells):
                continue
            problem: Problem | None
            if len(cells) != len(header):
                problem = Problem(file, f"row {n}", None, f"has {len(cells)} fields, the header has {len(header)}"
                                  + (" (is the row cut short?)" if len(cells) < len(header) else ""))
            else:
                row = {h: c.strip() for h, c in zip(header, cells) if c.strip() != ""}
                problem = _row(file, n, row, kind, seen, records, row_at)
            if problem:
                problems.append(problem)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = f"a cell longer than {csv.field_size_limit():,} characters"
        else:
            message = f"the CSV is malformed: {exc} (is the file cut short?)"
        problems.append(Problem(file, f"row {n + 1}", None, message))
    if problems:
        raise LoadError(problems)
    if _MOJIBAKE.search(" ".join(str(v) for rec in records[:200] for v in rec.model_dump().values())):
        raise LoadError([Problem(file, None, None, _misread(encoding))])
    dataset = r.Dataset.model_validate({kind.name: records})
    return Document(Source.of(path, _digest_source(path), "text/csv", path.name), dataset)


def _digest_source(path: Path) -> bytes:
    """Bytes whose hash identifies the file (its size and head and tail, so a large file is not read whole)."""
    size = path.stat().st_size
    with path.open("rb") as raw:
        head = raw.read(1 << 20)
        raw.seek(max(0, size - (1 << 20)))
        tail = raw.read()
    return f"{size}:".encode() + head + tail


def csv_columns(kind: Kind) -> list[str]:
    """The columns a file of this kind may have: the record's fields but the nested lists and spans."""
    nested = ("participants", "funding", "outputs", "spans", "span")
    return [name for name in kind.model.model_fields if name not in nested]


def _header_problems(file: str, header: list[str], kind: Kind) -> list[Problem]:
    fields = csv_columns(kind)
    problems = [Problem(file, "row 1", name, f"the required column {name} is missing")
                for name, info in kind.model.model_fields.items() if info.is_required() and name not in header]
    problems += [Problem(file, "row 1", name, f"unknown column {name} for {kind.name} (known: {', '.join(fields)})")
                 for name in header if name not in fields]
    duplicates = {h for h in header if header.count(h) > 1}
    problems += [Problem(file, "row 1", name, "the column appears twice") for name in sorted(duplicates)]
    return problems


def _row(file: str, n: int, row: dict[str, str], kind: Kind, seen: dict, records: list, row_at) -> Problem | None:
    values: dict[str, Any] = dict(row)
    for name in kind.lists:
        if name in values:
            values[name] = [item.strip() for item in values[name].split(LIST_SEPARATOR) if item.strip()]
    if "places" in values:
        values["places"] = [_place(p) for p in values["places"]]
    if "axes" in values:
        values["axes"] = [dict(zip(("code", "name"), a.split("=", 1))) for a in values["axes"]]
    for name in _AMOUNTS & values.keys():
        amount = parse_amount(row[name])
        if amount is None:
            return Problem(file, f"row {n}", name, f"{row[name]!r} is not an amount")
        if amount < 0:
            return Problem(file, f"row {n}", name, f"the amount {row[name]} is negative")
        values[name] = amount
    try:
        record = kind.model.model_validate(values)
    except ValidationError as exc:
        [first, *_] = validation_problems(file, exc)
        return Problem(file, f"row {n}", first.field or first.where, first.message)
    key = tuple(row.get(k) for k in kind.key)
    digest = hash(tuple(sorted(row.items())))
    if key in seen:
        before_row, before_digest = seen[key]
        before = row_at(before_row) if before_digest != digest else row
        changed = [k for k in sorted(set(before) | set(row)) if before.get(k) != row.get(k)]
        if changed:
            return Problem(file, f"row {n}", changed[0], f"{' / '.join(str(k) for k in key if k)} is already in row "
                           f"{before_row} with a different {changed[0]} ({before.get(changed[0])!r} there, "
                           f"{row.get(changed[0])!r} here)")
        return None  # the same row twice says nothing new
    seen[key] = (n, digest)
    records.append(record)
    return None


def _place(text: str) -> dict[str, str]:
    """ "region:Zlínský kraj" or just "Bělov" (a municipality)."""
    kind, _, name = text.partition(":")
    return {"kind": kind.strip(), "name": name.strip()} if name else {"name": text.strip()}


_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")


def parse_amount(text: str) -> Decimal | None:
    """ "1677718.10", "1 677 718,10", "1.677.718,10", "-5" (negative, for the caller to refuse)."""
    text = text.strip()
    negative = text.startswith("-")
    body = text.lstrip("-").strip()
    value: Decimal | None
    if _PLAIN_NUMBER.fullmatch(body):
        try:
            value = Decimal(body)
        except InvalidOperation:
            return None
    else:
        value = czech.parse_money(body)
        if value is None:
            return None
    return -value if negative else value

