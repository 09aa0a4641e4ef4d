"""The catalogue: every Cypher statement the product runs, by name.

Each statement has a Neo4j form and, only where the embedded dialect differs, an embedded form.
Values always travel as parameters; labels, types and property names come only from the model.
Statements that the model implies (schema, bulk writes, counts) are generated in ``generated``;
the hand-written reads live beside it, one module per concern (``reads``, ``api``, ``rdf``…),
each registering its statements here when imported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    name: str
    neo4j: str | None  # None: not run on Neo4j (e.g. COPY)
    embedded: str | None = None  # None: same text as neo4j; NOT_EMBEDDED: not run there

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


CATALOGUE: dict[str, Statement] = {}


def register(*statements: Statement) -> None:
    for st in statements:
        if st.name in CATALOGUE:
            raise ValueError(f"duplicate statement name {st.name!r}")
        CATALOGUE[st.name] = st


def get(name: str) -> Statement:
    return CATALOGUE[name]


def _load() -> None:
    # Every module of this package registers its statements when imported; the order does not matter.
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load()
