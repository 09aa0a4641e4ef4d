"""Personal contact details in loaded text stay out of everything published — GraphQL, the dumps,
/id/ pages, SPARQL — unless KPSS_PUBLISH_CONTACTS allows them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from loaders.pipeline import load_paths
from loaders.privacy import MARKER, redact
from server.app import create_app
from tests.support import fresh_store

REG = "CZ.1.04/3.1.03/85.00123"
CONTACT = "Kontakt: Ing. Jan Novák, jan.novak@example.cz, tel. +420 777 123 456"
PAGE = f"""Plánujeme spolu – komunitní plánování na Kroměřížsku

Reg. č.: {REG}

Příjemce: Město Kroměříž, IČ 00287351

Anotace
Projekt zavádí komunitní plánování sociálních služeb na Kroměřížsku. {CONTACT}

Celkové náklady: 1 000 000 Kč
"""
PERSONAL = ("jan.novak@example.cz", "777 123 456", "Jan Novák")


@pytest.mark.parametrize(("text", "hidden", "kept"), [
    (CONTACT, PERSONAL, ("Kontakt:",)),
    ("Kontaktní osoba\nBc. Nela Marešová\nUlice Soudní 1221, Tel: 571 674 305, 602 579 815",
     ("Nela Marešová", "571 674 305", "602 579 815"), ("Ulice Soudní 1221",)),
    ("E-mail: mas-trestsko@seznam.cz  //  Telefon: 725 774 709", ("mas-trestsko@seznam.cz", "725 774 709"), ()),
    ("Kontakt: Mgr. Petra Malá, Ph.D., ředitelka", ("Petra Malá", "Ph.D."), ("ředitelka",)),
    # Organisations, offices and amounts are not personal.
    ("Kontakt: Město Kelč, Obecní úřad", (), ("Město Kelč",)),
    ("Celkové náklady 777 123 456 Kč, podpora 12 345 678,50 Kč", (), ("777 123 456 Kč", "12 345 678,50")),
])
def test_contact_details_are_recognised(text, hidden, kept):
    redacted, found = redact(text)
    assert bool(found) == bool(hidden)
    assert not [h for h in hidden if h in redacted] and all(k in redacted for k in kept), redacted
    assert (MARKER in redacted) == bool(hidden)


async def published(store) -> str:
    """Everything a client can read about the project: GraphQL, the dump, the /id/ page, SPARQL."""
    app = create_app(store=store)
    await app.state.sparql_index.current(store, 600)  # the index over every municipality: a while on a busy machine
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=60) as c:
        graphql = await c.post("/graphql", json={"query": f'{{ project(registrationNumber: "{REG}") {{ name description }} }}'})
        assert graphql.json()["data"]["project"]["description"]
        dump = await c.get("/rdf/dump.nt")
        page = await c.get("/id/project/" + REG.replace("/", "%2F"), headers={"Accept": "text/html"})
        sparql = await c.get("/sparql", params={"query": "SELECT ?d WHERE { ?p schema:description ?d }"})
        assert sparql.status_code == 200
    return "\n".join((graphql.text, dump.text, page.text, sparql.text))


@pytest.mark.parametrize("publish", [False, True])
async def test_a_pages_contact_is_not_published_unless_the_setting_allows(backend, tmp_path: Path, publish):
    path = tmp_path / "kromerizsko.txt"
    path.write_text(PAGE, encoding="utf-8")
    store = await fresh_store(backend, tmp_path / "store")
    try:
        report = await load_paths(store, [path], publish_contacts=publish)
        text = await published(store)
    finally:
        await store.close()
    assert "komunitní plánování sociálních služeb na Kroměřížsku" in text
    if publish:
        assert all(p in text for p in PERSONAL) and not any("contact" in w for w in report.warnings)
    else:
        assert not [p for p in PERSONAL if p in text] and MARKER in text
        assert any("3 personal contact detail(s)" in w and path.name in w for w in report.warnings)
