"""The bundled dataset through the GraphStore, on every backend."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from graph import cypher
from graph.cypher.generated import Edge, Node
from graph.model import FundingSource, GraphBatch, ModelError, minor_to_money
from graph.store import QueryTimeout, StoreError, open_store
from loaders.pipeline import bundled_paths, load_paths
from tests.bundled import bundled_projects
from kpss.settings import DATA_DIR
from tests.support import BACKENDS, store_settings

INTERNATIONAL = "CZ.1.04/5.1.01/12.00075"


async def _organisations(store, ids):
    rows = await store.read("fetch.node.Organisation", ids=ids)
    return {row["id"]: row for row in rows}


async def test_international_project_partners_programme_and_money(bundled_store):
    parts = await bundled_store.read(Edge("PARTICIPATES_IN", "Organisation", "Project").fetch_to, ids=[INTERNATIONAL])
    partners = [p["from_id"] for p in parts if p["role"] == "partner"]
    assert len(partners) == len(set(partners)) == 19
    orgs = await _organisations(bundled_store, partners)
    by_country = {}
    for org in orgs.values():
        by_country.setdefault(org["country_code"], []).append(org["name"])
    assert len(by_country["CZ"]) == 17
    assert by_country["GB"] == ["Newcastle City Council"]
    assert by_country["SK"] == ["Dubnica nad Váhom"]

    [unit] = await bundled_store.read("read.funded_under_by_project", ids=[INTERNATIONAL])
    assert unit["programme_id"] == "CZ.1.04"
    assert unit["axis_id"] == "CZ.1.04/5"
    [axis] = await bundled_store.read("fetch.node.PriorityAxis", ids=[unit["axis_id"]])
    assert axis["code"] == "5"

    [project] = await bundled_store.read("fetch.node.Project", ids=[INTERNATIONAL])
    assert minor_to_money(project["total_cost_minor"]) == Decimal("5617650.00")
    funding = {
        f["source"]: minor_to_money(f["amount_minor"])
        for f in await bundled_store.read("read.funding_by_project", ids=[INTERNATIONAL])
    }
    # The page's shares add up to 60 CZK less than its total: the graph keeps what the source says.
    assert funding == {"esf": Decimal("5336767.50"), "state_budget": Decimal("280822.50")}


async def test_foreign_partners_are_in_their_countries(bundled_store):
    rows = await bundled_store.read("all.rel.IN_COUNTRY.Organisation.Country", skip=0, limit=1000)
    country = {r["from_id"]: r["to_id"] for r in rows}
    assert country["org:GB:newcastle-city-council"] == "GB"
    assert country["gov:SK022:dubnica-nad-vahom"] == "SK"


async def test_loading_again_changes_nothing(empty_store):
    first = await load_paths(empty_store, bundled_paths())
    counts = await empty_store.counts()
    second = await load_paths(empty_store, bundled_paths())
    assert first.write.changed
    assert not second.write.changed and not second.write.updated
    assert await empty_store.counts() == counts
    assert counts["Project"] == len(bundled_projects())


async def test_a_snapshot_sees_one_graph_while_a_load_waits(empty_store):
    """A dump's reads (many statements) see the graph before a load or after it: the load waits for
    the snapshot to end, and a snapshot taken after it sees all of it."""
    await load_paths(empty_store, [DATA_DIR / "bundled" / "zlinsky-kraj-planovani.yaml"])
    before = (await empty_store.counts())["Project"]
    async with empty_store.snapshot() as graph:
        first = await graph.read("all.node.Project", after="", limit=1000)
        load = asyncio.create_task(load_paths(empty_store, bundled_paths()))
        # The load plans meanwhile (plain reads), then waits to write; the snapshot still sees the old graph.
        await asyncio.sleep(2)
        assert not load.done(), "a load landed while a snapshot was held"
        assert await graph.read("all.node.Project", after="", limit=1000) == first
        assert len(first) == before
    report = await load
    assert report.write.created["Project"] == len(bundled_projects()) - before
    async with empty_store.snapshot() as graph:
        assert len(await graph.read("all.node.Project", after="", limit=1000)) == len(bundled_projects())


async def test_dry_run_writes_nothing(empty_store):
    report = await load_paths(empty_store, bundled_paths(), dry_run=True)
    assert report.write.created["Project"] == len(bundled_projects())
    assert (await empty_store.counts())["Project"] == 0


async def test_update_is_reported_and_applied(empty_store):
    batch = GraphBatch()
    batch.node("Project", "CZ.X/1", registration_number="CZ.X/1", name="Původní")
    assert (await empty_store.write(batch)).created["Project"] == 1
    batch.nodes[0].props["name"] = "Nový název"
    report = await empty_store.write(batch)
    assert report.updated["Project"] == 1
    [row] = await empty_store.read("fetch.node.Project", ids=["CZ.X/1"])
    assert row["name"] == "Nový název" and row["name_search"] == "novy nazev"


@pytest.mark.parametrize("bulk", [False, True], ids=["statements", "copy"])
async def test_a_write_failing_part_way_leaves_the_store_unchanged(empty_store, bulk):
    if not bulk:
        await load_paths(empty_store, bundled_paths())  # tables that hold rows take statements
    before = await empty_store.counts()
    batch = GraphBatch()
    for i in range(3000 if bulk else 1):
        batch.node("Project", f"CZ.NEW/{i}", registration_number=f"CZ.NEW/{i}", name="Nový")
        batch.node("FundingShare", f"CZ.NEW/{i}#esf", source="esf", amount_minor=100)
    plan = await empty_store.plan(batch)
    # Past the model's checks (as a corrupt plan would be), the last row of the last table holds a
    # value no backend stores as a property (a map), so the write fails at its very end.
    plan.create_nodes["FundingShare"][-1]["amount_minor"] = {"amount": "lots"}
    with pytest.raises(StoreError, match="rolled back"):
        await empty_store._apply(plan)
    assert await empty_store.counts() == before


async def test_a_bulk_write_keeps_text_that_needs_quoting_far_into_a_table(empty_store):
    """On the embedded store this many new rows go in by COPY from a CSV file; the cells that need
    quotes come after thousands of rows that do not (a generated load once failed there)."""
    tricky = ['Sdružení „Naděje“, z. s.', 'Spolek "Domov"', "dva\nřádky", "zpětné lomítko \\", '{"spans": "1-5"}']
    batch = GraphBatch()
    names = {f"CZ.NEW/{i}": f"Projekt {i}" for i in range(3000)}
    names.update({f"CZ.NEW/x{i}": name for i, name in enumerate(tricky)})
    for pid, name in names.items():
        batch.node("Project", pid, registration_number=pid, name=name)
    await empty_store.write(batch)
    rows = await empty_store.read("fetch.node.Project", ids=list(names))
    assert {row["id"]: row["name"] for row in rows} == names


async def test_edges_read_by_a_batch_of_ids_are_those_of_every_id_however_it_is_spelt(empty_store):
    """A batch read finds each id's edges both ways, with ids that sort anywhere in Unicode: the
    embedded store bounds the list by its least and greatest id (graph.cypher.key_in_ids), which
    holds only if the engine orders strings as Python does."""
    names = ["Obec Zlín", "obec zlín", "Žďár nad Sázavou", "ÖBB", "Ústí", "Ąžuolas", "中文", "😀 spolek",
             "A", "z", "\u00a0mezera", "ǅ", "~", "ico:00012345"]
    # Not a municipality: Neo4j's tests keep the territory between them (tests/support.py).
    batch = GraphBatch()
    batch.node("Project", "CZ.NEW/1", registration_number="CZ.NEW/1", name="Plán")
    for name in names:
        batch.node("Organisation", f"name:{name}", name=name, country_code="CZ")
        batch.rel("PARTICIPATES_IN", ("Organisation", f"name:{name}"), ("Project", "CZ.NEW/1"), role="partner")
    await empty_store.write(batch)
    ids, edge = [f"name:{name}" for name in names], Edge("PARTICIPATES_IN", "Organisation", "Project")
    for chosen in (ids, ids[::3], ids[1::4], [ids[5], ids[7]]):
        rows = await empty_store.read(edge.fetch, ids=chosen)
        assert sorted(row["from_id"] for row in rows) == sorted(chosen)
    rows = await empty_store.read(edge.fetch_to, ids=["CZ.NEW/1", "CZ.NEW/0"])
    assert sorted(row["from_id"] for row in rows) == sorted(ids)
    assert await empty_store.read(edge.fetch, ids=[]) == []


@pytest.mark.parametrize(("props", "error"), [
    ({"amount_minor": "lots"}, "FundingShare.amount_minor must be INT64, not 'lots'"),
    ({"amount_minor": True}, "FundingShare.amount_minor must be INT64, not True"),  # a bool is an int in Python
    ({"currency": 203}, "FundingShare.currency must be STRING, not 203"),
    ({"budget": 1}, r"FundingShare has no properties \['budget'\]"),
])
async def test_values_of_the_wrong_type_are_refused_before_writing(empty_store, props, error):
    batch = GraphBatch()
    batch.node("FundingShare", "CZ.NEW/0#esf", source="esf", **props)
    with pytest.raises(ModelError, match=error):
        await empty_store.write(batch)
    assert (await empty_store.counts())["FundingShare"] == 0


async def test_a_code_lists_value_is_a_string(empty_store):
    """A code list's member (a StrEnum) is written as its text."""
    batch = GraphBatch()
    batch.node("FundingShare", "CZ.NEW/0#esf", source=FundingSource("esf"), amount_minor=100)
    await empty_store.write(batch)
    [row] = await empty_store.read(Node("FundingShare").fetch, ids=["CZ.NEW/0#esf"])
    assert (row["source"], type(row["source"]), row["amount_minor"]) == ("esf", str, 100)


async def test_edges_to_nodes_that_exist_nowhere_are_refused(empty_store):
    batch = GraphBatch()
    batch.node("Project", "CZ.NEW/1", registration_number="CZ.NEW/1", name="Nový")
    batch.rel("FOLLOWS", ("Project", "CZ.NEW/1"), ("Project", "CZ.MISSING/9"))
    with pytest.raises(StoreError, match="Project CZ.MISSING/9"):
        await empty_store.write(batch)
    assert (await empty_store.counts())["Project"] == 0


async def test_a_read_of_one_id_answers_as_the_read_of_a_list(bundled_store):
    """The embedded store reads one id by its own form (``Statement.embedded_one``): the same rows,
    in the same order, as the list form gives (a list with an id that exists nowhere)."""
    one_forms = [name for name, st in cypher.CATALOGUE.items() if st.embedded_one]
    assert len(one_forms) > 20
    for name in one_forms:
        # the edges this statement walks: by their source, or by their target (fetch.rel_to)
        table = name.split(".", 2)[2] if name.startswith("fetch.") else "HAS_FUNDING.Project.FundingShare"
        end = "to_id" if name.startswith("fetch.rel_to.") else "from_id"
        ids = sorted({row[end] for row in await bundled_store.read(f"all.rel.{table}", skip=0, limit=200)})[:8]
        for node_id in [*ids, "no-such-id"]:
            assert await bundled_store.read(name, ids=[node_id]) == await bundled_store.read(
                name, ids=[node_id, "no-such-id:2"]), (name, node_id)


async def test_health(bundled_store):
    health = await bundled_store.health()
    assert health.ok and health.backend in ("embedded", "neo4j")


@pytest.mark.parametrize("backend", BACKENDS[1:])  # the embedded store's limit is the request's (schema/context.py)
async def test_neo4j_stops_a_read_at_the_time_limit(backend, tmp_path):
    store = await open_store(store_settings(backend, tmp_path).model_copy(update={"query_timeout_s": 0.5}).store_config())
    try:
        # Minutes of work for the server, unless it stops the statement at the limit it was sent.
        with pytest.raises(QueryTimeout, match="time limit"):
            await store._run("UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*) AS n")
        assert (await store.health()).ok  # the connection is still usable
    finally:
        await store.close()
