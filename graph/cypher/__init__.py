"""The catalogue: every Cypher statement the product runs, by name.

Each statement has a Neo4j form and, only where the embedded dialect differs, an embedded form.
Values always travel as parameters; labels, types and property names come only from the model.
Statements that the model implies (schema, bulk writes, counts) are generated in ``generated``;
the hand-written reads live beside it, one module per concern (``reads``, ``api``, ``rdf``…),
each registering its statements here when imported.

Callers outside ``graph/`` never spell a statement's name: they use the constants the reads modules
export and ``generated.Node`` / ``generated.Edge``, which refuse a name the catalogue lacks when
they are made — at import, for the module-level ones — so a misspelling cannot wait for a request.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    name: str
    neo4j: str | None  # None: not run on Neo4j (e.g. COPY)
    embedded: str | None = None  # None: same text as neo4j; NOT_EMBEDDED: not run there
    # The embedded form for a list $ids of one id, given as $id: the engine looks a key up by
    # equality, but scans the table for a list predicate (0.1 against 1.5–2 ms at 12,000 projects).
    embedded_one: str | None = None

    def form(self, backend: str) -> str | None:
        """The text to run on ``backend``, or None where the statement does not apply."""
        if backend == "embedded" and self.embedded is not None:
            return self.embedded or None
        return self.neo4j

    def text(self, backend: str) -> str:
        text = self.form(backend)
        if text is None:
            raise KeyError(f"statement {self.name!r} has no {backend} form")
        return text


NOT_EMBEDDED = ""


def key_in_ids(var: str) -> str:
    """The embedded form of ``var.id IN $ids``: the engine tests every row of the table against the
    whole list (1,000 ids against 40,000 organisations: 150 ms), unless the list's bounds come first,
    which make it a range scan (6 ms). The embedded store passes the bounds (IDS_BOUNDS)."""
    return f"{var}.id >= $ids_min AND {var}.id <= $ids_max AND {var}.id IN $ids"


IDS_BOUNDS = "$ids_min"


CATALOGUE: dict[str, Statement] = {}


class UnknownStatement(KeyError):
    """A name the catalogue does not hold: a programming error, found when the caller is imported."""


def register(*statements: Statement) -> tuple[str, ...]:
    """Adds the statements; returns their names, for the module to export as constants."""
    for st in statements:
        if st.name in CATALOGUE:
            raise ValueError(f"duplicate statement name {st.name!r}")
        CATALOGUE[st.name] = st
    return tuple(st.name for st in statements)


def known(name: str) -> str:
    """``name`` if the catalogue holds it."""
    if name not in CATALOGUE:
        raise UnknownStatement(f"no statement {name!r} in the catalogue")
    return name


def get(name: str) -> Statement:
    return CATALOGUE[name]


def _load() -> None:
    # Every module of this package registers its statements when imported; the order does not matter.
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load()
