"""HTML project pages laid out as the plain text the page extractor reads.

The page is parsed once (BeautifulSoup) and its tree walked once, without recursion and without
changing it, so that the time grows with the page's length however deeply its elements nest."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, PageElement, Tag

# Blocks that stand apart as paragraphs, and those that are lines within one.
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "section", "article",
               "header", "footer", "main", "aside", "blockquote", "pre", "address", "form", "figure"}
_LINES = {"div", "li", "tr", "caption"}
_HIDDEN = {"script", "style", "nav", "head", "noscript", "template"}
_LINE, _PARAGRAPH = "\x01", "\x02"
_SPACE = re.compile(r"\s+")


def _before(tag: Tag) -> str:
    mark = _PARAGRAPH if tag.name in _PARAGRAPHS else _LINE if tag.name in _LINES | {"br", "dt"} else ""
    return mark + ("• " if tag.name == "li" else "")


def _after(tag: Tag, separators: dict[int, str]) -> str:
    text = separators.get(id(tag), "") + (": " if tag.name == "dt" else "")
    return text + (_PARAGRAPH if tag.name in _PARAGRAPHS else _LINE if tag.name in _LINES | {"dd"} else "")


def html_text(markup: str) -> str:
    """The visible text of an HTML page laid out as a plain page: one line per line-level block,
    a blank line around paragraphs, inline elements kept in their line, and a two-cell table row
    or a term and its definition written "label: value"."""
    soup = BeautifulSoup(markup, "html.parser")
    pieces: list[str] = []
    separators: dict[int, str] = {}  # a table cell but a row's last -> what follows its text
    stack: list[tuple[PageElement, bool]] = [(soup, False)]  # (element, whether its children are done)
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, (Comment, Doctype)):
                pieces.append(_SPACE.sub(" ", node))
        elif not isinstance(node, Tag):  # text and tags are all a page holds
            continue
        elif leaving:
            pieces.append(_after(node, separators))
        elif node.name not in _HIDDEN:
            if node.name == "tr":
                cells = node.find_all(["td", "th"], recursive=False)
                separators |= {id(cell): ": " if len(cells) == 2 else "\t" for cell in cells[:-1]}
            pieces.append(_before(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    # Breaks are marked first and laid out at the end, so that nested blocks give one break.
    text = re.sub(rf"[ \t]*[{_LINE}{_PARAGRAPH}][{_LINE}{_PARAGRAPH} \t]*",
                  lambda m: "\n\n" if _PARAGRAPH in m[0] else "\n", "".join(pieces))
    return "\n".join(line.strip() for line in text.split("\n")).strip() + "\n"
