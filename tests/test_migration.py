"""A store written by an older version of the model opens under this one: the properties, label
pairs and tables the model has since gained are there (the embedded store adds its columns on open;
Neo4j is schemaless and needs nothing), and loading fills them."""

from __future__ import annotations

import pytest

from graph.store import open_store
from loaders.pipeline import BUNDLED_DIR, load_paths
from tests.support import BACKENDS, fresh_store, store_settings

PAGE = sorted((BUNDLED_DIR.parent / "seeds").glob("*.txt"))[0]
# What a store of an older model lacks: a node property, an edge property and a whole relationship type.
OLDER = {
    "embedded": ["ALTER TABLE Organisation DROP aliases", "ALTER TABLE PARTICIPATES_IN DROP sources",
                 "DROP TABLE TARGETS"],
    "neo4j": ["MATCH (o:Organisation) REMOVE o.aliases", "MATCH ()-[p:PARTICIPATES_IN]->() REMOVE p.sources",
              "MATCH ()-[t:TARGETS]->() DELETE t"],
}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_store_of_an_older_model_gets_what_the_model_added(backend, tmp_path):
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [PAGE])
        before = await store.counts()
        for statement in OLDER[backend]:
            await store._run(statement, write=True)
    finally:
        await store.close()
    store = await open_store(store_settings(backend, tmp_path).store_config())
    try:
        result = await load_paths(store, [PAGE])
        assert result.write.updated["Organisation"] and result.write.updated["PARTICIPATES_IN"], result.write
        assert await store.counts() == before
        organisations = await store.read("all.node.Organisation", after="", limit=1000)
        assert organisations and all(o["aliases"] for o in organisations)
        participations = await store.read("all.rel.PARTICIPATES_IN.Organisation.Project", skip=0, limit=10_000)
        assert participations and all(p["sources"] for p in participations)
    finally:
        await store.close()
