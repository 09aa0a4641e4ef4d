"""Czech project pages (plain text or HTML) -> canonical records, every fact with its span.

Rules and dictionaries only. ``vocabulary`` holds the words pages use (labels, headings, legal
forms, the words of money); ``structure`` cuts a page into lines, labelled fields, headings with
their blocks, list items and sentences; ``rules`` read the facts, one module per kind (title,
period, programme, parties, money, places, links), each naming the page forms it reads; ``extract``
puts them together. The Czech formats are parsed by ``loaders.czech``; names of programmes, regions,
microregions and known organisations come from the reference data. Nothing is guessed from outside
the text. Every page form has a golden pair in ``tests/pages/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders import records as r
from loaders.errors import LoadError, Problem
from loaders.files import Document, Source
from loaders.html import html_text
from loaders.page.extract import Extraction, extract, extraction_json

__all__ = ["MAX_PAGE_BYTES", "Extraction", "decode", "extract", "extraction_json", "page_text", "read_page"]

MAX_PAGE_BYTES = 5 * 1024 * 1024


def decode(path: Path, data: bytes) -> str:
    """Text of a page: UTF-8, else Windows-1250, which Czech sites still serve."""
    if b"\x00" in data[:8192]:
        raise LoadError([Problem(str(path), None, None, "a binary file, not a text or HTML page")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise LoadError([Problem(str(path), f"byte {exc.start}", None,
                                     "neither UTF-8 nor Windows-1250 text")]) from exc


def read_page(path: Path) -> Document:
    """A Czech project page (.txt, .html) as a document of one project."""
    size = path.stat().st_size
    if size == 0:
        raise LoadError([Problem(str(path), None, None, "the file is empty")])
    if size > MAX_PAGE_BYTES:
        raise LoadError([Problem(str(path), None, None, f"{size:,} bytes is too large for a project page "
                                 f"(at most {MAX_PAGE_BYTES:,}); structured data belongs in CSV")])
    data = path.read_bytes()
    text, media_type = page_text(path, data)
    extraction = extract(text, str(path))
    if extraction.problems:
        raise LoadError(extraction.problems)
    project = extraction.project
    dataset = r.Dataset(title=project and project.name, projects=[project] if project else [],
                        organisations=extraction.organisations)
    address = _SOURCE_LINE.match(text)
    return Document(Source.of(path, data, media_type, dataset.title, address and address[1]), dataset,
                    tuple(extraction.warnings), text)


# A saved page may open with the address it was read from: "SOURCE: https://…".
_SOURCE_LINE = re.compile(r"\s*SOURCE:\s*(\S+)")


def page_text(path: Path, data: bytes) -> tuple[str, str]:
    text = decode(path, data)
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", text, re.I):
        return html_text(text), "text/html"
    return text, "text/plain"


# --- the extractor -----------------------------------------------------------------------------
