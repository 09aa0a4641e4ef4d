"""Fixtures: real stores on every backend.

Every test parametrised by ``backend`` runs on the embedded store and on Neo4j. ``make test`` and
CI start an in-process Neo4j (tools/neo4j) and set KPSS_NEO4J_URI; the tests then own and wipe that
database (see tests/support.py), so under pytest-xdist they all run in one worker, in turn.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph.store import GraphStore
from loaders.pipeline import bundled_paths, load_paths
from tests.support import BACKENDS, SHARED_ENV, Neo4jContents, bundled_copy, empty_neo4j, fresh_store


def pytest_configure(config: pytest.Config) -> None:
    """The folder the run's processes share (tests/support.py ``_template``): made by the process that
    starts the run, before pytest-xdist starts its workers, which inherit its name."""
    if SHARED_ENV not in os.environ:
        folder = tempfile.mkdtemp(prefix="kpss-tests-")
        os.environ[SHARED_ENV] = folder

        def remove() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            del os.environ[SHARED_ENV]

        config.add_cleanup(remove)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (with --dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist: the tests sharing a module's fixture (a live server, a browser) in one
    worker, which sets it up once. A test on Neo4j is in ``neo4j`` already, by its parameter
    (tests/support.py BACKENDS): a marker added here can come after xdist has read the groups."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "neo4j" in callspec.params.values():
            continue
        if isinstance(item, pytest.Function) and any(
                defs[-1].scope == "module" for defs in item._fixtureinfo.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def empty_store(backend: str, tmp_path: Path) -> AsyncIterator[GraphStore]:
    store = await fresh_store(backend, tmp_path)
    yield store
    await store.close()


@pytest.fixture(scope="session")
async def _bundled_stores(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, GraphStore]]:
    """One store per backend, opened once; ``bundled_store`` fills them."""
    stores: dict[str, GraphStore] = {}
    yield stores
    for store in stores.values():
        await store.close()


@pytest.fixture(params=BACKENDS)
async def bundled_store(request: pytest.FixtureRequest, _bundled_stores: dict[str, GraphStore],
                        tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """A store holding the bundled dataset; tests must only read it. The embedded one is opened
    once; Neo4j is loaded again whenever another test has emptied it since."""
    backend = request.param
    if backend not in _bundled_stores:
        _bundled_stores[backend] = await bundled_copy(backend, tmp_path_factory.mktemp(f"bundled-{backend}"))
    elif backend == "neo4j" and Neo4jContents.holds != "bundled":
        empty_neo4j()
        await load_paths(_bundled_stores[backend], bundled_paths())
    if backend == "neo4j":
        Neo4jContents.holds = "bundled"
    return _bundled_stores[backend]
