"""HTML project pages laid out as the plain text the page extractor reads."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

# Blocks that stand apart as paragraphs, and those that are lines within one.
_PARAGRAPHS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "section", "article",
               "header", "footer", "main", "aside", "blockquote", "pre", "address", "form", "figure"]
_LINES = ["div", "li", "tr", "caption"]
_LINE, _PARAGRAPH = "\x01", "\x02"


def html_text(markup: str) -> str:
    """The visible text of an HTML page laid out as a plain page: one line per line-level block,
    a blank line around paragraphs, inline elements kept in their line, and a two-cell table row
    or a term and its definition written "label: value"."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "nav", "head", "noscript", "template"]):
        tag.decompose()
    for text in soup.find_all(string=True):
        if isinstance(text, (Comment, Doctype)):
            text.extract()
        else:
            text.replace_with(NavigableString(re.sub(r"\s+", " ", str(text))))
    for row in soup.find_all("tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        for cell in cells[:-1]:
            cell.append(": " if len(cells) == 2 else "\t")
    for item in soup.find_all("li"):
        item.insert(0, "• ")
    for term in soup.find_all("dt"):
        term.append(": ")  # the definition follows on the same line: dt is not a line break
    # Breaks are marked first and laid out at the end, so that nested blocks give one break.
    for br in soup.find_all("br"):
        br.replace_with(_LINE)
    for tag in soup.find_all(_PARAGRAPHS + _LINES):
        mark = _PARAGRAPH if tag.name in _PARAGRAPHS else _LINE
        tag.insert_before(mark)
        tag.insert_after(mark)
    for term in soup.find_all("dt"):  # "term: definition" on one line
        term.insert_before(_LINE)
    for definition in soup.find_all("dd"):
        definition.insert_after(_LINE)
    text = re.sub(rf"[ \t]*[{_LINE}{_PARAGRAPH}][{_LINE}{_PARAGRAPH} \t]*",
                  lambda m: "\n\n" if _PARAGRAPH in m[0] else "\n", soup.get_text())
    return "\n".join(line.strip() for line in text.split("\n")).strip() + "\n"
