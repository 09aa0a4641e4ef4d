"""The HTML view of an entity reads like a page about it, in Czech: checked against what /graphql
says of the same project, on each backend."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import httpx

from graph.model import Role
from server.app import create_app
from server.page import czk

REG = "CZ.1.04/5.1.01/12.00075"
PATH = "/id/project/" + REG.replace("/", "%2F")
QUERY = """query($reg: String!) { project(registrationNumber: $reg) { name totalCost { amount }
  programme { name } participations { role organisation { id name } } } }"""
def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def links(html: str) -> dict[str, str]:
    """Link text -> href."""
    return {unescape(label): unescape(href) for href, label in re.findall(r'<a href="([^"]+)">([^<]*)</a>', html)}


async def test_a_project_page_reads_in_czech_with_names_roles_and_amounts(bundled_store):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=bundled_store)),
                                 base_url="http://test") as c:
        want = (await c.post("/graphql", json={"query": QUERY, "variables": {"reg": REG}})).json()["data"]["project"]
        page = (await c.get(PATH, params={"format": "html"})).text
    shown, linked = text(page), links(page)
    assert f"<h1>{want['name']}</h1>" in unescape(page) and "Projekt" in shown
    for label in ("Identifikátor", "Celkové náklady", "Operační program", "Účastníci", "Role podle zdroje"):
        assert label in shown, label
    # Amounts the Czech way: 1 723 038,00 Kč.
    assert czk(Decimal("1723038")) == "1\u00a0723\u00a0038,00\u00a0Kč"
    assert czk(Decimal(want["totalCost"]["amount"])).replace("\u00a0", " ") in shown
    # Links labelled by name: the programme, every participant with its role in Czech.
    assert linked[want["programme"]["name"]].startswith("/id/programme/")
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r'<tr id="participation/[^"]*">(.*?)</tr>', page)]
    assert sorted((text(cells[0]).strip(), text(cells[1]).strip()) for cells in rows) == sorted(
        (p["organisation"]["name"], Role[p["role"]].cs) for p in want["participations"])
    # No raw IRI as the text of a link to an entity that has a name; machine formats beside it.
    assert not [label for label in linked if label.startswith("https://kpss.example.org/id/organisation")]
    for fmt in ("ttl", "jsonld", "nt", "rdf"):
        assert f'href="?format={fmt}"' in page
    assert "Also as" not in page
