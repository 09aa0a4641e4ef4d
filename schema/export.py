"""`python -m schema.export`: writes the schema's SDL to schema/schema.graphql."""

from pathlib import Path

from schema.query import make_schema

SDL = Path(__file__).resolve().parent / "schema.graphql"

if __name__ == "__main__":
    SDL.write_text(make_schema().as_str() + "\n", encoding="utf-8")
