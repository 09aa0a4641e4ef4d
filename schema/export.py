"""`python -m schema.export`: writes the schema's SDL to schema/schema.graphql."""

from kpss.settings import REPO_ROOT
from schema.query import schema

(REPO_ROOT / "schema" / "schema.graphql").write_text(schema.as_str() + "\n", encoding="utf-8")
