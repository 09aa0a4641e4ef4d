"""Entity resolution: one node per organisation, places apart from bodies, homonyms by context."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.model import OrganisationKind as Kind
from graph.model import Role
from loaders import records as r
from loaders.files import Document, Source
from loaders.normalise import infer_kind, is_valid_ico, name_key
from loaders.pipeline import bundled_paths, read_all
from loaders.reference import aliases, reference_documents
from graph.values import period_bounds
from graph import keys
from loaders.resolve import resolve


def _doc(*projects: r.Project, organisations=()) -> Document:
    return Document(Source.of(Path("test.yaml"), b"test", "application/yaml"),
                    r.Dataset(projects=list(projects), organisations=list(organisations)))


def _project(*partners: str, places=(), reg="CZ.1.04/3.1.00/05.99999") -> r.Project:
    return r.Project(
        registration_number=reg, name="Test",
        participants=[r.Participant(name=p, role=Role.PARTNER) for p in partners],
        places=[r.Place(name=n, kind=k) for n, k in places],
    )


def _resolve(*docs: Document):
    return resolve([*reference_documents(), *docs], aliases())


def _partner_ids(resolution) -> list[str]:
    return [rel.from_id for rel in resolution.batch.rels if rel.type == "PARTICIPATES_IN"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Naděje o.s.", "Naděje, z.s."),
        ("Obec Bělov", "obec  BĚLOV"),
        ("SENIOR Otrokovice, příspěvková organizace", "SENIOR Otrokovice, p.o."),
        ("Občanské sdružení ONYX", "ONYX o.s."),
        ("„Charita“ Sv. Anežky Otrokovice", "Charita Sv. Anezky Otrokovice"),
    ],
)
def test_name_keys_ignore_case_diacritics_quotes_and_legal_forms(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Obec Bělov", Kind.MUNICIPALITY),
        ("Statutární město Zlín", Kind.MUNICIPALITY),
        ("Zlínský kraj", Kind.REGION),
        ("Kraj Vysočina", Kind.REGION),
        ("Svazek obcí Mikroregionu VM+K", Kind.UNION_OF_MUNICIPALITIES),
        ("Domov pro seniory Napajedla, příspěvková organizace", Kind.CONTRIBUTORY_ORGANISATION),
        ("Naděje o.s.", Kind.ASSOCIATION),
        ("Oblastní spolek Českého červeného kříže Zlín", Kind.ASSOCIATION),
        ("Centrum Kašpar, o.p.s.", Kind.PUBLIC_BENEFIT_COMPANY),
        ("Hospic Citadela, z.ú.", Kind.INSTITUTE),
        ("Charita Sv. Anežky Otrokovice", Kind.CHURCH_CHARITY),
        ("Úřad práce ve Zlíně", Kind.STATE_BODY),
        ("Newcastle City Council", Kind.FOREIGN_PUBLIC_BODY),
    ],
)
def test_kind_from_legal_form_and_words(name, kind):
    assert infer_kind(name) == kind


def _check_digit(first7: str) -> int:
    return (11 - sum(int(d) * w for d, w in zip(first7, range(8, 1, -1))) % 11) % 10


@given(st.text("0123456789", min_size=7, max_size=7))
def test_ico_check_digit(first7):
    good = first7 + str(_check_digit(first7))
    bad = first7 + str((_check_digit(first7) + 1) % 10)
    assert is_valid_ico(good) and not is_valid_ico(bad)


def test_ico_examples():
    assert is_valid_ico("70891320")  # Zlínský kraj
    assert not is_valid_ico("70891321") and not is_valid_ico("7089132") and not is_valid_ico("7089132a")


def test_municipality_body_and_bare_name_are_one_body_governing_the_place():
    res = _resolve(_doc(_project("Obec Bělov"), _project("Bělov", reg="CZ.1.04/3.1.00/05.99998")))
    assert set(_partner_ids(res)) == {"gov:588318"}
    governs = [(rel.from_id, rel.to_id) for rel in res.batch.rels if rel.type == "GOVERNS"]
    assert ("gov:588318", "588318") in governs
    names = {n.props.get("name") for n in res.batch.nodes if n.id == "gov:588318" and n.props}
    assert names == {"Obec Bělov"}


def test_the_same_charity_in_two_seeds_is_one_node():
    res = _resolve(*read_all(bundled_paths()))
    charity = [rel for rel in res.batch.rels if rel.type == "PARTICIPATES_IN" and "anezky" in rel.from_id]
    assert {rel.from_id for rel in charity} == {"org:CZ:charita-sv-anezky-otrokovice"}
    assert {rel.to_id for rel in charity} == {"CZ.04.1.05/3.2.55.1/1823", "CZ.1.04/5.1.01/12.00075"}


def test_homonymous_municipality_is_told_apart_by_co_partners():
    res = _resolve(_doc(_project("Obec Pohořelice", "Obec Žlutava")))
    assert "gov:549461" in _partner_ids(res)


def test_homonymous_municipality_is_told_apart_by_the_places_covered():
    res = _resolve(_doc(_project("Obec Pohořelice", places=[("Jihomoravský kraj", "region")])))
    assert "gov:584801" in _partner_ids(res)


def test_ambiguous_municipality_is_reported_not_guessed():
    res = _resolve(_doc(_project("Obec Pohořelice")))
    assert not _partner_ids(res)  # neither town guessed, and no stray organisation left behind
    assert not any(n.label == "Organisation" and "pohorelice" in n.id for n in res.batch.nodes)
    assert any("Pohořelice" in w and "584801" in w and "549461" in w for w in res.warnings)


def test_alias_dictionary_settles_a_name():
    res = _resolve(_doc(_project("MPSV")))
    assert _partner_ids(res) == ["ico:00551023"]


def test_ico_decides_over_names():
    org = r.Organisation(name="Krajský úřad ZK", ico="70891320", kind=Kind.REGION)
    res = _resolve(_doc(_project("Krajský úřad ZK"), organisations=[org]))
    assert _partner_ids(res) == ["ico:70891320"]


def test_periods_keep_precision_and_bound_days():
    assert period_bounds("2009-06", "2011-07") == ("2009-06-01", "2011-07-31")
    assert period_bounds("2012", "2012-02") == ("2012-01-01", "2012-02-29")
    assert period_bounds("2010-07-01", "2012") == ("2010-07-01", "2012-12-31")


@pytest.mark.parametrize(
    ("number", "call"),
    [
        ("CZ.1.04/3.1.03/65.00042", "CZ.1.04/3.1.03/65"),
        ("CZ.04.1.05/3.2.55.1/1823", "CZ.04.1.05/3.2.55.1"),
        ("CZ.03.2.63/0.0/0.0/15_007/0000123", "CZ.03.2.63/0.0/0.0/15_007"),
    ],
)
def test_call_ids(number, call):
    assert keys.call(number) == call


def test_a_seat_new_to_the_graph_is_placed_by_its_region_or_reported():
    placed = r.Organisation(name="Spolek Chrudoš Přerov", kind=Kind.ASSOCIATION, seat="Přerov", seat_region="CZ071")
    unplaced = r.Organisation(name="Spolek Bez Kraje", kind=Kind.ASSOCIATION, seat="Horní Dolní")
    resolution = _resolve(_doc(organisations=[placed, unplaced]))
    seats = {(rel.from_id, rel.to_id) for rel in resolution.batch.rels if rel.type == "SEATED_IN"}
    assert ("org:CZ:spolek-chrudos-prerov", "511382") in seats
    assert ("Municipality", "511382") in {(n.label, n.id) for n in resolution.batch.nodes}
    assert ("511382", "CZ071") in {(rel.from_id, rel.to_id) for rel in resolution.batch.rels if rel.type == "IN_REGION"}
    assert not any(from_id == "org:CZ:spolek-bez-kraje" for from_id, _ in seats)
    assert any("Horní Dolní is not in the reference data" in w for w in resolution.warnings)


# --- projects without a registration number -----------------------------------------------------


def _stated(name: str, beneficiary: str | None = None, reg: str | None = None, places=()) -> r.Project:
    parts = [r.Participant(name=beneficiary, role=Role.BENEFICIARY)] if beneficiary else []
    return r.Project(registration_number=reg, name=name, participants=parts,
                     places=[r.Place(name=n, kind="municipality") for n in places])


def _project_nodes(resolution) -> set[str]:
    return {n.id for n in resolution.batch.nodes if n.label == "Project"}


def test_a_project_without_a_number_is_keyed_by_its_name_and_beneficiary():
    res = _resolve(_doc(_stated("Plán služeb na Kelečsku", "Město Kelč")))
    assert _project_nodes(res) == {"name:plan-sluzeb-na-kelecsku@kelc"} and not res.merges


def test_a_project_without_a_number_and_the_same_with_one_are_one_node_and_the_merge_reported():
    res = _resolve(_doc(_stated("Plán sluţeb na Kelečsku", "Město Kelč")),  # a transcript's slip in the name
                   _doc(_stated("Plán služeb na Kelečsku", "Město Kelč", reg="CZ.1.04/3.1.03/65.00042")))
    assert _project_nodes(res) == {"CZ.1.04/3.1.03/65.00042"}
    assert len(res.merges) == 1 and "CZ.1.04/3.1.03/65.00042" in res.merges[0]


def test_the_same_name_with_another_beneficiary_is_another_project():
    res = _resolve(_doc(_stated("Plán služeb", "Město Kelč")),
                   _doc(_stated("Plán služeb", "Město Zlín", reg="CZ.1.04/3.1.03/65.00042")))
    assert _project_nodes(res) == {"CZ.1.04/3.1.03/65.00042", "name:plan-sluzeb@kelc"}
    assert not res.merges


def test_two_projects_without_numbers_stating_the_same_name_and_place_are_one():
    res = _resolve(_doc(_stated("Plán služeb", places=["Kelč"])), _doc(_stated("PLÁN SLUŽEB", places=["Kelč"])))
    assert _project_nodes(res) == {"name:plan-sluzeb@kelc"}
