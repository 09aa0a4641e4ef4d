"""The page extractor is linear in its input: a 1 MB page (a long partner list, many lines) is
read whole, every partner found, and four times the text costs about four times the time."""

from __future__ import annotations

import time

import pytest

from graph.model import Role
from loaders.page import extract

HEAD = ("Název projektu: Komunitní plánování sociálních služeb na Kelečsku\n"
        "Registrační číslo: CZ.1.04/3.1.03/65.00042\nPříjemce: Město Kelč\n\n")


def _page(size: int, form: str) -> str:
    """A page of about ``size`` characters whose partners are stated ``form``-wise, one a line."""
    line = {"list": "• Spolek pro pomoc v obci č. {i}, z.s.\n",
            "labels": "Partner: Spolek pro pomoc v obci č. {i}, z.s.\n\n",
            "headings": "Partneři\n\nSpolek pro pomoc v obci č. {i}, z.s.\n\n"}[form]
    lines = [HEAD + ("Partneři projektu:\n" if form == "list" else "")]
    length = len(lines[0])
    while length < size:
        lines.append(line.format(i=len(lines)))
        length += len(lines[-1])
    return "".join(lines)


def _seconds(text: str) -> float:
    # This thread's CPU time: other processes on a busy machine do not count in it.
    start = time.thread_time()
    found = extract(text, "big.txt")
    seconds = time.thread_time() - start
    partners = [p for p in found.project.participants if p.role == Role.PARTNER]
    assert len(partners) == text.count("Spolek pro pomoc")
    return seconds


@pytest.mark.parametrize("form", ["list", "labels", "headings"])
def test_a_megabyte_page_is_read_whole_in_time_linear_in_its_size(form: str):
    extract(HEAD, "warm.txt")  # the reference data, loaded once
    small, large = _seconds(_page(250_000, form)), _seconds(_page(1_000_000, form))
    # Linear: four times the text, about four times the time (quadratic would be sixteen).
    assert large < 9 * small, (form, small, large)
    assert large < 120, (form, large)  # seconds, not minutes
